import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { AppError } from '../../../platform/errors.js';
import { formatYuan } from '../../../platform/money/amount-in-words.js';
import { contractInstallments } from '../../sales/contracts.schema.js';

// Where a payment allocation moves the paid amount of what it pays. Invoices: the invoicing
// part's applyToInvoice (open = total − credited − paid never below 0, state follows).
// Installments: contract_installments.paid_amount is the column the sales module left for
// order-to-cash to fill (see contracts.schema.ts): applyToInstallment guards a direct allocation
// (0 ≤ paid ≤ amount), and syncInstallmentsPaid then recomputes the column from the allocations.

export { applyToInvoice } from '../invoicing/invoices.service.js';

export async function applyToInstallment(tx: Db, installmentId: string, deltaFen: number, label: string) {
  const paid = sql`${contractInstallments.paidAmount} + ${deltaFen}::bigint`;
  const [row] = await tx
    .update(contractInstallments)
    .set({ paidAmount: paid, updatedAt: sql`now()`, version: sql`${contractInstallments.version} + 1` })
    .where(
      and(
        eq(contractInstallments.id, installmentId),
        sql`${paid} >= 0 and ${paid} <= ${contractInstallments.amount}`,
      ),
    )
    .returning({ id: contractInstallments.id });
  if (row) return;
  const [i] = await tx
    .select({ amount: contractInstallments.amount, paid: contractInstallments.paidAmount })
    .from(contractInstallments)
    .where(eq(contractInstallments.id, installmentId));
  throw new AppError('installment_exceeds_open', {
    label,
    open: formatYuan(i ? i.amount - i.paid : 0),
    requested: formatYuan(deltaFen),
  });
}

/**
 * contract_installments.paid_amount = money received for the installment: Σ allocations made to
 * it directly + its share of what was paid on the live invoices that bill it. An invoice's paid
 * amount covers its lines in line order (line 1 first, each up to its amount), so with the one line
 * of an installment invoice the share is the invoice's paid amount. Recomputed from the
 * allocations in the caller's transaction after every allocation change (payments, reversals,
 * the move onto an invoice at issue): self-healing, never a running total. `ids` 'all' recomputes
 * every installment (bulk generators).
 */
export async function syncInstallmentsPaid(tx: Db, ids: string[] | 'all'): Promise<void> {
  if (ids !== 'all' && !ids.length) return;
  const targetIds: SQL =
    ids === 'all'
      ? sql`select id from contract_installments`
      : sql`select id from contract_installments where id in (${sql.join(
          [...new Set(ids)].map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`;
  await tx.execute(sql`
    with target as (${targetIds}),
    lines as (
      select l.source_type, l.source_id, v.paid_amount as paid, l.amount,
             coalesce(sum(l.amount) over (partition by l.invoice_id order by l.seq
                      rows between unbounded preceding and 1 preceding), 0) as before
        from invoice_lines l join invoices v on v.id = l.invoice_id
       where v.state in ('issued', 'partially_paid', 'paid') and v.paid_amount > 0
         and l.invoice_id in (select b.invoice_id from invoice_lines b
                               where b.source_type = 'contract' and b.source_id in (select id from target))),
    shares as (
      select source_id as id, sum(least(amount, greatest(0, paid - before))) as n
        from lines where source_type = 'contract' group by source_id),
    direct as (
      select installment_id as id, sum(amount) as n from payment_allocations
       where installment_id in (select id from target) group by installment_id),
    computed as (
      select t.id, (coalesce(d.n, 0) + coalesce(s.n, 0))::bigint as paid
        from target t left join direct d on d.id = t.id left join shares s on s.id = t.id)
    update contract_installments ci
       set paid_amount = computed.paid, updated_at = now(), version = ci.version + 1
      from computed
     where ci.id = computed.id and ci.paid_amount <> computed.paid`);
}
