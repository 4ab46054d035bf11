import type { Widget } from '../../../contracts/index.js';

/**
 * Money in fen, short: ¥1,234.5万 / ¥1.2亿 in Chinese, CN¥12.3M in English (Intl's compact
 * notation follows each language's own grouping).
 */
export function compactYuan(fen: string | number | null | undefined, locale: string): string {
  if (fen === null || fen === undefined) return '—';
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    notation: 'compact',
    // Both bounds, or engines disagree on 3273万: Node 20's V8 writes 3273.0万, Chromium 3273万.
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(Number(fen) / 100);
}

/** Money in fen, in full: ¥12,345.67. */
export function fullYuan(fen: string | number | null | undefined, locale: string): string {
  if (fen === null || fen === undefined) return '—';
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(Number(fen) / 100);
}

export const percent = (v: string | null | undefined) => (v === null || v === undefined ? '—' : `${v}%`);

/** A cell of a widget in its column's unit. */
export function formatCell(widget: Widget, column: string, value: string | null | undefined, locale: string) {
  const unit = widget.columns.find((c) => c.key === column)?.unit;
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'fen':
      return fullYuan(value, locale);
    case 'percent':
      return percent(value);
    case 'count':
    case 'days':
    case 'quantity':
    case 'ratio':
      return new Intl.NumberFormat(locale).format(Number(value));
    default:
      return value;
  }
}

/** A province's name as the ECharts map "china" spells it: 广东省 → 广东, 内蒙古自治区 → 内蒙古. */
export function mapName(division: string): string {
  return division.replace(/(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|省|市)$/, '');
}
