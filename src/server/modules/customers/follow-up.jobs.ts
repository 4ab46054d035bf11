import { and, eq, gte, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudits } from '../../platform/audit/audit.js';
import { systemCtx } from '../../platform/context.js';
import { defineJob, defineSchedule } from '../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { notifications } from '../../platform/notifications/schema.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { returnToPool } from './pool.service.js';
import { CUSTOMER_GRADES, customers, leads, poolEvents } from './schema.js';
import { getCustomerSettings } from './settings.service.js';

export const REMINDER_JOB = 'customers.follow-up-reminder';
export const RECLAIM_JOB = 'customers.pool-reclaim';

defineNotificationEvent('customers.follow-up-due', {
  title: { 'zh-CN': '今日待跟进客户 {count} 个', en: '{count} customers to follow up today' },
  body: {
    'zh-CN': '按客户等级的跟进周期，你有 {count} 个客户今天到期，其中 {overdue} 个已逾期。',
    en: 'By their grade’s cadence, {count} of your customers are due today, {overdue} of them overdue.',
  },
  label: { 'zh-CN': '每日待跟进客户提醒', en: 'Daily reminder of customers due for a follow-up' },
});

defineNotificationEvent('customers.pool-reclaimed', {
  title: { 'zh-CN': '{count} 条记录已退回公海', en: '{count} records returned to the public pool' },
  body: {
    'zh-CN': '因长时间未跟进，{names} 已退回公海。',
    en: 'With no follow-up for too long, {names} went back to the public pool.',
  },
  label: { 'zh-CN': '我的客户或线索因未跟进退回公海', en: 'My customers or leads went back to the pool' },
});

/**
 * Each morning every owner with customers due today or overdue gets one notification with the
 * count. Idempotent: an owner already reminded today (company time) is skipped.
 */
export async function remindDueFollowUps(db: Db): Promise<number> {
  const tz = await companyTimeZone(db);
  const today = sql`((now() at time zone ${tz})::date)`;
  const startOfToday = sql`(${today})::timestamp at time zone ${tz}`;
  return withTx(db, async (tx) => {
    const owners = await tx
      .select({
        ownerId: customers.ownerId,
        count: sql<number>`count(*)::int`,
        overdue: sql<number>`(count(*) filter (where ${customers.followUpDueAt} < ${startOfToday}))::int`,
      })
      .from(customers)
      .where(
        and(
          isNotNull(customers.ownerId),
          isNull(customers.mergedIntoId),
          sql`${customers.followUpDueAt} < (${today} + 1)::timestamp at time zone ${tz}`,
        ),
      )
      .groupBy(customers.ownerId);
    if (!owners.length) return 0;
    const reminded = await tx
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(
        and(
          eq(notifications.event, 'customers.follow-up-due'),
          gte(notifications.createdAt, sql`${startOfToday}`),
          inArray(
            notifications.userId,
            owners.map((o) => o.ownerId!),
          ),
        ),
      );
    const done = new Set(reminded.map((r) => r.userId));
    let sent = 0;
    for (const o of owners) {
      if (done.has(o.ownerId!)) continue;
      await notify(tx, {
        userIds: [o.ownerId!],
        event: 'customers.follow-up-due',
        params: { count: Number(o.count), overdue: Number(o.overdue) },
        link: '/customers/due',
      });
      sent++;
    }
    return sent;
  });
}

/** The last touch of an owned record: its last follow-up, or its latest claim or assignment, or its creation. */
const lastTouch = (
  entity: 'lead' | 'customer',
  id: SQL | unknown,
  lastFollowUp: unknown,
  createdAt: unknown,
) =>
  // The last follow-up (its creation while it has none; a converted lead's follow-ups came with
  // it), or a later claim or assignment: a new owner starts afresh.
  sql`greatest(coalesce(${lastFollowUp}, ${createdAt}), (select max(${poolEvents.at}) from ${poolEvents}
    where ${poolEvents.entity} = ${entity} and ${poolEvents.entityId} = ${id} and ${poolEvents.action} in ('claim', 'assign')))`;

/**
 * Returns owned customers and open leads with no follow-up for their pool period (by grade;
 * 'none' for ungraded customers, 'lead' for leads) to the pool of their unit, records a
 * 'reclaim' pool event and an audit row each, and tells each former owner once.
 */
export async function reclaimStale(db: Db): Promise<{ customers: number; leads: number }> {
  const settings = await getCustomerSettings(db);
  const days = settings.poolDays;
  const ctx = systemCtx('job:customers.pool-reclaim');
  return withTx(db, async (tx) => {
    const customerTouch = lastTouch('customer', customers.id, customers.lastFollowUpAt, customers.createdAt);
    const periodOf = sql`(case ${customers.grade} ${sql.join(
      CUSTOMER_GRADES.map((g) => sql`when ${g} then ${days[g]}::int`),
      sql` `,
    )} else ${days.none}::int end)`;
    const staleCustomers = await tx
      .select({ id: customers.id, name: customers.name, ownerId: customers.ownerId })
      .from(customers)
      .where(
        and(
          isNotNull(customers.ownerId),
          isNull(customers.mergedIntoId),
          sql`${customerTouch} <= now() - make_interval(days => ${periodOf})`,
        ),
      )
      .for('update');
    const leadName = sql<string>`coalesce(${leads.companyName}, ${leads.personName}, ${leads.mobile}, ${leads.email})`;
    const staleLeads = await tx
      .select({ id: leads.id, name: leadName, ownerId: leads.ownerId })
      .from(leads)
      .where(
        and(
          isNotNull(leads.ownerId),
          sql`${leads.status} in ('new', 'working')`,
          sql`${lastTouch('lead', leads.id, leads.lastFollowUpAt, leads.createdAt)} <= now() - make_interval(days => ${days.lead}::int)`,
        ),
      )
      .for('update');

    const byOwner = new Map<string, string[]>();
    for (const [entity, rows] of [
      ['customer', staleCustomers],
      ['lead', staleLeads],
    ] as const) {
      if (!rows.length) continue;
      const before = new Map(rows.map((r) => [r.id, r]));
      const after = await returnToPool(
        tx,
        entity,
        rows.map((r) => r.id),
      );
      await tx.insert(poolEvents).values(
        rows.map((r) => ({
          entity,
          entityId: r.id,
          action: 'reclaim' as const,
          userId: r.ownerId,
          reason: 'no_follow_up',
        })),
      );
      await recordAudits(
        tx,
        ctx,
        after.map((a) => ({
          action: 'reclaim',
          entity,
          entityId: a.id,
          before: { ownerId: before.get(a.id)?.ownerId ?? null },
          after: { ownerId: null },
        })),
      );
      for (const r of rows) byOwner.set(r.ownerId!, [...(byOwner.get(r.ownerId!) ?? []), r.name]);
    }
    for (const [ownerId, names] of byOwner) {
      const shown = names.slice(0, 5).join('、') + (names.length > 5 ? ' …' : '');
      await notify(tx, {
        userIds: [ownerId],
        event: 'customers.pool-reclaimed',
        params: { count: names.length, names: shown },
        link: '/customers/pool',
      });
    }
    return { customers: staleCustomers.length, leads: staleLeads.length };
  });
}

defineJob(REMINDER_JOB, async (_payload, job) => {
  const n = await remindDueFollowUps(job.db);
  job.log.info(`reminded ${n} owners of due follow-ups`);
});
defineSchedule({ key: REMINDER_JOB, kind: REMINDER_JOB, cron: '30 8 * * *' });

defineJob(RECLAIM_JOB, async (_payload, job) => {
  const n = await reclaimStale(job.db);
  job.log.info(`returned ${n.customers} customers and ${n.leads} leads to the pool`);
});
defineSchedule({ key: RECLAIM_JOB, kind: RECLAIM_JOB, cron: '0 2 * * *' });
