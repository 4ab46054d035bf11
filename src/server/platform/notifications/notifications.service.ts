import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  deliveryListQuery,
  emailChannelUpdate,
  notificationListQuery,
  notificationPreferencesUpdate,
  notificationWebhookCreate,
  notificationWebhookUpdate,
} from '../../../contracts/notifications.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, notFound, versionConflict } from '../errors.js';
import { keyset, whereAll } from '../http/pagination.js';
import type { Locale } from '../i18n/locale.js';
import { queueDelivery } from './delivery.js';
import { eventLabel, isKnownEvent, notificationEvents, renderNotification } from './events.js';
import { notify } from './notify.js';
import {
  notificationDeliveries,
  notificationPreferences,
  notificationSettings,
  notifications,
  notificationWebhooks,
} from './schema.js';
import { maskRobotUrl } from './webhooks.js';

const me = (ctx: Ctx) => {
  if (!ctx.actor) throw new AppError('unauthenticated');
  return ctx.actor.userId;
};
const iso = (d: Date | null) => (d ? d.toISOString() : null);

// Inbox

/** Only the reader's own notifications exist for them; anyone else's id is "not found". */
const mine = (ctx: Ctx) => and(eq(notifications.userId, me(ctx)), eq(notifications.inApp, true));

// On screen, notifications speak the language of the screen: the web app sends its UI language
// with every request. Email and robots, read elsewhere, use the profile's or company's language.
function presentNotification(locale: Locale, n: typeof notifications.$inferSelect) {
  const text = renderNotification(n.event, n.params, locale);
  return {
    id: n.id,
    event: n.event,
    ...text,
    link: n.link,
    entity: n.entity,
    entityId: n.entityId,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
}

export async function listNotifications(db: Db, ctx: Ctx, query: z.infer<typeof notificationListQuery>) {
  const page = keyset(query, { createdAt: notifications.createdAt }, notifications.id, '-createdAt');
  const filter = whereAll(mine(ctx), query.unread ? isNull(notifications.readAt) : undefined);
  const rows = await db
    .select()
    .from(notifications)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(notifications).where(filter);
  const result = page.page(rows, n, (r) => [r.createdAt, r.id]);
  return { ...result, items: result.items.map((r) => presentNotification(ctx.locale, r)) };
}

export async function countUnread(db: Db, ctx: Ctx) {
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(mine(ctx), isNull(notifications.readAt)));
  return { count: n };
}

// Reading is the reader's own bookkeeping, not a business change: it is not audited.
export async function markRead(db: Db, ctx: Ctx, id: string) {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), mine(ctx)))
    .returning();
  if (!row) throw notFound();
  return presentNotification(ctx.locale, row);
}

export async function markAllRead(db: Db, ctx: Ctx) {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(mine(ctx), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: rows.length };
}

// Preferences

export async function getPreferences(db: Db, ctx: Ctx) {
  const rows = await db
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, me(ctx)));
  const chosen = new Map(rows.map((r) => [r.event, r]));
  return {
    items: notificationEvents().map((event) => {
      const p = chosen.get(event);
      return {
        event,
        label: eventLabel(event, ctx.locale),
        inApp: p?.inApp ?? true,
        email: p?.email ?? true,
        webhook: p?.webhook ?? true,
      };
    }),
  };
}

export async function updatePreferences(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof notificationPreferencesUpdate>,
) {
  const userId = me(ctx);
  const unknown = input.items.findIndex((i) => !isKnownEvent(i.event));
  if (unknown >= 0) {
    throw new AppError('validation_failed', {}, [
      {
        path: `items.${unknown}.event`,
        message: 'oneOf',
        params: { values: notificationEvents().join(', ') },
      },
    ]);
  }
  await withTx(db, async (tx) => {
    const before = await getPreferences(tx, ctx);
    for (const item of input.items) {
      await tx
        .insert(notificationPreferences)
        .values({ userId, ...item })
        .onConflictDoUpdate({
          target: [notificationPreferences.userId, notificationPreferences.event],
          set: { inApp: item.inApp, email: item.email, webhook: item.webhook, updatedAt: sql`now()` },
        });
    }
    const after = await getPreferences(tx, ctx);
    const flat = (p: typeof before) =>
      Object.fromEntries(
        p.items.map((i) => [i.event, { inApp: i.inApp, email: i.email, webhook: i.webhook }]),
      );
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'notification_preferences',
      entityId: userId,
      before: flat(before),
      after: flat(after),
    });
  });
  return getPreferences(db, ctx);
}

// Email channel (one row of settings)

type SettingsRow = typeof notificationSettings.$inferSelect;

/** The settings row; created (all defaults, mail off) on the first change. */
async function loadSettings(db: Db, create = false): Promise<SettingsRow> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  if (row) return row;
  if (!create) return defaultSettings();
  await db.insert(notificationSettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  return created!;
}

const defaultSettings = (): SettingsRow => ({
  id: 1,
  smtpEnabled: false,
  smtpHost: '',
  smtpPort: 465,
  smtpSecure: true,
  smtpUser: '',
  smtpPassword: '',
  fromAddress: '',
  fromName: '',
  appUrl: '',
  createdAt: new Date(),
  updatedAt: new Date(),
  createdBy: null,
  version: 1,
});

function presentEmail(s: SettingsRow) {
  return {
    enabled: s.smtpEnabled,
    host: s.smtpHost,
    port: s.smtpPort,
    secure: s.smtpSecure,
    username: s.smtpUser,
    passwordSet: s.smtpPassword !== '',
    fromAddress: s.fromAddress,
    fromName: s.fromName,
    appUrl: s.appUrl,
    version: s.version,
  };
}

export async function getEmailChannel(db: Db) {
  return presentEmail(await loadSettings(db));
}

export async function updateEmailChannel(db: Db, ctx: Ctx, input: z.infer<typeof emailChannelUpdate>) {
  // Turning mail on needs somewhere to send from.
  if (input.enabled && !input.host) {
    throw new AppError('validation_failed', {}, [{ path: 'host', message: 'required' }]);
  }
  if (input.enabled && !input.fromAddress) {
    throw new AppError('validation_failed', {}, [{ path: 'fromAddress', message: 'required' }]);
  }
  return withTx(db, async (tx) => {
    const before = await loadSettings(tx, true);
    if (before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(notificationSettings)
      .set({
        smtpEnabled: input.enabled,
        smtpHost: input.host,
        smtpPort: input.port,
        smtpSecure: input.secure,
        smtpUser: input.username,
        ...(input.password !== undefined ? { smtpPassword: input.password } : {}),
        fromAddress: input.fromAddress,
        fromName: input.fromName,
        appUrl: input.appUrl.replace(/\/+$/, ''),
        createdBy: before.createdBy ?? ctx.actor?.userId ?? null,
        updatedAt: sql`now()`,
        version: sql`${notificationSettings.version} + 1`,
      })
      .where(and(eq(notificationSettings.id, 1), eq(notificationSettings.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'notification_settings',
      entityId: '1',
      before,
      after,
    });
    return presentEmail(after);
  });
}

// Robots (webhooks)

type WebhookRow = typeof notificationWebhooks.$inferSelect;

function presentWebhook(w: WebhookRow) {
  return {
    id: w.id,
    name: w.name,
    kind: w.kind,
    url: maskRobotUrl(w.url),
    secretSet: w.secret !== '',
    events: w.events,
    enabled: w.enabled,
    version: w.version,
  };
}

/** The audit trail shows a robot's URL masked too: it carries the robot's credential. */
const auditedWebhook = (w: WebhookRow | null) => (w ? { ...w, url: maskRobotUrl(w.url) } : null);

function assertEvents(events: string[] | undefined) {
  const bad = events?.findIndex((e) => !isKnownEvent(e)) ?? -1;
  if (bad >= 0) {
    throw new AppError('validation_failed', {}, [
      { path: `events.${bad}`, message: 'oneOf', params: { values: notificationEvents().join(', ') } },
    ]);
  }
}

export async function listWebhooks(db: Db) {
  const rows = await db.select().from(notificationWebhooks).orderBy(notificationWebhooks.name);
  return { items: rows.map(presentWebhook) };
}

async function findWebhook(db: Db, id: string) {
  const [row] = await db.select().from(notificationWebhooks).where(eq(notificationWebhooks.id, id));
  if (!row) throw notFound();
  return row;
}

export async function createWebhook(db: Db, ctx: Ctx, input: z.infer<typeof notificationWebhookCreate>) {
  assertEvents(input.events);
  return withTx(db, async (tx) => {
    const [row] = await tx
      .insert(notificationWebhooks)
      .values({
        name: input.name,
        kind: input.kind,
        url: input.url,
        secret: input.secret ?? '',
        events: [...new Set(input.events ?? [])],
        enabled: input.enabled ?? true,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'notification_webhook',
      entityId: row!.id,
      after: auditedWebhook(row!),
    });
    return presentWebhook(row!);
  });
}

export async function updateWebhook(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof notificationWebhookUpdate>,
) {
  assertEvents(input.events);
  const { version, events, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await findWebhook(tx, id);
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(notificationWebhooks)
      .set({
        ...changes,
        ...(events ? { events: [...new Set(events)] } : {}),
        updatedAt: sql`now()`,
        version: sql`${notificationWebhooks.version} + 1`,
      })
      .where(and(eq(notificationWebhooks.id, id), eq(notificationWebhooks.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'notification_webhook',
      entityId: id,
      before: auditedWebhook(before),
      after: auditedWebhook(after),
    });
    return presentWebhook(after);
  });
}

/** Removing a robot also removes its delivery history (the audit log keeps the removal). */
export async function deleteWebhook(db: Db, ctx: Ctx, id: string) {
  await withTx(db, async (tx) => {
    const before = await findWebhook(tx, id);
    await tx.delete(notificationWebhooks).where(eq(notificationWebhooks.id, id));
    await recordAudit(tx, ctx, {
      action: 'delete',
      entity: 'notification_webhook',
      entityId: id,
      before: auditedWebhook(before),
    });
  });
  return { ok: true as const };
}

// Deliveries (administrator's view)

function selectDeliveries(db: Db) {
  return db
    .select({
      d: notificationDeliveries,
      event: notifications.event,
      params: notifications.params,
      recipientId: users.id,
      recipientName: users.name,
      webhookName: notificationWebhooks.name,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(notificationWebhooks, eq(notificationWebhooks.id, notificationDeliveries.webhookId));
}

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof selectDeliveries>['execute']>>[number];

function presentDelivery(locale: Locale, r: DeliveryRow) {
  return {
    id: r.d.id,
    notificationId: r.d.notificationId,
    event: r.event,
    title: renderNotification(r.event, r.params, locale).title,
    recipientId: r.recipientId,
    recipientName: r.recipientName,
    channel: r.d.channel,
    webhookName: r.webhookName,
    status: r.d.status,
    attempts: r.d.attempts,
    lastError: r.d.lastError,
    lastAttemptAt: iso(r.d.lastAttemptAt),
    nextAttemptAt: iso(r.d.nextAttemptAt),
    sentAt: iso(r.d.sentAt),
    createdAt: r.d.createdAt.toISOString(),
  };
}

export async function listDeliveries(db: Db, ctx: Ctx, query: z.infer<typeof deliveryListQuery>) {
  const page = keyset(
    query,
    { createdAt: notificationDeliveries.createdAt },
    notificationDeliveries.id,
    '-createdAt',
  );
  const filter = whereAll(
    query.status ? eq(notificationDeliveries.status, query.status) : undefined,
    query.channel ? eq(notificationDeliveries.channel, query.channel) : undefined,
  );
  const rows = await selectDeliveries(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(notificationDeliveries).where(filter);
  const result = page.page(rows, n, (r) => [r.d.createdAt, r.d.id]);
  return { ...result, items: result.items.map((r) => presentDelivery(ctx.locale, r)) };
}

export async function getDelivery(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectDeliveries(db).where(eq(notificationDeliveries.id, id));
  if (!row) throw notFound();
  return presentDelivery(ctx.locale, row);
}

/** Tries a failed (or waiting) delivery once more, now. A sent one is not sent twice. */
export async function retryDelivery(db: Db, ctx: Ctx, id: string) {
  await withTx(db, async (tx) => {
    const [before] = await tx.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
    if (!before) throw notFound();
    if (before.status === 'sent') throw new AppError('delivery_already_sent');
    const [after] = await tx
      .update(notificationDeliveries)
      .set({ status: 'pending', nextAttemptAt: new Date() })
      .where(eq(notificationDeliveries.id, id))
      .returning();
    await queueDelivery(tx, id, before.attempts, { manual: true });
    await recordAudit(tx, ctx, {
      action: 'retry',
      entity: 'notification_delivery',
      entityId: id,
      before,
      after: after!,
    });
  });
  return getDelivery(db, ctx, id);
}

// Test message

/** The administrator checks the channels: a 'system.test' notification to themselves, through every channel they have on. */
export async function sendTestNotification(db: Db, ctx: Ctx) {
  const userId = me(ctx);
  await withTx(db, async (tx) => {
    await notify(tx, {
      userIds: [userId],
      event: 'system.test',
      params: { name: ctx.actor?.name ?? '' },
      link: '/admin/notifications',
    });
    await recordAudit(tx, ctx, {
      action: 'send_test',
      entity: 'notification',
      entityId: userId,
      after: { event: 'system.test' },
    });
  });
  return { ok: true as const };
}
