import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Pipelines (销售漏斗) and their stages, the sales settings (loss reasons, stall days), and
// opportunities (商机) with competitors, stage history and exit checklists.

export const stageKind = z.enum(['open', 'won', 'lost']);
export const stageRequiredField = z.enum([
  'amount',
  'expectedCloseDate',
  'contactId',
  'nextStep',
  'competitors',
]);
export const forecastCategory = z.enum(['pipeline', 'best_case', 'commit', 'closed']);
export const opportunityStatus = z.enum(['open', 'won', 'lost']);
const code = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_-]+$/, { message: 'format' });
const date = z.iso.date();

export const checklistItem = z
  .object({ key: code, textZh: requiredText(200), textEn: requiredText(200), required: z.boolean() })
  .strict();

export const pipelineStageInput = z
  .object({
    /** An existing stage keeps its id (and its opportunities); without one a stage is added. */
    id: id.optional(),
    nameZh: requiredText(50),
    nameEn: requiredText(50),
    probability: z.number().int().min(0).max(100),
    kind: stageKind,
    checklist: z.array(checklistItem).max(30).default([]),
    requiredFields: z.array(stageRequiredField).max(10).default([]),
  })
  .strict();

export const pipelineStage = z.object({
  id,
  position: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string(),
  probability: z.number().int(),
  kind: stageKind,
  checklist: z.array(checklistItem),
  requiredFields: z.array(stageRequiredField),
});

export const pipeline = z
  .object({
    id,
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    isDefault: z.boolean(),
    archived: z.boolean(),
    stages: z.array(pipelineStage),
    version,
  })
  .meta({ id: 'Pipeline' });

export const pipelineCreate = z
  .object({
    code,
    nameZh: requiredText(100),
    nameEn: requiredText(100),
    isDefault: z.boolean().optional(),
    stages: z.array(pipelineStageInput).min(3).max(20),
  })
  .strict();

export const pipelineUpdate = z
  .object({
    nameZh: requiredText(100).optional(),
    nameEn: requiredText(100).optional(),
    isDefault: z.literal(true).optional(),
    archived: z.boolean().optional(),
    /** The whole ordered list; a stage left out is removed (only if no opportunity uses it). */
    stages: z.array(pipelineStageInput).min(3).max(20).optional(),
    version,
  })
  .strict();

export const lossReason = z.object({ code, labelZh: requiredText(50), labelEn: requiredText(50) }).strict();
export const salesSettings = z.object({
  lossReasons: z.array(lossReason),
  stallDays: z.number().int(),
  version,
});
export const salesSettingsUpdate = z
  .object({
    lossReasons: z.array(lossReason).min(1).max(50).optional(),
    stallDays: z.number().int().min(1).max(365).optional(),
    version,
  })
  .strict();

// Opportunities

export const competitorInput = z
  .object({
    name: requiredText(100),
    price: fen.nullable().optional(),
    strengths: shortText(1000).optional(),
    weaknesses: shortText(1000).optional(),
  })
  .strict();
export const competitor = z.object({
  id,
  name: z.string(),
  price: z.number().int().nullable(),
  strengths: z.string().nullable(),
  weaknesses: z.string().nullable(),
});

const customFields = z.record(z.string(), z.unknown());

export const opportunityCreate = z
  .object({
    name: requiredText(200),
    customerId: id,
    contactIds: z.array(id).max(20).optional(),
    /** Default: the default pipeline; the stage defaults to its first. */
    pipelineId: id.optional(),
    stageId: id.optional(),
    amount: fen.optional(),
    expectedCloseDate: date.nullable().optional(),
    /** Set only to override the stage's default. */
    probability: z.number().int().min(0).max(100).optional(),
    forecastCategory: forecastCategory.optional(),
    nextStep: shortText(500).optional(),
    competitors: z.array(competitorInput).max(20).optional(),
    collaboratorIds: z.array(id).max(20).optional(),
    sourceLeadId: id.optional(),
    customFields: customFields.optional(),
  })
  .strict();

export const opportunityUpdate = z
  .object({
    name: requiredText(200).optional(),
    contactIds: z.array(id).max(20).optional(),
    amount: fen.optional(),
    expectedCloseDate: date.nullable().optional(),
    /** A number overrides the stage default; null goes back to it. */
    probability: z.number().int().min(0).max(100).nullable().optional(),
    /** A category overrides the derived one; null goes back to it. */
    forecastCategory: forecastCategory.nullable().optional(),
    nextStep: shortText(500).nullable().optional(),
    /** The whole list (replaces the current one). */
    competitors: z.array(competitorInput).max(20).optional(),
    collaboratorIds: z.array(id).max(20).optional(),
    customFields: customFields.optional(),
    version,
  })
  .strict();

export const opportunityMove = z
  .object({
    stageId: id,
    version,
    /** Exit-checklist items of the stage being left, ticked now: { itemKey: true }. */
    checklist: z.record(z.string(), z.boolean()).optional(),
  })
  .strict();
export const opportunityWin = z
  .object({
    version,
    checklist: z.record(z.string(), z.boolean()).optional(),
    note: shortText(1000).optional(),
  })
  .strict();
export const opportunityLose = z
  .object({
    version,
    reasonCode: code,
    competitorLostTo: shortText(100).optional(),
    note: shortText(1000).optional(),
  })
  .strict();
export const opportunityReopen = z.object({ version, stageId: id.optional() }).strict();

export const stageEntry = z.object({
  id,
  stageId: id,
  stageNameZh: z.string(),
  stageNameEn: z.string(),
  enteredAt: isoDateTime,
  enteredByName: z.string().nullable(),
  exitedAt: isoDateTime.nullable(),
  exitedByName: z.string().nullable(),
  /** Whole seconds in the stage (until now for the current stage). */
  secondsInStage: z.number().int(),
});

export const opportunity = z
  .object({
    id,
    name: z.string(),
    customerId: id,
    customerName: z.string(),
    pipelineId: id,
    stageId: id,
    stageNameZh: z.string(),
    stageNameEn: z.string(),
    stageKind,
    status: opportunityStatus,
    amount: z.number().int(),
    amountSource: z.enum(['manual', 'lines']),
    currency: z.string(),
    expectedCloseDate: z.string().nullable(),
    probability: z.number().int(),
    probabilityOverridden: z.boolean(),
    forecastCategory,
    forecastOverridden: z.boolean(),
    nextStep: z.string().nullable(),
    sourceLeadId: id.nullable(),
    lossReason: z.string().nullable(),
    lostToCompetitor: z.string().nullable(),
    closeNote: z.string().nullable(),
    closedAt: isoDateTime.nullable(),
    stageEnteredAt: isoDateTime,
    lastActivityAt: isoDateTime.nullable(),
    stalled: z.boolean(),
    ownerId: id,
    ownerName: z.string(),
    orgUnitId: id,
    customFields,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    version,
  })
  .meta({ id: 'Opportunity' });

export const opportunityDetail = opportunity
  .extend({
    contactIds: z.array(id),
    collaboratorIds: z.array(id),
    competitors: z.array(competitor),
    stageHistory: z.array(stageEntry),
    /** Ticked item keys per stage id. */
    checklist: z.record(z.string(), z.array(z.string())),
  })
  .meta({ id: 'OpportunityDetail' });

export const opportunityListQuery = listQuery
  .extend({
    pipelineId: id.optional(),
    stageId: id.optional(),
    customerId: id.optional(),
    ownerId: id.optional(),
    view: z.enum(['mine', 'team']).optional(),
    status: opportunityStatus.optional(),
    closeFrom: date.optional(),
    closeTo: date.optional(),
  })
  .strict();

export const kanbanQuery = opportunityListQuery
  .omit({ cursor: true, sort: true, limit: true, stageId: true })
  .extend({ perStage: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();
export const kanban = z.object({
  pipeline,
  columns: z.array(
    z.object({
      stageId: id,
      count: z.number().int(),
      /** Fen. */
      amount: z.number().int(),
      weightedAmount: z.number().int(),
      cards: z.array(opportunity),
    }),
  ),
});

export type Pipeline = z.infer<typeof pipeline>;
export type PipelineStage = z.infer<typeof pipelineStage>;
export type PipelineStageInput = z.input<typeof pipelineStageInput>;
export type SalesSettings = z.infer<typeof salesSettings>;
export type Opportunity = z.infer<typeof opportunity>;
export type OpportunityDetail = z.infer<typeof opportunityDetail>;
export type Kanban = z.infer<typeof kanban>;
export type ForecastCategoryValue = z.infer<typeof forecastCategory>;
export type StageRequiredFieldValue = z.infer<typeof stageRequiredField>;
