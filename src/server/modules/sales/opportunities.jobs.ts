import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudits } from '../../platform/audit/audit.js';
import { systemCtx } from '../../platform/context.js';
import { defineJob, defineSchedule } from '../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { opportunities } from './opportunities.schema.js';
import { stalledUnalerted } from './opportunities.service.js';

export const OPPORTUNITY_STALL_JOB = 'sales.opportunity-stalled';

defineNotificationEvent('sales.opportunity-stalled', {
  title: { 'zh-CN': '商机「{name}」已停滞', en: 'Opportunity "{name}" has stalled' },
  body: {
    'zh-CN': '客户「{customer}」的商机「{name}」已 {days} 天没有跟进，请安排下一步。',
    en: 'Nothing has happened on the opportunity "{name}" of {customer} for {days} days. Plan the next step.',
  },
  label: { 'zh-CN': '我的商机停滞', en: 'An opportunity of mine stalls' },
});

/**
 * Tells owners about open opportunities without activity for the stall days, once per stall:
 * `stalled_notified_at` is stamped, and only a later activity (or stage move) makes the
 * opportunity eligible again.
 */
export async function alertStalledOpportunities(db: Db): Promise<number> {
  const ctx = systemCtx(`job:${OPPORTUNITY_STALL_JOB}`);
  return withTx(db, async (tx) => {
    const { stallDays, rows } = await stalledUnalerted(tx);
    if (!rows.length) return 0;
    for (const o of rows) {
      await notify(tx, {
        userIds: [o.ownerId],
        event: 'sales.opportunity-stalled',
        params: { name: o.name, customer: o.customerName, days: stallDays },
        link: `/sales/opportunities/${o.id}`,
        entity: 'opportunity',
        entityId: o.id,
      });
    }
    const stamped = await tx
      .update(opportunities)
      .set({ stalledNotifiedAt: sql`now()` })
      .where(
        inArray(
          opportunities.id,
          rows.map((o) => o.id),
        ),
      )
      .returning({ id: opportunities.id, at: opportunities.stalledNotifiedAt });
    await recordAudits(
      tx,
      ctx,
      stamped.map((s) => ({
        action: 'stalled',
        entity: 'opportunity',
        entityId: s.id,
        after: { stalledNotifiedAt: s.at },
      })),
    );
    return rows.length;
  });
}

defineJob(OPPORTUNITY_STALL_JOB, async (_payload, job) => {
  const n = await alertStalledOpportunities(job.db);
  job.log.info(`alerted ${n} stalled opportunities`);
});
// Daily at 08:30 (company time zone), before the morning meeting.
defineSchedule({ key: OPPORTUNITY_STALL_JOB, kind: OPPORTUNITY_STALL_JOB, cron: '30 8 * * *' });
