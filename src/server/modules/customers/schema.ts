import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';

/**
 * Owned records (leads, customers, activities) carry owner_id and org_unit_id: the owner's unit
 * when assigned, so "team" scope is one path match. An owner of null means the record is in
 * the public pool (公海) of org_unit_id's subtree.
 */
const ownership = () => ({
  ownerId: uuid('owner_id'),
  orgUnitId: uuid('org_unit_id').notNull(),
});

export const CUSTOMER_GRADES = ['A', 'B', 'C'] as const;
export type CustomerGrade = (typeof CUSTOMER_GRADES)[number];
export const LIFECYCLES = ['prospect', 'active', 'dormant', 'lost'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const customers = pgTable(
  'customers',
  {
    id: idColumn(),
    kind: text('kind').$type<'company' | 'individual'>().notNull().default('company'),
    name: text('name').notNull(),
    shortName: text('short_name'),
    /** Dedupe keys, maintained by the service: name without company suffixes/punctuation, its pinyin and initials. */
    nameKey: text('name_key').notNull(),
    namePinyin: text('name_pinyin').notNull(),
    nameInitials: text('name_initials').notNull(),
    /** 统一社会信用代码, checksum-validated; unique among live customers. */
    creditCode: text('credit_code'),
    industry: text('industry'),
    size: text('size'),
    provinceCode: text('province_code'),
    cityCode: text('city_code'),
    districtCode: text('district_code'),
    address: text('address'),
    phone: text('phone'),
    website: text('website'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    grade: text('grade').$type<CustomerGrade>(),
    gradeSource: text('grade_source').$type<'manual' | 'rule'>(),
    lifecycle: text('lifecycle').$type<Lifecycle>().notNull().default('prospect'),
    /** Money in fen. */
    creditLimit: bigint('credit_limit', { mode: 'bigint' }),
    creditRating: text('credit_rating'),
    source: text('source'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    ...ownership(),
    lastFollowUpAt: timestamp('last_follow_up_at', { withTimezone: true }),
    /** When the next follow-up is due by the grade's cadence (null without a grade or owner). */
    followUpDueAt: timestamp('follow_up_due_at', { withTimezone: true }),
    pooledAt: timestamp('pooled_at', { withTimezone: true }),
    /** Set when merged into another customer (the survivor); merged records are hidden. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => customers.id),
    ...rowColumns(),
  },
  (t) => [
    index('customers_owner_idx').on(t.ownerId, t.updatedAt),
    index('customers_org_unit_idx').on(t.orgUnitId, t.updatedAt),
    index('customers_updated_idx').on(t.updatedAt, t.id),
    index('customers_name_key_idx').on(t.nameKey.op('text_pattern_ops')),
    index('customers_pinyin_idx').on(t.namePinyin.op('text_pattern_ops')),
    index('customers_initials_idx').on(t.nameInitials.op('text_pattern_ops')),
    index('customers_phone_idx').on(t.phone),
    index('customers_due_idx').on(t.ownerId, t.followUpDueAt),
    uniqueIndex('customers_credit_code_idx')
      .on(t.creditCode)
      .where(sql`${t.creditCode} is not null and ${t.mergedIntoId} is null`),
    check('customers_kind_check', sql`${t.kind} in ('company', 'individual')`),
    check('customers_grade_check', sql`${t.grade} in ('A', 'B', 'C')`),
    check('customers_lifecycle_check', sql`${t.lifecycle} in ('prospect', 'active', 'dormant', 'lost')`),
  ],
);

/** Other reps who work the customer with its owner (read and log activities). */
export const customerCollaborators = pgTable(
  'customer_collaborators',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.userId] }),
    index('customer_collaborators_user_idx').on(t.userId),
  ],
);

export const DECISION_ROLES = ['decision_maker', 'influencer', 'user', 'gatekeeper', 'other'] as const;

export const contacts = pgTable(
  'contacts',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    title: text('title'),
    mobile: text('mobile'),
    phone: text('phone'),
    email: text('email'),
    wechat: text('wechat'),
    birthday: date('birthday'),
    decisionRole: text('decision_role').$type<(typeof DECISION_ROLES)[number]>(),
    isPrimary: boolean('is_primary').notNull().default(false),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    index('contacts_customer_idx').on(t.customerId),
    index('contacts_mobile_idx').on(t.mobile),
    uniqueIndex('contacts_one_primary_idx')
      .on(t.customerId)
      .where(sql`${t.isPrimary} and ${t.archivedAt} is null`),
  ],
);

export const LEAD_STATUSES = ['new', 'working', 'converted', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** How a lead was captured: the UI form, the inbound call log, the walk-in log, the public web form, an import. */
export const CAPTURE_CHANNELS = ['form', 'phone', 'walk_in', 'web', 'import'] as const;

export const leads = pgTable(
  'leads',
  {
    id: idColumn(),
    personName: text('person_name'),
    companyName: text('company_name'),
    title: text('title'),
    mobile: text('mobile'),
    email: text('email'),
    wechat: text('wechat'),
    provinceCode: text('province_code'),
    cityCode: text('city_code'),
    /** Configurable lists (settings): campaign, ad, exhibition, referral, website, inbound_call, walk_in, … */
    source: text('source'),
    awarenessChannel: text('awareness_channel'),
    campaignId: uuid('campaign_id'),
    needs: text('needs'),
    intentLevel: text('intent_level').$type<'high' | 'medium' | 'low'>(),
    captureChannel: text('capture_channel')
      .$type<(typeof CAPTURE_CHANNELS)[number]>()
      .notNull()
      .default('form'),
    /** The call-log or walk-in-log form as filled in (time, caller, asked, party size, age band…). */
    captureDetails: jsonb('capture_details').$type<Record<string, unknown>>().notNull().default({}),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    score: integer('score').notNull().default(0),
    scoreReasons: jsonb('score_reasons').$type<{ rule: string; points: number }[]>().notNull().default([]),
    status: text('status').$type<LeadStatus>().notNull().default('new'),
    disqualifyReason: text('disqualify_reason'),
    ...ownership(),
    lastFollowUpAt: timestamp('last_follow_up_at', { withTimezone: true }),
    pooledAt: timestamp('pooled_at', { withTimezone: true }),
    convertedCustomerId: uuid('converted_customer_id').references(() => customers.id),
    convertedContactId: uuid('converted_contact_id').references(() => contacts.id),
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    /** The open lead of the same mobile or email that was there first: a returning inquiry. */
    duplicateOfId: uuid('duplicate_of_id').references((): AnyPgColumn => leads.id),
    ...rowColumns(),
  },
  (t) => [
    index('leads_owner_idx').on(t.ownerId, t.updatedAt),
    index('leads_org_unit_idx').on(t.orgUnitId, t.updatedAt),
    index('leads_status_idx').on(t.status, t.updatedAt),
    index('leads_mobile_idx').on(t.mobile),
    index('leads_email_idx').on(sql`lower(${t.email})`),
    check('leads_status_check', sql`${t.status} in ('new', 'working', 'converted', 'disqualified')`),
    check('leads_reachable_check', sql`${t.mobile} is not null or ${t.email} is not null`),
  ],
);

export const ACTIVITY_TYPES = ['visit', 'call', 'message', 'email', 'meeting', 'task'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Follow-ups (跟进 / 回访 / 拜访): on a customer, a contact or a lead; later on an opportunity. */
export const activities = pgTable(
  'activities',
  {
    id: idColumn(),
    type: text('type').$type<ActivityType>().notNull(),
    subject: text('subject').notNull(),
    notes: text('notes'),
    outcome: text('outcome'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    nextStep: text('next_step'),
    nextStepAt: timestamp('next_step_at', { withTimezone: true }),
    customerId: uuid('customer_id').references(() => customers.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    leadId: uuid('lead_id').references(() => leads.id),
    /** Reserved for the sales module. */
    opportunityId: uuid('opportunity_id'),
    /** Tasks: done or not; other types are done when logged. */
    done: boolean('done').notNull().default(true),
    ...ownership(),
    ...rowColumns(),
  },
  (t) => [
    index('activities_customer_idx').on(t.customerId, t.occurredAt),
    index('activities_lead_idx').on(t.leadId, t.occurredAt),
    index('activities_opportunity_idx').on(t.opportunityId, t.occurredAt),
    index('activities_owner_idx').on(t.ownerId, t.occurredAt),
    // The sales facts refresh reads the visits touched since its last run.
    index('activities_updated_idx').on(t.updatedAt),
    check(
      'activities_type_check',
      sql`${t.type} in ('visit', 'call', 'message', 'email', 'meeting', 'task')`,
    ),
    check('activities_subject_check', sql`${t.customerId} is not null or ${t.leadId} is not null`),
  ],
);

/** Claims, releases, reclaims and assignments of pool records: limits per day and the trail. */
export const poolEvents = pgTable(
  'pool_events',
  {
    id: idColumn(),
    entity: text('entity').$type<'lead' | 'customer'>().notNull(),
    entityId: uuid('entity_id').notNull(),
    action: text('action').$type<'claim' | 'release' | 'reclaim' | 'assign'>().notNull(),
    /** Who got the record (claim, assign) or gave it up (release, reclaim). */
    userId: uuid('user_id'),
    actorId: uuid('actor_id'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('pool_events_user_idx').on(t.userId, t.action, t.at),
    index('pool_events_entity_idx').on(t.entity, t.entityId, t.at),
  ],
);

/** The customers module's settings (one row): cadence, pool rules, lists. */
export const customerSettings = pgTable(
  'customer_settings',
  {
    id: integer('id').primaryKey().default(1),
    /** Days between follow-ups by grade (seed 002: A 7, B 14, C 30). */
    cadenceDays: jsonb('cadence_days')
      .$type<Record<CustomerGrade, number>>()
      .notNull()
      .default({ A: 7, B: 14, C: 30 }),
    /** Days without a follow-up before an owned record returns to the pool, by grade; `lead` for leads. */
    poolDays: jsonb('pool_days')
      .$type<Record<CustomerGrade | 'none' | 'lead', number>>()
      .notNull()
      .default({ A: 30, B: 30, C: 30, none: 30, lead: 14 }),
    maxHeld: integer('max_held').notNull().default(200),
    maxClaimsPerDay: integer('max_claims_per_day').notNull().default(20),
    leadSources: text('lead_sources')
      .array()
      .notNull()
      .default(sql`'{campaign,ad,exhibition,referral,website,inbound_call,walk_in,other}'::text[]`),
    /** Grade by trailing-12-month revenue (fen) once orders exist; null = grades are set by hand. */
    gradeThresholds: jsonb('grade_thresholds').$type<{ A: number; B: number } | null>(),
    ...rowColumns(),
  },
  (t) => [check('customer_settings_single_row', sql`${t.id} = 1`)],
);
