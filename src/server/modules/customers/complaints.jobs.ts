import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudits } from '../../platform/audit/audit.js';
import { systemCtx } from '../../platform/context.js';
import { defineJob, defineSchedule } from '../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { complaints } from './complaints.schema.js';
import { managersOf, overdueUnalerted } from './complaints.service.js';

export const COMPLAINT_OVERDUE_JOB = 'customers.complaint-overdue';

defineNotificationEvent('customers.complaint-overdue', {
  title: { 'zh-CN': '投诉 {number} 已超过处理时限', en: 'Complaint {number} is past its time limit' },
  body: {
    'zh-CN': '客户「{customer}」的投诉「{subject}」已超过处理时限（处理人：{handler}），仍未解决。',
    en: 'The complaint "{subject}" of {customer} (handled by {handler}) is past its time limit and still unresolved.',
  },
  label: { 'zh-CN': '投诉超过处理时限', en: 'A complaint is past its time limit' },
});

/**
 * Alerts the handler and their managers once per complaint that is unresolved past its SLA, and
 * stamps `overdue_notified_at`: a rerun (or a second worker) finds nothing left to alert.
 */
export async function alertOverdueComplaints(db: Db): Promise<number> {
  const ctx = systemCtx(`job:${COMPLAINT_OVERDUE_JOB}`);
  return withTx(db, async (tx) => {
    const due = await overdueUnalerted(tx);
    if (!due.length) return 0;
    for (const c of due) {
      const recipients = [c.ownerId, ...(await managersOf(tx, c.ownerId))];
      await notify(tx, {
        userIds: recipients,
        event: 'customers.complaint-overdue',
        params: {
          number: c.number,
          customer: c.customerName,
          subject: c.subject,
          handler: c.handlerName,
        },
        link: `/complaints/${c.id}`,
        entity: 'complaint',
        entityId: c.id,
      });
    }
    const stamped = await tx
      .update(complaints)
      .set({ overdueNotifiedAt: sql`now()` })
      .where(
        inArray(
          complaints.id,
          due.map((c) => c.id),
        ),
      )
      .returning({ id: complaints.id, at: complaints.overdueNotifiedAt });
    await recordAudits(
      tx,
      ctx,
      stamped.map((s) => ({
        action: 'overdue',
        entity: 'complaint',
        entityId: s.id,
        before: { overdueNotifiedAt: null },
        after: { overdueNotifiedAt: s.at },
      })),
    );
    return due.length;
  });
}

defineJob(COMPLAINT_OVERDUE_JOB, async (_payload, job) => {
  const n = await alertOverdueComplaints(job.db);
  job.log.info(`alerted ${n} overdue complaints`);
});
defineSchedule({ key: COMPLAINT_OVERDUE_JOB, kind: COMPLAINT_OVERDUE_JOB, cron: '*/15 * * * *' });
