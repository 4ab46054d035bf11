import { sql } from 'drizzle-orm';
import {
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
import { contacts, customers } from './schema.js';

export const COMPLAINT_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];
export const COMPLAINT_CHANNELS = ['phone', 'visit', 'email', 'wechat', 'web'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export type SlaHours = Record<ComplaintSeverity, number>;

/**
 * Complaints (投诉) of a customer. The handler is the owner (by default the customer's owner) and
 * org_unit_id is the handler's unit, so the complaints scope works like every owned record; the
 * customer's scope also lets everyone who sees the customer read its complaints.
 */
export const complaints = pgTable(
  'complaints',
  {
    id: idColumn(),
    /** CP-2026-000001 */
    number: text('number').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    subject: text('subject').notNull(),
    description: text('description'),
    /** A code of complaint_settings.categories (product_quality, delivery, service, billing, other, …). */
    category: text('category').notNull(),
    severity: text('severity').$type<ComplaintSeverity>().notNull(),
    channel: text('channel').$type<ComplaintChannel>().notNull(),
    /** The handler. */
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    status: text('status').$type<ComplaintStatus>().notNull().default('open'),
    /** Creation + the SLA hours of the severity (calendar hours). */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
    /** CSAT 1–5, asked when the complaint is closed. */
    satisfaction: integer('satisfaction'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Set by the overdue job when it alerted the handler and their manager: once per complaint. */
    overdueNotifiedAt: timestamp('overdue_notified_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('complaints_number_idx').on(t.number),
    index('complaints_customer_idx').on(t.customerId, t.createdAt),
    index('complaints_owner_idx').on(t.ownerId, t.createdAt),
    index('complaints_org_unit_idx').on(t.orgUnitId, t.createdAt),
    index('complaints_created_idx').on(t.createdAt, t.id),
    index('complaints_sla_idx').on(t.slaDueAt).where(sql`${t.status} in ('open', 'in_progress')`),
    check('complaints_status_check', sql`${t.status} in ('open', 'in_progress', 'resolved', 'closed')`),
    check('complaints_severity_check', sql`${t.severity} in ('low', 'medium', 'high', 'critical')`),
    check('complaints_channel_check', sql`${t.channel} in ('phone', 'visit', 'email', 'wechat', 'web')`),
    check('complaints_satisfaction_check', sql`${t.satisfaction} between 1 and 5`),
    check(
      'complaints_resolution_check',
      sql`${t.status} not in ('resolved', 'closed') or (${t.resolution} is not null and ${t.resolvedAt} is not null)`,
    ),
    check('complaints_closed_check', sql`${t.status} <> 'closed' or ${t.satisfaction} is not null`),
  ],
);

/** Complaint categories and SLA hours per severity (one row), set by whoever manages customer settings. */
export const complaintSettings = pgTable(
  'complaint_settings',
  {
    id: integer('id').primaryKey().default(1),
    categories: text('categories')
      .array()
      .notNull()
      .default(sql`'{product_quality,delivery,service,billing,other}'::text[]`),
    slaHours: jsonb('sla_hours')
      .$type<SlaHours>()
      .notNull()
      .default({ critical: 4, high: 24, medium: 72, low: 168 }),
    ...rowColumns(),
  },
  (t) => [check('complaint_settings_single_row', sql`${t.id} = 1`)],
);
