import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Metric } from '../../strategy/targets/rules.js';

/** The metric and who it counts for: the keys every roll-up table has. */
const whose = () => ({
  metric: text('metric').$type<Metric>().notNull(),
  ownerId: uuid('owner_id'),
  orgUnitId: uuid('org_unit_id').notNull(),
});

/** The product category and the customer's province (the finest roll-ups only). */
const where = () => ({
  categoryId: uuid('category_id'),
  provinceCode: text('province_code'),
});

const totals = () => ({
  amount: bigint('amount', { mode: 'number' }).notNull().default(0),
  quantity: numeric('quantity', { precision: 20, scale: 3 }).notNull().default('0'),
  /** How many source records the row sums (orders, shipment lines, payments…). */
  records: integer('records').notNull().default(0),
});

/**
 * The sales facts roll-up (销售事实日汇总): one row per day (company time zone), metric, rep,
 * org unit, product category and customer province, with the exact total. Rebuilt a day at a time
 * by the refresh job (delete + insert of the affected days in one transaction), never edited.
 * Money and counts in `amount` (fen / 1), units in `quantity` (numeric, 3 decimals).
 */
export const salesFactsDaily = pgTable(
  'sales_facts_daily',
  { day: date('day', { mode: 'string' }).notNull(), ...whose(), ...where(), ...totals() },
  (t) => [
    index('sales_facts_daily_metric_day_idx').on(t.metric, t.day),
    index('sales_facts_daily_day_idx').on(t.day),
  ],
);

/**
 * The same figures by calendar month (`month` = its first day), summed from the daily rows of the
 * months a refresh touched: whole months of a long window read 30 times fewer rows.
 */
export const salesFactsMonthly = pgTable(
  'sales_facts_monthly',
  { month: date('month', { mode: 'string' }).notNull(), ...whose(), ...where(), ...totals() },
  (t) => [index('sales_facts_monthly_metric_month_idx').on(t.metric, t.month)],
);

/**
 * The monthly figures per rep and org unit only (category and province summed away), from the
 * monthly rows of the months a refresh touched: what the dashboards ask most (trend, regions,
 * leaderboard, coverage) reads one row per rep and month instead of one per rep, category,
 * province and month — at 5,000,000 order lines about a seventeenth of the rows.
 */
export const salesFactsMonthlyRep = pgTable(
  'sales_facts_monthly_rep',
  { month: date('month', { mode: 'string' }).notNull(), ...whose(), ...totals() },
  (t) => [index('sales_facts_monthly_rep_metric_month_idx').on(t.metric, t.month)],
);

/**
 * The refresh state (one row, key 'sales'): the watermark the next incremental run reads source
 * changes from, and `data_as_of`, the instant the roll-up is complete up to.
 */
export const salesFactsState = pgTable('sales_facts_state', {
  key: text('key').primaryKey(),
  watermark: timestamp('watermark', { withTimezone: true }),
  dataAsOf: timestamp('data_as_of', { withTimezone: true }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastMode: text('last_mode').$type<'incremental' | 'full'>(),
  lastDays: integer('last_days').notNull().default(0),
  lastDurationMs: integer('last_duration_ms').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});
