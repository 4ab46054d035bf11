import { Decimal } from 'decimal.js';
import type { SalesOrderActionValue, SalesOrderStateValue } from '../../../../contracts/sales-orders.js';
import { computeQuote } from '../../sales/quotes.rules.js';

// Pure rules of sales orders: the state machine, the money of the lines, how a shipment's
// quantity is valued, and the credit limit test. No server imports.

export type SalesOrderState = SalesOrderStateValue;
export type SalesOrderAction = SalesOrderActionValue;

/**
 * DOMAIN.md: draft → confirmed (reserved) → partially_shipped → shipped → completed | cancelled,
 * with pending_credit between draft and confirmed while a credit overrun waits for approval.
 */
const TRANSITIONS: Record<SalesOrderState, Partial<Record<string, SalesOrderState>>> = {
  draft: { edit: 'draft', confirm: 'confirmed', hold_credit: 'pending_credit', cancel: 'cancelled' },
  pending_credit: { credit_approved: 'confirmed', credit_rejected: 'draft', cancel: 'cancelled' },
  confirmed: { cancel: 'cancelled', ship_part: 'partially_shipped', ship_all: 'shipped' },
  partially_shipped: { ship_part: 'partially_shipped', ship_all: 'shipped' },
  shipped: { complete: 'completed' },
  completed: {},
  cancelled: {},
};

export type SalesOrderEvent =
  | 'edit'
  | 'confirm'
  | 'hold_credit'
  | 'credit_approved'
  | 'credit_rejected'
  | 'cancel'
  | 'ship_part'
  | 'ship_all'
  | 'complete';

/** The state after `event`, or null when the event is not allowed in `state`. */
export function nextOrderState(state: SalesOrderState, event: SalesOrderEvent): SalesOrderState | null {
  return TRANSITIONS[state][event] ?? null;
}

/** The buttons of the detail page. Cancel is possible only before anything has shipped. */
export function allowedOrderActions(state: SalesOrderState): SalesOrderAction[] {
  const actions: SalesOrderAction[] = [];
  if (state === 'draft') actions.push('edit', 'confirm');
  if (nextOrderState(state, 'cancel')) actions.push('cancel');
  if (state === 'confirmed' || state === 'partially_shipped') actions.push('ship');
  return actions;
}

export interface OrderLineInput {
  quantity: string;
  /** The customer's price from resolution (fen, tax-inclusive). */
  listPrice: number;
  discountPercent?: string | undefined;
  unitPrice?: number | undefined;
  taxRate: string;
  floor?: number | null | undefined;
  /** A line copied from an accepted quote keeps the quote's amount and tax as the customer accepted them. */
  fixed?: { amount: number; tax: number; unitPrice: number; discountPercent: string } | undefined;
}

export interface OrderLineMoney {
  discountPercent: string;
  unitPrice: number;
  /** round_half_up(qty × price × (1 − discount)), fen. */
  amount: number;
  /** VAT contained in the tax-inclusive amount. */
  tax: number;
  belowFloor: boolean;
}

export interface OrderMoney {
  lines: OrderLineMoney[];
  /** Σ of the rounded line amounts, exactly. */
  total: number;
  tax: number;
  totalExclTax: number;
  belowFloor: boolean;
}

/**
 * The order's money: the quote rules with no whole-order discount (prices tax-inclusive, half-up
 * per line, the total the sum of rounded lines); lines copied from a quote keep their figures.
 */
export function computeOrder(lines: readonly OrderLineInput[]): OrderMoney {
  const computed = computeQuote(
    lines.map((l) => ({
      quantity: l.quantity,
      listPrice: l.listPrice,
      discountPercent: l.discountPercent,
      unitPrice: l.unitPrice,
      taxRate: l.taxRate,
      floor: l.floor,
    })),
  );
  const results = computed.lines.map((c, i): OrderLineMoney => {
    const fixed = lines[i]!.fixed;
    if (fixed) return { ...fixed, belowFloor: false };
    return {
      discountPercent: c.discountPercent,
      unitPrice: c.unitPrice,
      amount: c.amount,
      tax: c.tax,
      belowFloor: c.belowFloor,
    };
  });
  const total = results.reduce((s, r) => s + r.amount, 0);
  const tax = results.reduce((s, r) => s + r.tax, 0);
  return {
    lines: results,
    total,
    tax,
    totalExclTax: total - tax,
    belowFloor: results.some((r) => r.belowFloor),
  };
}

/**
 * The value of shipping `quantity` of a line: the line amount in proportion to what has shipped
 * after it, rounded half up, less what earlier shipments took. Rounding the running total (not
 * each part) keeps every part ≥ 0 and makes the parts of a fully shipped line sum to its amount.
 */
export function shippedAmount(
  line: { quantity: string; amount: number; shippedQuantity: string; shippedAmount: number },
  quantity: string,
): number {
  const after = Decimal.min(line.quantity, new Decimal(line.shippedQuantity).plus(quantity));
  const cumulative = new Decimal(line.amount)
    .times(after)
    .dividedBy(line.quantity)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
  return Math.max(0, cumulative - line.shippedAmount);
}

/** How much of `wanted` a reservation can cover from `available` (never negative), and the rest. */
export function splitReservation(wanted: string, available: string): { reserve: string; short: string } {
  const reserve = Decimal.max(0, Decimal.min(wanted, available));
  return { reserve: reserve.toFixed(), short: new Decimal(wanted).minus(reserve).toFixed() };
}

/** Credit check: exposure (open receivables + open orders + this order) above the limit. Null limit = none. */
export function isOverCreditLimit(exposure: number, creditLimit: number | null): boolean {
  return creditLimit !== null && exposure > creditLimit;
}

/** The order state after a shipment: every line shipped → shipped, else partially_shipped. */
export function stateAfterShipping(lines: readonly { quantity: string; shippedQuantity: string }[]) {
  return lines.every((l) => new Decimal(l.shippedQuantity).greaterThanOrEqualTo(l.quantity))
    ? 'shipped'
    : 'partially_shipped';
}
