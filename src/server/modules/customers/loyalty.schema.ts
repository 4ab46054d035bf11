import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import {
  DEFAULT_EARN_RULE,
  DEFAULT_TIER_THRESHOLDS,
  type EarnRule,
  type TierKey,
  type TierThresholds,
} from './loyalty.js';
import { customers } from './schema.js';

/**
 * A customer's points account (积分账户), created with its first entry. `balance` is always the
 * sum of the customer's ledger entries and never below zero (the check is the last guard; the
 * service refuses first). `lifetime_earned` (earned and positive adjustments, less reversals of
 * them) decides the member tier (会员等级).
 */
export const loyaltyAccounts = pgTable(
  'loyalty_accounts',
  {
    customerId: uuid('customer_id')
      .primaryKey()
      .references(() => customers.id),
    balance: integer('balance').notNull().default(0),
    lifetimeEarned: integer('lifetime_earned').notNull().default(0),
    tier: text('tier').$type<TierKey>().notNull().default('member'),
    tierChangedAt: timestamp('tier_changed_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    check('loyalty_accounts_balance_check', sql`${t.balance} >= 0`),
    check('loyalty_accounts_lifetime_check', sql`${t.lifetimeEarned} >= 0`),
    index('loyalty_accounts_tier_idx').on(t.tier),
  ],
);

export const LOYALTY_ENTRY_KINDS = ['earn', 'redeem', 'adjust', 'reverse'] as const;
export type LoyaltyEntryKind = (typeof LOYALTY_ENTRY_KINDS)[number];

/**
 * The points ledger: append-only. A correction is a `reverse` entry pointing at the entry it
 * undoes. An entry from another module's document (a payment) names it by source type and id,
 * once: earning twice for the same payment is impossible.
 */
export const loyaltyEntries = pgTable(
  'loyalty_entries',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    kind: text('kind').$type<LoyaltyEntryKind>().notNull(),
    /** Signed: earn > 0, redeem < 0, adjust either way, reverse the opposite of its entry. */
    points: integer('points').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    reason: text('reason').notNull(),
    /** Redemptions: what the points were exchanged for. */
    item: text('item'),
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    reversesId: uuid('reverses_id').references((): AnyPgColumn => loyaltyEntries.id),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('loyalty_entries_customer_idx').on(t.customerId, t.createdAt, t.id),
    uniqueIndex('loyalty_entries_source_idx')
      .on(t.sourceType, t.sourceId)
      .where(sql`${t.sourceType} is not null`),
    uniqueIndex('loyalty_entries_reverses_idx').on(t.reversesId).where(sql`${t.reversesId} is not null`),
    check('loyalty_entries_kind_check', sql`${t.kind} in ('earn', 'redeem', 'adjust', 'reverse')`),
    check('loyalty_entries_points_check', sql`${t.points} <> 0`),
    check('loyalty_entries_source_check', sql`(${t.sourceType} is null) = (${t.sourceId} is null)`),
  ],
);

/** Loyalty rules (one row): how payments earn points and where the tiers start. */
export const loyaltyRules = pgTable(
  'loyalty_rules',
  {
    id: integer('id').primaryKey().default(1),
    earn: jsonb('earn').$type<EarnRule>().notNull().default(DEFAULT_EARN_RULE),
    tierThresholds: jsonb('tier_thresholds')
      .$type<TierThresholds>()
      .notNull()
      .default(DEFAULT_TIER_THRESHOLDS),
    ...rowColumns(),
  },
  (t) => [check('loyalty_rules_single_row', sql`${t.id} = 1`)],
);
