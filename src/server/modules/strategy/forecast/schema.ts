import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { orgUnits, users } from '../../org/schema.js';

const fen = (name: string) => bigint(name, { mode: 'number' });

/**
 * A rep's forecast commit for one month (业绩承诺): what they commit to book (`commit_amount`) and
 * their best case, in fen, with a note. One row per rep and month, versioned; every submission and
 * every manager adjustment is in the audit log (the history). A manager's adjustment overrides the
 * rep's figures in the roll-up without erasing them. Owned: owner = the rep, org unit = theirs.
 */
export const forecastCommits = pgTable(
  'forecast_commits',
  {
    id: idColumn(),
    /** 'YYYY-MM', a calendar month in the company time zone. */
    month: text('month').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    commitAmount: fen('commit_amount').notNull(),
    bestCaseAmount: fen('best_case_amount').notNull(),
    note: text('note').notNull().default(''),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    /** The manager's override (null = none): it replaces the rep's figures in every total. */
    adjustedCommitAmount: fen('adjusted_commit_amount'),
    adjustedBestCaseAmount: fen('adjusted_best_case_amount'),
    adjustmentNote: text('adjustment_note'),
    adjustedBy: uuid('adjusted_by').references(() => users.id),
    adjustedAt: timestamp('adjusted_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('forecast_commits_owner_month_idx').on(t.ownerId, t.month),
    index('forecast_commits_month_idx').on(t.month, t.orgUnitId),
    check('forecast_commits_month_check', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check(
      'forecast_commits_amounts_check',
      sql`${t.commitAmount} >= 0 and ${t.bestCaseAmount} >= ${t.commitAmount}
        and (${t.adjustedCommitAmount} is null or ${t.adjustedCommitAmount} >= 0)
        and (${t.adjustedBestCaseAmount} is null or ${t.adjustedBestCaseAmount} >= coalesce(${t.adjustedCommitAmount}, 0))`,
    ),
  ],
);

export type ForecastCommitRow = typeof forecastCommits.$inferSelect;
