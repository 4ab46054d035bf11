import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { customers } from '../customers/schema.js';
import { opportunities } from './opportunities.schema.js';

export const BID_STATES = ['preparing', 'submitted', 'won', 'lost', 'cancelled'] as const;
export type BidState = (typeof BID_STATES)[number];
export const BOND_METHODS = ['bank_transfer', 'guarantee_letter', 'cash', 'other'] as const;
export type BondMethod = (typeof BOND_METHODS)[number];

/**
 * Bids (投标) on a buyer's tender: owned records (owner + owner's unit), like opportunities. The
 * issuer (招标方) is a customer, or just a name while the buyer is not one yet; `issuer_key` (the
 * customer id or the normalised name) makes the buyer's tender number unique per issuer.
 */
export const bids = pgTable(
  'bids',
  {
    id: idColumn(),
    /** 招标编号, as issued by the buyer. */
    tenderNumber: text('tender_number').notNull(),
    projectName: text('project_name').notNull(),
    customerId: uuid('customer_id').references(() => customers.id),
    issuerName: text('issuer_name'),
    issuerKey: text('issuer_key').notNull(),
    opportunityId: uuid('opportunity_id').references(() => opportunities.id),
    state: text('state').$type<BidState>().notNull().default('preparing'),
    documentsPurchasedOn: date('documents_purchased_on', { mode: 'string' }),
    questionDeadline: timestamp('question_deadline', { withTimezone: true }),
    submissionDeadline: timestamp('submission_deadline', { withTimezone: true }).notNull(),
    openingAt: timestamp('opening_at', { withTimezone: true }),
    /** Our bid price, fen. */
    bidPrice: bigint('bid_price', { mode: 'number' }),
    currency: text('currency').notNull().default('CNY'),
    bondAmount: bigint('bond_amount', { mode: 'number' }),
    bondMethod: text('bond_method').$type<BondMethod>(),
    bondPaidOn: date('bond_paid_on', { mode: 'string' }),
    bondRefundDueOn: date('bond_refund_due_on', { mode: 'string' }),
    bondRefundedOn: date('bond_refunded_on', { mode: 'string' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    resultOn: date('result_on', { mode: 'string' }),
    lossReason: text('loss_reason'),
    winnerName: text('winner_name'),
    winningPrice: bigint('winning_price', { mode: 'number' }),
    cancelReason: text('cancel_reason'),
    resultNote: text('result_note'),
    note: text('note'),
    /** Deadline reminders sent (3 days and 1 day before), and the overdue-bond alert: once each. */
    remindedThreeDaysAt: timestamp('reminded_three_days_at', { withTimezone: true }),
    remindedOneDayAt: timestamp('reminded_one_day_at', { withTimezone: true }),
    bondOverdueNotifiedAt: timestamp('bond_overdue_notified_at', { withTimezone: true }),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('bids_tender_number_idx').on(t.issuerKey, t.tenderNumber),
    index('bids_owner_idx').on(t.ownerId, t.submissionDeadline),
    index('bids_org_unit_idx').on(t.orgUnitId, t.submissionDeadline),
    index('bids_customer_idx').on(t.customerId),
    index('bids_opportunity_idx').on(t.opportunityId),
    index('bids_deadline_idx').on(t.submissionDeadline, t.id),
    index('bids_created_idx').on(t.createdAt, t.id),
    check('bids_state_check', sql`${t.state} in ('preparing', 'submitted', 'won', 'lost', 'cancelled')`),
    check('bids_issuer_check', sql`${t.customerId} is not null or ${t.issuerName} is not null`),
    check('bids_price_check', sql`${t.bidPrice} > 0`),
    check('bids_bond_check', sql`${t.bondAmount} >= 0`),
    check(
      'bids_bond_method_check',
      sql`${t.bondMethod} in ('bank_transfer', 'guarantee_letter', 'cash', 'other')`,
    ),
    check(
      'bids_lost_check',
      sql`${t.state} <> 'lost' or (${t.lossReason} is not null and ${t.winnerName} is not null)`,
    ),
    check('bids_cancelled_check', sql`${t.state} <> 'cancelled' or ${t.cancelReason} is not null`),
  ],
);

/** Who else bids, with their price when known (after the opening it usually is). */
export const bidCompetitors = pgTable(
  'bid_competitors',
  {
    id: idColumn(),
    bidId: uuid('bid_id')
      .notNull()
      .references(() => bids.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** Fen. */
    price: bigint('price', { mode: 'number' }),
    note: text('note'),
  },
  (t) => [index('bid_competitors_bid_idx').on(t.bidId, t.position)],
);
