import { sql } from 'drizzle-orm';
import type { WidgetKey } from '../../src/contracts/dashboards.js';
import { queryRows } from '../../src/server/db/client.js';
import {
  DASHBOARD_WIDGETS,
  getDashboard,
  getWidget,
} from '../../src/server/modules/analytics/dashboards/dashboards.service.js';
import type { MeasureQuery } from '../../src/server/modules/analytics/facts/index.js';
import { measure } from '../../src/server/modules/analytics/facts/measure.js';
import { refreshFacts } from '../../src/server/modules/analytics/facts/refresh.js';
import { loadActor } from '../../src/server/platform/access/actor.js';
import { type Ctx, systemCtx } from '../../src/server/platform/context.js';
import { dayIn } from '../../src/server/platform/settings/settings.service.js';
import type { BenchContext, TaskEntry } from '../lib/entry.js';
import { withPeakRss } from '../lib/load.js';
import { ensureDashboardData } from './dashboard-data.js';
import { percentile } from './stock-data.js';

// Issue 8 item 7: the director dashboard next to the bare SQL aggregates over the source tables,
// in the same run; target ≤ 3× the bare aggregate. Two comparisons:
// - the whole dashboard: getDashboard('director', this year) as the director — the function the
//   route calls, every widget — against one bare aggregate per widget computing the same
//   figures straight from the source tables (orders, lines, customers, opportunities, invoices,
//   target nodes), summed; per widget too (getWidget), so the slow ones show;
// - the five revenue figures through measure() alone against their bare aggregates (the roll-up's
//   own ratio).

async function sample(seconds: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until || i < 5; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

interface Widget {
  name: string;
  query: MeasureQuery;
  bare: string;
}

function widgets(from: string, to: string): Widget[] {
  const booked = `o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
    and o.confirmed_at >= '${from}'::timestamp at time zone 'Asia/Shanghai'
    and o.confirmed_at < ('${to}'::date + 1)::timestamp at time zone 'Asia/Shanghai'`;
  return [
    {
      name: 'revenue by month',
      query: { metric: 'booked_revenue', from, to, groupBy: ['month'] },
      bare: `select to_char(timezone('Asia/Shanghai', o.confirmed_at), 'YYYY-MM'), sum(o.total) from sales_orders o where ${booked} group by 1`,
    },
    {
      name: 'by province',
      query: { metric: 'booked_revenue', from, to, groupBy: ['province'] },
      bare: `select c.province_code, sum(o.total) from sales_orders o join customers c on c.id = o.customer_id where ${booked} group by 1`,
    },
    {
      name: 'by category',
      query: { metric: 'booked_revenue', from, to, groupBy: ['category'] },
      bare: `select p.category_id, sum(l.amount) from sales_orders o join sales_order_lines l on l.order_id = o.id join products p on p.id = l.product_id where ${booked} group by 1`,
    },
    {
      name: 'leaderboard',
      query: { metric: 'booked_revenue', from, to, groupBy: ['rep'] },
      bare: `select o.owner_id, sum(o.total) from sales_orders o where ${booked} group by 1`,
    },
    {
      name: 'collected by month',
      query: { metric: 'collected_revenue', from, to, groupBy: ['month'] },
      bare: `select to_char(received_date, 'YYYY-MM'), sum(amount) from payments where received_date between '${from}' and '${to}' group by 1`,
    },
  ];
}

/**
 * One bare aggregate per director widget over [from, to] (this year), straight from the source
 * tables: what a hand-written report would run for the same figures, without scopes or roll-ups.
 */
function directorBare(from: string, to: string, today: string): Record<WidgetKey, string | undefined> {
  const booked = `o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
    and o.confirmed_at >= '${from}'::timestamp at time zone 'Asia/Shanghai'
    and o.confirmed_at < ('${to}'::date + 1)::timestamp at time zone 'Asia/Shanghai'`;
  const month = `to_char(timezone('Asia/Shanghai', o.confirmed_at), 'YYYY-MM')`;
  const repMonths = `select n.period_key, sum(n.amount) as t from target_nodes n join target_plans p on p.id = n.plan_id
    where p.metric = 'booked_revenue' and n.state = 'published' and n.dimension = 'rep' and n.period_kind = 'month'
      and n.period_start >= '${from}' and n.period_end <= '${to}' group by 1`;
  const unitTargets = `select n.dimension_id, sum(n.amount) as t from target_nodes n join target_plans p on p.id = n.plan_id
    where p.metric = 'booked_revenue' and n.state = 'published' and n.dimension = 'org_unit' and n.period_kind = 'year'
      and n.period_start >= '${from}' and n.period_end <= '${to}' group by 1`;
  const repTargets = unitTargets.replace(`'org_unit'`, `'rep'`);
  return {
    revenueTrend: `select coalesce(a.m, t.period_key), a.v, t.t from (select ${month} as m, sum(o.total) as v
        from sales_orders o where ${booked} group by 1) a full join (${repMonths}) t on t.period_key = a.m`,
    regionAttainment: `select a.region, a.v, t.t from (select ou.parent_id as region, sum(o.total) as v
        from sales_orders o join org_units ou on ou.id = o.org_unit_id where ${booked} group by 1) a
        left join (${unitTargets}) t on t.dimension_id = a.region`,
    provinceSales: `select c.province_code, sum(o.total) from sales_orders o join customers c on c.id = o.customer_id where ${booked} group by 1`,
    funnel: `select o.stage_id, o.status, count(*), sum(o.amount) from opportunities o
        where o.status = 'open' or (o.status = 'won' and (o.closed_at at time zone 'Asia/Shanghai')::date between '${from}' and '${to}')
        group by 1, 2`,
    productMix: `select p.category_id, sum(l.amount) from sales_orders o join sales_order_lines l on l.order_id = o.id
        join products p on p.id = l.product_id where ${booked} group by 1`,
    leaderboard: `select coalesce(a.owner_id, t.dimension_id), a.v, t.t from (select o.owner_id, sum(o.total) as v
        from sales_orders o where ${booked} group by 1) a full join (${repTargets}) t on t.dimension_id = a.owner_id`,
    aging: `select sum(open) filter (where days <= 0), sum(open) filter (where days between 1 and 30),
        sum(open) filter (where days between 31 and 60), sum(open) filter (where days between 61 and 90),
        sum(open) filter (where days > 90)
        from (select total - credited_amount - paid_amount as open, '${today}'::date - due_date as days from invoices
          where state in ('issued', 'partially_paid', 'paid') and total - credited_amount - paid_amount <> 0) i`,
    pipelineCoverage: `select (select sum(amount * probability / 100) from opportunities where status = 'open'
          and expected_close_date between date_trunc('month', '${today}'::date) and '${to}'),
        (select sum(o.total) from sales_orders o where ${booked}),
        (select sum(n.amount) from target_nodes n join target_plans p on p.id = n.plan_id where p.metric = 'booked_revenue'
          and n.state = 'published' and n.dimension = 'company' and n.period_start >= '${from}' and n.period_end <= '${to}')`,
    newCustomers: `select to_char(timezone('Asia/Shanghai', created_at), 'YYYY-MM'), count(*) from customers
        where merged_into_id is null and created_at >= '${from}'::timestamp at time zone 'Asia/Shanghai'
          and created_at < ('${to}'::date + 1)::timestamp at time zone 'Asia/Shanghai' group by 1`,
    visitsPerRep: undefined,
    dueFollowUps: undefined,
    stalledOpportunities: undefined,
    myTargets: undefined,
    myPipeline: undefined,
    myDay: undefined,
  };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** The indexes behind the refresh's filters (migration wip_dash_idx), timed without and with. */
const REFRESH_INDEXES = [
  'sales_orders_updated_idx',
  'sales_orders_confirmed_idx',
  'shipments_updated_idx',
  'shipments_posted_idx',
  'payments_updated_idx',
  'payments_received_idx',
];

export const dashboardEntry: TaskEntry = {
  kind: 'task',
  name: 'dashboard',
  title: 'Director dashboard (getDashboard, every widget) vs one bare aggregate per widget over the sources',
  async run(ctx: BenchContext) {
    const data = await ensureDashboardData(ctx);
    const db = ctx.database.db;
    const { result: full, peakRss } = await withPeakRss(() => refreshFacts(db, { full: true }));
    // Late changes: 100 orders of two recent days cancelled (a normal five minutes), then 100
    // orders spread over the two years (the worst case: a hundred days to recompute); first
    // without the indexes the refresh's filters use (watermarks, booked/posted/received days),
    // then with them. No overlap (the job rereads 10 minutes): each run counts its own changes only.
    const cycle = async (daysAgo: number) => {
      await db.execute(sql`update sales_orders set state = 'cancelled', cancelled_at = now(), updated_at = now()
        where id in (select id from sales_orders where number like 'SO-D-%' and state in ('confirmed', 'completed')
          and order_date between current_date - ${daysAgo + 1}::int and current_date - ${daysAgo}::int limit 100)`);
      const recent = await refreshFacts(db, { overlapSeconds: 0 });
      await db.execute(sql`update sales_orders set state = 'cancelled', cancelled_at = now(), updated_at = now()
        where id in (select id from sales_orders where number like 'SO-D-%' and state = 'confirmed' order by number limit 100)`);
      return { recent, spread: await refreshFacts(db, { overlapSeconds: 0 }) };
    };
    const indexes = await queryRows<{ name: string; def: string }>(
      db,
      sql`select indexname as name, indexdef as def from pg_indexes where indexname in (${sql.join(
        REFRESH_INDEXES.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    );
    for (const i of indexes) await db.execute(sql.raw(`drop index ${i.name}`));
    const before = await cycle(0);
    for (const i of indexes) await db.execute(sql.raw(i.def));
    for (const table of ['sales_orders', 'shipments', 'payments'])
      await db.execute(sql.raw(`analyze ${table}`));
    const after = await cycle(2);
    const refreshNote = (label: string, c: typeof after) =>
      `incremental refresh ${label}: after 100 cancellations of two recent days (the last two, then the two before) ${c.recent.days} (metric, day) pair(s) in ${ms(c.recent.durationMs)}; after 100 spread over two years ${c.spread.days} in ${ms(c.spread.durationMs)}`;

    const today = dayIn('Asia/Shanghai', new Date());
    const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
    const list = widgets(from, today);
    const session = await ctx.database.raw();
    const lines: string[] = [];
    const director: string[] = [];
    let app = 0;
    let bare = 0;
    let whole = 0;
    let wholeBare = 0;
    let widgetSum = 0;
    try {
      // The whole director dashboard, as the director (scope all), this year.
      const userId = ctx.demo.org.userIds.director!;
      const actor = await loadActor(db, userId, { via: 'session' });
      if (!actor) throw new Error('the demo director is missing');
      const dctx: Ctx = { actor, requestId: 'bench-dashboard', locale: 'zh-CN' };
      const q = { period: 'year' as const };
      const year = { from: `${today.slice(0, 4)}-01-01`, to: `${today.slice(0, 4)}-12-31` };
      const bareOf = directorBare(year.from, year.to, today);
      await getDashboard(db, dctx, 'director', q);
      whole = percentile(
        await sample(ctx.options.sqlSeconds, () => getDashboard(db, dctx, 'director', q)),
        50,
      );
      for (const key of DASHBOARD_WIDGETS.director) {
        const statement = bareOf[key]!;
        await session.query(statement, []);
        const a = percentile(
          await sample(ctx.options.sqlSeconds, () => getWidget(db, dctx, 'director', key, q)),
          50,
        );
        const b = percentile(await sample(ctx.options.sqlSeconds, () => session.query(statement, [])), 50);
        widgetSum += a;
        wholeBare += b;
        director.push(`  ${key}: ${ms(a)} vs bare ${ms(b)} → ${(a / b).toFixed(2)}×`);
      }
      for (const w of list) {
        await measure(db, systemCtx(), w.query);
        await session.query(w.bare, []);
        const a = await sample(ctx.options.sqlSeconds, () => measure(db, systemCtx(), w.query));
        const b = await sample(ctx.options.sqlSeconds, () => session.query(w.bare, []));
        const ap = percentile(a, 50);
        const bp = percentile(b, 50);
        app += ap;
        bare += bp;
        lines.push(`${w.name}: measure() p50 ${ms(ap)} vs bare ${ms(bp)} → ${(ap / bp).toFixed(3)}×`);
      }
    } finally {
      session.release();
    }
    return {
      rate: 1000 / whole,
      unit: 'director dashboards/s',
      total: DASHBOARD_WIDGETS.director.length,
      seconds: whole / 1000,
      peakRss,
      baseline: {
        label: 'one bare aggregate per widget over the source tables, summed',
        rate: 1000 / wholeBare,
      },
      notes: [
        `${data.lines.toLocaleString('en-US')} order lines, ${data.payments.toLocaleString('en-US')} payments, ${data.opportunities.toLocaleString('en-US')} opportunities, ${data.invoices.toLocaleString('en-US')} invoices, ${data.targetNodes.toLocaleString('en-US')} target nodes (built in ${data.seconds.toFixed(1)} s); ${ctx.database.kind}`,
        `whole director dashboard (getDashboard, this year, as the director): p50 ${ms(whole)} vs Σ bare ${ms(wholeBare)} → ratio ${(whole / wholeBare).toFixed(3)}× (target ≤ 3×); widgets one by one (getWidget, each resolving the scope again) Σ ${ms(widgetSum)}:`,
        ...director,
        `full refresh of the roll-up: ${(full.durationMs / 1000).toFixed(1)} s`,
        refreshNote(`without the ${indexes.length} refresh indexes`, before),
        refreshNote('with them', after),
        `revenue figures alone (${list.length}, ${from} … ${today}): measure() ${ms(app)} vs bare ${ms(bare)} → ratio ${(app / bare).toFixed(3)}× (target ≤ 3×)`,
        ...lines,
      ],
    };
  },
};
