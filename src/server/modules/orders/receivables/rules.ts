import { daysBetween } from '../../../platform/calendar.js';
import type { AgingBucket } from './schema.js';

/** An open receivable item: an issued invoice, or a contract installment no invoice bills. */
export interface OpenItem {
  kind: 'invoice' | 'installment';
  id: string;
  /** YYYY-MM-DD; items without a due date sort last. */
  dueDate: string | null;
  /** Fen still to collect (> 0). */
  open: number;
}

export interface Allocation {
  kind: 'invoice' | 'installment';
  id: string;
  amount: number;
}

/**
 * Oldest first: the amount pays the items by due date (then invoices before installments, then
 * id, so the split is deterministic), each up to its open amount. What is left stays unapplied.
 */
export function allocateOldestFirst(amount: number, items: readonly OpenItem[]) {
  const ordered = [...items].sort(
    (a, b) =>
      (a.dueDate ?? '9999-12-31').localeCompare(b.dueDate ?? '9999-12-31') ||
      a.kind.localeCompare(b.kind) ||
      a.id.localeCompare(b.id),
  );
  let left = amount;
  const allocations: Allocation[] = [];
  for (const item of ordered) {
    if (left <= 0) break;
    const take = Math.min(left, item.open);
    if (take <= 0) continue;
    allocations.push({ kind: item.kind, id: item.id, amount: take });
    left -= take;
  }
  return { allocations, unapplied: left };
}

export type AllocationProblem =
  | { code: 'allocation_exceeds_payment'; total: number; amount: number }
  | { code: 'allocation_exceeds_open'; id: string; open: number; wanted: number }
  | { code: 'allocation_unknown_item'; id: string };

/**
 * Checks a hand-made allocation against the payment's free amount and the items' open amounts.
 * The same item twice counts as one line with the sum.
 */
export function checkManualAllocation(
  free: number,
  wanted: readonly Allocation[],
  items: readonly OpenItem[],
): AllocationProblem | null {
  const byId = new Map(items.map((i) => [`${i.kind}:${i.id}`, i]));
  const sums = new Map<string, Allocation>();
  for (const a of wanted) {
    const key = `${a.kind}:${a.id}`;
    const prev = sums.get(key);
    sums.set(key, { ...a, amount: (prev?.amount ?? 0) + a.amount });
  }
  const total = [...sums.values()].reduce((s, a) => s + a.amount, 0);
  if (total > free) return { code: 'allocation_exceeds_payment', total, amount: free };
  for (const [key, a] of sums) {
    const item = byId.get(key);
    if (!item) return { code: 'allocation_unknown_item', id: a.id };
    if (a.amount > item.open)
      return { code: 'allocation_exceeds_open', id: a.id, open: item.open, wanted: a.amount };
  }
  return null;
}

/** Whole days from the due date to today (both YYYY-MM-DD); ≤ 0 means not yet overdue. */
export function daysOverdue(dueDate: string, today: string): number {
  return daysBetween(dueDate, today);
}

/** Aging bucket by days overdue: not due (due today or later), 1–30, 31–60, 61–90, over 90. */
export function agingBucket(days: number): AgingBucket {
  if (days <= 0) return 'not_due';
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'over_90';
}

export type InstallmentStatus = 'unpaid' | 'partially_paid' | 'paid' | 'overdue';

/** paid when fully collected; overdue when past due and not paid; else by what was collected. */
export function installmentStatus(
  i: { amount: number; paidAmount: number; dueDate: string },
  today: string,
): InstallmentStatus {
  if (i.paidAmount >= i.amount) return 'paid';
  if (i.dueDate < today) return 'overdue';
  return i.paidAmount > 0 ? 'partially_paid' : 'unpaid';
}
