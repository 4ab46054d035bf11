import { and, count, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { jobQuery, jobScheduleUpdate } from '../../../contracts/jobs.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, invalidField, notFound, versionConflict } from '../errors.js';
import { keyset, whereAll } from '../http/pagination.js';
import { findSettings } from '../settings/settings.service.js';
import { nextOccurrence } from './jobs.js';
import { jobSchedules, jobs } from './schema.js';

type JobRow = typeof jobs.$inferSelect;
type ScheduleRow = typeof jobSchedules.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentJob(row: JobRow) {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    payload: row.payload,
    runAt: row.runAt.toISOString(),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    scheduleKey: row.scheduleKey,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

function presentSchedule(row: ScheduleRow) {
  return {
    key: row.key,
    kind: row.kind,
    cron: row.cron,
    enabled: row.enabled,
    nextRunAt: row.nextRunAt.toISOString(),
    lastRunAt: iso(row.lastRunAt),
    version: row.version,
  };
}

/** Runs and failures for the administrator, newest first. */
export async function listJobs(db: Db, query: z.infer<typeof jobQuery>) {
  const page = keyset({ ...query, sort: '-id' }, { id: jobs.id }, jobs.id, '-id');
  const filter = whereAll(
    query.state ? eq(jobs.state, query.state) : undefined,
    query.kind ? eq(jobs.kind, query.kind) : undefined,
  );
  const rows = await db
    .select()
    .from(jobs)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(jobs).where(filter);
  const result = page.page(rows, n, (r) => [r.id, r.id]);
  return { ...result, items: result.items.map(presentJob) };
}

/** A failed or cancelled job runs again from a fresh attempt count. */
export async function retryJob(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(jobs).where(eq(jobs.id, id)).for('update');
    if (!before) throw notFound();
    if (before.state !== 'failed' && before.state !== 'cancelled')
      throw new AppError('invalid_state', { state: before.state });
    const [after] = await tx
      .update(jobs)
      .set({ state: 'queued', attempts: 0, runAt: sql`now()`, finishedAt: null, lastError: null })
      .where(eq(jobs.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'retry', entity: 'job', entityId: id, before, after });
    return presentJob(after as JobRow);
  });
}

/** Only a job that has not started can be cancelled. */
export async function cancelJob(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(jobs).where(eq(jobs.id, id)).for('update');
    if (!before) throw notFound();
    if (before.state !== 'queued') throw new AppError('invalid_state', { state: before.state });
    const [after] = await tx
      .update(jobs)
      .set({ state: 'cancelled', finishedAt: sql`now()` })
      .where(eq(jobs.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'job', entityId: id, before, after });
    return presentJob(after as JobRow);
  });
}

export async function listSchedules(db: Db) {
  const rows = await db.select().from(jobSchedules).orderBy(jobSchedules.key);
  return { items: rows.map(presentSchedule) };
}

/** Pause, resume or re-time a schedule; the next run is recomputed from the new cron. */
export async function updateSchedule(
  db: Db,
  ctx: Ctx,
  key: string,
  input: z.infer<typeof jobScheduleUpdate>,
) {
  const timeZone = (await findSettings(db))?.timeZone ?? 'Asia/Shanghai';
  let nextRunAt: Date | undefined;
  if (input.cron !== undefined) {
    try {
      nextRunAt = nextOccurrence(input.cron, new Date(), timeZone);
    } catch {
      throw invalidField('cron', 'cron');
    }
  }
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(jobSchedules).where(eq(jobSchedules.key, key));
    if (!before) throw notFound();
    const [after] = await tx
      .update(jobSchedules)
      .set({
        ...(input.cron !== undefined ? { cron: input.cron, nextRunAt } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        version: sql`${jobSchedules.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobSchedules.key, key), eq(jobSchedules.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'job_schedule', entityId: key, before, after });
    return presentSchedule(after);
  });
}

/** Queues one occurrence now, outside the cron rhythm (the next planned run stays as it is). */
export async function runScheduleNow(db: Db, ctx: Ctx, key: string) {
  return withTx(db, async (tx) => {
    const [schedule] = await tx.select().from(jobSchedules).where(eq(jobSchedules.key, key));
    if (!schedule) throw notFound();
    const [row] = await tx
      .insert(jobs)
      .values({ kind: schedule.kind, payload: schedule.payload, scheduleKey: key, firesAt: new Date() })
      .returning();
    await recordAudit(tx, ctx, { action: 'run', entity: 'job_schedule', entityId: key, after: row });
    return presentJob(row as JobRow);
  });
}
