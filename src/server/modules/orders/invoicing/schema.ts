import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { customers } from '../../customers/schema.js';
import { contracts } from '../../sales/contracts.schema.js';
import { products } from '../catalog/schema.js';

export const INVOICE_STATES = ['draft', 'issued', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

/** 普票 (general VAT invoice) or 专票 (special VAT invoice: the buyer deducts the input tax). */
export const INVOICE_TYPES = ['general', 'special'] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];

/** What an invoice line bills: a sales order line, a contract installment, or nothing (manual). */
export const INVOICE_SOURCE_TYPES = ['sales_order_line', 'contract', 'manual'] as const;
export type InvoiceSourceType = (typeof INVOICE_SOURCE_TYPES)[number];

const quantity = (name: string) => numeric(name, { precision: 16, scale: 3 });

/**
 * Invoices (发票). Owned like the customer: owner_id/org_unit_id are the customer's owner and unit
 * when drafted. Money in fen, tax-inclusive. The open amount is total − credited − paid; paid is
 * maintained only by payment allocations through applyToInvoice, credited by credit notes.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: idColumn(),
    /** INV-2026-000123 */
    number: text('number').notNull(),
    /** 发票号码 from the tax office, entered by finance once known. */
    fapiaoNumber: text('fapiao_number'),
    type: text('type').$type<InvoiceType>().notNull().default('general'),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    contractId: uuid('contract_id').references(() => contracts.id),
    /** The sales order this invoice bills, when there is one (no foreign key across parts yet). */
    orderId: uuid('order_id'),
    /** Buyer fapiao fields (抬头, 纳税人识别号, 地址电话, 开户行及账号), frozen at issue. */
    buyerTitle: text('buyer_title').notNull(),
    buyerTaxId: text('buyer_tax_id'),
    buyerAddressPhone: text('buyer_address_phone'),
    buyerBankAccount: text('buyer_bank_account'),
    /** Seller (our company) snapshot taken at issue. */
    sellerName: text('seller_name'),
    sellerTaxId: text('seller_tax_id'),
    currency: text('currency').notNull().default('CNY'),
    /** 价税合计: Σ line amounts (tax-inclusive). */
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    /** Σ line tax amounts. */
    taxTotal: bigint('tax_total', { mode: 'number' }).notNull().default(0),
    /** Σ credit notes (红字) against this invoice. */
    creditedAmount: bigint('credited_amount', { mode: 'number' }).notNull().default(0),
    /** Σ payment allocations; only applyToInvoice changes it. */
    paidAmount: bigint('paid_amount', { mode: 'number' }).notNull().default(0),
    paymentTermsDays: integer('payment_terms_days').notNull().default(30),
    issueDate: date('issue_date'),
    dueDate: date('due_date'),
    state: text('state').$type<InvoiceState>().notNull().default('draft'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    issuedBy: uuid('issued_by'),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason'),
    note: text('note'),
    /** Creation retried with the same key returns the first invoice. */
    idempotencyKey: text('idempotency_key'),
    ownerId: uuid('owner_id'),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('invoices_number_idx').on(t.number),
    uniqueIndex('invoices_fapiao_number_idx').on(t.fapiaoNumber).where(sql`${t.fapiaoNumber} is not null`),
    uniqueIndex('invoices_idempotency_idx').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('invoices_customer_idx').on(t.customerId, t.createdAt),
    index('invoices_contract_idx').on(t.contractId),
    index('invoices_order_idx').on(t.orderId),
    index('invoices_owner_idx').on(t.ownerId, t.createdAt),
    index('invoices_org_unit_idx').on(t.orgUnitId, t.createdAt),
    index('invoices_created_idx').on(t.createdAt, t.id),
    index('invoices_state_due_idx').on(t.state, t.dueDate),
    // The open invoices only (a few % of the table once it is years old), with what the aging
    // report and balances read: an index-only scan instead of every invoice ever issued.
    index('invoices_open_idx')
      .on(t.customerId, t.dueDate, t.total, t.creditedAmount, t.paidAmount)
      .where(
        sql`${t.state} in ('issued', 'partially_paid', 'paid') and ${t.total} - ${t.creditedAmount} - ${t.paidAmount} <> 0`,
      ),
    check('invoices_state_check', sql`${t.state} in ('draft', 'issued', 'partially_paid', 'paid', 'void')`),
    check('invoices_type_check', sql`${t.type} in ('general', 'special')`),
    check(
      'invoices_amounts_check',
      sql`${t.total} >= 0 and ${t.taxTotal} >= 0 and ${t.creditedAmount} >= 0 and ${t.paidAmount} >= 0 and ${t.creditedAmount} + ${t.paidAmount} <= ${t.total}`,
    ),
    check(
      'invoices_void_check',
      sql`${t.state} <> 'void' or (${t.voidReason} is not null and ${t.paidAmount} = 0)`,
    ),
    check(
      'invoices_issued_check',
      sql`${t.state} = 'draft' or ${t.state} = 'void' or ${t.issueDate} is not null`,
    ),
  ],
);

/** Invoice lines. quantity × unit price = amount (tax-inclusive); tax = amount × rate / (1 + rate). */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: idColumn(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    seq: integer('seq').notNull(),
    productId: uuid('product_id').references(() => products.id),
    description: text('description').notNull(),
    spec: text('spec'),
    unit: text('unit'),
    quantity: quantity('quantity').notNull(),
    /** Tax-inclusive unit price in fen. */
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** VAT rate as a fraction ("0.13"). */
    taxRate: numeric('tax_rate', { precision: 5, scale: 4 }).notNull(),
    taxAmount: bigint('tax_amount', { mode: 'number' }).notNull(),
    sourceType: text('source_type').$type<InvoiceSourceType>().notNull().default('manual'),
    /** sales_order_line: the order line id; contract: the installment id. */
    sourceId: uuid('source_id'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('invoice_lines_seq_idx').on(t.invoiceId, t.seq),
    index('invoice_lines_source_idx').on(t.sourceType, t.sourceId),
    check('invoice_lines_quantity_check', sql`${t.quantity} > 0`),
    check(
      'invoice_lines_amount_check',
      sql`${t.amount} >= 0 and ${t.taxAmount} >= 0 and ${t.taxAmount} <= ${t.amount}`,
    ),
    check('invoice_lines_source_check', sql`${t.sourceType} in ('sales_order_line', 'contract', 'manual')`),
  ],
);

/** Credit notes (红字发票, CN-2026-000001) against an issued invoice; issued when created. */
export const creditNotes = pgTable(
  'credit_notes',
  {
    id: idColumn(),
    number: text('number').notNull(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    reason: text('reason').notNull(),
    /** Positive amounts (fen) taken off the invoice. */
    total: bigint('total', { mode: 'number' }).notNull(),
    taxTotal: bigint('tax_total', { mode: 'number' }).notNull(),
    issueDate: date('issue_date').notNull(),
    /** Set when a return (issue 7 item 3) caused the credit note. */
    returnId: uuid('return_id'),
    ownerId: uuid('owner_id'),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('credit_notes_number_idx').on(t.number),
    index('credit_notes_invoice_idx').on(t.invoiceId),
    index('credit_notes_customer_idx').on(t.customerId, t.createdAt),
    check(
      'credit_notes_total_check',
      sql`${t.total} > 0 and ${t.taxTotal} >= 0 and ${t.taxTotal} <= ${t.total}`,
    ),
  ],
);

export const creditNoteLines = pgTable(
  'credit_note_lines',
  {
    id: idColumn(),
    creditNoteId: uuid('credit_note_id')
      .notNull()
      .references(() => creditNotes.id),
    invoiceLineId: uuid('invoice_line_id')
      .notNull()
      .references(() => invoiceLines.id),
    quantity: quantity('quantity').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    taxAmount: bigint('tax_amount', { mode: 'number' }).notNull(),
    ...rowColumns(),
  },
  (t) => [
    index('credit_note_lines_note_idx').on(t.creditNoteId),
    index('credit_note_lines_invoice_line_idx').on(t.invoiceLineId),
    check('credit_note_lines_amount_check', sql`${t.amount} > 0 and ${t.quantity} > 0`),
  ],
);
