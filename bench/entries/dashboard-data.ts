import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../src/server/db/client.js';
import { withTx } from '../../src/server/db/tx.js';
import { seedTargetsDemo } from '../../src/server/modules/strategy/targets.demo.js';
import { systemCtx } from '../../src/server/platform/context.js';
import type { BenchContext } from '../lib/entry.js';
import { ensureReceivables } from './receivables-data.js';
import { ensureOpportunities } from './sales-data.js';

// Sales facts at bench size (issue 8 item 7: 5,000,000 order lines and 1,000,000 payments),
// bulk-inserted with generate_series on the server, in chunks, ids derived from the row number:
// - 20,000 customers owned by every demo rep (their team as org unit), each rep's customers in
//   two of the 31 provinces (a rep works a territory, as in the demo org);
// - 8 products in 8 categories and one warehouse;
// - orders of 4 lines each, confirmed over the last 730 days (a twentieth cancelled), the total
//   the exact sum of the line amounts;
// - receipts over the same 730 days, topping up the receivables entries' receipts to the count;
// - customers created over the same 730 days (the new-customers widget);
// and, for the director dashboard's other widgets, the data the other entries build (shared, built
// once): the sales entries' 100,000 opportunities in the default pipeline (funnel, pipeline
// coverage) and the receivables entries' issued invoices (aging: 1,000,000 on PostgreSQL, 200,000
// on PGlite); then the demo's targets (`seedTargetsDemo`: last and this year's booked revenue,
// company → regions → teams → reps → months, set from these orders).
// PostgreSQL gets 1,250,000 orders (5,000,000 lines) and 1,000,000 payments; PGlite
// (WebAssembly, one core) 50,000 orders (200,000 lines) and 40,000 payments unless
// XG_BENCH_ORDER_LINES / XG_BENCH_PAYMENTS say otherwise. Shipments are not generated: the
// director dashboard's figures are booked and collected revenue.

const CUSTOMERS = 20_000;
const LINES_PER_ORDER = 4;
const PROVINCES = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
];

export interface DashboardBenchData {
  orders: number;
  lines: number;
  payments: number;
  customers: number;
  opportunities: number;
  invoices: number;
  targetNodes: number;
  seconds: number;
}

const uuids = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]::uuid[]`);
const texts = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]::text[]`);
const idSql = (tag: string, n: SQL) =>
  sql`overlay(overlay(md5(${sql.raw(`'xg-dash-${tag}-'`)} || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
/** Line `s` (1–4) of order `n`: a deterministic amount in fen. */
const lineAmount = (n: SQL, s: SQL) => sql`(20000 + ((${n})::bigint * 7919 + (${s}) * 104729) % 2000000)`;

async function build(ctx: BenchContext, orders: number, payments: number): Promise<DashboardBenchData> {
  const started = performance.now();
  const { db, demo } = { db: ctx.database.db, demo: ctx.demo };
  const [sales, receivables] = [await ensureOpportunities(ctx), await ensureReceivables(ctx)];
  const [existing] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from payments`);
  const ownPayments = Math.max(0, payments - Number(existing?.n ?? 0));
  const owners = demo.org.regions.flatMap((r) =>
    r.teams.flatMap((t) => t.repIds.map((id) => [id, t.id] as const)),
  );
  const ownerIds = uuids(owners.map(([id]) => id));
  const unitIds = uuids(owners.map(([, unit]) => unit));
  const O = owners.length;

  await db.execute(sql`
    insert into customers (id, name, name_key, name_pinyin, name_initials, grade, lifecycle, province_code, owner_id, org_unit_id,
      created_at, updated_at)
    select ${idSql('cust', sql`k`)}, '看板压测客户' || k || '有限公司', '看板压测客户' || k, 'kanbanyace' || k, 'kbyc' || k,
      'B', 'active', (${texts(PROVINCES)})[1 + ((k % ${O}) * 2 + (k / ${O}) % 2) % ${PROVINCES.length}],
      (${ownerIds})[1 + k % ${O}], (${unitIds})[1 + k % ${O}], at, at
    from (select k, now() - make_interval(days => ((k::bigint * 37) % 730)::int) as at
      from generate_series(0, ${CUSTOMERS - 1}) as k) a`);
  await db.execute(sql`
    insert into product_categories (id, code, name)
    select ${idSql('cat', sql`c`)}, 'DASH-' || c, '看板品类' || c from generate_series(1, 8) as c`);
  await db.execute(sql`
    insert into products (id, sku, name, uom, list_price, cost_price, category_id)
    select ${idSql('prod', sql`c`)}, 'DASH-P-' || c, '看板商品' || c, '台', 100000 * c, 70000 * c, ${idSql('cat', sql`c`)}
    from generate_series(1, 8) as c`);
  await db.execute(sql`
    insert into warehouses (id, code, name) values (${idSql('wh', sql`1`)}, 'DASH-WH', '看板压测仓')`);

  const total = sql.join(
    [1, 2, 3, 4].map((s) => lineAmount(sql`n`, sql.raw(String(s)))),
    sql` + `,
  );
  const chunk = 100_000;
  for (let from = 0; from < orders; from += chunk) {
    const to = Math.min(orders, from + chunk) - 1;
    await db.execute(sql`
      insert into sales_orders (id, number, customer_id, order_date, state, total, tax, owner_id, org_unit_id,
        confirmed_at, cancelled_at, created_at, updated_at)
      select ${idSql('so', sql`n`)}, 'SO-D-' || lpad(n::text, 8, '0'), ${idSql('cust', sql`k`)}, day,
        case when n % 20 = 3 then 'cancelled' when n % 3 = 0 then 'completed' else 'confirmed' end,
        tot, (tot * 13 / 113)::bigint, (${ownerIds})[1 + k % ${O}], (${unitIds})[1 + k % ${O}],
        at, case when n % 20 = 3 then at + interval '1 day' end, at, at
      from (select n, k, day, (day::timestamp + interval '10 hours') at time zone 'Asia/Shanghai' as at, ${total} as tot
        from (select n, ((n::bigint * 7919) % ${CUSTOMERS})::int as k,
            current_date - ((n::bigint * 37) % 730)::int as day
          from generate_series(${from}::int, ${to}::int) as n) a) b`);
    await db.execute(sql`
      insert into sales_order_lines (id, order_id, seq, product_id, quantity, list_price, unit_price, price_source,
        tax_rate, amount, tax, warehouse_id)
      select ${idSql('sol', sql`(n * 4 + s)`)}, ${idSql('so', sql`n`)}, s, ${idSql('prod', sql`(1 + (n + s) % 8)`)}, 1,
        ${lineAmount(sql`n`, sql`s`)}, ${lineAmount(sql`n`, sql`s`)}, 'entered', 0.13,
        ${lineAmount(sql`n`, sql`s`)}, (${lineAmount(sql`n`, sql`s`)} * 13 / 113)::bigint, ${idSql('wh', sql`1`)}
      from generate_series(${from}::int, ${to}::int) as n, generate_series(1, ${LINES_PER_ORDER}) as s`);
  }
  for (let from = 0; from < ownPayments; from += chunk) {
    const to = Math.min(ownPayments, from + chunk) - 1;
    await db.execute(sql`
      insert into payments (id, number, kind, customer_id, amount, method, received_date, owner_id, org_unit_id,
        created_at, updated_at)
      select ${idSql('pay', sql`n`)}, 'PAY-D-' || lpad(n::text, 8, '0'), 'receipt', ${idSql('cust', sql`k`)},
        50000 + (n::bigint * 9973) % 3000000, 'bank_transfer', day, (${ownerIds})[1 + k % ${O}], (${unitIds})[1 + k % ${O}],
        day::timestamp at time zone 'Asia/Shanghai', day::timestamp at time zone 'Asia/Shanghai'
      from (select n, ((n::bigint * 104729) % ${CUSTOMERS})::int as k, current_date - ((n::bigint * 53) % 730)::int as day
        from generate_series(${from}::int, ${to}::int) as n) a`);
  }
  for (const table of ['customers', 'sales_orders', 'sales_order_lines', 'payments'])
    await db.execute(sql.raw(`vacuum analyze ${table}`));
  // Targets set from the orders above, as the demo sets its own (same generator, same seed).
  const faker = new Faker({ locale: [zh_CN, en, base], seed: 8 });
  await withTx(db, (tx) => seedTargetsDemo(tx, faker, systemCtx('bench-dashboard'), demo.org));
  await db.execute(sql`vacuum analyze target_nodes`);
  const [counts] = await queryRows<{ payments: number; nodes: number }>(
    db,
    sql`select (select count(*) from payments)::int as payments, (select count(*) from target_nodes)::int as nodes`,
  );
  return {
    orders,
    lines: orders * LINES_PER_ORDER,
    payments: Number(counts?.payments ?? 0),
    customers: CUSTOMERS,
    opportunities: sales.opportunities,
    invoices: receivables.invoices,
    targetNodes: Number(counts?.nodes ?? 0),
    seconds: (performance.now() - started) / 1000,
  };
}

function sizeFor(ctx: BenchContext): { orders: number; payments: number } {
  const lines = Number(process.env.XG_BENCH_ORDER_LINES);
  const pays = Number(process.env.XG_BENCH_PAYMENTS);
  const pg = ctx.database.kind === 'postgres';
  return {
    orders: Math.ceil(
      (Number.isInteger(lines) && lines > 0 ? lines : pg ? 5_000_000 : 200_000) / LINES_PER_ORDER,
    ),
    payments: Number.isInteger(pays) && pays > 0 ? pays : pg ? 1_000_000 : 40_000,
  };
}

let built: Promise<DashboardBenchData> | undefined;

/** Builds the dashboard's facts once. */
export function ensureDashboardData(ctx: BenchContext): Promise<DashboardBenchData> {
  const { orders, payments } = sizeFor(ctx);
  built ??= build(ctx, orders, payments).then((data) => {
    console.error(
      `[bench] dashboard: ${data.lines.toLocaleString('en-US')} order lines (${data.orders.toLocaleString('en-US')} orders), ${data.payments.toLocaleString('en-US')} payments over ${data.customers.toLocaleString('en-US')} customers, ${data.opportunities.toLocaleString('en-US')} opportunities, ${data.invoices.toLocaleString('en-US')} invoices, ${data.targetNodes.toLocaleString('en-US')} target nodes, in ${data.seconds.toFixed(1)} s`,
    );
    return data;
  });
  return built;
}
