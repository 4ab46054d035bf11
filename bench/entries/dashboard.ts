import { sql } from 'drizzle-orm';
import type { MeasureQuery } from '../../src/server/modules/analytics/facts/index.js';
import { measure } from '../../src/server/modules/analytics/facts/measure.js';
import { refreshFacts } from '../../src/server/modules/analytics/facts/refresh.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { dayIn } from '../../src/server/platform/settings/settings.service.js';
import type { BenchContext, TaskEntry } from '../lib/entry.js';
import { withPeakRss } from '../lib/load.js';
import { ensureDashboardData } from './dashboard-data.js';
import { percentile } from './stock-data.js';

// Issue 8 item 7: the director dashboard's figures through measure() (the daily roll-up) next to
// the bare SQL aggregate over the source facts, in the same run; target ≤ 3× the bare aggregate.

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

const ms = (v: number) => `${v.toFixed(1)} ms`;

export const dashboardEntry: TaskEntry = {
  kind: 'task',
  name: 'dashboard',
  title: 'Director dashboard figures: measure() on the roll-up vs the bare aggregate over the facts',
  async run(ctx: BenchContext) {
    const data = await ensureDashboardData(ctx);
    const db = ctx.database.db;
    const { result: full, peakRss } = await withPeakRss(() => refreshFacts(db, { full: true }));
    // Late changes: 100 orders of the last two days cancelled (a normal five minutes), then 100
    // orders spread over the two years (the worst case: a hundred days to recompute).
    await db.execute(sql`update sales_orders set state = 'cancelled', cancelled_at = now(), updated_at = now()
      where id in (select id from sales_orders where number like 'SO-D-%' and state = 'confirmed'
        and order_date >= current_date - 1 limit 100)`);
    const incremental = await refreshFacts(db);
    await db.execute(sql`update sales_orders set state = 'cancelled', cancelled_at = now(), updated_at = now()
      where id in (select id from sales_orders where number like 'SO-D-%' and state = 'confirmed' order by number limit 100)`);
    const spread = await refreshFacts(db);

    const today = dayIn('Asia/Shanghai', new Date());
    const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
    const list = widgets(from, today);
    const session = await ctx.database.raw();
    const lines: string[] = [];
    let app = 0;
    let bare = 0;
    try {
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
      rate: 1000 / app,
      unit: 'dashboards/s',
      total: list.length,
      seconds: app / 1000,
      peakRss,
      baseline: { label: 'bare aggregates over the source facts', rate: 1000 / bare },
      notes: [
        `${data.lines.toLocaleString('en-US')} order lines, ${data.payments.toLocaleString('en-US')} payments (built in ${data.seconds.toFixed(1)} s); ${ctx.database.kind}`,
        `full refresh of the roll-up: ${(full.durationMs / 1000).toFixed(1)} s; incremental after 100 cancellations of the last two days: ${incremental.days} (metric, day) pair(s) in ${ms(incremental.durationMs)}; after 100 spread over two years: ${spread.days} in ${ms(spread.durationMs)}`,
        `whole dashboard (${list.length} figures, ${from} … ${today}): measure() ${ms(app)} vs bare ${ms(bare)} → ratio ${(app / bare).toFixed(3)}× (target ≤ 3×)`,
        ...lines,
      ],
    };
  },
};
