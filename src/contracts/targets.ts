import { z } from 'zod';
import { id, listQuery, requiredText, version } from './common.js';

// Targets (销售目标), their allocation (目标分解) and target agreements (目标责任书). Amounts are whole
// numbers of the metric's smallest unit: fen for money metrics, thousandths for units, 1 for counts.

export const TARGET_METRICS = [
  'booked_revenue',
  'shipped_revenue',
  'collected_revenue',
  'gross_profit',
  'units',
  'new_customers',
  'visits',
  'opportunities_won',
] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export const targetMetric = z.enum(TARGET_METRICS);

/** How a metric's amount is written: money in fen, units in thousandths, counts as they are. */
export const METRIC_KIND: Record<TargetMetric, 'money' | 'quantity' | 'count'> = {
  booked_revenue: 'money',
  shipped_revenue: 'money',
  collected_revenue: 'money',
  gross_profit: 'money',
  units: 'quantity',
  new_customers: 'count',
  visits: 'count',
  opportunities_won: 'count',
};
export const targetPeriodKind = z.enum(['year', 'quarter', 'month', 'week', 'day']);
export const targetDimension = z.enum(['company', 'org_unit', 'rep', 'product_category', 'customer']);
export const targetNodeState = z.enum(['draft', 'published']);
export const targetAgreementState = z.enum(['draft', 'sent', 'signed', 'rejected', 'superseded']);
export const allocationMethod = z.enum(['even', 'seasonality', 'weights']);

/** A target amount: never negative. */
export const targetAmount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const targetPeriod = z.object({
  kind: targetPeriodKind,
  start: z.string(),
  end: z.string(),
  key: z.string(),
});

export const targetPlanCreate = z
  .object({
    name: requiredText(100),
    fiscalYear: z.number().int().min(2000).max(2100),
    metric: targetMetric,
    /** The company's annual target. */
    amount: targetAmount,
  })
  .strict();

export const targetPlanUpdate = z.object({ name: requiredText(100), version }).strict();

export const targetPlan = z.object({
  id,
  name: z.string(),
  fiscalYear: z.number().int(),
  metric: targetMetric,
  metricKind: z.enum(['money', 'quantity', 'count']),
  rootNodeId: id.nullable(),
  /** The company total, or Σ of the nodes the reader sees at the top of their view. */
  amount: z.number().int(),
  archived: z.boolean(),
  version,
  createdAt: z.string(),
});

export const targetPlanListQuery = listQuery
  .extend({
    fiscalYear: z.coerce.number().int().optional(),
    metric: targetMetric.optional(),
    /** Include archived plans. */
    archived: z.stringbool().optional(),
  })
  .strict();

export const targetAgreementBrief = z.object({ id, number: z.string(), state: targetAgreementState });

export const targetNode = z.object({
  id,
  planId: id,
  parentId: id.nullable(),
  childSplit: z.enum(['dimension', 'period']).nullable(),
  dimension: targetDimension,
  dimensionId: id.nullable(),
  label: z.string(),
  period: targetPeriod,
  amount: z.number().int(),
  state: targetNodeState,
  ownerId: id.nullable(),
  ownerName: z.string().nullable(),
  orgUnitId: id,
  /** Σ of the children (null without children) and its difference from this node's amount. */
  childrenSum: z.number().int().nullable(),
  gap: z.number().int().nullable(),
  /** The latest agreement sent for this node. */
  agreement: targetAgreementBrief.nullable(),
  /** Covered by a signed agreement: changes need an approved change request. */
  locked: z.boolean(),
  version,
});

export const targetPlanDetail = z.object({
  plan: targetPlan,
  /** Every node the reader may see, parents before children. */
  nodes: z.array(targetNode),
});

export const targetAllocate = z
  .object({
    split: z.enum(['dimension', 'period']),
    /**
     * For a split by dimension: the sub-units of the node's unit, the reps in it, the catalog's
     * top-level product categories, or the customers named in `customerIds`.
     */
    dimension: z.enum(['org_unit', 'rep', 'product_category', 'customer']).optional(),
    /** For a split by customer: the key accounts to split among (default: those split before). */
    customerIds: z.array(id).min(1).max(200).optional(),
    /** For a split by period. */
    periodKind: targetPeriodKind.optional(),
    method: allocationMethod,
    /** For `weights`: child key (the unit's, rep's, category's or customer's id, or the period key) → weight ≥ 0. */
    weights: z.record(z.string(), z.number().min(0).max(1e9)).optional(),
    /** The parent node's version. */
    version,
  })
  .strict();

export const targetAllocation = z.object({
  parent: targetNode,
  children: z.array(targetNode),
  /** Seasonality found nothing last year, so the split is even. */
  fellBackToEven: z.boolean(),
});

export const targetNodeUpdate = z.object({ amount: targetAmount, version }).strict();

export const targetPublish = z.object({ version }).strict();

/** Bottom-up: a draft target becomes the sum of its children. */
export const targetRollUp = z.object({ version }).strict();

export const targetPublishResult = z.object({
  parent: targetNode,
  published: z.number().int(),
  agreementsSent: z.number().int(),
});

export const targetAgreement = z.object({
  id,
  number: z.string(),
  planId: id,
  planName: z.string(),
  fiscalYear: z.number().int(),
  metric: targetMetric,
  nodeId: id,
  label: z.string(),
  period: targetPeriod,
  amount: z.number().int(),
  /** The months (or other periods) below the agreement's target, as allocated. */
  breakdown: z.array(z.object({ key: z.string(), amount: z.number().int() })),
  state: targetAgreementState,
  assignee: z.object({ id, name: z.string() }),
  sentBy: z.object({ id, name: z.string() }).nullable(),
  comment: z.string().nullable(),
  sentAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  approvalRequestId: id.nullable(),
  canSign: z.boolean(),
  version,
});

export const targetAgreementListQuery = listQuery
  .extend({
    planId: id.optional(),
    state: targetAgreementState.optional(),
    /** mine: addressed to me; team (default): every agreement I can see. */
    who: z.enum(['mine', 'team']).optional(),
  })
  .strict();

export const targetAgreementReject = z.object({ comment: requiredText(500) }).strict();

export const targetChangeCreate = z
  .object({
    /** New amounts for some children of the node; the children must still sum to it. */
    changes: z
      .array(z.object({ nodeId: id, amount: targetAmount }).strict())
      .min(1)
      .max(500),
    reason: requiredText(500),
  })
  .strict();

export const targetChangeRequest = z.object({
  id,
  planId: id,
  parentId: id,
  changes: z.array(z.object({ nodeId: id, label: z.string(), from: z.number().int(), to: z.number().int() })),
  reason: z.string(),
  state: z.enum(['pending', 'approved', 'rejected', 'returned', 'withdrawn']),
  approvalRequestId: id.nullable(),
  requestedBy: z.object({ id, name: z.string() }).nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

/** Set the target of one period below a node (a week or a day on demand). */
export const targetPeriodSet = z
  .object({
    periodKind: targetPeriodKind,
    /** Any day of the period, YYYY-MM-DD. */
    periodStart: z.iso.date(),
    amount: targetAmount,
    /** The parent node's version. */
    version,
  })
  .strict();

export const targetChangeList = z.object({ items: z.array(targetChangeRequest) });

export type TargetPlan = z.infer<typeof targetPlan>;
export type TargetNode = z.infer<typeof targetNode>;
export type TargetPlanDetail = z.infer<typeof targetPlanDetail>;
export type TargetAgreement = z.infer<typeof targetAgreement>;
export type TargetChangeRequest = z.infer<typeof targetChangeRequest>;
