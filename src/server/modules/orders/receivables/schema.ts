import { sql } from 'drizzle-orm';
import { bigint, check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { customers } from '../../customers/schema.js';
import { contractInstallments } from '../../sales/contracts.schema.js';
import { invoices } from '../invoicing/schema.js';

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'acceptance_bill', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_KINDS = ['receipt', 'reversal'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/**
 * Payments received (回款, PAY-2026-000001). Money records: never edited or deleted; a mistake is
 * undone by a reversal, a second row with the negated amount that `reverses_id` points back from.
 * Owned like the customer (its owner and unit when posted), so the payments scope works as usual.
 */
export const payments = pgTable(
  'payments',
  {
    id: idColumn(),
    number: text('number').notNull(),
    kind: text('kind').$type<PaymentKind>().notNull().default('receipt'),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    /** Fen; > 0 for a receipt, the receipt's amount negated for its reversal. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('CNY'),
    method: text('method').$type<PaymentMethod>().notNull(),
    /** 承兑汇票: the bill number and its maturity date. */
    billNumber: text('bill_number'),
    billMaturityDate: date('bill_maturity_date'),
    receivedDate: date('received_date').notNull(),
    payerName: text('payer_name'),
    payerAccount: text('payer_account'),
    reference: text('reference'),
    note: text('note'),
    /** The receipt this row reverses (reversals only; at most one reversal per receipt). */
    reversesId: uuid('reverses_id'),
    /** Idempotency-Key of the request that posted it and a hash of that request's body. */
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    ownerId: uuid('owner_id'),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('payments_number_idx').on(t.number),
    uniqueIndex('payments_idempotency_idx').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    uniqueIndex('payments_reverses_idx').on(t.reversesId).where(sql`${t.reversesId} is not null`),
    index('payments_customer_idx').on(t.customerId, t.receivedDate),
    // Σ payments per customer (unapplied cash in the aging report) from the index alone.
    index('payments_customer_amount_idx').on(t.customerId, t.amount),
    index('payments_owner_idx').on(t.ownerId, t.createdAt),
    index('payments_org_unit_idx').on(t.orgUnitId, t.createdAt),
    index('payments_created_idx').on(t.createdAt, t.id),
    // The sales facts refresh: payments changed since its watermark, and those received on its days.
    index('payments_updated_idx').on(t.updatedAt),
    index('payments_received_idx').on(t.receivedDate),
    check('payments_kind_check', sql`${t.kind} in ('receipt', 'reversal')`),
    check(
      'payments_method_check',
      sql`${t.method} in ('bank_transfer', 'cash', 'acceptance_bill', 'online')`,
    ),
    check('payments_currency_check', sql`${t.currency} = 'CNY'`),
    check(
      'payments_amount_check',
      sql`(${t.kind} = 'receipt' and ${t.amount} > 0 and ${t.reversesId} is null) or (${t.kind} = 'reversal' and ${t.amount} < 0 and ${t.reversesId} is not null)`,
    ),
    check(
      'payments_bill_check',
      sql`${t.method} <> 'acceptance_bill' or (${t.billNumber} is not null and ${t.billMaturityDate} is not null)`,
    ),
  ],
);

/**
 * What a payment paid: an invoice or a contract installment (one of the two). Append-only; a
 * reversal adds the negated rows; issuing an invoice that bills an installment moves the money on
 * the installment onto it with a pair of rows (installment −x, invoice +x). Σ per invoice =
 * invoices.paid_amount; contract_installments.paid_amount = Σ per installment + its share of the
 * paid amounts of the invoices billing it (receivables/invoice-port.ts syncInstallmentsPaid).
 * What a payment has not allocated is the customer's unapplied cash.
 */
export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    id: idColumn(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    installmentId: uuid('installment_id').references(() => contractInstallments.id),
    /** The contract the invoice or installment belongs to, for the contract ledger. */
    contractId: uuid('contract_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    index('payment_allocations_payment_idx').on(t.paymentId),
    index('payment_allocations_invoice_idx').on(t.invoiceId),
    index('payment_allocations_installment_idx').on(t.installmentId),
    index('payment_allocations_contract_idx').on(t.contractId),
    // With the amount: Σ allocations per customer from the index alone (aging, unapplied cash).
    index('payment_allocations_customer_idx').on(t.customerId, t.amount),
    check('payment_allocations_target_check', sql`(${t.invoiceId} is null) <> (${t.installmentId} is null)`),
    check('payment_allocations_amount_check', sql`${t.amount} <> 0`),
  ],
);

export const COLLECTION_TASK_STATUSES = ['open', 'done'] as const;
export type CollectionTaskStatus = (typeof COLLECTION_TASK_STATUSES)[number];
export const AGING_BUCKETS = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/**
 * Collection tasks (催收任务) the overdue job creates: one per overdue item (invoice or installment)
 * and aging step, assigned to the customer's owner, so each step alerts once.
 */
export const collectionTasks = pgTable(
  'collection_tasks',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    installmentId: uuid('installment_id').references(() => contractInstallments.id),
    /** The invoice or installment id: one task per item and bucket. */
    itemId: uuid('item_id').notNull(),
    bucket: text('bucket').$type<AgingBucket>().notNull(),
    dueDate: date('due_date').notNull(),
    /** Open amount when the task was created. */
    amountDue: bigint('amount_due', { mode: 'number' }).notNull(),
    assigneeId: uuid('assignee_id'),
    ownerId: uuid('owner_id'),
    orgUnitId: uuid('org_unit_id').notNull(),
    status: text('status').$type<CollectionTaskStatus>().notNull().default('open'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('collection_tasks_item_bucket_idx').on(t.itemId, t.bucket),
    index('collection_tasks_customer_idx').on(t.customerId, t.createdAt),
    index('collection_tasks_assignee_idx').on(t.assigneeId, t.status),
    check('collection_tasks_status_check', sql`${t.status} in ('open', 'done')`),
  ],
);

/** Collection notes (催收记录) a rep adds: what the customer said and the promised payment date. */
export const collectionNotes = pgTable(
  'collection_notes',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    taskId: uuid('task_id').references(() => collectionTasks.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    installmentId: uuid('installment_id').references(() => contractInstallments.id),
    note: text('note').notNull(),
    promisedDate: date('promised_date'),
    promisedAmount: bigint('promised_amount', { mode: 'number' }),
    ...rowColumns(),
  },
  (t) => [index('collection_notes_customer_idx').on(t.customerId, t.createdAt)],
);
