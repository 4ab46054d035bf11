import { sql } from 'drizzle-orm';
import {
  boolean,
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
import type { PolicyRule } from './policy.js';

/** One policy per document type: ordered rules, the first whose conditions match decides the steps. */
export const approvalPolicies = pgTable('approval_policies', {
  docType: text('doc_type').primaryKey(),
  active: boolean('active').notNull().default(true),
  rules: jsonb('rules').$type<PolicyRule[]>().notNull().default([]),
  ...rowColumns(),
});

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'withdrawn';
export type StepStatus =
  | 'waiting'
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'skipped'
  | 'cancelled';

/** A document's trip through its policy. At most one is pending per document. */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: idColumn(),
    number: text('number').notNull(),
    docType: text('doc_type').notNull(),
    docId: text('doc_id').notNull(),
    title: text('title').notNull(),
    link: text('link'),
    submitterId: uuid('submitter_id').notNull(),
    /** The document's facts at submission (amount, discount %, flags): what the rule matched on. */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    ruleName: text('rule_name'),
    status: text('status').$type<ApprovalStatus>().notNull().default('pending'),
    currentStep: integer('current_step'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('approval_requests_one_pending_idx')
      .on(t.docType, t.docId)
      .where(sql`${t.status} = 'pending'`),
    index('approval_requests_doc_idx').on(t.docType, t.docId),
    index('approval_requests_submitter_idx').on(t.submitterId, t.status),
    uniqueIndex('approval_requests_number_idx').on(t.number),
  ],
);

/** The steps of a request, approvers resolved at submission so the timeline is known up front. */
export const approvalSteps = pgTable(
  'approval_steps',
  {
    id: idColumn(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => approvalRequests.id),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    approverIds: uuid('approver_ids').array().notNull(),
    status: text('status').$type<StepStatus>().notNull().default('waiting'),
    actedBy: uuid('acted_by'),
    /** When a delegate acted: the approver they stood in for. */
    actedFor: uuid('acted_for'),
    comment: text('comment'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    actedAt: timestamp('acted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('approval_steps_seq_idx').on(t.requestId, t.seq),
    index('approval_steps_pending_idx').using('gin', t.approverIds).where(sql`${t.status} = 'pending'`),
    index('approval_steps_actor_idx').on(t.actedBy, t.actedAt),
  ],
);

/** While away, an approver's pending steps may also be decided by a delegate. */
export const approvalDelegations = pgTable(
  'approval_delegations',
  {
    id: idColumn(),
    userId: uuid('user_id').notNull(),
    delegateId: uuid('delegate_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull().default(''),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [index('approval_delegations_delegate_idx').on(t.delegateId, t.endsAt)],
);
