import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { AppError } from '../../../platform/errors.js';
import { formatYuan } from '../../../platform/money/amount-in-words.js';
import { contractInstallments } from '../../sales/contracts.schema.js';

// Where a payment allocation moves the paid amount of what it pays. Invoices: the invoicing
// part's applyToInvoice (open = total − credited − paid never below 0, state follows).
// Installments: contract_installments.paid_amount is the column the sales module left for
// order-to-cash to fill (see contracts.schema.ts); the same guard applies here.

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
