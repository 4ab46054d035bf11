import { Decimal } from 'decimal.js';
import { addDays } from '../../../platform/calendar.js';
import type { InvoiceState, InvoiceType } from './schema.js';

// The invoice's pure rules: line arithmetic, totals by tax rate, the state machine, what a
// 专票 needs, what a credit note may take back, the due date. No database here.

/** Whole fen, half away from zero (金额四舍五入到分). */
const toFen = (d: Decimal) => d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

/** Tax-inclusive line amount: quantity × unit price, rounded to the fen. */
export function lineAmount(quantity: string, unitPrice: number): number {
  return toFen(new Decimal(quantity).times(unitPrice));
}

/** The VAT inside a tax-inclusive amount: amount × rate / (1 + rate), rounded to the fen. */
export function taxOf(amount: number, rate: string): number {
  const r = new Decimal(rate);
  if (r.isZero()) return 0;
  return toFen(new Decimal(amount).times(r).dividedBy(r.plus(1)));
}

/** "0.1300" → "0.13", "0" → "0": the canonical fraction as the contracts write it. */
export function canonicalRate(rate: string): string {
  return new Decimal(rate).toString();
}

export interface LineIn {
  quantity: string;
  unitPrice: number;
  /** Given when the amount is not quantity × price (e.g. an installment billed as one unit). */
  amount?: number | undefined;
  taxRate: string;
}

export interface LineOut {
  amount: number;
  taxAmount: number;
  taxRate: string;
}

export interface RateTotal {
  taxRate: string;
  amount: number;
  taxAmount: number;
  amountExclTax: number;
}

export function computeLine(line: LineIn): LineOut {
  const amount = line.amount ?? lineAmount(line.quantity, line.unitPrice);
  const taxRate = canonicalRate(line.taxRate);
  return { amount, taxAmount: taxOf(amount, taxRate), taxRate };
}

/** Totals per tax rate, highest rate first: the fapiao prints one tax figure per rate. */
export function totalsByRate(lines: readonly LineOut[]): RateTotal[] {
  const groups = new Map<string, RateTotal>();
  for (const l of lines) {
    const rate = canonicalRate(l.taxRate);
    const g = groups.get(rate) ?? { taxRate: rate, amount: 0, taxAmount: 0, amountExclTax: 0 };
    g.amount += l.amount;
    g.taxAmount += l.taxAmount;
    g.amountExclTax = g.amount - g.taxAmount;
    groups.set(rate, g);
  }
  return [...groups.values()].sort((a, b) => new Decimal(b.taxRate).comparedTo(a.taxRate));
}

/** The invoice's figures: each line, 价税合计 (total) and the tax in it. */
export function computeInvoice(lines: readonly LineIn[]) {
  const out = lines.map(computeLine);
  const total = out.reduce((s, l) => s + l.amount, 0);
  const taxTotal = out.reduce((s, l) => s + l.taxAmount, 0);
  return { lines: out, total, taxTotal, byRate: totalsByRate(out) };
}

// ---------------------------------------------------------------------------------------------
// States: draft → issued → partially_paid → paid; draft | issued (nothing paid) → void.

export type InvoiceAction = 'update' | 'issue' | 'void' | 'credit';

export interface InvoiceFigures {
  state: InvoiceState;
  total: number;
  creditedAmount: number;
  paidAmount: number;
}

/** What is still to collect: total − credited − paid (never negative by the table's check). */
export const openAmount = (i: Pick<InvoiceFigures, 'total' | 'creditedAmount' | 'paidAmount'>) =>
  i.total - i.creditedAmount - i.paidAmount;

export function invoiceActions(i: InvoiceFigures): InvoiceAction[] {
  switch (i.state) {
    case 'draft':
      return ['update', 'issue', 'void'];
    case 'issued':
      return openAmount(i) > 0 ? ['void', 'credit'] : ['void'];
    case 'partially_paid':
      return openAmount(i) > 0 ? ['credit'] : [];
    default:
      return [];
  }
}

export function canDo(i: InvoiceFigures, action: InvoiceAction): boolean {
  if (action === 'void' && i.paidAmount > 0) return false;
  return invoiceActions(i).includes(action);
}

/**
 * The state that follows a change of the paid amount on an issued invoice: nothing paid →
 * issued; fully paid (nothing open, something paid) → paid; otherwise partially paid.
 */
export function stateAfterPayment(
  i: Pick<InvoiceFigures, 'total' | 'creditedAmount' | 'paidAmount'>,
): InvoiceState {
  if (i.paidAmount <= 0) return 'issued';
  return openAmount(i) <= 0 ? 'paid' : 'partially_paid';
}

// ---------------------------------------------------------------------------------------------
// 专票 (special VAT invoice): the buyer's tax id, address and phone, bank and account are required.

export interface BuyerFields {
  buyerTitle: string | null;
  buyerTaxId: string | null;
  buyerAddressPhone: string | null;
  buyerBankAccount: string | null;
}

export type BuyerField = keyof BuyerFields;

export function missingBuyerFields(type: InvoiceType, b: BuyerFields): BuyerField[] {
  const required: BuyerField[] =
    type === 'special'
      ? ['buyerTitle', 'buyerTaxId', 'buyerAddressPhone', 'buyerBankAccount']
      : ['buyerTitle'];
  return required.filter((k) => !b[k]?.trim());
}

// ---------------------------------------------------------------------------------------------
// Credit notes: each line takes back at most what is left on the invoice line.

export interface CreditableLine {
  quantity: string;
  amount: number;
  unitPrice: number;
  taxRate: string;
  creditedQuantity: string;
  creditedAmount: number;
}

export type CreditCheck =
  | { ok: true; amount: number; taxAmount: number }
  | { ok: false; remainingAmount: number; remainingQuantity: string; requested: number };

export function creditLine(line: CreditableLine, quantity: string, amount?: number): CreditCheck {
  const remainingQuantity = new Decimal(line.quantity).minus(line.creditedQuantity);
  const remainingAmount = line.amount - line.creditedAmount;
  const q = new Decimal(quantity);
  // The whole rest of the line takes the rest of its amount, so rounding never leaves a fen.
  const requested =
    amount ?? (q.equals(remainingQuantity) ? remainingAmount : lineAmount(quantity, line.unitPrice));
  if (q.greaterThan(remainingQuantity) || requested > remainingAmount || requested <= 0) {
    return { ok: false, remainingAmount, remainingQuantity: remainingQuantity.toString(), requested };
  }
  return { ok: true, amount: requested, taxAmount: taxOf(requested, line.taxRate) };
}

// ---------------------------------------------------------------------------------------------

/** Default payment terms when the customer has none: 30 days from the issue date. */
export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

export function dueDateFor(issueDate: string, days: number): string {
  return addDays(issueDate, days);
}

/** Issued, money still open, and the due date has passed. */
export function isOverdue(i: InvoiceFigures & { dueDate: string | null }, today: string): boolean {
  return (
    (i.state === 'issued' || i.state === 'partially_paid') &&
    openAmount(i) > 0 &&
    i.dueDate !== null &&
    i.dueDate < today
  );
}
