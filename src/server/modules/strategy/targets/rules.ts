import dayjs from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek.js';
import { Decimal } from 'decimal.js';
import type { TargetMetric as Metric } from '../../../../contracts/targets.js';

dayjs.extend(isoWeek);

/** Enough digits for a fen total times a weight without rounding. */
const D = Decimal.clone({ precision: 80 });

// Pure rules of target allocation (目标分解, seed 002 目标管理: 确定、分解、签订责任书). Amounts are
// whole numbers of the metric's smallest unit (fen for money, 1 for counts, 0.001 for units),
// so every split is exact integer arithmetic.

export type { TargetMetric as Metric } from '../../../../contracts/targets.js';
export { METRIC_KIND, TARGET_METRICS as METRICS } from '../../../../contracts/targets.js';

export const PERIOD_KINDS = ['year', 'quarter', 'month', 'week', 'day'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  /** First and last calendar day, inclusive, as YYYY-MM-DD (company time zone). */
  start: string;
  end: string;
  /** 2027, 2027-Q1, 2027-03, 2027-W05, 2027-03-15. */
  key: string;
}

/**
 * Splits `total` into parts proportional to `weights`, exactly: the parts sum to `total`, none is
 * negative, each is within one unit of its exact share, and the result depends only on the input
 * (largest remainder; ties go to the earlier child). All-zero weights split evenly.
 */
export function allocate(total: bigint, weights: readonly (Decimal.Value | bigint)[]): bigint[] {
  if (total < 0n) throw new RangeError('total must not be negative');
  if (!weights.length) return [];
  let w = weights.map((x) => new D(typeof x === 'bigint' ? x.toString() : x));
  if (w.some((x) => x.isNegative() || !x.isFinite())) throw new RangeError('weights must not be negative');
  let sum = w.reduce((a, b) => a.plus(b), new D(0));
  if (sum.isZero()) {
    w = w.map(() => new D(1));
    sum = new D(w.length);
  }
  const exact = w.map((x) => x.times(total.toString()).dividedBy(sum));
  const floors = exact.map((x) => BigInt(x.floor().toFixed(0)));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = exact
    .map((x, i) => ({ i, rem: x.minus(x.floor()) }))
    .sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0n) break;
    floors[i] = (floors[i] as bigint) + 1n;
    left -= 1n;
  }
  return floors;
}

/** Σ children − parent: zero when the allocation balances. */
export function allocationGap(parent: bigint, children: readonly bigint[]): bigint {
  return children.reduce((a, b) => a + b, 0n) - parent;
}

const fmt = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');

export function yearPeriod(year: number): Period {
  return { kind: 'year', start: `${year}-01-01`, end: `${year}-12-31`, key: String(year) };
}

function keyOf(kind: PeriodKind, start: dayjs.Dayjs): string {
  switch (kind) {
    case 'year':
      return start.format('YYYY');
    case 'quarter':
      return `${start.format('YYYY')}-Q${Math.floor(start.month() / 3) + 1}`;
    case 'month':
      return start.format('YYYY-MM');
    case 'week':
      // The ISO week of the week's Monday; a week cut by the year's edge keeps its ISO label.
      return `${start.isoWeekYear()}-W${String(start.isoWeek()).padStart(2, '0')}`;
    default:
      return fmt(start);
  }
}

const RANK: Record<PeriodKind, number> = { year: 0, quarter: 1, month: 2, week: 3, day: 4 };

/** Can a period of `parent` kind be split into `child` periods? Weeks split only into days. */
export function canSplit(parent: PeriodKind, child: PeriodKind): boolean {
  if (RANK[child] <= RANK[parent]) return false;
  // A week may straddle two months or quarters, so only days sit below a week.
  return !(parent === 'week' && child !== 'day');
}

/**
 * The sub-periods of `parent`: quarters and months by the calendar; weeks from Monday (ISO), cut
 * at the parent's first and last day so that they never leave it; days.
 */
export function subPeriods(parent: Period, kind: PeriodKind): Period[] {
  if (!canSplit(parent.kind, kind)) throw new RangeError(`${parent.kind} cannot split into ${kind}`);
  const first = dayjs(parent.start);
  const last = dayjs(parent.end);
  const out: Period[] = [];
  let cursor = first;
  while (!cursor.isAfter(last)) {
    let naturalEnd: dayjs.Dayjs;
    if (kind === 'quarter') naturalEnd = cursor.month(Math.floor(cursor.month() / 3) * 3 + 2).endOf('month');
    else if (kind === 'month') naturalEnd = cursor.endOf('month');
    else if (kind === 'week') naturalEnd = cursor.isoWeekday(7);
    else naturalEnd = cursor;
    const end = naturalEnd.isAfter(last) ? last : naturalEnd;
    out.push({ kind, start: fmt(cursor), end: fmt(end), key: keyOf(kind, cursor) });
    cursor = end.add(1, 'day').startOf('day');
  }
  return out;
}

export const daysIn = (p: Pick<Period, 'start' | 'end'>) => dayjs(p.end).diff(dayjs(p.start), 'day') + 1;

/**
 * Even split weights: equal per child, except weeks and days, which are weighted by their number
 * of days so that a three-day week at the year's edge gets three sevenths of a full week.
 */
export function evenWeights(periods: readonly Period[]): number[] {
  return periods.map((p) => (p.kind === 'week' ? daysIn(p) : 1));
}

/** Is the period inside the plan's fiscal (calendar) year? */
export function withinYear(year: number, p: Pick<Period, 'start' | 'end'>): boolean {
  const y = yearPeriod(year);
  return p.start >= y.start && p.end <= y.end && p.start <= p.end;
}

/** The same dates one year earlier (29 February becomes 28 February). */
export function lastYear(p: Period): Period {
  const start = dayjs(p.start).subtract(1, 'year');
  const end = dayjs(p.end).subtract(1, 'year');
  return { kind: p.kind, start: fmt(start), end: fmt(end), key: keyOf(p.kind, start) };
}

/**
 * Does a metric mean anything per product category or per customer? Categories live on order
 * lines, so only order-line metrics (booked, shipped, gross profit, units) split by category;
 * payments, visits, new customers and won opportunities carry none. Every metric but new
 * customers (a customer is new once, not a share of someone's target) splits by customer.
 */
export function metricSplitsBy(metric: Metric, dimension: 'product_category' | 'customer'): boolean {
  if (dimension === 'product_category')
    return ['booked_revenue', 'shipped_revenue', 'gross_profit', 'units'].includes(metric);
  return metric !== 'new_customers';
}
