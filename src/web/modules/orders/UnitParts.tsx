import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SellThroughSuggestionValue, UnitStatusValue } from '../../../contracts/index.js';

export const UNIT_STATUSES: UnitStatusValue[] = ['available', 'held', 'reserved', 'sold'];

/** The grid's colours: available green, held orange, reserved blue, sold grey. */
export const UNIT_STATUS_COLORS: Record<UnitStatusValue, { tag: string; bg: string; border: string }> = {
  available: { tag: 'green', bg: '#f6ffed', border: '#b7eb8f' },
  held: { tag: 'orange', bg: '#fff7e6', border: '#ffd591' },
  reserved: { tag: 'blue', bg: '#e6f4ff', border: '#91caff' },
  sold: { tag: 'default', bg: '#f5f5f5', border: '#d9d9d9' },
};

export function UnitStatusTag({ status }: { status: UnitStatusValue }) {
  const { t } = useTranslation();
  return (
    <Tag color={UNIT_STATUS_COLORS[status].tag} data-testid={`unit-status-${status}`}>
      {t(`units.statuses.${status}`)}
    </Tag>
  );
}

const SUGGESTION_COLORS: Record<SellThroughSuggestionValue, string> = {
  on_track: 'green',
  suggest_raise_or_hold: 'orange',
  alert_review: 'red',
};

export function SuggestionTag({ suggestion }: { suggestion: SellThroughSuggestionValue }) {
  const { t } = useTranslation();
  return (
    <Tag color={SUGGESTION_COLORS[suggestion]} data-testid={`suggestion-${suggestion}`}>
      {t(`units.suggestions.${suggestion}`)}
    </Tag>
  );
}

/** A total price: 万元 in Chinese (238.00万), yuan with separators in English. */
export function formatTotal(fen: number, language: string) {
  const yuan = fen / 100;
  return language.startsWith('zh')
    ? `${(yuan / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}万`
    : `¥${yuan.toLocaleString('en', { maximumFractionDigits: 2 })}`;
}

/** Yuan with separators, two decimals at most. */
export const formatYuan = (fen: number | null, language: string) =>
  fen === null ? '—' : `¥${(fen / 100).toLocaleString(language, { maximumFractionDigits: 2 })}`;
