import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudits } from '../../platform/audit/audit.js';
import { systemCtx } from '../../platform/context.js';
import { defineJob, defineSchedule } from '../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { dueReminder } from './bids.rules.js';
import { bids } from './bids.schema.js';
import { bidsNearDeadline, financeUserIds, overdueBondsUnalerted } from './bids.service.js';

export const BID_ALERTS_JOB = 'sales.bid-alerts';

defineNotificationEvent('sales.bid-deadline', {
  title: {
    'zh-CN': '投标「{project}」{days} 天内截止',
    en: 'Bid "{project}" closes within {days} day(s)',
  },
  body: {
    'zh-CN': '招标编号 {tender} 的投标截止时间为 {deadline}，标书尚未提交，请抓紧准备。',
    en: 'Tender {tender} closes at {deadline} and our bid is not submitted yet.',
  },
  label: { 'zh-CN': '我的投标临近截止', en: 'A bid of mine is about to close' },
});

defineNotificationEvent('sales.bid-bond-overdue', {
  title: {
    'zh-CN': '投标保证金逾期未退：{project}',
    en: 'Bid bond not refunded: {project}',
  },
  body: {
    'zh-CN': '招标编号 {tender} 的投标保证金 {amount} 应于 {due} 前退回，至今未登记退回，请向招标方催退。',
    en: 'The bond of {amount} on tender {tender} was due back by {due} and no refund is recorded. Ask the buyer for it.',
  },
  label: { 'zh-CN': '投标保证金逾期未退', en: 'A bid bond is overdue for refund' },
});

const yuan = (fen: number | null) =>
  `¥${((fen ?? 0) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * Reminds owners of preparing bids 3 days and 1 day before the submission deadline (each once,
 * stamped on the bid), and tells the owner and finance once about a bond past its refund date.
 */
export async function alertBids(db: Db, now = new Date()): Promise<{ reminders: number; bonds: number }> {
  const ctx = systemCtx(`job:${BID_ALERTS_JOB}`);
  return withTx(db, async (tx) => {
    const timeZone = await companyTimeZone(tx);
    const audits: Parameters<typeof recordAudits>[2] = [];
    let reminders = 0;
    for (const b of await bidsNearDeadline(tx)) {
      const due = dueReminder(b, now);
      if (!due) continue;
      const deadline = new Intl.DateTimeFormat('zh-CN', {
        timeZone,
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(b.submissionDeadline);
      await notify(tx, {
        userIds: [b.ownerId],
        event: 'sales.bid-deadline',
        params: { project: b.projectName, tender: b.tenderNumber, deadline, days: due === 'oneDay' ? 1 : 3 },
        link: `/sales/bids/${b.id}`,
        entity: 'bid',
        entityId: b.id,
      });
      // Inside a day the three-day reminder would come too late: it counts as sent.
      const stamp =
        due === 'oneDay'
          ? { remindedOneDayAt: now, remindedThreeDaysAt: b.remindedThreeDaysAt ?? now }
          : { remindedThreeDaysAt: now };
      await tx.update(bids).set(stamp).where(eq(bids.id, b.id));
      audits.push({ action: 'deadline_reminder', entity: 'bid', entityId: b.id, after: { reminder: due } });
      reminders++;
    }

    const overdue = await overdueBondsUnalerted(tx, dayIn(timeZone, now));
    if (overdue.length) {
      const finance = await financeUserIds(tx);
      for (const b of overdue) {
        await notify(tx, {
          userIds: [...new Set([b.ownerId, ...finance])],
          event: 'sales.bid-bond-overdue',
          params: {
            project: b.projectName,
            tender: b.tenderNumber,
            amount: yuan(b.bondAmount),
            due: b.bondRefundDueOn ?? '',
          },
          link: `/sales/bids/${b.id}`,
          entity: 'bid',
          entityId: b.id,
        });
        audits.push({
          action: 'bond_overdue',
          entity: 'bid',
          entityId: b.id,
          after: { bondOverdueNotifiedAt: now.toISOString() },
        });
      }
      await tx
        .update(bids)
        .set({ bondOverdueNotifiedAt: sql`now()` })
        .where(
          inArray(
            bids.id,
            overdue.map((b) => b.id),
          ),
        );
    }
    if (audits.length) await recordAudits(tx, ctx, audits);
    return { reminders, bonds: overdue.length };
  });
}

defineJob(BID_ALERTS_JOB, async (_payload, job) => {
  const n = await alertBids(job.db);
  job.log.info(`sent ${n.reminders} bid deadline reminders and ${n.bonds} overdue-bond alerts`);
});
// Daily at 08:00 (company time zone): the deadline is still days away, there is time to act.
defineSchedule({ key: BID_ALERTS_JOB, kind: BID_ALERTS_JOB, cron: '0 8 * * *' });
