import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../modules/org/schema.js';
import { isSmtpUsable, queueDelivery } from './delivery.js';
import { isKnownEvent } from './events.js';
import {
  notificationDeliveries,
  notificationPreferences,
  notificationSettings,
  notifications,
  notificationWebhooks,
} from './schema.js';

export { defineNotificationEvent, type NotificationEventDef } from './events.js';

/** Only in-app paths: a notification must never send a user to another site. */
export const isInAppLink = (link: string) => /^\/(?![/\\])\S*$/.test(link) && link.length <= 500;

export interface NotifyInput {
  userIds: string[];
  event: string;
  params?: Record<string, string | number>;
  link?: string;
  entity?: string;
  entityId?: string;
}

/**
 * Called inside the caller's write transaction: inserts in-app notifications for each recipient
 * (skipping those who turned the event's in-app channel off) and queues email/webhook deliveries
 * per preferences; never sends anything synchronously, never throws for delivery problems.
 */
export async function notify(tx: Db, input: NotifyInput): Promise<void> {
  // Unknown events and outside links are programming errors, caught by the caller's tests.
  if (!isKnownEvent(input.event)) throw new Error(`Unknown notification event: ${input.event}`);
  if (input.link !== undefined && !isInAppLink(input.link)) {
    throw new Error(`Notification links must be in-app paths: ${input.link}`);
  }
  const userIds = [...new Set(input.userIds)];
  if (!userIds.length) return;

  const recipients = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(inArray(users.id, userIds), eq(users.status, 'active')));
  if (!recipients.length) return;
  const prefs = new Map(
    (
      await tx
        .select()
        .from(notificationPreferences)
        .where(
          and(
            inArray(
              notificationPreferences.userId,
              recipients.map((r) => r.id),
            ),
            eq(notificationPreferences.event, input.event),
          ),
        )
    ).map((p) => [p.userId, p]),
  );
  const [settings] = await tx.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  const emailOn = !!settings && isSmtpUsable(settings);
  const robots = (
    await tx
      .select({ id: notificationWebhooks.id, events: notificationWebhooks.events })
      .from(notificationWebhooks)
      .where(eq(notificationWebhooks.enabled, true))
  ).filter((w) => w.events.length === 0 || w.events.includes(input.event));

  for (const r of recipients) {
    const pref = prefs.get(r.id);
    const inApp = pref?.inApp ?? true;
    const wantsEmail = emailOn && !!r.email && (pref?.email ?? true);
    const wantsWebhook = robots.length > 0 && (pref?.webhook ?? true);
    if (!inApp && !wantsEmail && !wantsWebhook) continue;
    const [row] = await tx
      .insert(notifications)
      .values({
        userId: r.id,
        event: input.event,
        params: input.params ?? {},
        link: input.link ?? null,
        entity: input.entity ?? null,
        entityId: input.entityId ?? null,
        inApp,
      })
      .returning({ id: notifications.id });
    const outgoing = [
      ...(wantsEmail ? [{ channel: 'email' as const, webhookId: null }] : []),
      ...(wantsWebhook ? robots.map((w) => ({ channel: 'webhook' as const, webhookId: w.id })) : []),
    ];
    if (!outgoing.length) continue;
    const deliveries = await tx
      .insert(notificationDeliveries)
      .values(outgoing.map((o) => ({ ...o, notificationId: row!.id, nextAttemptAt: new Date() })))
      .returning({ id: notificationDeliveries.id });
    for (const d of deliveries) await queueDelivery(tx, d.id, 0);
  }
}
