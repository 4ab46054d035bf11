import { Decimal } from 'decimal.js';

// Pure rules of quotes: the money (exact fen, decimal.js, never floats), the discount approval
// levels of the default policy, and the state machine. No server imports: the web editor uses
// the same functions for its live totals.

export type QuoteStateName =
  | 'draft'
  | 'pending_approval'
  | 'approved'
  | 'sent'
  | 'accepted'
  | 'rejected'
  | 'superseded';

export interface QuoteLineInput {
  /** Decimal string, > 0. */
  quantity: string;
  /** The customer's unit price from resolution (fen, tax-inclusive). */
  listPrice: number;
  /** Line discount in percent (0–100, two decimals); ignored when `unitPrice` is given. */
  discountPercent?: string | undefined;
  /** The user's own unit price (fen); the discount percent is derived from it. */
  unitPrice?: number | undefined;
  /** VAT rate as a fraction ('0.13'). */
  taxRate: string;
  /** The lowest unit price allowed without approval (fen), if the price list sets one. */
  floor?: number | null | undefined;
}

export interface QuoteLineResult {
  discountPercent: string;
  unitPrice: number;
  /** round_half_up(qty × unit price × (1 − line discount)) */
  amount: number;
  allocatedDiscount: number;
  netAmount: number;
  tax: number;
  belowFloor: boolean;
}

export interface QuoteTotals {
  lines: QuoteLineResult[];
  listTotal: number;
  subtotal: number;
  discountAmount: number;
  total: number;
  tax: number;
  totalExclTax: number;
  /** 1 − total / listTotal in percent, two decimals, half up ("20.00"). */
  effectiveDiscount: string;
  belowFloor: boolean;
}

const HUNDRED = new Decimal(100);
const roundFen = (d: Decimal) => d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
const percentString = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

/**
 * Splits `amount` fen over weights in proportion (each share rounded down), the remainder on the
 * largest weight (the first of equal ones), so the shares sum exactly to the amount.
 */
export function allocateProportionally(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (!weights.length) return [];
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const shares = weights.map((w) =>
    new Decimal(amount).times(w).dividedBy(sum).toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber(),
  );
  let largest = 0;
  weights.forEach((w, i) => {
    if (w > weights[largest]!) largest = i;
  });
  shares[largest]! += amount - shares.reduce((s, x) => s + x, 0);
  return shares;
}

/** Tax contained in a tax-inclusive amount (含税): amount − round(amount / (1 + rate)). */
export function taxIncluded(amount: number, taxRate: string): number {
  return amount - roundFen(new Decimal(amount).dividedBy(new Decimal(1).plus(taxRate)));
}

/**
 * The quote's money: line amounts from quantity × unit price less the line discount; the
 * whole-quote discount taken off the subtotal and allocated over the lines in proportion (the
 * remainder fen on the largest line) so the net lines sum exactly to the total; tax per line
 * from the tax-inclusive net amount.
 */
export function computeQuote(lines: readonly QuoteLineInput[], wholeDiscountPercent = '0'): QuoteTotals {
  const priced = lines.map((l) => {
    const qty = new Decimal(l.quantity);
    if (l.unitPrice !== undefined) {
      const discount =
        l.listPrice > 0
          ? HUNDRED.times(new Decimal(1).minus(new Decimal(l.unitPrice).dividedBy(l.listPrice)))
          : new Decimal(0);
      return {
        discountPercent: percentString(Decimal.max(discount, 0)),
        unitPrice: l.unitPrice,
        amount: roundFen(qty.times(l.unitPrice)),
      };
    }
    const factor = new Decimal(1).minus(new Decimal(l.discountPercent ?? '0').dividedBy(HUNDRED));
    return {
      discountPercent: percentString(new Decimal(l.discountPercent ?? '0')),
      unitPrice: roundFen(new Decimal(l.listPrice).times(factor)),
      amount: roundFen(qty.times(l.listPrice).times(factor)),
    };
  });
  const listTotal = lines.reduce((s, l) => s + roundFen(new Decimal(l.quantity).times(l.listPrice)), 0);
  const subtotal = priced.reduce((s, p) => s + p.amount, 0);
  const discountAmount = roundFen(new Decimal(subtotal).times(wholeDiscountPercent).dividedBy(HUNDRED));
  const allocation = allocateProportionally(
    discountAmount,
    priced.map((p) => p.amount),
  );
  const results: QuoteLineResult[] = priced.map((p, i) => {
    const line = lines[i]!;
    const netAmount = p.amount - allocation[i]!;
    // Below floor when the net unit price (after both discounts) is under the floor: compared
    // exactly as net < qty × floor, no rounding of the unit price.
    const belowFloor =
      line.floor !== null &&
      line.floor !== undefined &&
      new Decimal(netAmount).lessThan(new Decimal(line.quantity).times(line.floor));
    return {
      ...p,
      allocatedDiscount: allocation[i]!,
      netAmount,
      tax: taxIncluded(netAmount, line.taxRate),
      belowFloor,
    };
  });
  const total = subtotal - discountAmount;
  const tax = results.reduce((s, r) => s + r.tax, 0);
  return {
    lines: results,
    listTotal,
    subtotal,
    discountAmount,
    total,
    tax,
    totalExclTax: total - tax,
    effectiveDiscount: effectiveDiscount(total, listTotal),
    belowFloor: results.some((r) => r.belowFloor),
  };
}

/** 1 − total / listTotal in percent with two decimals; 0 without a list total. */
export function effectiveDiscount(total: number, listTotal: number): string {
  if (listTotal <= 0) return '0.00';
  return percentString(HUNDRED.times(new Decimal(1).minus(new Decimal(total).dividedBy(listTotal))));
}

/** seed/issue 6: ≤ 5% no approval, ≤ 15% the direct manager, above 15% (or below floor) the director too. */
export const MANAGER_DISCOUNT_ABOVE = 5;
export const DIRECTOR_DISCOUNT_ABOVE = 15;

/** Who the default policy asks, for the editor's hint (the saved policy may differ). */
export function defaultApprovalLevel(
  discountPercent: string,
  belowFloor: boolean,
): 'none' | 'manager' | 'director' {
  const d = new Decimal(discountPercent);
  if (belowFloor || d.greaterThan(DIRECTOR_DISCOUNT_ABOVE)) return 'director';
  if (d.greaterThan(MANAGER_DISCOUNT_ABOVE)) return 'manager';
  return 'none';
}

export type QuoteAction =
  | 'edit'
  | 'submit'
  | 'withdraw'
  | 'revise'
  | 'send'
  | 'accept'
  | 'reject'
  | 'contract';

/**
 * The state machine. A draft is edited, submitted (→ pending_approval, or approved at once when
 * no rule applies) or sent (approved on the way when no approval is needed). pending_approval
 * goes back to draft when withdrawn, rejected or returned. Approved and sent quotes are sent
 * (again), accepted or rejected by the customer; revising copies the latest into a new draft
 * and supersedes it. An accepted quote converts to a contract once.
 */
const MOVES: Record<QuoteStateName, Partial<Record<QuoteAction, QuoteStateName>>> = {
  draft: { edit: 'draft', submit: 'pending_approval', send: 'sent' },
  pending_approval: { withdraw: 'draft' },
  approved: { send: 'sent', accept: 'accepted', reject: 'rejected', revise: 'superseded' },
  sent: { send: 'sent', accept: 'accepted', reject: 'rejected', revise: 'superseded' },
  accepted: { contract: 'accepted' },
  rejected: { revise: 'superseded' },
  superseded: {},
};

export function nextQuoteState(state: QuoteStateName, action: QuoteAction): QuoteStateName | undefined {
  return MOVES[state][action];
}

/**
 * What the latest revision allows now. An expired quote (valid until before today) can only be
 * revised; an accepted one converts only while it has no contract.
 */
export function quoteActions(state: QuoteStateName, expired: boolean, converted: boolean): QuoteAction[] {
  const actions = Object.keys(MOVES[state]) as QuoteAction[];
  if (state === 'accepted') return converted ? [] : actions;
  if (expired && (state === 'approved' || state === 'sent')) return ['revise'];
  return actions;
}

/** Valid until before today: the customer can no longer accept it. */
export const isExpired = (state: QuoteStateName, validUntil: string, today: string) =>
  (state === 'approved' || state === 'sent') && validUntil < today;
