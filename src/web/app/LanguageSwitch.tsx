import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from './i18n.js';

/** Switches between 中文 and English; the label names the language you switch to. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const next = i18n.language === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      onClick={() => changeLanguage(next)}
    >
      {t('common.switchLanguage')}
    </Button>
  );
}
