import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

// Small pieces shared by the receipt, count and low-stock pages.

const RECEIPT_COLORS: Record<string, string> = { draft: 'default', posted: 'green', reversed: 'red' };
const COUNT_COLORS: Record<string, string> = {
  draft: 'default',
  counting: 'blue',
  posted: 'green',
  cancelled: 'red',
};

export function ReceiptStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={RECEIPT_COLORS[status]}>{t(`receipts.statuses.${status}`)}</Tag>;
}

export function CountStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COUNT_COLORS[status]}>{t(`receipts.countStatuses.${status}`)}</Tag>;
}

/** Fen → "¥1,234.56" (display only; money stays integer fen everywhere else). */
export const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined
    ? '—'
    : `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Yuan typed in a form ("12.5") → fen, without floating point; undefined when empty. */
export function yuanInputToFen(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(v).trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const fenToYuanInput = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
