import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { METRIC_KIND, type nodeAttainment, type TargetMetric } from '../../../contracts/index.js';
import { yuan } from '../../app/format.js';

export type MetricKind = (typeof METRIC_KIND)[TargetMetric];
/** One target's attainment as the API answers it. */
export type NodeAttainment = z.infer<typeof nodeAttainment>;

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

const LIGHT_COLORS: Record<string, string> = {
  green: 'success',
  amber: 'warning',
  red: 'error',
  not_started: 'default',
};

/**
 * A target's traffic light (against the time-elapsed pace), with its pace, run-rate projection
 * and the rate needed per remaining day in the tooltip.
 */
export function AttainmentTag({ a, kind }: { a: NodeAttainment; kind: MetricKind }) {
  const { t, i18n } = useTranslation();
  const f = (v: number | null) => formatTarget(v, kind, i18n.language);
  const lines = [
    `${t('attainment.expectedToDate')}: ${f(a.expectedToDate)}`,
    `${t('attainment.pacePercent')}: ${a.pacePercent === null ? '—' : `${a.pacePercent}%`}`,
    `${t('attainment.gap')}: ${f(a.gap)}`,
    `${t('attainment.projection')}: ${f(a.projection)}`,
    `${t('attainment.requiredDailyRate')}: ${f(a.requiredDailyRate)}`,
    `${t('attainment.elapsedDays')}: ${a.elapsedDays} / ${a.totalDays}`,
  ];
  return (
    <Tooltip
      title={
        <div>
          {lines.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
      }
    >
      <Tag color={LIGHT_COLORS[a.status]} data-testid={`attainment-status-${a.status}`}>
        {t(`attainment.status.${a.status}`)}
      </Tag>
    </Tooltip>
  );
}
