import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The company's attainment traffic-light thresholds (one row, key 'company'): percent of the
 * time-elapsed pace at or above which a target shows green, resp. amber; below amber it is red.
 */
export const attainmentSettings = pgTable(
  'attainment_settings',
  {
    key: text('key').primaryKey(),
    greenPercent: integer('green_percent').notNull().default(100),
    amberPercent: integer('amber_percent').notNull().default(85),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    check(
      'attainment_settings_check',
      sql`${t.amberPercent} >= 1 and ${t.amberPercent} <= ${t.greenPercent} and ${t.greenPercent} <= 200`,
    ),
  ],
);
