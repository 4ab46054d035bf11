import dayjs from 'dayjs';
import { Decimal } from 'decimal.js';

// Pure rules of target attainment (目标达成, issue 8 item 4). Amounts are whole numbers of the
// metric's smallest unit (fen, 1, or thousandths of a unit), like target amounts; days are
// calendar days in the company time zone, the period's first and last day inclusive.

export type TrafficLight = 'green' | 'amber' | 'red' | 'not_started';

/** Percent of the time-elapsed pace at or above which a target is green / amber; below: red. */
export interface Thresholds {
  greenPercent: number;
  amberPercent: number;
}
export const DEFAULT_THRESHOLDS: Thresholds = { greenPercent: 100, amberPercent: 85 };

export interface AttainmentInput {
  target: bigint;
  actual: bigint;
  /** YYYY-MM-DD, inclusive. */
  start: string;
  end: string;
  /** Today in the company time zone; today counts as elapsed. */
  asOf: string;
  thresholds?: Thresholds;
}

export interface Attainment {
  target: bigint;
  actual: bigint;
  /** actual / target × 100, one decimal; null for a zero target. */
  attainmentPercent: string | null;
  /** target − actual: what is still missing (negative once the target is exceeded). */
  gap: bigint;
  totalDays: number;
  elapsedDays: number;
  remainingDays: number;
  /** The target pro rata to the elapsed days (the pace line), rounded half up. */
  expectedToDate: bigint;
  /** actual ÷ elapsed days × total days, rounded half up; null before the period starts. */
  projection: bigint | null;
  /** What each remaining day must bring to reach the target (rounded up); 0 when reached, null when the period is over. */
  requiredDailyRate: bigint | null;
  /** actual / expectedToDate × 100, one decimal; null before the start or for a zero target. */
  pacePercent: string | null;
  status: TrafficLight;
}

const D = Decimal.clone({ precision: 60 });
const days = (from: string, to: string) => dayjs(to).diff(dayjs(from), 'day') + 1;
const big = (d: Decimal, mode: Decimal.Rounding) => BigInt(d.toDecimalPlaces(0, mode).toFixed(0));

export function checkThresholds(t: Thresholds): boolean {
  return (
    Number.isInteger(t.greenPercent) &&
    Number.isInteger(t.amberPercent) &&
    t.amberPercent >= 1 &&
    t.amberPercent <= t.greenPercent &&
    t.greenPercent <= 200
  );
}

/** The traffic light of `actual` against the pace line `expected`. */
export function trafficLight(
  actual: bigint,
  expected: bigint,
  t: Thresholds,
): Exclude<TrafficLight, 'not_started'> {
  // actual ≥ expected × p / 100, in integers.
  if (actual * 100n >= expected * BigInt(t.greenPercent)) return 'green';
  if (actual * 100n >= expected * BigInt(t.amberPercent)) return 'amber';
  return 'red';
}

export function attainment(input: AttainmentInput): Attainment {
  const t = input.thresholds ?? DEFAULT_THRESHOLDS;
  const { target, actual } = input;
  if (target < 0n) throw new RangeError('target must not be negative');
  const totalDays = days(input.start, input.end);
  const elapsedDays =
    input.asOf < input.start ? 0 : input.asOf > input.end ? totalDays : days(input.start, input.asOf);
  const remainingDays = totalDays - elapsedDays;
  const gap = target - actual;
  const expectedToDate = big(
    new D(target.toString()).times(elapsedDays).dividedBy(totalDays),
    Decimal.ROUND_HALF_UP,
  );
  const projection =
    elapsedDays === 0
      ? null
      : big(new D(actual.toString()).dividedBy(elapsedDays).times(totalDays), Decimal.ROUND_HALF_UP);
  const requiredDailyRate =
    remainingDays === 0
      ? null
      : gap <= 0n
        ? 0n
        : big(new D(gap.toString()).dividedBy(remainingDays), Decimal.ROUND_CEIL);
  const percent = (num: bigint, den: bigint) =>
    den === 0n
      ? null
      : new D(num.toString())
          .times(100)
          .dividedBy(den.toString())
          .toDecimalPlaces(1, Decimal.ROUND_HALF_UP)
          .toFixed(1);
  const status: TrafficLight =
    elapsedDays === 0 ? 'not_started' : target === 0n ? 'green' : trafficLight(actual, expectedToDate, t);
  return {
    target,
    actual,
    attainmentPercent: percent(actual, target),
    gap,
    totalDays,
    elapsedDays,
    remainingDays,
    expectedToDate,
    projection,
    requiredDailyRate,
    pacePercent: elapsedDays === 0 ? null : percent(actual, expectedToDate),
    status,
  };
}
