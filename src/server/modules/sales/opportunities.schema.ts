import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { contacts, customers, leads } from '../customers/schema.js';
import { pipelineStages, pipelines } from './pipelines.schema.js';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];
export const FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'closed'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** Sales opportunities (商机): owned records, like customers (owner + owner's unit, collaborators). */
export const opportunities = pgTable(
  'opportunities',
  {
    id: idColumn(),
    name: text('name').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id),
    stageId: uuid('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    status: text('status').$type<OpportunityStatus>().notNull().default('open'),
    /** Money in fen. `manual` for now; `lines` once products come from price resolution. */
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
    amountSource: text('amount_source').$type<'manual' | 'lines'>().notNull().default('manual'),
    currency: text('currency').notNull().default('CNY'),
    expectedCloseDate: date('expected_close_date', { mode: 'string' }),
    /** Percent; the stage's default unless the owner overrode it. */
    probability: integer('probability').notNull(),
    probabilityOverridden: boolean('probability_overridden').notNull().default(false),
    forecastCategory: text('forecast_category').$type<ForecastCategory>().notNull(),
    forecastOverridden: boolean('forecast_overridden').notNull().default(false),
    nextStep: text('next_step'),
    sourceLeadId: uuid('source_lead_id').references(() => leads.id),
    lossReason: text('loss_reason'),
    lostToCompetitor: text('lost_to_competitor'),
    closeNote: text('close_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when the stall alert went out; cleared in effect by a later activity (once per stall). */
    stalledNotifiedAt: timestamp('stalled_notified_at', { withTimezone: true }),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    index('opportunities_owner_idx').on(t.ownerId, t.updatedAt),
    index('opportunities_org_unit_idx').on(t.orgUnitId, t.updatedAt),
    index('opportunities_customer_idx').on(t.customerId),
    index('opportunities_stage_idx').on(t.pipelineId, t.stageId, t.updatedAt),
    index('opportunities_updated_idx').on(t.updatedAt, t.id),
    index('opportunities_close_idx').on(t.expectedCloseDate, t.id),
    check('opportunities_status_check', sql`${t.status} in ('open', 'won', 'lost')`),
    check(
      'opportunities_forecast_check',
      sql`${t.forecastCategory} in ('pipeline', 'best_case', 'commit', 'closed')`,
    ),
    check('opportunities_probability_check', sql`${t.probability} between 0 and 100`),
    check('opportunities_amount_check', sql`${t.amount} >= 0`),
    check('opportunities_lost_reason_check', sql`${t.status} <> 'lost' or ${t.lossReason} is not null`),
  ],
);

export const opportunityContacts = pgTable(
  'opportunity_contacts',
  {
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id),
  },
  (t) => [primaryKey({ columns: [t.opportunityId, t.contactId] })],
);

export const opportunityCollaborators = pgTable(
  'opportunity_collaborators',
  {
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.opportunityId, t.userId] }),
    index('opportunity_collaborators_user_idx').on(t.userId),
  ],
);

export const opportunityCompetitors = pgTable(
  'opportunity_competitors',
  {
    id: idColumn(),
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** Their offered price, fen. */
    price: bigint('price', { mode: 'number' }),
    strengths: text('strengths'),
    weaknesses: text('weaknesses'),
  },
  (t) => [index('opportunity_competitors_opportunity_idx').on(t.opportunityId, t.position)],
);

/** One row per stage entry; time in stage = exited_at (or now) − entered_at. */
export const opportunityStageHistory = pgTable(
  'opportunity_stage_history',
  {
    id: idColumn(),
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id),
    stageId: uuid('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    enteredBy: uuid('entered_by'),
    exitedAt: timestamp('exited_at', { withTimezone: true }),
    exitedBy: uuid('exited_by'),
  },
  (t) => [index('opportunity_stage_history_idx').on(t.opportunityId, t.enteredAt)],
);

/** Ticked exit-checklist items, per opportunity and stage. */
export const opportunityChecklist = pgTable(
  'opportunity_checklist',
  {
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id),
    stageId: uuid('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    itemKey: text('item_key').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
    checkedBy: uuid('checked_by'),
  },
  (t) => [primaryKey({ columns: [t.opportunityId, t.stageId, t.itemKey] })],
);
