import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import updateLocale from 'dayjs/plugin/updateLocale.js';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json' with { type: 'json' };
import zhCN from '../locales/zh-CN.json' with { type: 'json' };
import { setApiLanguage } from './api.js';

export const LANGUAGES = ['zh-CN', 'en'] as const;
/** Each language named in itself, for pickers. */
export const LANGUAGE_OPTIONS = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'xg.locale';

// Weeks start on Monday in China, in the English UI too (calendars, week pickers).
dayjs.extend(updateLocale);
dayjs.updateLocale('en', { weekStart: 1 });

/** A saved choice wins; otherwise the browser's language (any Chinese → zh-CN, else English). */
function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function apply(lng: Language) {
  setApiLanguage(lng);
  dayjs.locale(lng === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lng;
}

const language = initialLanguage();
apply(language);
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: language,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});
document.title = i18n.t('app.documentTitle');
i18n.on('languageChanged', () => {
  document.title = i18n.t('app.documentTitle');
});

/** Whether this browser has a language chosen with the switch (or in the profile). */
export const hasChosenLanguage = () => localStorage.getItem(STORAGE_KEY) !== null;

export function changeLanguage(lng: Language) {
  localStorage.setItem(STORAGE_KEY, lng);
  apply(lng);
  void i18n.changeLanguage(lng);
}

export default i18n;
