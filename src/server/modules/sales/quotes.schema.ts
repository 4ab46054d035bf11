import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
import { idColumn, rowColumns } from '../../db/columns.js';
import { contacts, customers } from '../customers/schema.js';
import { products } from '../orders/catalog/schema.js';
import { contracts } from './contracts.schema.js';
import { opportunities } from './opportunities.schema.js';

export const QUOTE_STATES = [
  'draft',
  'pending_approval',
  'approved',
  'sent',
  'accepted',
  'rejected',
  'superseded',
] as const;
export type QuoteState = (typeof QUOTE_STATES)[number];

/**
 * A quote (报价单): the header that stays the same across revisions — number, customer, owner,
 * opportunity, the contract it became. `state` mirrors the latest revision's state for lists.
 * Owned record: owner_id + org_unit_id (the owner's unit), scoped by the `quotes` resource.
 */
export const quotes = pgTable(
  'quotes',
  {
    id: idColumn(),
    /** Q-2026-000001 */
    number: text('number').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    opportunityId: uuid('opportunity_id').references(() => opportunities.id),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    /** The latest revision's number (1, 2, …) and state. */
    revision: integer('revision').notNull().default(1),
    state: text('state').$type<QuoteState>().notNull().default('draft'),
    /** The latest revision's valid-until date and total, for lists and "expiring soon". */
    validUntil: date('valid_until').notNull(),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    contractId: uuid('contract_id').references(() => contracts.id),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('quotes_number_idx').on(t.number),
    index('quotes_created_idx').on(t.createdAt, t.id),
    index('quotes_customer_idx').on(t.customerId, t.createdAt),
    index('quotes_opportunity_idx').on(t.opportunityId),
    index('quotes_owner_idx').on(t.ownerId, t.createdAt),
    index('quotes_org_unit_idx').on(t.orgUnitId, t.createdAt),
    index('quotes_state_idx').on(t.state, t.validUntil),
    check(
      'quotes_state_check',
      sql`${t.state} in ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'superseded')`,
    ),
  ],
);

/**
 * One revision (v1, v2…) of a quote with its terms and computed totals (fen, tax-inclusive).
 * Only the latest revision may change, and only while a draft; revising copies it into a new
 * draft and marks it superseded.
 */
export const quoteRevisions = pgTable(
  'quote_revisions',
  {
    id: idColumn(),
    quoteId: uuid('quote_id')
      .notNull()
      .references(() => quotes.id),
    revision: integer('revision').notNull(),
    state: text('state').$type<QuoteState>().notNull().default('draft'),
    contactId: uuid('contact_id').references(() => contacts.id),
    validUntil: date('valid_until').notNull(),
    currency: text('currency').notNull().default('CNY'),
    paymentTerms: text('payment_terms'),
    deliveryTerms: text('delivery_terms'),
    notes: text('notes'),
    /** Whole-quote discount in percent (0–100, two decimals), on top of the line discounts. */
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2 }).notNull().default('0'),
    /** Σ qty × list price: what the customer's price list asks before any discount. */
    listTotal: bigint('list_total', { mode: 'number' }).notNull().default(0),
    /** Σ line amounts after line discounts, before the whole-quote discount. */
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    discountAmount: bigint('discount_amount', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    tax: bigint('tax', { mode: 'number' }).notNull().default(0),
    totalExclTax: bigint('total_excl_tax', { mode: 'number' }).notNull().default(0),
    /** 1 − total / listTotal, percent with two decimals: the approval policy's fact. */
    effectiveDiscount: numeric('effective_discount', { precision: 7, scale: 2 }).notNull().default('0'),
    belowFloor: boolean('below_floor').notNull().default(false),
    /** The approval request of the latest submission (null: never submitted or none needed). */
    approvalRequestId: uuid('approval_request_id'),
    /** Why the approvers rejected or returned it (shown on the draft). */
    reviewComment: text('review_comment'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }),
    rejectionReason: text('rejection_reason'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('quote_revisions_no_idx').on(t.quoteId, t.revision),
    check(
      'quote_revisions_state_check',
      sql`${t.state} in ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'superseded')`,
    ),
    check('quote_revisions_discount_check', sql`${t.discountPercent} >= 0 and ${t.discountPercent} <= 100`),
    check('quote_revisions_total_check', sql`${t.total} >= 0 and ${t.discountAmount} >= 0`),
  ],
);

/** The lines of a revision: product snapshot, the price resolution used and the computed amounts. */
export const quoteLines = pgTable(
  'quote_lines',
  {
    id: idColumn(),
    revisionId: uuid('revision_id')
      .notNull()
      .references(() => quoteRevisions.id),
    seq: integer('seq').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    /** Name, spec and unit as printed on this revision. */
    productName: text('product_name').notNull(),
    sku: text('sku').notNull(),
    specification: text('specification'),
    uom: text('uom').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 4 }).notNull(),
    /** The customer's price from resolution (price list or catalog), the discount's baseline. */
    listPrice: bigint('list_price', { mode: 'number' }).notNull(),
    floorPrice: bigint('floor_price', { mode: 'number' }),
    priceListId: uuid('price_list_id'),
    priceRuleId: uuid('price_rule_id'),
    /** Either a discount percent or the user's unit price (fen); the other is derived. */
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2 }).notNull().default('0'),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    priceEntered: boolean('price_entered').notNull().default(false),
    /** After the line discount, before the whole-quote discount. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** The line's share of the whole-quote discount. */
    allocatedDiscount: bigint('allocated_discount', { mode: 'number' }).notNull().default(0),
    netAmount: bigint('net_amount', { mode: 'number' }).notNull(),
    /** VAT rate as a fraction (0.13), from the product. */
    taxRate: numeric('tax_rate', { precision: 5, scale: 4 }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    belowFloor: boolean('below_floor').notNull().default(false),
    /** The product's cost price when quoted: margins, for products.cost holders only. */
    costPrice: bigint('cost_price', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('quote_lines_seq_idx').on(t.revisionId, t.seq),
    index('quote_lines_product_idx').on(t.productId),
    check('quote_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/** Every e-mail of a quote to the customer, with the revision that went out. */
export const quoteSends = pgTable(
  'quote_sends',
  {
    id: idColumn(),
    quoteId: uuid('quote_id')
      .notNull()
      .references(() => quotes.id),
    revisionId: uuid('revision_id')
      .notNull()
      .references(() => quoteRevisions.id),
    revision: integer('revision').notNull(),
    to: text('to').notNull(),
    cc: text('cc'),
    subject: text('subject').notNull(),
    locale: text('locale').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    sentBy: uuid('sent_by').notNull(),
  },
  (t) => [index('quote_sends_quote_idx').on(t.quoteId, t.sentAt)],
);
