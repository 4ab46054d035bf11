import { z } from 'zod';
import { id, isoDateTime, listQuery, requiredText, shortText } from './common.js';

export const conditionOp = z.enum(['gt', 'gte', 'lt', 'lte', 'eq', 'ne', 'isTrue', 'isFalse']);

/** A condition on one fact of the document; facts are declared by the document type. */
export const policyCondition = z
  .object({
    fact: z.string().min(1).max(50),
    op: conditionOp,
    value: z.union([z.number(), z.string().max(100), z.boolean()]).optional(),
  })
  .strict();

/** Who approves a step, relative to the submitter. */
export const approverSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manager') }).strict(),
  /** level 0: head of the submitter's own unit; 1: of its parent; … */
  z.object({ kind: z.literal('unitHead'), level: z.number().int().min(0).max(5) }).strict(),
  /** chain: holders of the role in the submitter's unit or any unit above it; company: anyone. */
  z
    .object({ kind: z.literal('role'), role: z.string().min(1).max(50), scope: z.enum(['chain', 'company']) })
    .strict(),
  z.object({ kind: z.literal('user'), userId: id }).strict(),
  /** The person the document is addressed to, named by the submitting module (e.g. a target agreement's assignee). */
  z.object({ kind: z.literal('addressee') }).strict(),
]);

export const policyStep = z
  .object({
    name: requiredText(50),
    approver: approverSpec,
    /** any: one approver decides (或签); all: every approver must approve (会签). */
    mode: z.enum(['any', 'all']).default('any'),
    /** With nobody to ask (no manager, say), pass the step instead of refusing the submission. */
    skipIfNone: z.boolean().default(false),
  })
  .strict();

export const policyRule = z
  .object({
    name: requiredText(50),
    conditions: z.array(policyCondition).max(10),
    steps: z.array(policyStep).min(1).max(10),
  })
  .strict();

const localized = z.object({ 'zh-CN': z.string(), en: z.string() });

export const factType = z.enum(['number', 'money', 'percent', 'boolean', 'text']);

export const approvalPolicy = z.object({
  docType: z.string(),
  label: localized,
  facts: z.array(z.object({ key: z.string(), type: factType, label: localized })),
  active: z.boolean(),
  rules: z.array(policyRule),
  /** 0 while no policy has been saved for the type. */
  version: z.number().int().min(0),
});
export type ApprovalPolicy = z.infer<typeof approvalPolicy>;

export const approvalPolicyUpdate = z
  .object({ active: z.boolean(), rules: z.array(policyRule).max(20), version: z.number().int().min(0) })
  .strict();

export const docTypeParams = z.object({ docType: z.string().max(50) }).strict();

export const approvalStatus = z.enum(['pending', 'approved', 'rejected', 'returned', 'withdrawn']);
export const stepStatus = z.enum([
  'waiting',
  'pending',
  'approved',
  'rejected',
  'returned',
  'skipped',
  'cancelled',
]);

const person = z.object({ id, name: z.string() });

export const approvalStepView = z.object({
  id,
  seq: z.number().int(),
  name: z.string(),
  mode: z.enum(['any', 'all']),
  status: stepStatus,
  approvers: z.array(person),
  /** Decisions in the order they were made; `for` is set when a delegate decided for an approver. */
  votes: z.array(
    z.object({
      by: person,
      for: person.nullable(),
      decision: z.enum(['approved', 'rejected', 'returned']),
      comment: z.string().nullable(),
      at: isoDateTime,
    }),
  ),
  activatedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
});

export const approvalRequestView = z.object({
  id,
  number: z.string(),
  docType: z.string(),
  docTypeLabel: z.string(),
  docId: z.string(),
  title: z.string(),
  link: z.string().nullable(),
  submitter: person,
  /** The facts the rule was matched on, labelled in the reader's language. */
  facts: z.array(z.object({ key: z.string(), label: z.string(), type: factType, value: z.unknown() })),
  ruleName: z.string().nullable(),
  status: approvalStatus,
  currentStep: z.number().int().nullable(),
  createdAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  steps: z.array(approvalStepView),
  /** What the caller may do now. */
  canAct: z.boolean(),
  canWithdraw: z.boolean(),
});
export type ApprovalRequestView = z.infer<typeof approvalRequestView>;

export const approvalBox = z.enum(['pending', 'done', 'submitted']);

export const approvalQuery = listQuery
  .omit({ sort: true })
  .extend({
    box: approvalBox.default('pending'),
    docType: z.string().max(50).optional(),
    status: approvalStatus.optional(),
  })
  .strict();

export const approvalCounts = z.object({ pending: z.number().int(), submitted: z.number().int() });

export const approvalAction = z.object({ stepId: id, comment: shortText(1000).optional() }).strict();

export const approvalActionKind = z.enum(['approve', 'reject', 'return']);

export const withdrawInput = z.object({ comment: shortText(1000).optional() }).strict();

export const timelineQuery = z.object({ docType: z.string().max(50), docId: z.string().max(100) }).strict();

export const delegation = z.object({
  id,
  user: person,
  delegate: person,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  reason: z.string(),
  cancelledAt: isoDateTime.nullable(),
});

export const delegationCreate = z
  .object({
    /** Whose approvals are delegated; defaults to the caller (administrators may set it for anyone). */
    userId: id.optional(),
    delegateId: id,
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    reason: shortText(200).default(''),
  })
  .strict();
