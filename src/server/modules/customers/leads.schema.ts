import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { orgUnits } from '../org/schema.js';

/**
 * A web-to-lead form: a website or landing page posts to /public/leads/{token}. The token is the
 * form's only credential (administrators regenerate it when it leaks); `source` is what the
 * captured leads get, `orgUnitId` the pool they fall into when no territory matches.
 */
export const leadForms = pgTable(
  'lead_forms',
  {
    id: idColumn(),
    name: text('name').notNull(),
    token: text('token').notNull(),
    source: text('source').notNull().default('website'),
    orgUnitId: uuid('org_unit_id').references(() => orgUnits.id),
    active: boolean('active').notNull().default(true),
    ...rowColumns(),
  },
  (t) => [uniqueIndex('lead_forms_token_idx').on(t.token)],
);

/** Scoring rules (see scoring.ts) as the administrator set them; null = the built-in defaults. */
export interface LeadScoringRules {
  /** Source reliability: points by lead source key. */
  sourcePoints: Record<string, number>;
  /** Completeness: points for each filled field. */
  fieldPoints: Record<string, number>;
  /** Need match: points when the needs text contains the keyword (case-insensitive). */
  needKeywords: { keyword: string; points: number }[];
  /** Intent level points. */
  intentPoints: { high: number; medium: number; low: number };
  /** Activity: points per follow-up logged in the last 30 days, at most `activityMax`. */
  activityPoints: number;
  activityMax: number;
}

/** The leads part of the module's settings (one row): scoring rules and assignment limits. */
export const leadRules = pgTable(
  'lead_rules',
  {
    id: integer('id').primaryKey().default(1),
    scoring: jsonb('scoring').$type<LeadScoringRules>(),
    /** Open (new or working) leads a rep may hold before round robin skips them. */
    capPerRep: integer('cap_per_rep').notNull().default(50),
    /** The pool for leads whose province/city matches no territory; null = the company. */
    fallbackOrgUnitId: uuid('fallback_org_unit_id').references(() => orgUnits.id),
    ...rowColumns(),
  },
  (t) => [check('lead_rules_single_row', sql`${t.id} = 1`)],
);
