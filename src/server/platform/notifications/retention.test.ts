import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../modules/org/schema.js';
import { createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { pruneNotifications } from './retention.js';
import { notificationDeliveries, notifications } from './schema.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app, 'empty');
});
afterAll(() => t.close());

describe('notification retention', () => {
  it('drops read notifications after 90 days and any after a year, but never one still being delivered', async () => {
    const db = t.database.db;
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
    const add = async (label: string, ageDays: number, readDaysAgo: number | null) => {
      const [row] = await db
        .insert(notifications)
        .values({
          userId: admin!.id,
          event: 'system.test',
          params: { label },
          createdAt: sql`now() - make_interval(days => ${ageDays})`,
          readAt: readDaysAgo === null ? null : sql`now() - make_interval(days => ${readDaysAgo})`,
        })
        .returning({ id: notifications.id });
      return row!.id;
    };
    const oldRead = await add('old read', 120, 100);
    const recentRead = await add('recent read', 30, 20);
    const oldUnread = await add('old unread', 200, null);
    const ancient = await add('ancient unread', 400, null);
    const ancientPending = await add('ancient, still sending', 400, null);
    await db.insert(notificationDeliveries).values({ notificationId: ancientPending, channel: 'email' });

    expect(await pruneNotifications(db)).toBe(2);
    const left = new Set((await db.select({ id: notifications.id }).from(notifications)).map((n) => n.id));
    expect(left.has(oldRead) || left.has(ancient)).toBe(false);
    expect([recentRead, oldUnread, ancientPending].every((id) => left.has(id))).toBe(true);
  });
});
