import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { orgUnits, users } from '../../org/schema.js';
import type { Metric, PeriodKind } from './rules.js';

/** A whole number of the metric's smallest unit: fen, a count, or thousandths of a unit. */
const amount = (name: string) => bigint(name, { mode: 'number' });

export type TargetDimension = 'company' | 'org_unit' | 'rep' | 'product_category' | 'customer';
export type TargetNodeState = 'draft' | 'published';
export type TargetSplit = 'dimension' | 'period';
export type TargetAgreementState = 'draft' | 'sent' | 'signed' | 'rejected' | 'superseded';
export type TargetChangeState = 'pending' | 'approved' | 'rejected' | 'returned' | 'withdrawn';

/** A target plan (销售目标): one metric for one fiscal year, e.g. "2027 年度销售目标". */
export const targetPlans = pgTable(
  'target_plans',
  {
    id: idColumn(),
    name: text('name').notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    metric: text('metric').$type<Metric>().notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    index('target_plans_year_idx').on(t.fiscalYear),
    check('target_plans_year_check', sql`${t.fiscalYear} between 2000 and 2100`),
  ],
);

/**
 * The allocation tree (目标分解): each node is a (dimension value, period) with an amount. A node's
 * children are all one kind of split: by dimension (same period: regions, teams, reps…) or by
 * period (same assignee: quarters, months, weeks, days). Owned: owner = the assignee (the rep, or
 * the head of the org unit), org unit = the unit the target belongs to, for data scopes.
 */
export const targetNodes = pgTable(
  'target_nodes',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => targetPlans.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => targetNodes.id),
    childSplit: text('child_split').$type<TargetSplit>(),
    dimension: text('dimension').$type<TargetDimension>().notNull(),
    /** The org unit, user, category or customer; null for the company. */
    dimensionId: uuid('dimension_id'),
    /** The name when allocated, so history reads the same after a rename. */
    label: text('label').notNull(),
    periodKind: text('period_kind').$type<PeriodKind>().notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    periodKey: text('period_key').notNull(),
    amount: amount('amount').notNull(),
    state: text('state').$type<TargetNodeState>().notNull().default('draft'),
    ownerId: uuid('owner_id').references(() => users.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    sortOrder: integer('sort_order').notNull().default(0),
    ...rowColumns(),
  },
  (t) => [
    index('target_nodes_plan_idx').on(t.planId, t.parentId),
    index('target_nodes_parent_idx').on(t.parentId, t.sortOrder),
    index('target_nodes_owner_idx').on(t.ownerId),
    index('target_nodes_org_unit_idx').on(t.orgUnitId),
    check('target_nodes_amount_check', sql`${t.amount} >= 0`),
    check('target_nodes_period_check', sql`${t.periodStart} <= ${t.periodEnd}`),
    check('target_nodes_state_check', sql`${t.state} in ('draft', 'published')`),
  ],
);

/**
 * Target agreements (目标责任书): sent to the assignee of a published node and signed (or rejected,
 * with a comment) through the approvals engine, the assignee being the approver.
 */
export const targetAgreements = pgTable(
  'target_agreements',
  {
    id: idColumn(),
    number: text('number').notNull(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => targetPlans.id),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => targetNodes.id),
    /** The amount the assignee is asked to sign for, as sent. */
    amount: amount('amount').notNull(),
    state: text('state').$type<TargetAgreementState>().notNull().default('draft'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    sentBy: uuid('sent_by').references(() => users.id),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    comment: text('comment'),
    approvalRequestId: uuid('approval_request_id'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('target_agreements_number_idx').on(t.number),
    index('target_agreements_node_idx').on(t.nodeId, t.state),
    index('target_agreements_owner_idx').on(t.ownerId, t.state),
    index('target_agreements_plan_idx').on(t.planId),
    check(
      'target_agreements_state_check',
      sql`${t.state} in ('draft', 'sent', 'signed', 'rejected', 'superseded')`,
    ),
  ],
);

/** A change to published targets (目标调整): a re-split among siblings, applied when approved. */
export const targetChangeRequests = pgTable(
  'target_change_requests',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => targetPlans.id),
    parentId: uuid('parent_id')
      .notNull()
      .references(() => targetNodes.id),
    changes: jsonb('changes').$type<{ nodeId: string; from: number; to: number }[]>().notNull(),
    reason: text('reason').notNull(),
    state: text('state').$type<TargetChangeState>().notNull().default('pending'),
    approvalRequestId: uuid('approval_request_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [index('target_change_requests_parent_idx').on(t.parentId)],
);

export type TargetPlanRow = typeof targetPlans.$inferSelect;
export type TargetNodeRow = typeof targetNodes.$inferSelect;
export type TargetAgreementRow = typeof targetAgreements.$inferSelect;
export type TargetChangeRow = typeof targetChangeRequests.$inferSelect;
