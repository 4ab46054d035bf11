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
    /** any: the first approver's decision closes the step (或签); all: every approver must approve (会签). */
    mode: text('mode').$type<'any' | 'all'>().notNull().default('any'),
    approverIds: uuid('approver_ids').array().notNull(),
    status: text('status').$type<StepStatus>().notNull().default('waiting'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('approval_steps_seq_idx').on(t.requestId, t.seq),
    index('approval_steps_pending_idx').using('gin', t.approverIds).where(sql`${t.status} = 'pending'`),
  ],
);

export type VoteDecision = 'approved' | 'rejected' | 'returned';

/** Each approver's decision on a step; a delegate's vote counts for the approver they stand in for. */
export const approvalVotes = pgTable(
  'approval_votes',
  {
    id: idColumn(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => approvalRequests.id),
    stepId: uuid('step_id')
      .notNull()
      .references(() => approvalSteps.id),
    /** Who decided. */
    userId: uuid('user_id').notNull(),
    /** The approver this vote counts for: the voter, or the one they stand in for. */
    forUserId: uuid('for_user_id').notNull(),
    decision: text('decision').$type<VoteDecision>().notNull(),
    comment: text('comment'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('approval_votes_once_idx').on(t.stepId, t.forUserId),
    index('approval_votes_user_idx').on(t.userId, t.at),
    index('approval_votes_request_idx').on(t.requestId),
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
