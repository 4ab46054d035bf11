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

export const CONTRACT_STATES = [
  'draft',
  'in_review',
  'approved',
  'active',
  'completed',
  'terminated',
] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/**
 * Sales contracts (合同). Owned records: the owner is the rep who drafted it, org_unit_id the
 * owner's unit. Money in fen, tax-inclusive; the tax rate is a percentage (numeric).
 */
export const contracts = pgTable(
  'contracts',
  {
    id: idColumn(),
    /** C-2026-000001 */
    number: text('number').notNull(),
    title: text('title').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    /** The customer's signatory. */
    contactId: uuid('contact_id').references(() => contacts.id),
    /** Our contracting party: the company name when the contract was drafted. */
    ourParty: text('our_party').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    taxRate: numeric('tax_rate', { precision: 5, scale: 2 }).notNull().default('13'),
    currency: text('currency').notNull().default('CNY'),
    paymentTerms: text('payment_terms'),
    deliveryTerms: text('delivery_terms'),
    warranty: text('warranty'),
    /** Terms outside the standard template: reviewed by finance and the director. */
    nonStandard: boolean('non_standard').notNull().default(false),
    nonStandardNote: text('non_standard_note'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    signedDate: date('signed_date'),
    /** Later slices add opportunities and quotes; no foreign key yet. */
    opportunityId: uuid('opportunity_id'),
    quoteId: uuid('quote_id'),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    state: text('state').$type<ContractState>().notNull().default('draft'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    terminatedAt: timestamp('terminated_at', { withTimezone: true }),
    terminationReason: text('termination_reason'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('contracts_number_idx').on(t.number),
    index('contracts_customer_idx').on(t.customerId, t.createdAt),
    index('contracts_owner_idx').on(t.ownerId, t.createdAt),
    index('contracts_org_unit_idx').on(t.orgUnitId, t.createdAt),
    index('contracts_created_idx').on(t.createdAt, t.id),
    index('contracts_state_idx').on(t.state, t.createdAt),
    check(
      'contracts_state_check',
      sql`${t.state} in ('draft', 'in_review', 'approved', 'active', 'completed', 'terminated')`,
    ),
    check('contracts_amount_check', sql`${t.amount} > 0`),
    check('contracts_dates_check', sql`${t.endDate} >= ${t.startDate}`),
    check(
      'contracts_signed_check',
      sql`${t.state} not in ('active', 'completed') or ${t.signedDate} is not null`,
    ),
    check(
      'contracts_terminated_check',
      sql`${t.state} <> 'terminated' or ${t.terminationReason} is not null`,
    ),
  ],
);

/** The payment plan (分期, seed 002): installments summing exactly to the contract amount. */
export const contractInstallments = pgTable(
  'contract_installments',
  {
    id: idColumn(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id),
    seq: integer('seq').notNull(),
    dueDate: date('due_date').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Collected against this installment; the order-to-cash issue fills it. */
    paidAmount: bigint('paid_amount', { mode: 'number' }).notNull().default(0),
    note: text('note'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('contract_installments_seq_idx').on(t.contractId, t.seq),
    index('contract_installments_due_idx').on(t.dueDate),
    check('contract_installments_amount_check', sql`${t.amount} > 0`),
    check('contract_installments_paid_check', sql`${t.paidAmount} >= 0 and ${t.paidAmount} <= ${t.amount}`),
  ],
);
