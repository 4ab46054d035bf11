import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';
import { customerGrade } from './customers.js';

// Account plan (客户策略卡) and monthly account review (客户月评卡), cards on a customer.

const longText = (max = 2000) => shortText(max).nullable().optional();
const isoDate = z.iso.date();

export const accountPlan = z.object({
  id,
  customerId: id,
  relationshipGoals: z.string().nullable(),
  /** Fen. */
  annualTarget: z.number().int().nullable(),
  productFocus: z.string().nullable(),
  decisionMakers: z.array(z.object({ id, name: z.string(), title: z.string().nullable() })),
  strategy: z.string().nullable(),
  creditRisk: z.string().nullable(),
  capabilityRisk: z.string().nullable(),
  priceRisk: z.string().nullable(),
  supportNeeded: z.string().nullable(),
  reviewDate: z.string().nullable(),
  updatedBy: id.nullable(),
  updatedByName: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type AccountPlan = z.infer<typeof accountPlan>;

/** GET answers the current plan, or null when the customer has none yet. */
export const accountPlanResult = z.object({ plan: accountPlan.nullable() });

/** Saves the plan: without `version` it creates the first one; with it, updates that version. */
export const accountPlanSave = z
  .object({
    relationshipGoals: longText(),
    annualTarget: fen.nullable().optional(),
    productFocus: longText(1000),
    decisionMakerIds: z.array(id).max(20).optional(),
    strategy: longText(4000),
    creditRisk: longText(),
    capabilityRisk: longText(),
    priceRisk: longText(),
    supportNeeded: longText(),
    reviewDate: isoDate.nullable().optional(),
    version: version.optional(),
  })
  .strict();

export const reviewMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'format' });
const score = z.number().int().min(1).max(5);

export const reviewScores = z
  .object({
    enthusiasm: score,
    sales: score,
    payment: score,
    priceDiscipline: score,
    capability: score,
  })
  .strict();

export const accountReview = z.object({
  id,
  customerId: id,
  month: z.string(),
  scores: z.object({
    enthusiasm: z.number().int(),
    sales: z.number().int(),
    payment: z.number().int(),
    priceDiscipline: z.number().int(),
    capability: z.number().int(),
  }),
  overall: z.number(),
  summary: z.string().nullable(),
  issues: z.string().nullable(),
  nextActions: z.string().nullable(),
  reviewerId: id,
  reviewerName: z.string().nullable(),
  managerComment: z.string().nullable(),
  managerCommentBy: id.nullable(),
  managerCommentByName: z.string().nullable(),
  managerCommentAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type AccountReview = z.infer<typeof accountReview>;

export const accountReviewCreate = z
  .object({
    month: reviewMonth,
    scores: reviewScores,
    summary: longText(),
    issues: longText(),
    nextActions: longText(),
  })
  .strict();

export const accountReviewUpdate = z
  .object({
    scores: reviewScores.optional(),
    summary: longText(),
    issues: longText(),
    nextActions: longText(),
    version,
  })
  .strict();

export const accountReviewComment = z.object({ comment: requiredText(2000), version }).strict();

export const accountReviewParams = z.object({ id, reviewId: id }).strict();

/** Owned A and B customers in my scope without a review for the month (default: this month). */
export const missingReviewQuery = listQuery
  .extend({ month: reviewMonth.optional(), ownerId: id.optional() })
  .strict();

export const missingReview = z.object({
  customerId: id,
  name: z.string(),
  grade: customerGrade,
  ownerId: id,
  ownerName: z.string(),
  orgUnitName: z.string(),
  /** The customer's latest review month, if any. */
  lastReviewMonth: z.string().nullable(),
});
export type MissingReview = z.infer<typeof missingReview>;

export const missingReviewPage = z.object({
  month: z.string(),
  items: z.array(missingReview),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
