import { createHash } from 'node:crypto';
import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { paymentAllocate, paymentCreate, paymentListQuery } from '../../../../contracts/payments.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import { recordAudit, recordAudits } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidReference, notFound } from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import { formatYuan } from '../../../platform/money/amount-in-words.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { earnLoyaltyPoints, reverseLoyaltyPoints } from '../../customers/loyalty.service.js';
import { customers } from '../../customers/schema.js';
import { users } from '../../org/schema.js';
import { contractInstallments, contracts } from '../../sales/contracts.schema.js';
import { type InvoiceRow, onInvoiceIssued } from '../invoicing/invoices.service.js';
import { invoiceLines, invoices } from '../invoicing/schema.js';
import { applyToInstallment, applyToInvoice, syncInstallmentsPaid } from './invoice-port.js';
import { type ItemRow, openItemsOfCustomer } from './items.js';
import { type Allocation, allocateOldestFirst, checkManualAllocation } from './rules.js';
import { paymentAllocations, payments } from './schema.js';

defineNumbering('payment', 'PAY');

const RESOURCE = 'payments';
type PaymentRow = typeof payments.$inferSelect;
type CreateInput = z.infer<typeof paymentCreate>;
type AllocateInput = z.infer<typeof paymentAllocate>;

export const visiblePayments = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: payments.ownerId, orgUnitId: payments.orgUnitId });

/** The same request body hashes the same whatever the key order. */
function requestHash(input: CreateInput): string {
  const canonical = JSON.stringify(input, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

const lock = (tx: Db, key: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);

/** Turns the request's allocation choice into allocations of the free amount, checked. */
function planAllocations(
  free: number,
  items: ItemRow[],
  input: { allocation: 'auto' | 'manual'; allocations?: CreateInput['allocations'] | undefined },
): Allocation[] {
  if (input.allocation === 'auto' && !input.allocations?.length) {
    return allocateOldestFirst(free, items).allocations;
  }
  const wanted: Allocation[] = (input.allocations ?? []).map((a) => ({
    kind: a.invoiceId ? 'invoice' : 'installment',
    id: (a.invoiceId ?? a.installmentId)!,
    amount: a.amount,
  }));
  const problem = checkManualAllocation(free, wanted, items);
  if (!problem) return wanted;
  if (problem.code === 'allocation_exceeds_payment') {
    throw new AppError('allocation_exceeds_payment', {
      total: formatYuan(problem.total),
      amount: formatYuan(problem.amount),
    });
  }
  if (problem.code === 'allocation_unknown_item')
    throw new AppError('receivable_not_open', { id: problem.id });
  const item = items.find((i) => i.id === problem.id)!;
  if (item.kind === 'invoice') {
    throw new AppError('allocation_exceeds_open', {
      number: item.label,
      open: formatYuan(problem.open),
      requested: formatYuan(problem.wanted),
    });
  }
  throw new AppError('installment_exceeds_open', {
    label: item.label,
    open: formatYuan(problem.open),
    requested: formatYuan(problem.wanted),
  });
}

/**
 * Writes the allocation rows and moves the paid amounts; negative amounts undo (reversal). Then
 * the installments touched — directly, or billed by an invoice touched — get their paid amount
 * recomputed (syncInstallmentsPaid), in the same transaction.
 */
async function writeAllocations(
  tx: Db,
  ctx: Ctx,
  payment: Pick<PaymentRow, 'id' | 'customerId'>,
  allocations: (Allocation & { contractId: string | null; label: string })[],
  action = 'allocate',
) {
  if (!allocations.length) return;
  for (const a of allocations) {
    if (a.kind === 'invoice') await applyToInvoice(tx, a.id, a.amount, ctx);
    else await applyToInstallment(tx, a.id, a.amount, a.label);
  }
  const rows = await tx
    .insert(paymentAllocations)
    .values(
      allocations.map((a) => ({
        paymentId: payment.id,
        customerId: payment.customerId,
        invoiceId: a.kind === 'invoice' ? a.id : null,
        installmentId: a.kind === 'installment' ? a.id : null,
        contractId: a.contractId,
        amount: a.amount,
        createdBy: ctx.actor?.userId ?? null,
      })),
    )
    .returning();
  await recordAudits(
    tx,
    ctx,
    rows.map((r) => ({ action, entity: 'payment_allocation', entityId: r.id, after: r })),
  );
  const invoiceIds = [...new Set(allocations.filter((a) => a.kind === 'invoice').map((a) => a.id))];
  const billed = invoiceIds.length
    ? await tx
        .selectDistinct({ id: invoiceLines.sourceId })
        .from(invoiceLines)
        .where(and(inArray(invoiceLines.invoiceId, invoiceIds), eq(invoiceLines.sourceType, 'contract')))
    : [];
  await syncInstallmentsPaid(tx, [
    ...allocations.filter((a) => a.kind === 'installment').map((a) => a.id),
    ...billed.map((b) => b.id!),
  ]);
}

/**
 * An invoice that bills contract installments was issued (invoicing's onInvoiceIssued, same
 * transaction). A fapiao is issued for the installment's amount even when the customer prepaid,
 * so the money allocated directly to those installments moves onto the invoice, up to its open
 * amount: per payment with a net positive allocation on the installment, a pair of rows
 * (installment −x, invoice +x), oldest payment first, installments in line order. What does not
 * fit (an invoice for part of an installment paid beyond it) is released — the installment −y
 * alone — and becomes the customer's unapplied cash: an installment an issued invoice bills is
 * collected through that invoice, so no money may stay on it directly.
 */
export async function moveInstallmentMoneyToInvoice(tx: Db, ctx: Ctx, invoice: InvoiceRow) {
  const lines = await tx
    .select({ installmentId: invoiceLines.sourceId })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.invoiceId, invoice.id), eq(invoiceLines.sourceType, 'contract')))
    .orderBy(asc(invoiceLines.seq));
  const installmentIds = [...new Set(lines.map((l) => l.installmentId!))];
  if (!installmentIds.length) return;
  // Serialised with payments of the customer, so none lands on the installment meanwhile.
  await lock(tx, `payment-customer:${invoice.customerId}`);
  const held = await tx
    .select({
      paymentId: paymentAllocations.paymentId,
      installmentId: paymentAllocations.installmentId,
      contractId: paymentAllocations.contractId,
      amount: sql<string>`sum(${paymentAllocations.amount})`,
    })
    .from(paymentAllocations)
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where(inArray(paymentAllocations.installmentId, installmentIds))
    .groupBy(
      paymentAllocations.paymentId,
      paymentAllocations.installmentId,
      paymentAllocations.contractId,
      payments.receivedDate,
      payments.createdAt,
    )
    .having(sql`sum(${paymentAllocations.amount}) > 0`)
    .orderBy(asc(payments.receivedDate), asc(payments.createdAt), asc(paymentAllocations.paymentId));
  if (!held.length) return;
  let open = invoice.total - invoice.creditedAmount - invoice.paidAmount;
  const byPayment = new Map<string, (Allocation & { contractId: string | null; label: string })[]>();
  for (const installmentId of installmentIds) {
    for (const h of held.filter((x) => x.installmentId === installmentId)) {
      const net = Number(h.amount);
      const moved = Math.min(net, Math.max(open, 0));
      open -= moved;
      const rows = byPayment.get(h.paymentId) ?? [];
      rows.push({
        kind: 'installment',
        id: installmentId,
        amount: -net,
        contractId: h.contractId,
        label: invoice.number,
      });
      if (moved > 0) {
        rows.push({
          kind: 'invoice',
          id: invoice.id,
          amount: moved,
          contractId: invoice.contractId ?? h.contractId,
          label: invoice.number,
        });
      }
      byPayment.set(h.paymentId, rows);
    }
  }
  for (const [paymentId, rows] of byPayment) {
    await writeAllocations(
      tx,
      ctx,
      { id: paymentId, customerId: invoice.customerId },
      rows,
      'move_to_invoice',
    );
  }
}

onInvoiceIssued(moveInstallmentMoneyToInvoice);

async function allocateFree(tx: Db, ctx: Ctx, payment: PaymentRow, input: AllocateInput, free: number) {
  const today = dayIn(await companyTimeZone(tx));
  const items = await openItemsOfCustomer(tx, payment.customerId, today);
  const planned = planAllocations(free, items, input);
  const byKey = new Map(items.map((i) => [`${i.kind}:${i.id}`, i]));
  await writeAllocations(
    tx,
    ctx,
    payment,
    planned.map((a) => {
      const item = byKey.get(`${a.kind}:${a.id}`)!;
      return { ...a, contractId: item.contractId, label: item.label };
    }),
  );
}

export interface PostOptions {
  /** For bulk generators: the creation time and number date. */
  createdAt?: Date;
}

/**
 * Posts a payment once per Idempotency-Key: the same key and body answer the first payment
 * (`replayed`), the same key with another body is 409. Payments of one customer are serialised so
 * oldest-first allocation never races another payment for the same open amount.
 */
export async function postPayment(
  db: Db,
  ctx: Ctx,
  input: CreateInput,
  idempotencyKey: string | undefined,
  options: PostOptions = {},
): Promise<{ id: string; replayed: boolean }> {
  if (!idempotencyKey) throw new AppError('idempotency_key_required');
  if (input.currency !== 'CNY') throw new AppError('currency_mismatch', { currency: input.currency });
  const hash = requestHash(input);
  return withTx(db, async (tx) => {
    await lock(tx, `payment-key:${idempotencyKey}`);
    const [existing] = await tx.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
    if (existing) {
      if (existing.requestHash !== hash)
        throw new AppError('idempotency_conflict', { number: existing.number });
      return { id: existing.id, replayed: true };
    }
    const [customer] = await tx
      .select({
        id: customers.id,
        ownerId: customers.ownerId,
        orgUnitId: customers.orgUnitId,
        name: customers.name,
      })
      .from(customers)
      .where(
        whereAll(
          eq(customers.id, input.customerId),
          scopeFilter(ctx.actor, RESOURCE, { ownerId: customers.ownerId, orgUnitId: customers.orgUnitId }),
        ),
      );
    if (!customer) throw invalidReference('customerId');
    await lock(tx, `payment-customer:${customer.id}`);
    const number = await nextNumber(tx, 'payment', options.createdAt);
    const [payment] = await tx
      .insert(payments)
      .values({
        number,
        kind: 'receipt',
        customerId: customer.id,
        amount: input.amount,
        currency: 'CNY',
        method: input.method,
        billNumber: input.method === 'acceptance_bill' ? (input.billNumber ?? null) : null,
        billMaturityDate: input.method === 'acceptance_bill' ? (input.billMaturityDate ?? null) : null,
        receivedDate: input.receivedDate,
        payerName: input.payerName || null,
        payerAccount: input.payerAccount || null,
        reference: input.reference || null,
        note: input.note || null,
        idempotencyKey,
        requestHash: hash,
        ownerId: customer.ownerId,
        orgUnitId: customer.orgUnitId,
        createdBy: ctx.actor?.userId ?? null,
        ...(options.createdAt ? { createdAt: options.createdAt, updatedAt: options.createdAt } : {}),
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'post', entity: 'payment', entityId: payment!.id, after: payment });
    await allocateFree(tx, ctx, payment!, input, input.amount);
    // Loyalty rules (customers module): points on money received, reversed with the payment.
    await earnLoyaltyPoints(tx, ctx, {
      customerId: customer.id,
      amountFen: input.amount,
      sourceType: 'payment',
      sourceId: payment!.id,
      reason: `回款 ${number}`,
    });
    return { id: payment!.id, replayed: false };
  });
}

async function lockVisible(tx: Db, ctx: Ctx, id: string): Promise<PaymentRow> {
  const [row] = await tx
    .select()
    .from(payments)
    .where(whereAll(eq(payments.id, id), visiblePayments(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

async function assertLive(tx: Db, p: PaymentRow) {
  if (p.kind === 'reversal') throw new AppError('payment_is_reversal', { number: p.number });
  const [rev] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.reversesId, p.id));
  if (rev) throw new AppError('payment_already_reversed', { number: p.number });
}

async function allocatedOf(tx: Db, paymentId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<string>`coalesce(sum(${paymentAllocations.amount}), 0)` })
    .from(paymentAllocations)
    .where(eq(paymentAllocations.paymentId, paymentId));
  return Number(row?.n ?? 0);
}

/** Applies what a payment has not yet applied (its unapplied part), oldest first or by hand. */
export async function allocatePayment(db: Db, ctx: Ctx, id: string, input: AllocateInput) {
  return withTx(db, async (tx) => {
    const p = await lockVisible(tx, ctx, id);
    await assertLive(tx, p);
    await lock(tx, `payment-customer:${p.customerId}`);
    const free = p.amount - (await allocatedOf(tx, p.id));
    if (free <= 0) {
      throw new AppError('allocation_exceeds_payment', { total: formatYuan(0), amount: formatYuan(0) });
    }
    await allocateFree(tx, ctx, p, input, free);
  });
}

/**
 * Reverses a payment: a new payment row with the negated amount and negated allocations, so the
 * invoices and installments it paid are open again; its loyalty points are reversed too.
 */
export async function reversePayment(
  db: Db,
  ctx: Ctx,
  id: string,
  reason: string,
  options: PostOptions = {},
) {
  return withTx(db, async (tx) => {
    const p = await lockVisible(tx, ctx, id);
    await assertLive(tx, p);
    await lock(tx, `payment-customer:${p.customerId}`);
    const number = await nextNumber(tx, 'payment', options.createdAt);
    const today = dayIn(await companyTimeZone(tx));
    const [reversal] = await tx
      .insert(payments)
      .values({
        number,
        kind: 'reversal',
        customerId: p.customerId,
        amount: -p.amount,
        currency: p.currency,
        method: p.method,
        billNumber: p.billNumber,
        billMaturityDate: p.billMaturityDate,
        receivedDate: today,
        payerName: p.payerName,
        payerAccount: p.payerAccount,
        reference: p.number,
        note: reason,
        reversesId: p.id,
        ownerId: p.ownerId,
        orgUnitId: p.orgUnitId,
        createdBy: ctx.actor?.userId ?? null,
        ...(options.createdAt ? { createdAt: options.createdAt, updatedAt: options.createdAt } : {}),
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'reverse', entity: 'payment', entityId: p.id, after: reversal });
    // Net per target, so allocations made in several steps are undone in one row each.
    const net = await tx
      .select({
        invoiceId: paymentAllocations.invoiceId,
        installmentId: paymentAllocations.installmentId,
        contractId: paymentAllocations.contractId,
        amount: sql<string>`sum(${paymentAllocations.amount})`,
      })
      .from(paymentAllocations)
      .where(eq(paymentAllocations.paymentId, p.id))
      .groupBy(paymentAllocations.invoiceId, paymentAllocations.installmentId, paymentAllocations.contractId);
    await writeAllocations(
      tx,
      ctx,
      reversal!,
      net
        .filter((a) => Number(a.amount) !== 0)
        .map((a) => ({
          kind: a.invoiceId ? ('invoice' as const) : ('installment' as const),
          id: (a.invoiceId ?? a.installmentId)!,
          amount: -Number(a.amount),
          contractId: a.contractId,
          label: p.number,
        })),
    );
    await reverseLoyaltyPoints(tx, ctx, {
      sourceType: 'payment',
      sourceId: p.id,
      reason: `冲销回款 ${p.number}`,
    });
    return reversal!.id;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

function selectPayments(db: Db) {
  return db
    .select({
      payment: payments,
      customerName: customers.name,
      createdByName: users.name,
      allocated: sql<string>`coalesce((select sum(a.amount) from payment_allocations a where a.payment_id = ${payments.id}), 0)`,
      reversedById: sql<string | null>`(select r.id from payments r where r.reverses_id = ${payments.id})`,
    })
    .from(payments)
    .innerJoin(customers, eq(customers.id, payments.customerId))
    .leftJoin(users, eq(users.id, payments.createdBy));
}
type Row = Awaited<ReturnType<ReturnType<typeof selectPayments>['where']>>[number];

function present(r: Row) {
  const p = r.payment;
  const allocated = Number(r.allocated);
  return {
    id: p.id,
    number: p.number,
    kind: p.kind,
    customerId: p.customerId,
    customerName: r.customerName,
    amount: p.amount,
    currency: p.currency,
    method: p.method,
    billNumber: p.billNumber,
    billMaturityDate: p.billMaturityDate,
    receivedDate: p.receivedDate,
    payerName: p.payerName,
    payerAccount: p.payerAccount,
    reference: p.reference,
    note: p.note,
    reversesId: p.reversesId,
    reversedById: r.reversedById ?? null,
    allocated,
    // A reversed receipt and its reversal each keep their figures; together they net to zero.
    unapplied: p.amount - allocated,
    ownerId: p.ownerId,
    createdAt: p.createdAt.toISOString(),
    createdByName: r.createdByName ?? null,
  };
}

export async function getPayment(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectPayments(db).where(whereAll(eq(payments.id, id), visiblePayments(ctx)));
  if (!row) throw notFound();
  const allocs = await db
    .select({
      a: paymentAllocations,
      invoiceNumber: invoices.number,
      contractNumber: contracts.number,
      seq: contractInstallments.seq,
    })
    .from(paymentAllocations)
    .leftJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .leftJoin(contractInstallments, eq(contractInstallments.id, paymentAllocations.installmentId))
    .leftJoin(contracts, eq(contracts.id, contractInstallments.contractId))
    .where(eq(paymentAllocations.paymentId, id))
    .orderBy(paymentAllocations.createdAt, paymentAllocations.id);
  return {
    ...present(row),
    allocations: allocs.map(({ a, invoiceNumber, contractNumber, seq }) => ({
      id: a.id,
      invoiceId: a.invoiceId,
      invoiceNumber: invoiceNumber ?? null,
      installmentId: a.installmentId,
      installmentLabel: a.installmentId ? `${contractNumber} #${seq}` : null,
      contractId: a.contractId,
      amount: a.amount,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}

export async function listPayments(db: Db, ctx: Ctx, query: z.infer<typeof paymentListQuery>) {
  const page = keyset(
    query,
    { createdAt: payments.createdAt, receivedDate: payments.receivedDate, amount: payments.amount },
    payments.id,
    '-createdAt',
  );
  const q = query.q?.trim();
  const filter = whereAll(
    visiblePayments(ctx),
    query.customerId ? eq(payments.customerId, query.customerId) : undefined,
    query.method ? eq(payments.method, query.method) : undefined,
    query.from ? sql`${payments.receivedDate} >= ${query.from}` : undefined,
    query.to ? sql`${payments.receivedDate} <= ${query.to}` : undefined,
    q
      ? sql`(${payments.number} = ${q.toUpperCase()} or ${customers.name} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`} or ${payments.reference} = ${q})`
      : undefined,
  );
  const rows = await selectPayments(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(payments)
    .innerJoin(customers, eq(customers.id, payments.customerId))
    .where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [
    key === 'receivedDate'
      ? r.payment.receivedDate
      : key === 'amount'
        ? r.payment.amount
        : r.payment.createdAt,
    r.payment.id,
  ]);
  return { ...result, items: result.items.map(present) };
}

/** Σ allocations per contract (its installments and the invoices that name it): the ledger's "collected". */
export async function collectedByContract(db: Db, contractIds: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ contractId: paymentAllocations.contractId, n: sql<string>`sum(${paymentAllocations.amount})` })
    .from(paymentAllocations)
    .where(inArray(paymentAllocations.contractId, contractIds))
    .groupBy(paymentAllocations.contractId);
  return new Map(rows.map((r) => [r.contractId!, Number(r.n)]));
}
