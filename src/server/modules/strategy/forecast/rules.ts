import { Decimal } from 'decimal.js';

// Pure rules of the forecast against target (issue 8, item 5): the statistical baseline of booked
// revenue from monthly history, and pipeline coverage. Money in fen; the smoothing is computed
// with decimal.js (40 significant digits) and each forecast is rounded half up to a whole fen and
// floored at 0, so the answer is exact and deterministic. No forecasting library is installed in
// the project; the formulas are small (docs/forecast.md).

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

export const SEASON = 12;
/** Smoothing constants (fixed, not fitted: a baseline, not a model to tune). */
export const ALPHA = '0.3';
export const BETA = '0.1';
export const GAMMA = '0.3';
/** The trailing growth applied to last year's month is kept within [0.5, 2]. */
export const GROWTH_MIN = '0.5';
export const GROWTH_MAX = '2';

export type BaselineMethod = 'seasonal_naive' | 'exponential_smoothing' | 'none';
export type SmoothingMethod = 'holt_winters' | 'exponential_smoothing' | 'none';

const fenOf = (v: Dec): bigint => {
  const r = v.toDecimalPlaces(0, D.ROUND_HALF_UP);
  return r.isNegative() ? 0n : BigInt(r.toFixed(0));
};
const decs = (history: readonly bigint[]): Dec[] => history.map((v) => new D(v.toString()));
const mean = (xs: Dec[]): Dec => xs.reduce((a, x) => a.plus(x), new D(0)).dividedBy(xs.length);

/** History without the months before the first one with revenue (before the company sold). */
export function trimLeadingZeros(history: readonly bigint[]): bigint[] {
  const first = history.findIndex((v) => v !== 0n);
  return first < 0 ? [] : history.slice(first);
}

/**
 * Trailing growth: the last 12 months over the 12 before them, within [0.5, 2]; 1 with less than
 * two years of history or nothing the year before.
 */
export function trailingGrowth(history: readonly bigint[]): Dec {
  if (history.length < 2 * SEASON) return new D(1);
  const last = history.slice(-SEASON).reduce((a, v) => a + v, 0n);
  const prev = history.slice(-2 * SEASON, -SEASON).reduce((a, v) => a + v, 0n);
  if (prev === 0n) return new D(1);
  return D.min(D.max(new D(last.toString()).dividedBy(prev.toString()), GROWTH_MIN), GROWTH_MAX);
}

/**
 * Seasonal naive with trailing growth: each month ahead = the same month a year earlier × the
 * trailing growth (a month more than a year ahead builds on the forecast a year before it, so the
 * growth compounds once a year). Needs at least 12 months of history; null otherwise.
 */
export function seasonalNaive(history: readonly bigint[], horizon: number): bigint[] | null {
  if (history.length < SEASON) return null;
  const g = trailingGrowth(history);
  const ext = decs(history);
  const out: bigint[] = [];
  for (let h = 0; h < horizon; h++) {
    const v = ext[ext.length - SEASON]!.times(g);
    ext.push(v);
    out.push(fenOf(v));
  }
  return out;
}

/** Simple exponential smoothing: a flat forecast at the smoothed level. Null without history. */
export function exponentialSmoothing(history: readonly bigint[], horizon: number): bigint[] | null {
  if (!history.length) return null;
  const x = decs(history);
  const a = new D(ALPHA);
  let level = x[0]!;
  for (const v of x.slice(1)) level = a.times(v).plus(new D(1).minus(a).times(level));
  return Array.from({ length: horizon }, () => fenOf(level));
}

/**
 * Holt-Winters additive (level, trend, 12 monthly seasonal terms). Initialised on the first two
 * years: level = the first year's mean, trend = (second year's mean − first's) / 12, seasonal
 * terms = the first year's deviations from its mean; then updated over every month from the
 * 13th. Needs at least 24 months; null otherwise.
 */
export function holtWinters(history: readonly bigint[], horizon: number): bigint[] | null {
  if (history.length < 2 * SEASON) return null;
  const x = decs(history);
  const [a, b, g] = [new D(ALPHA), new D(BETA), new D(GAMMA)];
  const one = new D(1);
  const first = x.slice(0, SEASON);
  let level = mean(first);
  let trend = mean(x.slice(SEASON, 2 * SEASON))
    .minus(level)
    .dividedBy(SEASON);
  const seasonal = first.map((v) => v.minus(level));
  for (let t = SEASON; t < x.length; t++) {
    const s = seasonal[t - SEASON]!;
    const prevLevel = level;
    level = a.times(x[t]!.minus(s)).plus(one.minus(a).times(prevLevel.plus(trend)));
    trend = b.times(level.minus(prevLevel)).plus(one.minus(b).times(trend));
    seasonal.push(g.times(x[t]!.minus(level)).plus(one.minus(g).times(s)));
  }
  const n = x.length;
  return Array.from({ length: horizon }, (_, i) => {
    const h = i + 1;
    const s = seasonal[n - SEASON + ((h - 1) % SEASON)]!;
    return fenOf(level.plus(trend.times(h)).plus(s));
  });
}

/** The baseline: seasonal naive × growth with a year of history, else exponential smoothing. */
export function baseline(
  history: readonly bigint[],
  horizon: number,
): { method: BaselineMethod; values: bigint[] | null } {
  const h = trimLeadingZeros(history);
  const naive = seasonalNaive(h, horizon);
  if (naive) return { method: 'seasonal_naive', values: naive };
  const ses = exponentialSmoothing(h, horizon);
  return ses ? { method: 'exponential_smoothing', values: ses } : { method: 'none', values: null };
}

/** The smoothing line: Holt-Winters with two years of history, else exponential smoothing. */
export function smoothing(
  history: readonly bigint[],
  horizon: number,
): { method: SmoothingMethod; values: bigint[] | null } {
  const h = trimLeadingZeros(history);
  const hw = holtWinters(h, horizon);
  if (hw) return { method: 'holt_winters', values: hw };
  const ses = exponentialSmoothing(h, horizon);
  return ses ? { method: 'exponential_smoothing', values: ses } : { method: 'none', values: null };
}

/** What is left to reach the target: max(target − actual, 0); null without a target. */
export function remainingTarget(target: bigint | null, actual: bigint): bigint | null {
  if (target === null) return null;
  return target > actual ? target - actual : 0n;
}

/**
 * Pipeline coverage in whole percent (half up): weighted pipeline / remaining target × 100; null
 * when nothing remains (no target, or it is already reached). The dashboard widget uses it too.
 */
export function coveragePercent(weighted: bigint, remaining: bigint | null): number | null {
  if (remaining === null || remaining <= 0n) return null;
  return Number((weighted * 100n + remaining / 2n) / remaining);
}

/** 'YYYY-MM' shifted by n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included (empty when `to` is before `from`). */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The last day of a 'YYYY-MM' month. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}
