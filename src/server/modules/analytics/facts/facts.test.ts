import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import { systemCtx } from '../../../platform/context.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { makeSellable } from '../../orders/sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../../orders/stock/stock.fixtures.js';
import { METRICS, type Metric } from '../../strategy/targets/rules.js';
import { measure } from './measure.js';
import { refreshFacts } from './refresh.js';

// Issue 8, item 7: the facts behind dashboards and attainment. Two reps in two teams book, ship,
// collect, win and visit through the services; the refresh job rolls it up; every figure equals
// an independent computation over the source tables, late changes are picked up day by day, and
// each actor sees only their data scope.

let t: TestApp;
let admin: Client;
let rep01: Client;
let rep07: Client;
let keeper: Client;
let finance: Client;
const today = () => dayIn('Asia/Shanghai', new Date());
let keyN = 0;
const key = () => ({ 'idempotency-key': `facts-test-${++keyN}-${Date.now()}` });
const FROM = '2020-01-01';
const TO = '2029-12-31';

/**
 * The figure per (day, rep, unit, category, province), computed straight from the source
 * tables, written independently of the roll-up's own SQL.
 */
const INDEPENDENT: Record<Metric, string> = {
  booked_revenue: `select to_char(timezone('Asia/Shanghai', o.confirmed_at), 'YYYY-MM-DD') d, o.owner_id r, o.org_unit_id u,
      p.category_id c, cu.province_code pr, sum(l.amount)::text v
    from sales_orders o join sales_order_lines l on l.order_id = o.id join products p on p.id = l.product_id
      join customers cu on cu.id = o.customer_id
    where o.state not in ('draft', 'pending_credit', 'cancelled') group by 1, 2, 3, 4, 5`,
  shipped_revenue: `select to_char(timezone('Asia/Shanghai', s.posted_at), 'YYYY-MM-DD') d, o.owner_id r, o.org_unit_id u,
      p.category_id c, cu.province_code pr, sum(x.amount)::text v
    from shipments s join shipment_lines x on x.shipment_id = s.id join sales_orders o on o.id = s.order_id
      join products p on p.id = x.product_id join customers cu on cu.id = o.customer_id
    where s.state in ('posted', 'delivered') group by 1, 2, 3, 4, 5`,
  gross_profit: `select to_char(timezone('Asia/Shanghai', s.posted_at), 'YYYY-MM-DD') d, o.owner_id r, o.org_unit_id u,
      p.category_id c, cu.province_code pr,
      (sum(x.amount) - sum(round(x.quantity * coalesce(p.cost_price, 0))))::text v
    from shipments s join shipment_lines x on x.shipment_id = s.id join sales_orders o on o.id = s.order_id
      join products p on p.id = x.product_id join customers cu on cu.id = o.customer_id
    where s.state in ('posted', 'delivered') group by 1, 2, 3, 4, 5`,
  units: `select to_char(timezone('Asia/Shanghai', s.posted_at), 'YYYY-MM-DD') d, o.owner_id r, o.org_unit_id u,
      p.category_id c, cu.province_code pr, sum(x.quantity)::text v
    from shipments s join shipment_lines x on x.shipment_id = s.id join sales_orders o on o.id = s.order_id
      join products p on p.id = x.product_id join customers cu on cu.id = o.customer_id
    where s.state in ('posted', 'delivered') group by 1, 2, 3, 4, 5`,
  collected_revenue: `select to_char(p.received_date, 'YYYY-MM-DD') d, p.owner_id r, p.org_unit_id u, null c,
      cu.province_code pr, sum(p.amount)::text v
    from payments p join customers cu on cu.id = p.customer_id group by 1, 2, 3, 4, 5`,
  new_customers: `select to_char(timezone('Asia/Shanghai', created_at), 'YYYY-MM-DD') d, owner_id r, org_unit_id u, null c,
      province_code pr, count(*)::text v
    from customers where merged_into_id is null group by 1, 2, 3, 4, 5`,
  visits: `select to_char(timezone('Asia/Shanghai', a.occurred_at), 'YYYY-MM-DD') d, a.owner_id r, a.org_unit_id u, null c,
      cu.province_code pr, count(*)::text v
    from activities a left join customers cu on cu.id = a.customer_id where a.type = 'visit' group by 1, 2, 3, 4, 5`,
  opportunities_won: `select to_char(timezone('Asia/Shanghai', o.closed_at), 'YYYY-MM-DD') d, o.owner_id r, o.org_unit_id u, null c,
      cu.province_code pr, count(*)::text v
    from opportunities o join customers cu on cu.id = o.customer_id where o.status = 'won' group by 1, 2, 3, 4, 5`,
};

const num = (v: string) => Number(v); // test figures stay far below 2^53 (fen and thousandths)

/** Σ of the independent figures per cell of `dims`, restricted by `where` (SQL on d, r, u, c, pr). */
async function independent(metric: Metric, dims: ('d' | 'r' | 'u' | 'c' | 'pr')[], where = 'true') {
  const cols = dims.map((d) => `coalesce(${d}::text, '')`);
  const rows = await queryRows<Record<string, string>>(
    t.database.db,
    sql.raw(`select ${[...cols.map((c, i) => `${c} k${i}`), 'sum(v::numeric)::text v'].join(', ')}
      from (${INDEPENDENT[metric]}) x where ${where} ${dims.length ? `group by ${cols.map((_, i) => i + 1).join(', ')}` : ''}`),
  );
  return new Map(rows.map((r) => [dims.map((_, i) => r[`k${i}`]).join('|'), num(r.v ?? '0')]));
}

function asMap(rows: { keys: Record<string, string>; value: string }[], names: string[]) {
  return new Map(rows.map((r) => [names.map((n) => r.keys[n] ?? '').join('|'), num(r.value)]));
}

const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v !== 0));

async function expectAllMatch() {
  for (const metric of METRICS) {
    const got = await measure(t.database.db, systemCtx(), {
      metric,
      from: FROM,
      to: TO,
      groupBy: ['day', 'rep', 'orgUnit', 'category', 'province'],
    });
    const want = await independent(metric, ['d', 'r', 'u', 'c', 'pr']);
    expect(nonZero(asMap(got.rows, ['day', 'rep', 'orgUnit', 'category', 'province'])), metric).toEqual(
      nonZero(want),
    );
    // By month over whole months (the monthly roll-up) and over a window cut mid-month (edges daily).
    for (const from of [FROM, '2025-11-15']) {
      const months = await measure(t.database.db, systemCtx(), {
        metric,
        from,
        to: TO,
        groupBy: ['month', 'rep'],
      });
      const monthly = await queryRows<{ k: string; v: string }>(
        t.database.db,
        sql.raw(`select substr(d, 1, 7) || '|' || coalesce(r::text, '') k, sum(v::numeric)::text v
          from (${INDEPENDENT[metric]}) x where d >= '${from}' group by 1`),
      );
      expect(nonZero(asMap(months.rows, ['month', 'rep'])), `${metric} from ${from}`).toEqual(
        nonZero(new Map(monthly.map((r) => [r.k, num(r.v)]))),
      );
    }
  }
}

let ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  keeper = await as(t.app, 'warehouse01');
  finance = await as(t.app, 'finance01');
  const [u] = await queryRows<{ rep01: string; rep07: string }>(
    t.database.db,
    sql`select (select id from users where username = 'rep01') rep01, (select id from users where username = 'rep07') rep07`,
  );
  ids = { ...u! };
});
afterAll(() => t.close());

async function confirmedOrder(client: Client, customerId: string, productId: string, quantity: string) {
  const created = await client.post('/sales-orders', { customerId, lines: [{ productId, quantity }] });
  expect(created.statusCode, created.payload).toBe(201);
  const res = await client.post(`/sales-orders/${created.body.id}/confirm`, {
    version: created.body.version,
  });
  expect(res.statusCode, res.payload).toBe(200);
  expect(res.body.state).toBe('confirmed');
  return res.body;
}

async function pay(customerId: string, amount: number) {
  const res = await finance.post(
    '/payments',
    { customerId, amount, method: 'bank_transfer', receivedDate: today(), payerName: '付款单位' },
    key(),
  );
  expect(res.statusCode, res.payload).toBe(201);
  return res.body;
}

describe('sales facts roll-up', () => {
  let cancelLater: { id: string; version: number };
  let reverseLater: string;

  it('rolls up orders, shipments, payments, customers, visits and won deals of two reps in two teams exactly as the source records add up', async () => {
    const db = t.database.db;
    const warehouseId = (await makeWarehouse(db, { code: 'F-SH', name: '事实测试仓' })).id;
    const truck = await makeSellable(db, { name: '星辰轻卡 F1', listPrice: 1_234_567, uom: '辆' });
    const oil = await makeSellable(db, { name: '机油 5W-30', listPrice: 3_999, uom: '升' });
    await receive(db, warehouseId, truck.id, '20');
    await receive(db, warehouseId, oil.id, '500');
    const east = await makeCustomer(db, { name: '苏州事实物流有限公司', owner: 'rep01' });
    const west = await makeCustomer(db, { name: '成都事实运输有限公司', owner: 'rep07' });

    const a = await confirmedOrder(rep01, east.id, truck.id, '3');
    const b = await confirmedOrder(rep07, west.id, oil.id, '12.5');
    const c = await confirmedOrder(rep07, west.id, truck.id, '1');
    cancelLater = { id: c.id, version: c.version };
    const shipped = await keeper.post(`/sales-orders/${a.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: a.lines[0].id, quantity: '2' }],
      post: true,
    });
    expect(shipped.statusCode, shipped.payload).toBe(201);
    const partial = await keeper.post(`/sales-orders/${b.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: b.lines[0].id, quantity: '7.25' }],
      post: true,
    });
    expect(partial.statusCode, partial.payload).toBe(201);
    await pay(east.id, 1_000_000);
    reverseLater = (await pay(west.id, 25_000)).id;
    const visit = await rep01.post('/activities', {
      type: 'visit',
      subject: '事实拜访',
      customerId: east.id,
    });
    expect(visit.statusCode, visit.payload).toBe(201);
    const opp = await rep07.post('/opportunities', {
      name: '事实 年度框架',
      customerId: west.id,
      amount: 500_000,
    });
    expect(opp.statusCode, opp.payload).toBe(201);
    const won = await rep07.post(`/opportunities/${opp.body.id}/win`, { version: opp.body.version });
    expect(won.statusCode, won.payload).toBe(200);

    // The administrator's "refresh now" queues the job; the worker runs it once.
    const queued = await admin.post('/analytics/facts/refresh', { full: false });
    expect(queued.statusCode, queued.payload).toBe(200);
    const again = await admin.post('/analytics/facts/refresh', {});
    expect(again.body.jobId).toBe(queued.body.jobId);
    expect(await runDueJobs(db, { kinds: ['analytics.facts-refresh'] })).toBe(1);
    const status = await admin.get('/analytics/facts/status');
    expect(status.body).toMatchObject({ lastMode: 'full' });
    expect(status.body.dataAsOf).toBeTruthy();

    await expectAllMatch();

    // This test's own figures, today, for the two reps.
    const mine = await measure(db, systemCtx(), {
      metric: 'booked_revenue',
      from: today(),
      to: today(),
      filter: { customerId: east.id },
    });
    expect(mine.rows[0]?.value).toBe(String(3 * 1_234_567));
    const units = await measure(db, systemCtx(), {
      metric: 'units',
      from: today(),
      to: today(),
      filter: { customerId: west.id },
    });
    expect(units.rows[0]?.value).toBe('7.25');
    const collected = await measure(db, systemCtx(), {
      metric: 'collected_revenue',
      from: today(),
      to: today(),
      filter: { repId: ids.rep07 },
      groupBy: ['rep'],
    });
    const want = await independent('collected_revenue', ['r'], `d = '${today()}' and r = '${ids.rep07}'`);
    expect(asMap(collected.rows, ['rep'])).toEqual(want);
  });

  it('picks up a late cancellation and a reversal, recomputing only the days they touch', async () => {
    const db = t.database.db;
    const before = await measure(db, systemCtx(), {
      metric: 'booked_revenue',
      from: today(),
      to: today(),
      filter: { repId: ids.rep07 },
    });
    const cancelled = await rep07.post(`/sales-orders/${cancelLater.id}/cancel`, {
      reason: '客户暂缓',
      version: cancelLater.version,
    });
    expect(cancelled.statusCode, cancelled.payload).toBe(200);
    const reversed = await finance.post(`/payments/${reverseLater}/reverse`, { reason: '银行退票' });
    expect(reversed.statusCode, reversed.payload).toBe(201);

    const run = await refreshFacts(db, { overlapSeconds: 0 });
    expect(run.mode).toBe('incremental');
    expect(run.changed).toEqual({ booked_revenue: [today()], collected_revenue: [today()] });

    const after = await measure(db, systemCtx(), {
      metric: 'booked_revenue',
      from: today(),
      to: today(),
      filter: { repId: ids.rep07 },
    });
    expect(num(before.rows[0]!.value) - num(after.rows[0]!.value)).toBe(1_234_567);
    await expectAllMatch();

    // Nothing changed since: the next run recomputes nothing.
    expect((await refreshFacts(db, { overlapSeconds: 0 })).days).toBe(0);
  });

  it('shows a rep their own figures, a manager their team subtree, the director everything', async () => {
    const metric = 'booked_revenue';
    const query = `/analytics/facts/measure?metric=${metric}&from=${FROM}&to=${TO}&groupBy=rep`;
    const all = await independent(metric, ['r']);
    const director = await as(t.app, 'director');
    const d = await director.get(query);
    expect(d.statusCode, d.payload).toBe(200);
    expect(nonZero(asMap(d.body.rows, ['rep']))).toEqual(nonZero(all));

    const r = await rep01.get(query);
    expect(nonZero(asMap(r.body.rows, ['rep']))).toEqual(
      nonZero(await independent(metric, ['r'], `r = '${ids.rep01}'`)),
    );

    for (const manager of ['manager01', 'manager02']) {
      const [m] = await queryRows<{ id: string; path: string }>(
        t.database.db,
        sql`select u.id, o.path from users u join org_units o on o.id = u.org_unit_id where u.username = ${manager}`,
      );
      const res = await (await as(t.app, manager)).get(query);
      expect(res.statusCode, res.payload).toBe(200);
      const team = await independent(
        metric,
        ['r'],
        `(r = '${m!.id}' or u in (select id from org_units where path like '${m!.path}%'))`,
      );
      expect(nonZero(asMap(res.body.rows, ['rep'])), manager).toEqual(nonZero(team));
    }

    // Drill-down: the records behind rep01's figure add up to it, within rep01's scope.
    const cell = `cell=rep:${ids.rep01}`;
    let cursor = '';
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const page = await rep01.get(
        `/analytics/facts/records?metric=${metric}&from=${FROM}&to=${TO}&${cell}&limit=7${cursor}`,
      );
      expect(page.statusCode, page.payload).toBe(200);
      for (const item of page.body.items) {
        expect(item.ownerId).toBe(ids.rep01);
        total += num(item.value);
      }
      if (!page.body.nextCursor) break;
      cursor = `&cursor=${page.body.nextCursor}`;
    }
    expect(total).toBe(all.get(ids.rep01!) ?? 0);
    // rep07's records are out of rep01's sight.
    const other = await rep01.get(
      `/analytics/facts/records?metric=${metric}&from=${FROM}&to=${TO}&cell=rep:${ids.rep07}`,
    );
    expect(other.body.items).toEqual([]);
  });

  it('shows gross profit only to those who may see costs, as every margin', async () => {
    const query = `metric=gross_profit&from=${FROM}&to=${TO}`;
    expect((await rep01.get(`/analytics/facts/measure?${query}`)).statusCode).toBe(403);
    expect((await rep01.get(`/analytics/facts/records?${query}`)).statusCode).toBe(403);
    const director = await as(t.app, 'director');
    const res = await director.get(`/analytics/facts/measure?${query}`);
    expect(res.statusCode, res.payload).toBe(200);
    expect(num(res.body.rows[0]?.value ?? '0')).toBe(
      [...(await independent('gross_profit', [])).values()].reduce((a, b) => a + b, 0),
    );
  });

  it('refuses a reversed window, an unknown grouping and refresh by a non-administrator, writing nothing', async () => {
    const bad = await rep01.get(`/analytics/facts/measure?metric=units&from=2027-02-01&to=2027-01-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    const group = await rep01.get(
      `/analytics/facts/measure?metric=units&from=2027-01-01&to=2027-02-01&groupBy=color`,
    );
    expect(group.statusCode).toBe(400);
    const refresh = await rep01.post('/analytics/facts/refresh', {});
    expect(refresh.statusCode).toBe(403);
  });
});
