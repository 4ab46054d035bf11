import { z } from 'zod';
import { id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Activities (跟进记录), grades & cadence, due follow-ups, the public pool (公海) and the
// customers module's settings.

export const activityType = z.enum(['visit', 'call', 'message', 'email', 'meeting', 'task']);
export type ActivityTypeValue = z.infer<typeof activityType>;
const gradeValue = z.enum(['A', 'B', 'C']);

export const activity = z.object({
  id,
  type: activityType,
  subject: z.string(),
  notes: z.string().nullable(),
  outcome: z.string().nullable(),
  occurredAt: isoDateTime,
  nextStep: z.string().nullable(),
  nextStepAt: isoDateTime.nullable(),
  customerId: id.nullable(),
  customerName: z.string().nullable(),
  contactId: id.nullable(),
  contactName: z.string().nullable(),
  leadId: id.nullable(),
  leadName: z.string().nullable(),
  done: z.boolean(),
  ownerId: id.nullable(),
  ownerName: z.string().nullable(),
  orgUnitId: id,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Activity = z.infer<typeof activity>;

const when = z.iso.datetime({ offset: true });

export const activityCreate = z
  .object({
    type: activityType,
    subject: requiredText(200),
    notes: shortText(5000).optional(),
    outcome: shortText(500).optional(),
    /** When it happened (default now); a task's due time. */
    occurredAt: when.optional(),
    nextStep: shortText(500).optional(),
    nextStepAt: when.optional(),
    customerId: id.optional(),
    contactId: id.optional(),
    leadId: id.optional(),
    /** An opportunity of the customer (sales module); its customer is the activity's customer. */
    opportunityId: id.optional(),
    /** Tasks only: already done? (default false for tasks). */
    done: z.boolean().optional(),
  })
  .strict();

export const activityUpdate = z
  .object({
    type: activityType.optional(),
    subject: requiredText(200).optional(),
    notes: shortText(5000).nullable().optional(),
    outcome: shortText(500).nullable().optional(),
    occurredAt: when.optional(),
    nextStep: shortText(500).nullable().optional(),
    nextStepAt: when.nullable().optional(),
    done: z.boolean().optional(),
    version,
  })
  .strict();

export const activityListQuery = listQuery
  .extend({
    customerId: id.optional(),
    leadId: id.optional(),
    ownerId: id.optional(),
    type: activityType.optional(),
  })
  .strict();

export const dueFollowUp = z.object({
  customerId: id,
  name: z.string(),
  grade: gradeValue.nullable(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  lastFollowUpAt: isoDateTime.nullable(),
  followUpDueAt: isoDateTime,
  /** Whole days past due (0 = due today). */
  overdueDays: z.number().int(),
});
export type DueFollowUp = z.infer<typeof dueFollowUp>;

export const dueFollowUpQuery = listQuery
  .extend({
    /** mine (default) or team: everyone in the actor's scope. */
    who: z.enum(['mine', 'team']).optional(),
    /** overdue: past due only; default: due today and overdue. */
    when: z.enum(['due', 'overdue']).optional(),
  })
  .strict();

export const poolEntity = z.enum(['lead', 'customer']);

export const poolItem = z.object({
  entity: poolEntity,
  id,
  name: z.string(),
  grade: gradeValue.nullable(),
  orgUnitId: id,
  orgUnitName: z.string(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  pooledAt: isoDateTime.nullable(),
  lastFollowUpAt: isoDateTime.nullable(),
  version,
});
export type PoolItem = z.infer<typeof poolItem>;

export const poolQuery = listQuery.extend({ entity: poolEntity.optional() }).strict();

export const poolParams = z.object({ entity: poolEntity, id }).strict();
export const poolRelease = z.object({ reason: requiredText(500) }).strict();

export const poolClaimResult = z.object({
  entity: poolEntity,
  id,
  ownerId: id,
  held: z.number().int(),
  claimedToday: z.number().int(),
});

export const customerSettings = z.object({
  cadenceDays: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }),
  poolDays: z.object({
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    none: z.number().int(),
    lead: z.number().int(),
  }),
  maxHeld: z.number().int(),
  maxClaimsPerDay: z.number().int(),
  leadSources: z.array(z.string()),
  /** Trailing-12-month revenue in fen for A and B; null = grades are set by hand. */
  gradeThresholds: z.object({ A: z.number().int(), B: z.number().int() }).nullable(),
  version,
});
export type CustomerSettingsDto = z.infer<typeof customerSettings>;

const days = z.number().int().min(1).max(3650);

export const customerSettingsUpdate = z
  .object({
    cadenceDays: z.object({ A: days, B: days, C: days }).strict().optional(),
    poolDays: z.object({ A: days, B: days, C: days, none: days, lead: days }).strict().optional(),
    maxHeld: z.number().int().min(1).max(100000).optional(),
    maxClaimsPerDay: z.number().int().min(1).max(10000).optional(),
    leadSources: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(50)
          .regex(/^[a-z0-9_]+$/, { message: 'format' }),
      )
      .min(1)
      .max(100)
      .optional(),
    gradeThresholds: z
      .object({ A: z.number().int().min(0), B: z.number().int().min(0) })
      .strict()
      .nullable()
      .optional(),
    version,
  })
  .strict();
