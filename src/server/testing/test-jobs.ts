import { recordAudit } from '../platform/audit/audit.js';
import { systemCtx } from '../platform/context.js';
import { defineJob, defineSchedule } from '../platform/jobs/jobs.js';

/**
 * Job kinds used only by tests. Each run leaves one audit row naming the job and the process
 * that ran it, so a test can count runs across processes.
 */
export function defineTestJobs(processName: string) {
  defineJob<{ n: number }>('test.count', async (payload, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordAudit(ctx.db, systemCtx(processName), {
      action: 'ran',
      entity: 'test.count',
      entityId: `${payload.n}`,
      after: { jobId: ctx.jobId },
    });
  });
  defineJob('test.tick', async (_payload, ctx) => {
    await recordAudit(ctx.db, systemCtx(processName), {
      action: 'ran',
      entity: 'test.tick',
      entityId: ctx.jobId,
    });
  });
  defineSchedule({ key: 'test.every-second', kind: 'test.tick', cron: '* * * * * *' });
}
