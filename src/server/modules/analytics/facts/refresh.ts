import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { defineJob, defineSchedule, enqueueJob } from '../../../platform/jobs/jobs.js';
import { companyTimeZone } from '../../../platform/settings/settings.service.js';
import { METRICS, type Metric } from '../../strategy/targets/rules.js';
import { changedDays, sourceRows } from './sources.js';

export const FACTS_REFRESH_JOB = 'analytics.facts-refresh';
export const FACTS_REBUILD_JOB = 'analytics.facts-rebuild';
const STATE_KEY = 'sales';
/**
 * Source rows are read from (last watermark − this overlap): a transaction that started before
 * the last run and committed after it stamped its rows with its own start time, which is earlier
 * than the watermark. Re-reading a few minutes is harmless (a day is recomputed, not added to).
 */
const OVERLAP_SECONDS = 600;

export interface RefreshResult {
  mode: 'incremental' | 'full';
  /** How many (metric, day) pairs were recomputed. */
  days: number;
  /** The recomputed days per metric (incremental runs only). */
  changed: Partial<Record<Metric, string[]>>;
  dataAsOf: string;
  durationMs: number;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

async function rebuildDays(tx: Db, metric: Metric, tz: string, days: string[] | 'all'): Promise<void> {
  const window = days === 'all' ? {} : { days };
  if (days === 'all') {
    await tx.execute(sql`delete from sales_facts_daily where metric = ${metric}`);
  } else {
    if (!days.length) return;
    await tx.execute(
      sql`delete from sales_facts_daily where metric = ${metric} and day in (${sql.join(
        days.map((d) => sql`${d}::date`),
        sql`, `,
      )})`,
    );
  }
  await tx.execute(sql`insert into sales_facts_daily
      (day, metric, owner_id, org_unit_id, category_id, province_code, amount, quantity, records)
    select s.day, ${metric}, s.owner_id, s.org_unit_id, s.category_id, s.province_code,
      sum(s.amount)::bigint, sum(s.quantity), count(*)::int
    from (${sourceRows(metric, tz, window)}) s
    group by s.day, s.owner_id, s.org_unit_id, s.category_id, s.province_code`);
  // The months of those days again, from the daily rows.
  const months = days === 'all' ? 'all' : [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))];
  const inMonths =
    months === 'all'
      ? sql`true`
      : sql`month in (${sql.join(
          months.map((m) => sql`${m}::date`),
          sql`, `,
        )})`;
  await tx.execute(sql`delete from sales_facts_monthly where metric = ${metric} and ${inMonths}`);
  await tx.execute(sql`insert into sales_facts_monthly
      (month, metric, owner_id, org_unit_id, category_id, province_code, amount, quantity, records)
    select date_trunc('month', d.day)::date as month, d.metric, d.owner_id, d.org_unit_id, d.category_id,
      d.province_code, sum(d.amount)::bigint, sum(d.quantity), sum(d.records)::int
    from sales_facts_daily d
    where d.metric = ${metric} and ${
      months === 'all'
        ? sql`true`
        : sql`d.day >= ${months.toSorted()[0]}::date
            and d.day < (${months.toSorted().at(-1)}::date + interval '1 month')::date
            and date_trunc('month', d.day)::date in (${sql.join(
              months.map((m) => sql`${m}::date`),
              sql`, `,
            )})`
    }
    group by 1, 2, 3, 4, 5, 6`);
  // And per rep only, from the monthly rows just written.
  await tx.execute(sql`delete from sales_facts_monthly_rep where metric = ${metric} and ${inMonths}`);
  await tx.execute(sql`insert into sales_facts_monthly_rep
      (month, metric, owner_id, org_unit_id, amount, quantity, records)
    select m.month, m.metric, m.owner_id, m.org_unit_id, sum(m.amount)::bigint, sum(m.quantity), sum(m.records)::int
    from sales_facts_monthly m
    where m.metric = ${metric} and ${inMonths}
    group by 1, 2, 3, 4`);
}

/**
 * Brings the roll-up up to date in one transaction: the first run (or `full`) rebuilds every
 * day; later runs recompute only the days a source change since the watermark touched (delete +
 * insert of those days). The state row is locked, so concurrent runs queue up; a rerun after a
 * crash finds the old watermark and does the same work again (idempotent).
 */
export async function refreshFacts(
  db: Db,
  options: { full?: boolean; overlapSeconds?: number } = {},
): Promise<RefreshResult> {
  const started = Date.now();
  return withTx(db, async (tx) => {
    await tx.execute(sql`insert into sales_facts_state (key) values (${STATE_KEY}) on conflict do nothing`);
    const [state] = await queryRows<{ watermark: unknown; now: unknown }>(
      tx,
      sql`select watermark, now() as now from sales_facts_state where key = ${STATE_KEY} for update`,
    );
    const tz = await companyTimeZone(tx);
    const full = options.full || !state?.watermark;
    const changed: Partial<Record<Metric, string[]>> = {};
    let count = 0;
    for (const metric of METRICS) {
      if (full) {
        await rebuildDays(tx, metric, tz, 'all');
        continue;
      }
      const since = sql`(${iso(state!.watermark)}::timestamptz - make_interval(secs => ${options.overlapSeconds ?? OVERLAP_SECONDS}))`;
      const rows = await queryRows<{ day: unknown }>(
        tx,
        sql`select day::text as day from (${changedDays(metric, tz, since)}) d where day is not null order by 1`,
      );
      const days = rows.map((r) => String(r.day));
      if (!days.length) continue;
      changed[metric] = days;
      count += days.length;
      await rebuildDays(tx, metric, tz, days);
    }
    const now = iso(state?.now ?? new Date());
    const durationMs = Date.now() - started;
    await tx.execute(sql`update sales_facts_state set watermark = ${now}::timestamptz,
        data_as_of = ${now}::timestamptz, last_run_at = now(), last_mode = ${full ? 'full' : 'incremental'},
        last_days = ${count}, last_duration_ms = ${durationMs}, updated_at = now()
      where key = ${STATE_KEY}`);
    return { mode: full ? 'full' : 'incremental', days: count, changed, dataAsOf: now, durationMs };
  });
}

/** When the roll-up last caught up with the source records; null before the first refresh. */
export async function factsDataAsOf(db: Db): Promise<string | null> {
  const [row] = await queryRows<{ data_as_of: unknown }>(
    db,
    sql`select data_as_of from sales_facts_state where key = ${STATE_KEY}`,
  );
  return row?.data_as_of ? iso(row.data_as_of) : null;
}

export interface FactsStatus {
  dataAsOf: string | null;
  lastRunAt: string | null;
  lastMode: 'incremental' | 'full' | null;
  lastDays: number;
  lastDurationMs: number;
}

export async function factsStatus(db: Db): Promise<FactsStatus> {
  const [row] = await queryRows<{
    data_as_of: unknown;
    last_run_at: unknown;
    last_mode: 'incremental' | 'full' | null;
    last_days: number;
    last_duration_ms: number;
  }>(
    db,
    sql`select data_as_of, last_run_at, last_mode, last_days, last_duration_ms from sales_facts_state where key = ${STATE_KEY}`,
  );
  return {
    dataAsOf: row?.data_as_of ? iso(row.data_as_of) : null,
    lastRunAt: row?.last_run_at ? iso(row.last_run_at) : null,
    lastMode: row?.last_mode ?? null,
    lastDays: Number(row?.last_days ?? 0),
    lastDurationMs: Number(row?.last_duration_ms ?? 0),
  };
}

/**
 * "Refresh now" (administrators): queues the refresh job, or answers the one already queued or
 * running (dedupe key), so repeated clicks run it once.
 */
export async function requestRefresh(db: Db, ctx: Ctx, full = false): Promise<{ jobId: string }> {
  return withTx(db, async (tx) => {
    const kind = full ? FACTS_REBUILD_JOB : FACTS_REFRESH_JOB;
    const jobId = await enqueueJob(tx, kind, {}, { dedupeKey: kind });
    await recordAudit(tx, ctx, {
      action: 'refresh',
      entity: 'sales_facts',
      entityId: STATE_KEY,
      after: { jobId, full },
    });
    return { jobId };
  });
}

defineJob(FACTS_REFRESH_JOB, async (_payload, job) => {
  const r = await refreshFacts(job.db);
  job.log.info(`sales facts ${r.mode} refresh: ${r.days} day(s) in ${r.durationMs} ms`);
});
defineJob(FACTS_REBUILD_JOB, async (_payload, job) => {
  const r = await refreshFacts(job.db, { full: true });
  job.log.info(`sales facts rebuilt in ${r.durationMs} ms`);
});
// Every five minutes catches up with new orders, shipments and payments; the nightly rebuild
// picks up what no watermark sees (a product's new cost price, a customer's new province).
defineSchedule({ key: FACTS_REFRESH_JOB, kind: FACTS_REFRESH_JOB, cron: '*/5 * * * *' });
defineSchedule({ key: FACTS_REBUILD_JOB, kind: FACTS_REBUILD_JOB, cron: '40 2 * * *' });
