import { addDays } from '../../platform/calendar.js';
import type { ContractState } from './contracts.schema.js';

// Pure rules of contracts: the payment plan (seed 002 分期) and the state machine.

/**
 * Splits an amount (fen) into n installments that sum exactly to it: every installment gets the
 * same whole-fen share and the remainder (fewer than n fen) goes on the LAST one, so early
 * installments are round figures and the final payment squares the total.
 */
export function splitEvenly(amount: number, n: number): number[] {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be whole fen');
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be at least 1');
  const share = Math.floor(amount / n);
  const parts = Array.from({ length: n }, () => share);
  parts[n - 1] = amount - share * (n - 1);
  return parts;
}

/**
 * Due dates may fall up to a year after the contract's end date: the last installment is often a
 * warranty retention (质保金) paid when the warranty period after delivery ends.
 */
export const DUE_DATE_GRACE_DAYS = 365;

export interface PlanLine {
  dueDate: string;
  amount: number;
}

export type PlanProblem =
  | { kind: 'sum'; sum: number; amount: number; difference: number }
  | { kind: 'order'; index: number }
  | { kind: 'beforeStart'; index: number }
  | { kind: 'afterEnd'; index: number; latest: string };

/**
 * What is wrong with a payment plan: amounts must sum exactly to the contract amount, due dates
 * strictly increase and lie within start .. end + DUE_DATE_GRACE_DAYS. Empty when the plan holds.
 */
export function planProblems(
  amount: number,
  startDate: string,
  endDate: string,
  lines: readonly PlanLine[],
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const latest = addDays(endDate, DUE_DATE_GRACE_DAYS);
  lines.forEach((line, index) => {
    const previous = lines[index - 1];
    if (previous && line.dueDate <= previous.dueDate) problems.push({ kind: 'order', index });
    if (line.dueDate < startDate) problems.push({ kind: 'beforeStart', index });
    else if (line.dueDate > latest) problems.push({ kind: 'afterEnd', index, latest });
  });
  const sum = lines.reduce((s, l) => s + l.amount, 0);
  if (sum !== amount) problems.push({ kind: 'sum', sum, amount, difference: amount - sum });
  return problems;
}

export { formatYuan } from '../../platform/money/amount-in-words.js';

export type ContractAction = 'edit' | 'submit' | 'sign' | 'complete' | 'terminate';

/**
 * The state machine: draft → in_review (submit) → approved (review passed) → active (signed) →
 * completed; terminated (with a reason) from draft, approved or active. A rejected, returned or
 * withdrawn review goes back to draft. In review nothing changes but the review itself.
 */
const MOVES: Record<ContractState, Partial<Record<ContractAction, ContractState>>> = {
  draft: { edit: 'draft', submit: 'in_review', terminate: 'terminated' },
  in_review: {},
  approved: { sign: 'active', terminate: 'terminated' },
  active: { complete: 'completed', terminate: 'terminated' },
  completed: {},
  terminated: {},
};

export function nextState(state: ContractState, action: ContractAction): ContractState | undefined {
  return MOVES[state][action];
}

export function allowedActions(state: ContractState): ContractAction[] {
  return Object.keys(MOVES[state]) as ContractAction[];
}

/** Percent of a total with one decimal, half-up, as a string ("0.0" when the total is 0). */
export function percentOf(part: number, total: number): string {
  if (total <= 0) return '0.0';
  const t = BigInt(total);
  const tenths = (BigInt(part) * 1000n + t / 2n) / t;
  return `${tenths / 10n}.${tenths % 10n}`;
}
