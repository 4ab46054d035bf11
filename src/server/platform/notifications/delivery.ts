import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.js';
import { defineJob, enqueueJob } from '../jobs/jobs.js';
import { findSettings } from '../settings/settings.service.js';
import { sendMail } from './email.js';
import { renderNotification } from './events.js';
import {
  notificationDeliveries,
  notificationSettings,
  notifications,
  notificationWebhooks,
} from './schema.js';
import { postToRobot } from './webhooks.js';

export const DELIVER_JOB = 'notifications.deliver';

/**
 * How often an email or robot message is tried: 5 attempts, 1 min, 5 min, 25 min, ~2 h apart.
 * An outage of a few hours still delivers; after that the administrator sees it failed.
 */
export const deliveryRetry = {
  maxAttempts: 5,
  delaySeconds: (attempt: number) => 60 * 5 ** (attempt - 1),
};

export function isSmtpUsable(s: typeof notificationSettings.$inferSelect): boolean {
  return s.smtpEnabled && !!s.smtpHost && !!s.fromAddress;
}

interface DeliverPayload {
  deliveryId: string;
  /** The delivery's attempt count when queued: a job that finds another count is stale. */
  attempt: number;
}

/** Queues the job that makes the next attempt of a delivery (one job per attempt). */
export async function queueDelivery(
  tx: Db,
  deliveryId: string,
  attempt: number,
  options: { runAt?: Date; manual?: boolean } = {},
): Promise<void> {
  await enqueueJob(tx, DELIVER_JOB, { deliveryId, attempt } satisfies DeliverPayload, {
    dedupeKey: `${deliveryId}:${attempt}${options.manual ? ':manual' : ''}`,
    ...(options.runAt ? { runAt: options.runAt } : {}),
  });
}

const LINK_WORD: Record<Locale, string> = { 'zh-CN': '查看详情', en: 'Open' };

function absoluteUrl(appUrl: string, link: string | null): string | undefined {
  if (!appUrl || !link) return undefined;
  return `${appUrl.replace(/\/+$/, '')}${link}`;
}

/** One attempt at one delivery. Sending happens outside any transaction; the outcome is recorded after. */
export async function deliver(db: Db, { deliveryId, attempt }: DeliverPayload): Promise<void> {
  const [row] = await db
    .select({
      delivery: notificationDeliveries,
      notification: notifications,
      user: { name: users.name, email: users.email, phone: users.phone, locale: users.locale },
      webhook: notificationWebhooks,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(notificationWebhooks, eq(notificationWebhooks.id, notificationDeliveries.webhookId))
    .where(eq(notificationDeliveries.id, deliveryId));
  if (row?.delivery.status !== 'pending' || row.delivery.attempts !== attempt) return;

  const [settings] = await db.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  const companyLocale = ((await findSettings(db))?.defaultLocale as Locale | undefined) ?? DEFAULT_LOCALE;
  const { notification: n } = row;
  const url = absoluteUrl(settings?.appUrl ?? '', n.link);

  let error: string | null = null;
  try {
    if (row.delivery.channel === 'email') {
      if (!settings || !isSmtpUsable(settings)) throw new Error('Email is not configured or is turned off');
      if (!row.user.email) throw new Error('The recipient has no email address');
      // A person reads mail in their own language; the company's when they have not chosen.
      const locale = row.user.locale ?? companyLocale;
      const text = renderNotification(n.event, n.params, locale);
      await sendMail(
        settings,
        { to: row.user.email, subject: text.title, text: text.body, ...(url ? { url } : {}) },
        LINK_WORD[locale],
      );
    } else {
      const robot = row.webhook;
      if (!robot) throw new Error('The robot was removed');
      if (!robot.enabled) throw new Error('The robot is turned off');
      // A group chat is shared, so robots speak the company's language.
      const text = renderNotification(n.event, n.params, companyLocale);
      await postToRobot(robot, {
        ...text,
        recipientName: row.user.name,
        recipientMobile: row.user.phone,
        locale: companyLocale,
        ...(url ? { url } : {}),
      });
    }
  } catch (err) {
    error = (err instanceof Error ? err.message : String(err)).slice(0, 1000) || 'failed';
  }

  await withTx(db, async (tx) => {
    const attempts = attempt + 1;
    const final = error !== null && attempts >= deliveryRetry.maxAttempts;
    const next = error && !final ? new Date(Date.now() + deliveryRetry.delaySeconds(attempts) * 1000) : null;
    const [updated] = await tx
      .update(notificationDeliveries)
      .set({
        status: error === null ? 'sent' : final ? 'failed' : 'pending',
        attempts,
        lastError: error,
        lastAttemptAt: new Date(),
        nextAttemptAt: next,
        sentAt: error === null ? new Date() : null,
      })
      .where(
        and(
          eq(notificationDeliveries.id, deliveryId),
          eq(notificationDeliveries.status, 'pending'),
          eq(notificationDeliveries.attempts, attempt),
        ),
      )
      .returning({ id: notificationDeliveries.id });
    if (updated && next) await queueDelivery(tx, deliveryId, attempts, { runAt: next });
  });
}

// Delivery problems are recorded on the delivery and retried by it; the job itself is retried
// only when recording fails (the database was unreachable).
defineJob<DeliverPayload>(DELIVER_JOB, (payload, ctx) => deliver(ctx.db, payload), {
  maxAttempts: 3,
  backoffSeconds: 30,
});
