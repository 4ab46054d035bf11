import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { refreshFacts } from '../../analytics/facts/index.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { makeSellable } from '../../orders/sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../../orders/stock/stock.fixtures.js';
import { targetNodes, targetPlans } from '../targets/schema.js';
import { addMonths, monthEnd } from './rules.js';

// Issue 8, item 5: rep01 commits this month's booked revenue, manager01 (华东) adjusts it with a
// reason; the forecast page then shows rep01's month target, what is booked, the weighted
// pipeline, the adjusted commit, the seasonal baseline from last year's same month and the
// coverage of what is left of the target. rep07 (another region) stays out of manager01's sight.

let t: TestApp;
let director: Client;
let manager01: Client;
let rep01: Client;
let rep07: Client;
const TRUCK = 1_234_500;
const month = () => dayIn('Asia/Shanghai', new Date()).slice(0, 7);
let ids: { rep01: string; rep07: string; eastTeam: string };

async function confirmedOrder(client: Client, customerId: string, productId: string, quantity: string) {
  const created = await client.post('/sales-orders', { customerId, lines: [{ productId, quantity }] });
  expect(created.statusCode, created.payload).toBe(201);
  const res = await client.post(`/sales-orders/${created.body.id}/confirm`, {
    version: created.body.version,
  });
  expect(res.statusCode, res.payload).toBe(200);
  return res.body.id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  manager01 = await as(t.app, 'manager01');
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  const db = t.database.db;
  const r1 = await userByName(db, 'rep01');
  const r7 = await userByName(db, 'rep07');
  ids = { rep01: r1.id, rep07: r7.id, eastTeam: r1.orgUnitId };

  // History: one truck in the same month last year, two trucks booked this month.
  const truck = await makeSellable(db, { name: '星辰轻卡 F1', listPrice: TRUCK, uom: '辆' });
  const warehouseId = (await makeWarehouse(db, { code: 'F-SH', name: '预测测试仓' })).id;
  await receive(db, warehouseId, truck.id, '20');
  const customer = await makeCustomer(db, { name: '苏州预测物流有限公司', owner: 'rep01' });
  const lastYear = await confirmedOrder(rep01, customer.id, truck.id, '1');
  await db.execute(
    sql`update sales_orders set confirmed_at = (${`${addMonths(month(), -12)}-15 10:00`}::timestamp at time zone 'Asia/Shanghai')
      where id = ${lastYear}::uuid`,
  );
  await confirmedOrder(rep01, customer.id, truck.id, '2');
  await refreshFacts(db, { full: true });

  // rep01's published month target: ten trucks this month.
  const [company] = await queryRows<{ id: string }>(
    db,
    sql`select id::text from org_units where kind = 'company'`,
  );
  const year = month().slice(0, 4);
  const [plan] = await db
    .insert(targetPlans)
    .values({ name: `${year} 预测测试目标`, fiscalYear: Number(year), metric: 'booked_revenue' })
    .returning();
  const [root] = await db
    .insert(targetNodes)
    .values({
      planId: plan!.id,
      dimension: 'company',
      label: '公司',
      periodKind: 'year',
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
      periodKey: year,
      amount: 100 * TRUCK,
      orgUnitId: company!.id,
      state: 'published',
      childSplit: 'dimension',
    })
    .returning();
  await db.insert(targetNodes).values({
    planId: plan!.id,
    parentId: root!.id,
    dimension: 'rep',
    dimensionId: r1.id,
    label: 'rep01',
    periodKind: 'month',
    periodStart: `${month()}-01`,
    periodEnd: monthEnd(month()),
    periodKey: month(),
    amount: 10 * TRUCK,
    ownerId: r1.id,
    orgUnitId: r1.orgUnitId,
    state: 'published',
  });

  // Pipeline: eight trucks at 50 % closing at the end of this month.
  const opp = await rep01.post('/opportunities', {
    name: '年底换车',
    customerId: customer.id,
    amount: 8 * TRUCK,
    probability: 50,
    expectedCloseDate: monthEnd(month()),
  });
  expect(opp.statusCode, opp.payload).toBe(201);
});
afterAll(() => t.close());

describe('rep commits and manager adjustments', () => {
  let commitId: string;

  it('lets a rep commit this month and revise it with the version they read', async () => {
    const first = await rep01.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: 5 * TRUCK,
      bestCaseAmount: 7 * TRUCK,
      note: '两单在谈',
    });
    expect(first.statusCode, first.payload).toBe(200);
    expect(first.body).toMatchObject({ ownerId: ids.rep01, open: true, effectiveCommitAmount: 5 * TRUCK });
    commitId = first.body.id;

    // A second "first" submission (another tab) is stale.
    const again = await rep01.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: 1,
      bestCaseAmount: 1,
    });
    expect(again.statusCode).toBe(409);

    const revised = await rep01.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: 6 * TRUCK,
      bestCaseAmount: 7 * TRUCK,
      note: '苏州单提前',
      version: first.body.version,
    });
    expect(revised.statusCode, revised.payload).toBe(200);
    expect(revised.body).toMatchObject({ commitAmount: 6 * TRUCK, version: first.body.version + 1 });
  });

  it('refuses a best case below the commit, a negative amount and an ended month, writing nothing', async () => {
    const cur = (await rep01.get(`/forecast-commits/${commitId}`)).body;
    const below = await rep01.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: 5,
      bestCaseAmount: 4,
      version: cur.version,
    });
    expect(below.statusCode).toBe(400);
    expect(below.body.errors[0]).toMatchObject({ path: 'bestCaseAmount' });
    const negative = await rep01.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: -1,
      bestCaseAmount: 4,
      version: cur.version,
    });
    expect(negative.statusCode).toBe(400);
    const past = await rep01.put(`/forecast-commits/mine/${addMonths(month(), -1)}`, {
      commitAmount: 1,
      bestCaseAmount: 1,
    });
    expect(past.statusCode).toBe(409);
    expect(past.body.code).toBe('forecast_month_closed');
    const after = (await rep01.get(`/forecast-commits/${commitId}`)).body;
    expect(after).toEqual(cur);
    const rows = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from forecast_commits where owner_id = ${ids.rep01}::uuid`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it("shows the manager the team's commits, and the adjustment overrides the rep's figures", async () => {
    const mine07 = await rep07.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: TRUCK,
      bestCaseAmount: TRUCK,
    });
    expect(mine07.statusCode).toBe(200);

    const team = await manager01.get(`/forecast-commits?month=${month()}`);
    expect(team.statusCode, team.payload).toBe(200);
    expect(team.body.items.map((i: { ownerId: string }) => i.ownerId)).toEqual([ids.rep01]);
    expect(team.body.totalCommit).toBe(6 * TRUCK);
    expect((await manager01.get(`/forecast-commits/${mine07.body.id}`)).statusCode).toBe(404);
    expect((await director.get(`/forecast-commits?month=${month()}`)).body.items).toHaveLength(2);

    const { version } = team.body.items[0];
    const noReason = await manager01.post(`/forecast-commits/${commitId}/adjust`, {
      commitAmount: 4 * TRUCK,
      bestCaseAmount: 6 * TRUCK,
      note: '',
      version,
    });
    expect(noReason.statusCode).toBe(400);
    const adjusted = await manager01.post(`/forecast-commits/${commitId}/adjust`, {
      commitAmount: 4 * TRUCK,
      bestCaseAmount: 6 * TRUCK,
      note: '苏州单下月才签',
      version,
    });
    expect(adjusted.statusCode, adjusted.payload).toBe(200);
    expect(adjusted.body).toMatchObject({
      commitAmount: 6 * TRUCK,
      adjustedCommitAmount: 4 * TRUCK,
      effectiveCommitAmount: 4 * TRUCK,
      effectiveBestCaseAmount: 6 * TRUCK,
      adjustmentNote: '苏州单下月才签',
      adjustedByName: expect.any(String),
    });
    const stale = await manager01.post(`/forecast-commits/${commitId}/adjust`, {
      commitAmount: 1,
      bestCaseAmount: 1,
      note: 'x',
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(
      (await rep01.post(`/forecast-commits/${commitId}/adjust`, { ...adjusted.body, version })).statusCode,
    ).toBe(403);
    expect(
      (
        await manager01.post(`/forecast-commits/${mine07.body.id}/adjust`, {
          commitAmount: 1,
          bestCaseAmount: 1,
          note: 'x',
          version: 1,
        })
      ).statusCode,
    ).toBe(404);

    const history = await rep01.get(`/forecast-commits/${commitId}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual([
      'adjust',
      'submit',
      'submit',
    ]);
  });

  it('does not let staff outside sales commit', async () => {
    const assistant = await as(t.app, 'assistant01');
    const res = await assistant.put(`/forecast-commits/mine/${month()}`, {
      commitAmount: 1,
      bestCaseAmount: 1,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('forecast against target', () => {
  it('shows rep01 their month: target, actual, weighted pipeline, adjusted commit, baseline, coverage', async () => {
    const next = addMonths(month(), 1);
    const res = await rep01.get(`/forecast/vs-target?from=${month()}&to=${next}`);
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({ repId: ids.rep01, baselineMethod: 'seasonal_naive', historyMonths: 12 });
    const [now, after] = res.body.months;
    expect(now).toEqual({
      month: month(),
      target: 10 * TRUCK,
      actual: 2 * TRUCK,
      weightedPipeline: 4 * TRUCK,
      commit: 4 * TRUCK,
      bestCase: 6 * TRUCK,
      baseline: TRUCK, // the same month last year, no growth with less than two years of history
      smoothing: expect.any(Number),
      remaining: 8 * TRUCK,
      coveragePercent: 50,
      status: 'current',
    });
    expect(after).toMatchObject({ month: next, target: null, actual: 0, baseline: 0, coveragePercent: null });
    expect(res.body.total).toMatchObject({ target: 10 * TRUCK, actual: 2 * TRUCK, coveragePercent: 50 });
  });

  it('gives the director the same figures for rep01 and keeps rep07 from seeing them', async () => {
    const mine = (await rep01.get(`/forecast/vs-target?from=${month()}&to=${month()}`)).body;
    const dir = await director.get(`/forecast/vs-target?from=${month()}&to=${month()}&repId=${ids.rep01}`);
    expect(dir.statusCode, dir.payload).toBe(200);
    expect(dir.body.months).toEqual(mine.months);
    expect(
      (await rep07.get(`/forecast/vs-target?from=${month()}&to=${month()}&repId=${ids.rep01}`)).statusCode,
    ).toBe(404);
    const team = await manager01.get(`/forecast/vs-target?from=${month()}&to=${month()}`);
    expect(team.statusCode).toBe(200);
    expect(team.body).toMatchObject({ orgUnitId: expect.any(String) });
    // The manager's team: rep01's booked revenue and adjusted commit, not rep07's.
    expect(team.body.months[0]).toMatchObject({
      actual: 2 * TRUCK,
      commit: 4 * TRUCK,
      weightedPipeline: 4 * TRUCK,
    });
    const all = (await director.get(`/forecast/vs-target?from=${month()}&to=${month()}`)).body;
    expect(all.months[0]).toMatchObject({ commit: 5 * TRUCK, actual: 2 * TRUCK });
  });

  it('covers only what remains of this month and the months ahead that have a target', async () => {
    const prev = addMonths(month(), -1);
    const next = addMonths(month(), 1);
    // Last month rep01 had a target of five trucks and booked none; a deal of two trucks at 50 %
    // is expected next month, which has no target yet.
    const [node] = await queryRows<{ plan_id: string; parent_id: string; org_unit_id: string }>(
      t.database.db,
      sql`select plan_id::text, parent_id::text, org_unit_id::text from target_nodes where dimension = 'rep'`,
    );
    await t.database.db.insert(targetNodes).values({
      planId: node!.plan_id,
      parentId: node!.parent_id,
      dimension: 'rep',
      dimensionId: ids.rep01,
      label: 'rep01',
      periodKind: 'month',
      periodStart: `${prev}-01`,
      periodEnd: monthEnd(prev),
      periodKey: prev,
      amount: 5 * TRUCK,
      ownerId: ids.rep01,
      orgUnitId: node!.org_unit_id,
      state: 'published',
    });
    const customer = await makeCustomer(t.database.db, { name: '无锡覆盖率物流有限公司', owner: 'rep01' });
    const opp = await rep01.post('/opportunities', {
      name: '下月两台',
      customerId: customer.id,
      amount: 2 * TRUCK,
      probability: 50,
      expectedCloseDate: monthEnd(next),
    });
    expect(opp.statusCode, opp.payload).toBe(201);

    const res = await rep01.get(`/forecast/vs-target?from=${prev}&to=${next}`);
    expect(res.statusCode, res.payload).toBe(200);
    const [before, now, after] = res.body.months;
    // A month that is over is missed, not covered: nothing remains of it.
    expect(before).toMatchObject({
      status: 'past',
      target: 5 * TRUCK,
      remaining: null,
      coveragePercent: null,
    });
    expect(now).toMatchObject({ status: 'current', remaining: 8 * TRUCK, coveragePercent: 50 });
    expect(after).toMatchObject({ weightedPipeline: TRUCK, target: null, coveragePercent: null });
    // The window's coverage: this month's pipeline against this month's remaining target; last
    // month's shortfall and next month's untargeted pipeline stay out of it.
    expect(res.body.total).toMatchObject({
      target: 15 * TRUCK,
      weightedPipeline: 5 * TRUCK,
      remaining: 8 * TRUCK,
      coveragePercent: 50,
    });
  });

  it('refuses a window that ends before it starts', async () => {
    const res = await director.get(`/forecast/vs-target?from=${month()}&to=${addMonths(month(), -1)}`);
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'to' });
  });
});
