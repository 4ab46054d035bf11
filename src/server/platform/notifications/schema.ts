import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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
import { users } from '../../modules/org/schema.js';

/**
 * One notification for one recipient. The text is not stored: it is rendered from the event's
 * templates and `params` in the reader's language when read or sent.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    event: text('event').notNull(),
    params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
    /** An in-app path ('/quotes/…') the inbox opens. */
    link: text('link'),
    entity: text('entity'),
    entityId: text('entity_id'),
    /** False when the recipient turned the in-app channel off: the row only carries deliveries. */
    inApp: boolean('in_app').notNull().default(true),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_inbox_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null and ${t.inApp}`),
  ],
);

/** A user's choice per event type; no row means every channel is on. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    event: text('event').notNull(),
    inApp: boolean('in_app').notNull().default(true),
    email: boolean('email').notNull().default(true),
    webhook: boolean('webhook').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.event] })],
);

/** One row: the outgoing mail server and the address links in messages point to. */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    id: integer('id').primaryKey().default(1),
    smtpEnabled: boolean('smtp_enabled').notNull().default(false),
    smtpHost: text('smtp_host').notNull().default(''),
    smtpPort: integer('smtp_port').notNull().default(465),
    /** true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered. */
    smtpSecure: boolean('smtp_secure').notNull().default(true),
    smtpUser: text('smtp_user').notNull().default(''),
    smtpPassword: text('smtp_password').notNull().default(''),
    fromAddress: text('from_address').notNull().default(''),
    fromName: text('from_name').notNull().default(''),
    /** Where users open the app (https://crm.example.com): turns in-app links into full URLs. */
    appUrl: text('app_url').notNull().default(''),
    ...rowColumns(),
  },
  (t) => [check('notification_settings_single_row', sql`${t.id} = 1`)],
);

export type WebhookKind = 'wecom' | 'dingtalk' | 'feishu';

/** A group-chat robot that relays notifications (WeCom / DingTalk / Feishu custom bots). */
export const notificationWebhooks = pgTable(
  'notification_webhooks',
  {
    id: idColumn(),
    name: text('name').notNull(),
    kind: text('kind').$type<WebhookKind>().notNull(),
    url: text('url').notNull(),
    /** Signing secret (DingTalk "加签", Feishu "签名校验"); empty when the robot has none. */
    secret: text('secret').notNull().default(''),
    /** Event types relayed; empty = all. */
    events: jsonb('events').$type<string[]>().notNull().default([]),
    enabled: boolean('enabled').notNull().default(true),
    ...rowColumns(),
  },
  (t) => [check('notification_webhooks_kind', sql`${t.kind} in ('wecom', 'dingtalk', 'feishu')`)],
);

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** One outgoing message per (notification, channel): what was tried, when, and how it went. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: idColumn(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<'email' | 'webhook'>().notNull(),
    webhookId: uuid('webhook_id').references(() => notificationWebhooks.id, { onDelete: 'cascade' }),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('notification_deliveries_channel', sql`${t.channel} in ('email', 'webhook')`),
    check('notification_deliveries_status', sql`${t.status} in ('pending', 'sent', 'failed')`),
    check('notification_deliveries_webhook', sql`(${t.channel} = 'webhook') = (${t.webhookId} is not null)`),
    index('notification_deliveries_status_idx').on(t.status, t.createdAt.desc()),
    index('notification_deliveries_notification_idx').on(t.notificationId),
    index('notification_deliveries_webhook_idx').on(t.webhookId),
  ],
);
