import { Decimal } from 'decimal.js';
import { daysBetween } from '../../../platform/calendar.js';
import type { UnitStatus } from './schema.js';

// The rules of release control (销控), pure and tested alone (rules.test.ts).

export const UNIT_ACTIONS = ['hold', 'release', 'reserve', 'cancel', 'sell', 'reverse_sale'] as const;
export type UnitAction = (typeof UNIT_ACTIONS)[number];

const TRANSITIONS: Record<UnitAction, Partial<Record<UnitStatus, UnitStatus>>> = {
  // 人为保留: only an available unit is held back, and only a held unit is released.
  hold: { available: 'held' },
  release: { held: 'available' },
  // A held unit cannot be subscribed until it is released.
  reserve: { available: 'reserved' },
  cancel: { reserved: 'available' },
  sell: { reserved: 'sold' },
  // Sold is final except by this explicit, audited reversal (units.manage).
  reverse_sale: { sold: 'available' },
};

/** The status an action leads to from `from`, or null when the action is not allowed there. */
export function nextUnitStatus(from: UnitStatus, action: UnitAction): UnitStatus | null {
  return TRANSITIONS[action][from] ?? null;
}

/** What a unit's status allows next (the buttons of the unit drawer). */
export const allowedUnitActions = (status: UnitStatus): UnitAction[] =>
  UNIT_ACTIONS.filter((a) => nextUnitStatus(status, a) !== null);

// ISO 3779 / GB 16735 transliteration: digits as themselves, A–H = 1–8, J–N = 1–5, P = 7, R = 9,
// S–Z = 2–9.
const VIN_VALUES: Record<string, number> = {};
for (const [chars, start] of [
  ['0123456789', 0],
  ['ABCDEFGH', 1],
  ['JKLMN', 1],
  ['P', 7],
  ['R', 9],
  ['STUVWXYZ', 2],
] as const) {
  [...chars].forEach((c, i) => {
    VIN_VALUES[c] = start + i;
  });
}
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** A VIN: 17 characters of digits and capital letters except I, O and Q (GB 16735). */
export const isVinFormat = (vin: string) => /^[A-HJ-NPR-Z0-9]{17}$/.test(vin);

/**
 * The check digit (9th character) a VIN should carry: weighted sum mod 11, 10 written as X. GB
 * 16735 requires it; we report it but do not enforce it, as imported and grey-market vehicles
 * sometimes carry VINs without one.
 */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (VIN_VALUES[vin[i]!] ?? 0) * VIN_WEIGHTS[i]!;
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export const hasValidVinCheckDigit = (vin: string) => isVinFormat(vin) && vin[8] === vinCheckDigit(vin);

/** 单价: total list price ÷ area, in fen per m², half-up; null without an area. */
export function unitPricePerSqm(listPrice: number, area: string | null): number | null {
  if (!area || new Decimal(area).lte(0)) return null;
  return new Decimal(listPrice).div(area).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** A price moved by a percentage (+3 = 3 % up, −2.5 = 2.5 % down), half-up to the fen. */
export function repriceByPercent(listPrice: number, percent: string | number): number {
  return new Decimal(listPrice)
    .mul(new Decimal(100).plus(percent))
    .div(100)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
}

// ---------------------------------------------------------------------------------------------
// Sell-through by grade for a stage (seed 000: 凡出现某一类别房型销售率超出阶段销售目标的30%时，立即提价或
// 人为保留；未达到阶段性销售目标，差距达20%时，立即召集专题研讨会).

export const SELL_THROUGH_SUGGESTIONS = ['on_track', 'suggest_raise_or_hold', 'alert_review'] as const;
export type SellThroughSuggestion = (typeof SELL_THROUGH_SUGGESTIONS)[number];

/** How far ahead of the expected sell-through a grade must run to suggest a price rise or holds. */
export const AHEAD_RATIO = new Decimal('0.3');
/** How far behind it must fall to call a review meeting. */
export const BEHIND_RATIO = new Decimal('0.2');

/**
 * The share of a stage elapsed on `date` (0 before it starts, 1 from its last day on). Days are
 * counted inclusively: on the first day of a 10-day stage, 1/10 has elapsed.
 */
export function stageElapsed(stage: { startDate: string; endDate: string }, date: string): Decimal {
  const elapsed = daysBetween(stage.startDate, date);
  const length = daysBetween(stage.startDate, stage.endDate);
  if (elapsed < 0) return new Decimal(0);
  if (elapsed >= length) return new Decimal(1);
  return new Decimal(elapsed + 1).div(length + 1);
}

export interface GradeSellThroughInput {
  /** Units of the grade released in the stage. */
  total: number;
  /** Of them, sold or subscribed (reserved): a 认购 counts as sold for release control. */
  taken: number;
  /** The stage's target sell-through for the grade, percent (0–100), to reach by the stage's end. */
  targetPct: number;
  /** stageElapsed(stage, date). */
  elapsed: Decimal;
}

export interface GradeSellThrough {
  sellThroughPct: string;
  /** The target pro-rated to the date: targetPct × elapsed. */
  expectedPct: string;
  /** (sell-through − expected) ÷ expected, e.g. "0.35" = 35 % ahead; null when nothing is expected yet. */
  deviation: string | null;
  suggestion: SellThroughSuggestion;
}

/**
 * The seed's rule, read as a relative comparison against the target pro-rated over the stage:
 * expected = target × elapsed share of the stage; the grade is *ahead* when its sell-through is at
 * least 30 % above expected (actual ≥ 1.3 × expected) and *behind* when at least 20 % below
 * (actual ≤ 0.8 × expected). Both need a gap of at least one whole unit, so a grade of three
 * units does not swing on one sale. Nothing expected (before the stage, a zero target, no units)
 * → on track.
 */
export function gradeSellThrough(input: GradeSellThroughInput): GradeSellThrough {
  const total = new Decimal(input.total);
  const sellThrough = total.isZero() ? new Decimal(0) : new Decimal(input.taken).div(total).mul(100);
  const expected = new Decimal(input.targetPct).mul(input.elapsed);
  const fmt = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  if (expected.lte(0) || total.isZero()) {
    return {
      sellThroughPct: fmt(sellThrough),
      expectedPct: fmt(expected),
      deviation: null,
      suggestion: 'on_track',
    };
  }
  const deviation = sellThrough.minus(expected).div(expected);
  const expectedUnits = expected.div(100).mul(total);
  const gapUnits = new Decimal(input.taken).minus(expectedUnits).abs();
  let suggestion: SellThroughSuggestion = 'on_track';
  if (gapUnits.gte(1)) {
    if (deviation.gte(AHEAD_RATIO)) suggestion = 'suggest_raise_or_hold';
    else if (deviation.lte(BEHIND_RATIO.neg())) suggestion = 'alert_review';
  }
  return {
    sellThroughPct: fmt(sellThrough),
    expectedPct: fmt(expected),
    deviation: deviation.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
    suggestion,
  };
}
