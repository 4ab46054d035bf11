import { hostname } from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { type Db, queryRows } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { companyTimeZone } from '../settings/settings.service.js';
import { type JobState, jobSchedules, jobs } from './schema.js';

export interface JobLog {
  info(msg: string, data?: object): void;
  warn(msg: string, data?: object): void;
}

export interface JobContext {
  db: Db;
  jobId: string;
  attempt: number;
  log: JobLog;
}

interface JobDefinition {
  handler: (payload: object, ctx: JobContext) => Promise<void>;
  maxAttempts: number;
  backoffSeconds: number;
}

interface ScheduleDefinition {
  key: string;
  kind: string;
  cron: string;
  payload: object;
}

const definitions = new Map<string, JobDefinition>();
const schedules = new Map<string, ScheduleDefinition>();

/** A lease longer than any pause between heartbeats; an expired lease means the worker died. */
const LEASE_SECONDS = 300;
const HEARTBEAT_MS = 60_000;
const quietLog: JobLog = { info: () => undefined, warn: () => undefined };

/**
 * Registers the handler for a kind of background job (once, at module load). A throw is
 * retried with exponential back-off until maxAttempts, then the job stays 'failed' for the
 * administrator to see. Handlers must be idempotent: a crash mid-run means it runs again.
 */
export function defineJob<P extends object>(
  kind: string,
  handler: (payload: P, ctx: JobContext) => Promise<void>,
  options: { maxAttempts?: number; backoffSeconds?: number } = {},
): void {
  definitions.set(kind, {
    handler: handler as JobDefinition['handler'],
    maxAttempts: options.maxAttempts ?? 5,
    backoffSeconds: options.backoffSeconds ?? 30,
  });
}

/** Recurring work: a cron expression read in the company's time zone. */
export function defineSchedule(def: { key: string; kind: string; cron: string; payload?: object }): void {
  nextOccurrence(def.cron, new Date(), 'UTC'); // a bad expression fails at start, not at 3 a.m.
  schedules.set(def.key, { ...def, payload: def.payload ?? {} });
}

export function isJobKind(kind: string): boolean {
  return definitions.has(kind);
}

export function nextOccurrence(cron: string, after: Date, timeZone: string): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/**
 * Queues a job inside the caller's transaction, so it exists only if the write commits.
 * With a dedupeKey, a job of the same kind and key that has not finished is reused.
 */
export async function enqueueJob(
  tx: Db,
  kind: string,
  payload: object,
  options: { runAt?: Date; dedupeKey?: string; maxAttempts?: number } = {},
): Promise<string> {
  const def = definitions.get(kind);
  if (!def) throw new Error(`Unknown job kind: ${kind}`);
  const [row] = await tx
    .insert(jobs)
    .values({
      kind,
      payload: payload as Record<string, unknown>,
      runAt: options.runAt ?? new Date(),
      maxAttempts: options.maxAttempts ?? def.maxAttempts,
      dedupeKey: options.dedupeKey ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: jobs.id });
  if (row) return row.id;
  const [existing] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, kind),
        eq(jobs.dedupeKey, options.dedupeKey ?? ''),
        inArray(jobs.state, ['queued', 'running']),
      ),
    );
  if (!existing) throw new Error(`Job ${kind}/${options.dedupeKey} vanished while enqueuing`);
  return existing.id;
}

const workerId = () => `${hostname()}:${process.pid}:${uuidv7().slice(-8)}`;

type ClaimedJob = typeof jobs.$inferSelect;

/** Takes one due job (or one whose worker's lease ran out), skipping rows other workers hold. */
async function claim(db: Db, worker: string, kinds: string[]): Promise<ClaimedJob | undefined> {
  const kindFilter = sql`and kind in (${sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  )})`;
  const claimed = await queryRows<{ id: string }>(
    db,
    sql`
    update jobs set state = 'running', attempts = attempts + 1, locked_by = ${worker},
      locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), started_at = now()
    where id = (
      select id from jobs
      where ((state = 'queued' and run_at <= now()) or (state = 'running' and locked_until < now()))
        ${kindFilter}
      order by run_at
      limit 1
      for update skip locked
    )
    returning id`,
  );
  const id = claimed[0]?.id;
  if (!id) return undefined;
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

async function finish(db: Db, job: ClaimedJob, worker: string, error?: unknown): Promise<void> {
  const mine = and(eq(jobs.id, job.id), eq(jobs.lockedBy, worker));
  if (error === undefined) {
    await db
      .update(jobs)
      .set({ state: 'succeeded', finishedAt: sql`now()`, lockedUntil: null, lastError: null })
      .where(mine);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const def = definitions.get(job.kind);
  if (def && job.attempts < job.maxAttempts) {
    const delay = def.backoffSeconds * 2 ** (job.attempts - 1);
    await db
      .update(jobs)
      .set({
        state: 'queued',
        runAt: sql`now() + make_interval(secs => ${delay})`,
        lockedUntil: null,
        lastError: message.slice(0, 2000),
      })
      .where(mine);
  } else {
    await db
      .update(jobs)
      .set({ state: 'failed', finishedAt: sql`now()`, lockedUntil: null, lastError: message.slice(0, 2000) })
      .where(mine);
  }
}

/** Runs one claimed job, renewing its lease while the handler works. */
async function execute(db: Db, job: ClaimedJob, worker: string, log: JobLog): Promise<void> {
  const def = definitions.get(job.kind);
  const heartbeat = setInterval(() => {
    db.update(jobs)
      .set({ lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, worker)))
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    if (!def) throw new Error(`No handler for job kind ${job.kind} in this process`);
    await def.handler(job.payload, { db, jobId: job.id, attempt: job.attempts, log });
    await finish(db, job, worker);
  } catch (err) {
    log.warn(`job ${job.kind} ${job.id} attempt ${job.attempts} failed`, { err });
    await finish(db, job, worker, err);
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Claims and runs due jobs one after another until none is due (or `limit` ran). The worker
 * calls it on a timer; tests call it to drain the queue deterministically.
 */
export async function runDueJobs(
  db: Db,
  options: { limit?: number; kinds?: string[]; worker?: string; log?: JobLog } = {},
): Promise<number> {
  const worker = options.worker ?? workerId();
  // Only kinds this process can run: another process (a newer version, say) may know more.
  const kinds = options.kinds ?? [...definitions.keys()];
  let ran = 0;
  while (kinds.length && ran < (options.limit ?? Number.POSITIVE_INFINITY)) {
    const job = await claim(db, worker, kinds);
    if (!job) break;
    await execute(db, job, worker, options.log ?? quietLog);
    ran++;
  }
  return ran;
}

/** Writes the code-defined schedules that are not in the database yet (admin edits are kept). */
export async function syncSchedules(db: Db): Promise<void> {
  if (schedules.size === 0) return;
  const tz = await companyTimeZone(db);
  for (const s of schedules.values()) {
    await db
      .insert(jobSchedules)
      .values({
        key: s.key,
        kind: s.kind,
        cron: s.cron,
        payload: s.payload as Record<string, unknown>,
        nextRunAt: nextOccurrence(s.cron, new Date(), tz),
      })
      .onConflictDoNothing();
  }
}

/**
 * Queues one job per due schedule occurrence. The schedule row is locked (SKIP LOCKED) and
 * the occurrence is unique by (schedule, planned time), so two processes never both queue it.
 * After downtime a schedule fires once, not once per missed occurrence.
 */
export async function queueDueSchedules(db: Db): Promise<number> {
  const tz = await companyTimeZone(db);
  return withTx(db, async (tx) => {
    const due = await queryRows<{
      key: string;
      kind: string;
      cron: string;
      payload: Record<string, unknown>;
      next_run_at: string | Date;
    }>(
      tx,
      sql`select key, kind, cron, payload, next_run_at from job_schedules
          where enabled and next_run_at <= now()
          for update skip locked`,
    );
    let queued = 0;
    for (const raw of due) {
      const firesAt = new Date(raw.next_run_at);
      // Queued even if this process has no handler for the kind: another process may have one.
      const inserted = await tx
        .insert(jobs)
        .values({
          kind: raw.kind,
          payload: raw.payload,
          runAt: firesAt,
          maxAttempts: definitions.get(raw.kind)?.maxAttempts ?? 5,
          scheduleKey: raw.key,
          firesAt,
        })
        .onConflictDoNothing()
        .returning({ id: jobs.id });
      queued += inserted.length;
      await tx
        .update(jobSchedules)
        .set({ lastRunAt: firesAt, nextRunAt: nextOccurrence(raw.cron, new Date(), tz) })
        .where(eq(jobSchedules.key, raw.key));
    }
    return queued;
  });
}

/** The in-process worker: every `pollMs`, queue due schedules, then run due jobs. */
export function startJobWorker(db: Db, log: JobLog, options: { pollMs?: number } = {}): () => Promise<void> {
  const worker = workerId();
  let stopped = false;
  let busy = true;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await queueDueSchedules(db);
      await runDueJobs(db, { worker, log });
    } catch (err) {
      log.warn('job worker tick failed', { err });
    }
  };
  const timer = setInterval(() => {
    if (stopped || busy) return;
    busy = true;
    running = tick().finally(() => {
      busy = false;
    });
  }, options.pollMs ?? 1000);
  timer.unref();
  running = syncSchedules(db)
    .catch((err) => log.warn('could not sync job schedules', { err }))
    .then(tick)
    .finally(() => {
      busy = false;
    });
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/**
 * Finished runs are history: succeeded and cancelled ones are kept two weeks, failed ones (the
 * administrator's to look at) three months. Returns how many were deleted.
 */
export async function pruneFinishedJobs(db: Db): Promise<number> {
  const deleted = await db
    .delete(jobs)
    .where(
      sql`(${jobs.state} in ('succeeded', 'cancelled') and ${jobs.finishedAt} < now() - interval '14 days')
        or (${jobs.state} = 'failed' and ${jobs.finishedAt} < now() - interval '90 days')`,
    )
    .returning({ id: jobs.id });
  return deleted.length;
}

defineJob('jobs.prune', async (_payload, job) => {
  job.log.info(`pruned ${await pruneFinishedJobs(job.db)} finished jobs`);
});
defineSchedule({ key: 'jobs.prune', kind: 'jobs.prune', cron: '30 3 * * *' });

export async function countJobsByState(db: Db): Promise<Record<JobState, number>> {
  const rows = await db
    .select({ state: jobs.state, n: sql<number>`count(*)::int` })
    .from(jobs)
    .groupBy(jobs.state);
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}
