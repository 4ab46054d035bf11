import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { defineJob, defineSchedule } from '../jobs/jobs.js';
import { notify } from '../notifications/notify.js';
import { withDelegates } from './approvals.service.js';
import { approvalRequests, approvalSteps, approvalVotes } from './schema.js';

/**
 * Every working morning, approvers are reminded of steps that have waited more than a day,
 * with how many days. One transaction: a retried run never reminds twice.
 */
export async function remindWaitingApprovers(db: Db): Promise<number> {
  return withTx(db, async (tx) => {
    const waiting = await tx
      .select({
        stepId: approvalSteps.id,
        requestId: approvalRequests.id,
        number: approvalRequests.number,
        title: approvalRequests.title,
        approverIds: approvalSteps.approverIds,
        days: sql<number>`floor(extract(epoch from now() - ${approvalSteps.activatedAt}) / 86400)::int`,
      })
      .from(approvalSteps)
      .innerJoin(approvalRequests, eq(approvalRequests.id, approvalSteps.requestId))
      .where(
        and(
          eq(approvalSteps.status, 'pending'),
          eq(approvalRequests.status, 'pending'),
          lt(approvalSteps.activatedAt, sql`now() - interval '1 day'`),
        ),
      );
    const decided = waiting.length
      ? await tx
          .select({ stepId: approvalVotes.stepId, forUserId: approvalVotes.forUserId })
          .from(approvalVotes)
          .where(
            inArray(
              approvalVotes.stepId,
              waiting.map((w) => w.stepId),
            ),
          )
      : [];
    for (const w of waiting) {
      // In a step every approver must approve, only those who have not are reminded.
      const open = w.approverIds.filter(
        (a) => !decided.some((d) => d.stepId === w.stepId && d.forUserId === a),
      );
      await notify(tx, {
        userIds: await withDelegates(tx, open),
        event: 'approval.reminder',
        params: { number: w.number, title: w.title, days: w.days },
        link: `/approvals/${w.requestId}`,
        entity: 'approval_request',
        entityId: w.requestId,
      });
    }
    return waiting.length;
  });
}

defineJob('approvals.remind', async (_payload, job) => {
  const n = await remindWaitingApprovers(job.db);
  job.log.info(`reminded the approvers of ${n} waiting steps`);
});
defineSchedule({ key: 'approvals.remind', kind: 'approvals.remind', cron: '0 9 * * 1-5' });
