import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { defineTestJobs } from '../../testing/test-jobs.js';
import { auditLog } from '../audit/schema.js';
import {
  defineJob,
  enqueueJob,
  nextOccurrence,
  pruneFinishedJobs,
  queueDueSchedules,
  runDueJobs,
  syncSchedules,
} from './jobs.js';
import { jobSchedules, jobs } from './schema.js';

let t: TestApp;
let admin: Client;

const calls: string[] = [];
let failuresLeft = 0;
defineJob<{ label: string }>('test.record', async (payload) => {
  calls.push(payload.label);
});
defineJob<{ label: string }>(
  'test.flaky',
  async (payload) => {
    if (failuresLeft-- > 0) throw new Error(`SMTP 421 for ${payload.label}`);
    calls.push(payload.label);
  },
  { maxAttempts: 3, backoffSeconds: 60 },
);
defineTestJobs('vitest');

const jobRow = async (id: string) => (await t.database.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;
/** Moves a job's next attempt to now, as if its back-off had elapsed. */
const elapse = (id: string) => t.database.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, id));

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
});
afterAll(() => t.close());

describe('background jobs', () => {
  it('runs a job queued in a committed transaction once, and never one whose transaction rolled back', async () => {
    const db = t.database.db;
    await withTx(db, (tx) => enqueueJob(tx, 'test.record', { label: 'committed' }));
    await withTx(db, async (tx) => {
      await enqueueJob(tx, 'test.record', { label: 'rolled back' });
      throw new Error('the business write failed');
    }).catch(() => undefined);

    expect(await runDueJobs(db)).toBe(1);
    expect(await runDueJobs(db)).toBe(0);
    expect(calls).toEqual(['committed']);
  });

  it('does not run a job before its time', async () => {
    const db = t.database.db;
    const id = await enqueueJob(
      db,
      'test.record',
      { label: 'tomorrow' },
      { runAt: new Date(Date.now() + 86_400_000) },
    );
    expect(await runDueJobs(db)).toBe(0);
    await elapse(id);
    expect(await runDueJobs(db)).toBe(1);
    expect(calls.at(-1)).toBe('tomorrow');
  });

  it('queues one job per dedupe key while the first is waiting', async () => {
    const db = t.database.db;
    const a = await enqueueJob(db, 'test.record', { label: 'digest' }, { dedupeKey: 'digest:2026-11-26' });
    const b = await enqueueJob(db, 'test.record', { label: 'digest' }, { dedupeKey: 'digest:2026-11-26' });
    expect(b).toBe(a);
    await runDueJobs(db);
    const c = await enqueueJob(db, 'test.record', { label: 'digest' }, { dedupeKey: 'digest:2026-11-26' });
    expect(c).not.toBe(a);
    await runDueJobs(db);
  });

  it('retries a failing job with growing back-off, then shows the failure to the administrator, who retries it', async () => {
    const db = t.database.db;
    failuresLeft = 3;
    const id = await enqueueJob(db, 'test.flaky', { label: 'welcome mail' });

    await runDueJobs(db);
    let row = await jobRow(id);
    expect(row).toMatchObject({ state: 'queued', attempts: 1, lastError: 'SMTP 421 for welcome mail' });
    const firstDelay = row.runAt.getTime() - Date.now();
    expect(firstDelay).toBeGreaterThan(50_000); // 60 s back-off
    expect(await runDueJobs(db)).toBe(0); // not due yet

    await elapse(id);
    await runDueJobs(db);
    row = await jobRow(id);
    expect(row.attempts).toBe(2);
    expect(row.runAt.getTime() - Date.now()).toBeGreaterThan(110_000); // doubled: 120 s

    await elapse(id);
    await runDueJobs(db);
    row = await jobRow(id);
    expect(row).toMatchObject({ state: 'failed', attempts: 3 });

    const failed = await admin.get('/jobs?state=failed');
    expect(failed.statusCode).toBe(200);
    expect(failed.body.items.map((j: { id: string }) => j.id)).toContain(id);
    expect((await admin.get('/jobs/summary')).body.failed).toBeGreaterThanOrEqual(1);

    const rep = await as(t.app, 'rep01');
    expect((await rep.get('/jobs')).statusCode).toBe(403);
    expect((await rep.post(`/jobs/${id}/retry`)).statusCode).toBe(403);

    const retried = await admin.post(`/jobs/${id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.body).toMatchObject({ state: 'queued', attempts: 0 });
    await runDueJobs(db);
    expect(await jobRow(id)).toMatchObject({ state: 'succeeded', lastError: null });
    expect(calls.at(-1)).toBe('welcome mail');

    const again = await admin.post(`/jobs/${id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('invalid_state');
  });

  it('takes over a job whose worker died (lease ran out) and runs it', async () => {
    const db = t.database.db;
    const id = await enqueueJob(db, 'test.record', { label: 'orphan' });
    await db
      .update(jobs)
      .set({
        state: 'running',
        attempts: 1,
        lockedBy: 'dead-worker',
        lockedUntil: sql`now() - interval '1 second'`,
      })
      .where(eq(jobs.id, id));
    await runDueJobs(db);
    expect(await jobRow(id)).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('cancels a queued job, which then never runs', async () => {
    const db = t.database.db;
    const id = await enqueueJob(
      db,
      'test.record',
      { label: 'cancelled' },
      { runAt: new Date(Date.now() + 60_000) },
    );
    expect((await admin.post(`/jobs/${id}/cancel`)).body.state).toBe('cancelled');
    await elapse(id);
    await runDueJobs(db);
    expect(calls).not.toContain('cancelled');
  });
});

describe('scheduled jobs', () => {
  it('reads cron in the company time zone: 08:00 daily is 00:00 UTC in Shanghai', () => {
    const next = nextOccurrence('0 8 * * *', new Date('2026-11-26T05:00:00Z'), 'Asia/Shanghai');
    expect(next.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });

  it('queues a due occurrence once, even when two workers look at the same moment, and once after downtime', async () => {
    const db = t.database.db;
    await syncSchedules(db);
    // Two days of downtime: the schedule is long overdue.
    await db
      .update(jobSchedules)
      .set({ nextRunAt: sql`now() - interval '2 days'` })
      .where(eq(jobSchedules.key, 'test.every-second'));
    const queued = await Promise.all([queueDueSchedules(db), queueDueSchedules(db)]);
    expect(queued[0]! + queued[1]!).toBe(1);
    const [schedule] = await db.select().from(jobSchedules).where(eq(jobSchedules.key, 'test.every-second'));
    expect(schedule!.nextRunAt.getTime()).toBeGreaterThan(Date.now() - 1000);
    await runDueJobs(db, { kinds: ['test.tick'] });
    await db.update(jobSchedules).set({ enabled: false }).where(eq(jobSchedules.key, 'test.every-second'));
  });

  it('lets the administrator re-time a schedule, refusing a bad cron without changing anything', async () => {
    const list = await admin.get('/job-schedules');
    const s = list.body.items.find((x: { key: string }) => x.key === 'test.every-second');
    const bad = await admin.patch('/job-schedules/test.every-second', {
      cron: 'every monday',
      version: s.version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('cron');
    const good = await admin.patch('/job-schedules/test.every-second', {
      cron: '30 7 * * 1',
      version: s.version,
    });
    expect(good.statusCode).toBe(200);
    expect(good.body.cron).toBe('30 7 * * 1');
    // 07:30 Monday in Shanghai is 23:30 UTC on Sunday.
    expect(new Date(good.body.nextRunAt).getUTCDay()).toBe(0);
    const stale = await admin.patch('/job-schedules/test.every-second', {
      enabled: true,
      version: s.version,
    });
    expect(stale.statusCode).toBe(409);
  });
});

describe.runIf(process.env.XG_TEST_DB === 'postgres')('two app processes on one PostgreSQL', () => {
  const child = fileURLToPath(new URL('../../testing/jobs-child.ts', import.meta.url));
  const runChild = (name: string, url: string) =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child], {
        env: { ...process.env, DATABASE_URL: url, XG_CHILD_NAME: name, XG_CHILD_MS: '3500' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}`))));
    });

  it('runs each queued job and each scheduled occurrence exactly once', async () => {
    const db = t.database.db;
    const url = t.database.pool!.options.connectionString!;
    await withTx(db, async (tx) => {
      for (let n = 1; n <= 100; n++) await enqueueJob(tx, 'test.count', { n });
    });
    await db
      .update(jobSchedules)
      .set({ enabled: true, cron: '* * * * * *', nextRunAt: sql`now()` })
      .where(eq(jobSchedules.key, 'test.every-second'));

    await Promise.all([runChild('process-a', url), runChild('process-b', url)]);

    const runs = await queryRows<{ entity_id: string; n: number; processes: number }>(
      db,
      sql`select entity_id, count(*)::int as n from audit_log where entity = 'test.count' group by entity_id`,
    );
    expect(runs).toHaveLength(100);
    expect(runs.every((r) => r.n === 1)).toBe(true);
    const byProcess = await queryRows<{ request_id: string; n: number }>(
      db,
      sql`select request_id, count(*)::int as n from audit_log where entity = 'test.count' group by request_id`,
    );
    expect(byProcess.map((r) => r.request_id).sort()).toEqual(['process-a', 'process-b']);

    const ticks = await db.select().from(jobs).where(eq(jobs.scheduleKey, 'test.every-second'));
    const tickRuns = await db.select().from(auditLog).where(eq(auditLog.entity, 'test.tick'));
    const occurrences = ticks.filter((j) => j.state === 'succeeded');
    expect(occurrences.length).toBeGreaterThanOrEqual(2);
    expect(new Set(occurrences.map((j) => j.firesAt!.toISOString())).size).toBe(occurrences.length);
    // Every occurrence ran once: one run per succeeded occurrence, none twice.
    expect(tickRuns.map((r) => r.entityId).sort()).toEqual(occurrences.map((j) => j.id).sort());
  }, 30_000);
});

describe('housekeeping', () => {
  it('prunes old finished runs but keeps recent ones, queued ones and failures for longer', async () => {
    const db = t.database.db;
    const ago = (days: number) => sql`now() - make_interval(days => ${days})`;
    const make = async (state: 'succeeded' | 'failed' | 'queued', days: number) => {
      const id = await enqueueJob(
        db,
        'test.record',
        { label: `${state}-${days}` },
        { runAt: new Date(Date.now() + 3_600_000) },
      );
      await db
        .update(jobs)
        .set({ state, finishedAt: state === 'queued' ? null : ago(days) })
        .where(eq(jobs.id, id));
      return id;
    };
    const oldDone = await make('succeeded', 20);
    const recentDone = await make('succeeded', 3);
    const oldFailure = await make('failed', 20);
    const ancientFailure = await make('failed', 120);
    const waiting = await make('queued', 0);

    expect(await pruneFinishedJobs(db)).toBeGreaterThanOrEqual(2);
    const left = new Set((await db.select({ id: jobs.id }).from(jobs)).map((j) => j.id));
    expect([oldDone, ancientFailure].filter((id) => left.has(id))).toEqual([]);
    expect([recentDone, oldFailure, waiting].every((id) => left.has(id))).toBe(true);
  });
});
