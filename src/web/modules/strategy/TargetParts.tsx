import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { METRIC_KIND, type TargetMetric } from '../../../contracts/index.js';
import { yuan } from '../../app/format.js';

export type MetricKind = (typeof METRIC_KIND)[TargetMetric];

/** A target amount as people read it: yuan for money, units to three decimals, counts. */
export function formatTarget(amount: number | null | undefined, kind: MetricKind, locale: string): string {
  if (amount === null || amount === undefined) return '—';
  if (kind === 'money') return yuan(amount, locale);
  if (kind === 'quantity')
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(amount / 1000);
  return new Intl.NumberFormat(locale).format(amount);
}

/** What a user types (yuan, units) ↔ what the API stores (fen, thousandths, counts). */
export const toInput = (amount: number, kind: MetricKind) =>
  kind === 'money' ? amount / 100 : kind === 'quantity' ? amount / 1000 : amount;
export const fromInput = (value: number, kind: MetricKind) =>
  Math.round(kind === 'money' ? value * 100 : kind === 'quantity' ? value * 1000 : value);

const AGREEMENT_COLORS: Record<string, string> = {
  draft: 'default',
  sent: 'processing',
  signed: 'success',
  rejected: 'error',
  superseded: 'default',
};

export function AgreementTag({ state }: { state: string | null | undefined }) {
  const { t } = useTranslation();
  if (!state) return <span>—</span>;
  return <Tag color={AGREEMENT_COLORS[state]}>{t(`targets.agreementStates.${state}`)}</Tag>;
}

/** How a metric's amount is written (money in fen, units in thousandths, counts as they are). */
export const metricKindOf = (metric: string): MetricKind => METRIC_KIND[metric as TargetMetric] ?? 'money';
