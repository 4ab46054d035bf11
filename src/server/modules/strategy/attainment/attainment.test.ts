import dayjs from 'dayjs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { makeSellable } from '../../orders/sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../../orders/stock/stock.fixtures.js';

// Issue 8, item 4 and the done-when: the director sets this year's target, splits it to the
// regions and a region to months; the attainment of every target equals an independent
// computation over the source records (orders confirmed and not cancelled, shipped units), and
// the traffic lights follow the company's thresholds.

let t: TestApp;
let admin: Client;
let director: Client;
let manager01: Client;
let rep01: Client;
const today = () => dayIn('Asia/Shanghai', new Date());
const year = () => Number(today().slice(0, 4));

interface Figure {
  nodeId: string;
  dimension: string;
  dimensionId: string | null;
  periodKind: string;
  start: string;
  end: string;
  target: number;
  actual: number;
  attainmentPercent: string | null;
  gap: number;
  elapsedDays: number;
  remainingDays: number;
  expectedToDate: number;
  projection: number | null;
  requiredDailyRate: number | null;
  status: string;
}

/** Booked revenue of a node's unit subtree (or the company) over its period, straight from the orders. */
async function bookedIndependently(f: Figure): Promise<bigint> {
  const unit =
    f.dimension === 'org_unit'
      ? `and o.org_unit_id in (select s.id from org_units s join org_units top on s.path like top.path || '%' where top.id = '${f.dimensionId}')`
      : '';
  const [row] = await queryRows<{ v: string }>(
    t.database.db,
    sql.raw(`select coalesce(sum(o.total), 0)::text v from sales_orders o
      where o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
        and timezone('Asia/Shanghai', o.confirmed_at)::date between '${f.start}' and '${f.end}' ${unit}`),
  );
  return BigInt(row!.v);
}

/** The figures a manager would work out by hand: integer arithmetic, no shared code. */
function expectFigures(f: Figure, actual: bigint, green = 100, amber = 85) {
  const target = BigInt(f.target);
  const total = BigInt(dayjs(f.end).diff(dayjs(f.start), 'day') + 1);
  const elapsed =
    today() < f.start ? 0n : today() > f.end ? total : BigInt(dayjs(today()).diff(dayjs(f.start), 'day') + 1);
  expect(f.actual).toBe(Number(actual));
  expect(f.gap).toBe(Number(target - actual));
  expect(f.elapsedDays).toBe(Number(elapsed));
  const expected = (target * elapsed * 2n + total) / (2n * total); // half up
  expect(f.expectedToDate).toBe(Number(expected));
  if (target > 0n) {
    const tenths = (actual * 2000n + target) / (2n * target); // percent with one decimal, half up
    expect(f.attainmentPercent).toBe(`${tenths / 10n}.${tenths % 10n}`);
  }
  if (elapsed === 0n) {
    expect(f.projection).toBeNull();
    expect(f.status).toBe('not_started');
  } else {
    expect(f.projection).toBe(Number((actual * total * 2n + elapsed) / (2n * elapsed)));
    const light =
      target === 0n
        ? 'green'
        : actual * 100n >= expected * BigInt(green)
          ? 'green'
          : actual * 100n >= expected * BigInt(amber)
            ? 'amber'
            : 'red';
    expect(f.status).toBe(light);
  }
  const remaining = total - elapsed;
  if (remaining === 0n) expect(f.requiredDailyRate).toBeNull();
  else {
    const gap = target - actual;
    expect(f.requiredDailyRate).toBe(Number(gap <= 0n ? 0n : (gap + remaining - 1n) / remaining));
  }
}

let planId: string;
let rootId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  director = await as(t.app, 'director');
  manager01 = await as(t.app, 'manager01');
  rep01 = await as(t.app, 'rep01');
  // This year's facts: two reps in two teams book and ship.
  const db = t.database.db;
  const warehouseId = (await makeWarehouse(db, { code: 'AT-SH', name: '达成测试仓' })).id;
  const truck = await makeSellable(db, { name: '星辰轻卡 A1', listPrice: 2_345_678, uom: '辆' });
  await receive(db, warehouseId, truck.id, '50');
  const keeper = await as(t.app, 'warehouse01');
  for (const [username, qty] of [
    ['rep01', '4'],
    ['rep07', '2'],
  ] as const) {
    const client = await as(t.app, username);
    const customer = await makeCustomer(db, { name: `达成测试客户 ${username}`, owner: username });
    const created = await client.post('/sales-orders', {
      customerId: customer.id,
      lines: [{ productId: truck.id, quantity: qty }],
    });
    expect(created.statusCode, created.payload).toBe(201);
    const ok = await client.post(`/sales-orders/${created.body.id}/confirm`, {
      version: created.body.version,
    });
    expect(ok.statusCode, ok.payload).toBe(200);
    const shipped = await keeper.post(`/sales-orders/${created.body.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: ok.body.lines[0].id, quantity: '1.5' }],
      post: true,
    });
    expect(shipped.statusCode, shipped.payload).toBe(201);
  }
  await admin.post('/analytics/facts/refresh', {});
  await runDueJobs(db, { kinds: ['analytics.facts-refresh'] });
});
afterAll(() => t.close());

describe('target attainment', () => {
  it('the director’s annual target, split to the regions and one region to months: every figure matches the orders', async () => {
    const created = await director.post('/target-plans', {
      name: `${year()} 年度销售目标`,
      fiscalYear: year(),
      metric: 'booked_revenue',
      amount: 1_200_000_000,
    });
    expect(created.statusCode, created.payload).toBe(201);
    planId = created.body.plan.id;
    rootId = created.body.plan.rootNodeId;
    const root = created.body.nodes[0];
    const split = await director.post(`/target-nodes/${rootId}/allocate`, {
      split: 'dimension',
      dimension: 'org_unit',
      method: 'seasonality',
      version: root.version,
    });
    expect(split.statusCode, split.payload).toBe(200);
    const region = split.body.children[0];
    const months = await director.post(`/target-nodes/${region.id}/allocate`, {
      split: 'period',
      periodKind: 'month',
      method: 'even',
      version: region.version,
    });
    expect(months.statusCode, months.payload).toBe(200);

    const res = await director.get(`/target-plans/${planId}/attainment`);
    expect(res.statusCode, res.payload).toBe(200);
    const items: Figure[] = res.body.items;
    expect(items).toHaveLength(1 + split.body.children.length + months.body.children.length);
    expect(res.body.thresholds).toMatchObject({ greenPercent: 100, amberPercent: 85 });
    expect(res.body.dataAsOf).toBeTruthy();
    for (const f of items) expectFigures(f, await bookedIndependently(f));
    // Something was booked this year, so the company's actual is not zero.
    expect(items.find((f) => f.nodeId === rootId)!.actual).toBeGreaterThan(0);

    const one = await director.get(`/target-nodes/${region.id}/attainment`);
    expect(one.statusCode).toBe(200);
    expectFigures(one.body, await bookedIndependently(one.body));
  });

  it('units are counted in thousandths, like unit targets', async () => {
    const created = await director.post('/target-plans', {
      name: `${year()} 年度销量目标`,
      fiscalYear: year(),
      metric: 'units',
      amount: 1_000_000,
    });
    expect(created.statusCode, created.payload).toBe(201);
    const res = await director.get(`/target-nodes/${created.body.plan.rootNodeId}/attainment`);
    const [row] = await queryRows<{ v: string }>(
      t.database.db,
      sql.raw(`select (coalesce(sum(x.quantity), 0) * 1000)::bigint::text v from shipment_lines x
        join shipments s on s.id = x.shipment_id
        where s.posted_at is not null and extract(year from timezone('Asia/Shanghai', s.posted_at)) = ${year()}`),
    );
    expect(res.body.actual).toBe(Number(row!.v));
    expect(res.body.actual % 500).toBe(0);
    expect(res.body.metricKind).toBe('quantity');
  });

  it('a manager sees the attainment of their region only; a rep without targets sees none', async () => {
    const mine = await manager01.get(`/target-plans/${planId}/attainment`);
    expect(mine.statusCode, mine.payload).toBe(200);
    expect(mine.body.items.map((f: Figure) => f.nodeId)).not.toContain(rootId);
    expect((await manager01.get(`/target-nodes/${rootId}/attainment`)).statusCode).toBe(404);
    expect((await rep01.get(`/target-plans/${planId}/attainment`)).statusCode).toBe(404);
  });

  it('the administrator tightens the thresholds; the lights follow; bad thresholds and non-admins are refused', async () => {
    const current = (await admin.get('/attainment/settings')).body;
    expect(current).toMatchObject({ greenPercent: 100, amberPercent: 85 });
    const bad = await admin.put('/attainment/settings', {
      greenPercent: 80,
      amberPercent: 90,
      version: current.version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('amberPercent');
    expect((await director.put('/attainment/settings', { ...current, greenPercent: 120 })).statusCode).toBe(
      403,
    );
    expect((await admin.get('/attainment/settings')).body).toEqual(current);

    const set = await admin.put('/attainment/settings', {
      greenPercent: 150,
      amberPercent: 120,
      version: current.version,
    });
    expect(set.statusCode, set.payload).toBe(200);
    const stale = await admin.put('/attainment/settings', {
      greenPercent: 100,
      amberPercent: 85,
      version: current.version,
    });
    expect(stale.statusCode).toBe(409);
    const res = await director.get(`/target-plans/${planId}/attainment`);
    for (const f of res.body.items as Figure[]) expectFigures(f, await bookedIndependently(f), 150, 120);
  });
});
