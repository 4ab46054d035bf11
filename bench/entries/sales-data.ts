import { sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.js';
import type { DemoResult } from '../../src/server/demo/index.js';
import { defaultPipeline, stagesOf } from '../../src/server/modules/sales/pipelines.service.js';
import { systemCtx } from '../../src/server/platform/context.js';
import type { BenchContext } from '../lib/entry.js';

// Opportunities at bench size (issue 6: 100,000), shared by the kanban and forecast entries:
// bulk-inserted with generate_series on the server, in the default pipeline, spread over its
// stages (about 70% open, 15% won, 15% lost), owned by every demo rep (their team as unit), with
// expected close dates over 18 months (a year back, six months ahead) and updates over 18 months.

export const BENCH_OPPORTUNITIES = 100_000;
const CUSTOMERS = 5_000;

export interface SalesBenchData {
  opportunities: number;
  stages: number;
  owners: number;
  teams: number;
  seconds: number;
}

let built: Promise<SalesBenchData> | undefined;

const uuids = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]::uuid[]`);

async function build(db: Db, demo: DemoResult, count: number): Promise<SalesBenchData> {
  const started = performance.now();
  const owners = demo.org.regions.flatMap((r) =>
    r.teams.flatMap((t) => t.repIds.map((id) => [id, t.id] as const)),
  );
  const ownerIds = uuids(owners.map(([id]) => id));
  const unitIds = uuids(owners.map(([, unit]) => unit));
  const pipeline = await defaultPipeline(db, systemCtx('bench-sales'));
  const stages = await stagesOf(db, pipeline.id);
  const open = stages.filter((s) => s.kind === 'open');
  const won = stages.find((s) => s.kind === 'won')!;
  const lost = stages.find((s) => s.kind === 'lost')!;
  // 20 slots: 14 open (spread over the open stages, fewer in the later ones), 3 won, 3 lost.
  const slots = [
    ...Array.from({ length: 14 }, (_, i) => open[Math.floor((i * i) / ((14 * 14) / open.length))]!),
    won,
    won,
    won,
    lost,
    lost,
    lost,
  ];
  const stageIds = uuids(slots.map((s) => s.id));
  const kinds = sql.raw(`array[${slots.map((s) => `'${s.kind}'`).join(',')}]`);
  const probabilities = sql.raw(`array[${slots.map((s) => s.probability).join(',')}]`);

  await db.execute(sql`
    insert into customers (id, name, name_key, name_pinyin, name_initials, grade, lifecycle, owner_id, org_unit_id)
    select gen_random_uuid(), '商机压测客户' || n || '有限公司', '商机压测客户' || n, 'shangjiyaceke' || n, 'sjyc' || n,
      'B', 'active', (${ownerIds})[1 + n % ${owners.length}], (${unitIds})[1 + n % ${owners.length}]
    from generate_series(0, ${CUSTOMERS - 1}) as n`);
  const customerIds = sql`(select array_agg(id order by id) from customers where name like '商机压测客户%')`;

  const chunk = 50_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    await db.execute(sql`
      with c as (select ${customerIds} as ids),
      parts as (
        select n,
          1 + (n::bigint * 7919) % ${owners.length} as owner_slot,
          1 + (n::bigint * 31) % ${slots.length} as stage_slot,
          current_date - 365 + ((n::bigint * 37) % 548)::int as close_date,
          now() - make_interval(secs => ((n::bigint * 4391) % (548 * 86400))::int) as touched
        from generate_series(${from}::int, ${to}::int) as n
      ), rows as (
        select parts.*, (${kinds})[stage_slot] as kind, (${probabilities})[stage_slot] as probability
        from parts
      )
      insert into opportunities (id, name, customer_id, pipeline_id, stage_id, status, amount, expected_close_date,
        probability, forecast_category, loss_reason, closed_at, stage_entered_at, owner_id, org_unit_id,
        created_at, updated_at)
      select gen_random_uuid(), '压测商机' || n, c.ids[1 + n % array_length(c.ids, 1)], ${pipeline.id}::uuid,
        (${stageIds})[stage_slot], kind,
        (100000 + (n::bigint * 9973) % 50000000), close_date, probability,
        case when kind <> 'open' then 'closed' when probability >= 80 then 'commit'
             when probability >= 50 then 'best_case' else 'pipeline' end,
        case when kind = 'lost' then 'price' end,
        case when kind <> 'open' then close_date::timestamp at time zone 'Asia/Shanghai' end,
        touched, (${ownerIds})[owner_slot], (${unitIds})[owner_slot],
        touched - interval '30 days', touched
      from rows, c`);
  }
  await db.execute(sql`analyze opportunities`);
  await db.execute(sql`analyze customers`);
  return {
    opportunities: count,
    stages: stages.length,
    owners: owners.length,
    teams: new Set(owners.map(([, unit]) => unit)).size,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Builds the opportunities once, for whichever sales entry runs first. */
export function ensureOpportunities(ctx: BenchContext): Promise<SalesBenchData> {
  built ??= build(ctx.database.db, ctx.demo, BENCH_OPPORTUNITIES).then((data) => {
    console.error(
      `[bench] opportunities: ${data.opportunities.toLocaleString('en-US')} over ${data.stages} stages, ${data.owners} reps in ${data.teams} teams, in ${data.seconds.toFixed(1)} s`,
    );
    return data;
  });
  return built;
}
