import { Decimal } from 'decimal.js';
import type { ReturnStateValue } from '../../../../contracts/returns.js';

// Pure rules of returns (退换货): the state machine, what may still be returned per order line,
// and how a returned quantity is spread over the invoice lines that billed it. No server imports.

export type ReturnState = ReturnStateValue;
export type ReturnEvent = 'approve' | 'reject' | 'cancel' | 'receive' | 'close';

/** requested → approved → received → closed; rejected (from requested) and cancelled (before receipt). */
const TRANSITIONS: Record<ReturnState, Partial<Record<ReturnEvent, ReturnState>>> = {
  requested: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
  approved: { receive: 'received', cancel: 'cancelled' },
  received: { close: 'closed' },
  closed: {},
  rejected: {},
  cancelled: {},
};

export function nextReturnState(state: ReturnState, event: ReturnEvent): ReturnState | null {
  return TRANSITIONS[state][event] ?? null;
}

/** The events the detail page offers, given what the actor may do. */
export function allowedReturnActions(
  state: ReturnState,
  can: { create: boolean; approve: boolean; receive: boolean },
): ReturnEvent[] {
  const out: ReturnEvent[] = [];
  if (can.approve && nextReturnState(state, 'approve')) out.push('approve', 'reject');
  if (can.receive && nextReturnState(state, 'receive')) out.push('receive');
  if ((can.create || can.approve) && nextReturnState(state, 'cancel')) out.push('cancel');
  if (can.approve && nextReturnState(state, 'close')) out.push('close');
  return out;
}

/** Returns that still count against what was shipped (not rejected or cancelled). */
export const COUNTING_STATES: ReturnState[] = ['requested', 'approved', 'received', 'closed'];

/** What may still be returned on a line: shipped − already returned (never below zero). */
export function returnableQuantity(shipped: string, returned: string): Decimal {
  return Decimal.max(new Decimal(shipped).minus(returned), 0);
}

/** Wanted quantities per order line summed; the first line over its returnable quantity, or null. */
export function firstExcess(
  wanted: { orderLineId: string; quantity: string }[],
  returnable: Map<string, Decimal>,
): { orderLineId: string; wanted: Decimal; returnable: Decimal } | null {
  const totals = new Map<string, Decimal>();
  for (const w of wanted) {
    totals.set(w.orderLineId, (totals.get(w.orderLineId) ?? new Decimal(0)).plus(w.quantity));
  }
  for (const [orderLineId, quantity] of totals) {
    const left = returnable.get(orderLineId) ?? new Decimal(0);
    if (quantity.greaterThan(left)) return { orderLineId, wanted: quantity, returnable: left };
  }
  return null;
}

export interface BilledLine {
  invoiceId: string;
  invoiceLineId: string;
  /** Invoiced quantity less what credit notes already took back. */
  creditableQuantity: string;
  unitPrice: number;
}

/**
 * Spreads a returned quantity over the invoice lines that billed the order line (oldest first):
 * each takes at most what is still creditable on it. What no invoice covers is `uninvoiced`.
 */
export function spreadOverInvoices(
  quantity: string,
  billed: BilledLine[],
): {
  credits: { invoiceId: string; invoiceLineId: string; quantity: string; amount: number }[];
  uninvoiced: string;
} {
  let left = new Decimal(quantity);
  const credits: { invoiceId: string; invoiceLineId: string; quantity: string; amount: number }[] = [];
  for (const b of billed) {
    if (left.lessThanOrEqualTo(0)) break;
    const take = Decimal.min(left, new Decimal(b.creditableQuantity));
    if (take.lessThanOrEqualTo(0)) continue;
    credits.push({
      invoiceId: b.invoiceId,
      invoiceLineId: b.invoiceLineId,
      quantity: take.toFixed(),
      amount: take.times(b.unitPrice).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
    });
    left = left.minus(take);
  }
  return { credits, uninvoiced: left.toFixed() };
}

/** The value of a returned quantity at the order line's unit price, rounded half up (fen). */
export const returnedValue = (quantity: string, unitPrice: number): number =>
  new Decimal(quantity).times(unitPrice).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

/** A refund (退款) pays back returned value no invoice could credit; only once the goods are back. */
export const REFUNDABLE_STATES: ReturnState[] = ['received', 'closed'];

/** What is still to refund on a return: its uncredited value less the refunds so far (never below zero). */
export const refundDue = (uncreditedAmount: number, refundedAmount: number): number =>
  Math.max(uncreditedAmount - refundedAmount, 0);

/** Why a refund of `amount` cannot be recorded, or null: wrong state, or more than is still due. */
export function refundProblem(
  state: ReturnState,
  uncreditedAmount: number,
  refundedAmount: number,
  amount: number,
): { code: 'refund_wrong_state' } | { code: 'refund_exceeds_due'; due: number } | null {
  if (!REFUNDABLE_STATES.includes(state)) return { code: 'refund_wrong_state' };
  const due = refundDue(uncreditedAmount, refundedAmount);
  if (amount > due) return { code: 'refund_exceeds_due', due };
  return null;
}
