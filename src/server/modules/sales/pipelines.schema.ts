import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Fields an opportunity must have filled in to leave a stage (a fixed list the admin picks from). */
export const STAGE_REQUIRED_FIELDS = [
  'amount',
  'expectedCloseDate',
  'contactId',
  'nextStep',
  'competitors',
] as const;
export type StageRequiredField = (typeof STAGE_REQUIRED_FIELDS)[number];

export interface ChecklistItem {
  /** Stable within the stage: what a ticked item is stored under. */
  key: string;
  textZh: string;
  textEn: string;
  required: boolean;
}

export interface LossReason {
  code: string;
  labelZh: string;
  labelEn: string;
}

/** A sales process (销售漏斗): project sales, distribution… Archived, never deleted. */
export const pipelines = pgTable(
  'pipelines',
  {
    id: idColumn(),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('pipelines_code_idx').on(t.code),
    uniqueIndex('pipelines_one_default_idx').on(t.isDefault).where(sql`${t.isDefault}`),
  ],
);

/** The ordered stages of a pipeline: exactly one won and one lost stage each. */
export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    id: idColumn(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id),
    position: integer('position').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** Default win probability (percent) of an opportunity at this stage. */
    probability: integer('probability').notNull(),
    kind: text('kind').$type<StageKind>().notNull().default('open'),
    /** The exit checklist: required items must be ticked to leave the stage. */
    checklist: jsonb('checklist').$type<ChecklistItem[]>().notNull().default([]),
    /** Fields that must be filled in to leave the stage. */
    requiredFields: text('required_fields')
      .array()
      .$type<StageRequiredField[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    ...rowColumns(),
  },
  (t) => [
    index('pipeline_stages_pipeline_idx').on(t.pipelineId, t.position),
    check('pipeline_stages_kind_check', sql`${t.kind} in ('open', 'won', 'lost')`),
    check('pipeline_stages_probability_check', sql`${t.probability} between 0 and 100`),
  ],
);

/** The sales module's settings (one row): loss reasons, days without activity before a stall. */
export const salesSettings = pgTable(
  'sales_settings',
  {
    id: integer('id').primaryKey().default(1),
    lossReasons: jsonb('loss_reasons').$type<LossReason[]>().notNull().default([]),
    stallDays: integer('stall_days').notNull().default(14),
    ...rowColumns(),
  },
  (t) => [
    check('sales_settings_single_row', sql`${t.id} = 1`),
    check('sales_settings_stall_days_check', sql`${t.stallDays} between 1 and 365`),
  ],
);
