import { z } from 'zod';
import { email, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

export const notification = z.object({
  id,
  event: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  read: z.boolean(),
  createdAt: isoDateTime,
});
export type Notification = z.infer<typeof notification>;

export const notificationListQuery = listQuery
  .pick({ limit: true, cursor: true })
  .extend({ unread: z.stringbool().optional() })
  .strict();

export const unreadCount = z.object({ count: z.number().int() });
export const markedRead = z.object({ marked: z.number().int() });

export const notificationChannel = z.enum(['inApp', 'email', 'webhook']);

export const notificationPreference = z.object({
  event: z.string().max(100),
  inApp: z.boolean(),
  email: z.boolean(),
  webhook: z.boolean(),
});
export const notificationPreferences = z.object({
  items: z.array(notificationPreference.extend({ label: z.string() })),
});
export type NotificationPreferences = z.infer<typeof notificationPreferences>;
export const notificationPreferencesUpdate = z
  .object({ items: z.array(notificationPreference.strict()).max(200) })
  .strict();

/** Mail server settings as shown to the administrator: the password is never sent back. */
export const emailChannel = z.object({
  enabled: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  secure: z.boolean(),
  username: z.string(),
  passwordSet: z.boolean(),
  fromAddress: z.string(),
  fromName: z.string(),
  appUrl: z.string(),
  version,
});
export type EmailChannel = z.infer<typeof emailChannel>;

const httpUrl = z
  .string()
  .trim()
  .max(1000)
  .regex(/^https?:\/\/[^\s]+$/i, { message: 'format' });

export const emailChannelUpdate = z
  .object({
    enabled: z.boolean(),
    host: shortText(200),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    username: shortText(200),
    /** Omitted: keep the stored password; '' clears it. */
    password: z.string().max(500).optional(),
    fromAddress: z.union([email, z.literal('')]),
    fromName: shortText(100),
    appUrl: z.union([httpUrl, z.literal('')]),
    version,
  })
  .strict();

export const webhookKind = z.enum(['wecom', 'dingtalk', 'feishu']);

export const notificationWebhook = z.object({
  id,
  name: z.string(),
  kind: webhookKind,
  /** The URL with its credential masked. */
  url: z.string(),
  secretSet: z.boolean(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  version,
});
export type NotificationWebhook = z.infer<typeof notificationWebhook>;

export const notificationWebhookCreate = z
  .object({
    name: requiredText(100),
    kind: webhookKind,
    url: httpUrl,
    secret: z.string().trim().max(500).optional(),
    events: z.array(z.string().max(100)).max(200).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const notificationWebhookUpdate = z
  .object({
    name: requiredText(100).optional(),
    kind: webhookKind.optional(),
    /** Omitted: keep the stored URL (it is only ever shown masked). */
    url: httpUrl.optional(),
    /** Omitted: keep; '' removes signing. */
    secret: z.string().trim().max(500).optional(),
    events: z.array(z.string().max(100)).max(200).optional(),
    enabled: z.boolean().optional(),
    version,
  })
  .strict();

export const deliveryStatus = z.enum(['pending', 'sent', 'failed']);

export const notificationDelivery = z.object({
  id,
  notificationId: id,
  event: z.string(),
  title: z.string(),
  recipientId: id,
  recipientName: z.string(),
  channel: z.enum(['email', 'webhook']),
  webhookName: z.string().nullable(),
  status: deliveryStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastAttemptAt: isoDateTime.nullable(),
  nextAttemptAt: isoDateTime.nullable(),
  sentAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type NotificationDelivery = z.infer<typeof notificationDelivery>;

export const deliveryListQuery = listQuery
  .pick({ limit: true, cursor: true })
  .extend({ status: deliveryStatus.optional(), channel: z.enum(['email', 'webhook']).optional() })
  .strict();
