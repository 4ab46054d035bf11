import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { customers } from './schema.js';

// seed 002 客户管理: customer management is managing the customer's enthusiasm (profit and
// prospects) and the market risk (credit, capability, price control), with the customer
// profile card (the customer itself), the account plan card and the monthly review card.

/** 客户策略卡: one current plan per customer, edited in place (versioned; the audit keeps history). */
export const accountPlans = pgTable(
  'account_plans',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    relationshipGoals: text('relationship_goals'),
    /** Money in fen. */
    annualTarget: bigint('annual_target', { mode: 'bigint' }),
    productFocus: text('product_focus'),
    /** Contacts of the same customer who decide (key decision makers). */
    decisionMakerIds: uuid('decision_maker_ids').array().notNull().default(sql`'{}'::uuid[]`),
    strategy: text('strategy'),
    creditRisk: text('credit_risk'),
    capabilityRisk: text('capability_risk'),
    priceRisk: text('price_risk'),
    supportNeeded: text('support_needed'),
    reviewDate: date('review_date'),
    updatedBy: uuid('updated_by'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('account_plans_customer_idx').on(t.customerId),
    check('account_plans_target_check', sql`${t.annualTarget} >= 0`),
  ],
);

/** 客户月评卡: one review per customer and month ('YYYY-MM'), scored 1–5 on five points. */
export const accountReviews = pgTable(
  'account_reviews',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    month: text('month').notNull(),
    /** 热情: the customer's enthusiasm and cooperation. */
    scoreEnthusiasm: smallint('score_enthusiasm').notNull(),
    scoreSales: smallint('score_sales').notNull(),
    /** Payment record and credit. */
    scorePayment: smallint('score_payment').notNull(),
    /** Keeps to the market price (价格控制). */
    scorePriceDiscipline: smallint('score_price_discipline').notNull(),
    scoreCapability: smallint('score_capability').notNull(),
    /** The scores' average to one decimal (overallRating in account-cards.ts). */
    overall: numeric('overall', { precision: 2, scale: 1 }).notNull(),
    summary: text('summary'),
    issues: text('issues'),
    nextActions: text('next_actions'),
    reviewerId: uuid('reviewer_id').notNull(),
    managerComment: text('manager_comment'),
    managerCommentBy: uuid('manager_comment_by'),
    managerCommentAt: timestamp('manager_comment_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('account_reviews_customer_month_idx').on(t.customerId, t.month),
    index('account_reviews_month_idx').on(t.month),
    check('account_reviews_month_check', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check(
      'account_reviews_scores_check',
      sql`${t.scoreEnthusiasm} between 1 and 5 and ${t.scoreSales} between 1 and 5 and ${t.scorePayment} between 1 and 5 and ${t.scorePriceDiscipline} between 1 and 5 and ${t.scoreCapability} between 1 and 5`,
    ),
  ],
);
