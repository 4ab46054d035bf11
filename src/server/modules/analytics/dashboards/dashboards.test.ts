import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { makeSellable } from '../../orders/sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../../orders/stock/stock.fixtures.js';
import { refreshFacts } from '../facts/index.js';

// Issue 8, item 6: rep01 (华东) and rep07 (another region) book orders today; the director has set
// this year's booked-revenue target and allocated it down to 华东's reps. The director sees both
// reps, manager01 华东 only, rep01 their own figures; every export holds the figures on screen.

let t: TestApp;
let director: Client;
let manager01: Client;
let rep01: Client;
let rep07: Client;
const today = () => dayIn('Asia/Shanghai', new Date());
const year = () => Number(today().slice(0, 4));
const TOTAL = 1_200_000_000; // ¥12,000,000.00 in fen
const TRUCK = 1_234_567;
const OIL = 3_999;
let ids: { rep01: string; rep07: string; east: string; eastTeam: string };
let truckCategory: string | null = null;

type Widget = {
  key: string;
  rows: { key: string; label: string; values: Record<string, string | null> }[];
  dataAsOf: string | null;
};
const widgetOf = (body: { widgets: Widget[] }, key: string) => body.widgets.find((w) => w.key === key)!;
const rowOf = (w: Widget, key: string) => w.rows.find((r) => r.key === key);

async function confirmedOrder(client: Client, customerId: string, productId: string, quantity: string) {
  const created = await client.post('/sales-orders', { customerId, lines: [{ productId, quantity }] });
  expect(created.statusCode, created.payload).toBe(201);
  const res = await client.post(`/sales-orders/${created.body.id}/confirm`, {
    version: created.body.version,
  });
  expect(res.statusCode, res.payload).toBe(200);
  return res.body;
}

async function allocate(nodeId: string, body: Record<string, unknown>) {
  const node = await director.get(`/target-nodes/${nodeId}`);
  expect(node.statusCode, node.payload).toBe(200);
  const version = node.body.node?.version ?? node.body.version;
  const res = await director.post(`/target-nodes/${nodeId}/allocate`, { ...body, version });
  expect(res.statusCode, res.payload).toBe(200);
  const after = await director.get(`/target-nodes/${nodeId}`);
  const pub = await director.post(`/target-nodes/${nodeId}/publish`, {
    version: after.body.node?.version ?? after.body.version,
  });
  expect(pub.statusCode, pub.payload).toBe(200);
  return res.body.children as { id: string; label: string; dimensionId: string; amount: number }[];
}

beforeAll(async () => {
  t = await createTestApp();
  const admin = await setupCompany(t.app);
  void admin;
  director = await as(t.app, 'director');
  manager01 = await as(t.app, 'manager01');
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  const db = t.database.db;
  const r1 = await userByName(db, 'rep01');
  const r7 = await userByName(db, 'rep07');
  const [units] = await queryRows<{ east: string }>(
    db,
    sql`select id::text as east from org_units where name = '华东'`,
  );
  ids = { rep01: r1.id, rep07: r7.id, east: units!.east, eastTeam: r1.orgUnitId };

  const truck = await makeSellable(db, { name: '星辰轻卡 D1', listPrice: TRUCK, uom: '辆' });
  const oil = await makeSellable(db, { name: '机油 D-5W', listPrice: OIL, uom: '升' });
  truckCategory = truck.categoryId ?? null;
  const warehouseId = (await makeWarehouse(db, { code: 'D-SH', name: '看板测试仓' })).id;
  await receive(db, warehouseId, truck.id, '20');
  await receive(db, warehouseId, oil.id, '100');
  const east = await makeCustomer(db, { name: '苏州看板物流有限公司', owner: 'rep01' });
  const west = await makeCustomer(db, { name: '成都看板运输有限公司', owner: 'rep07' });
  await confirmedOrder(rep01, east.id, truck.id, '3');
  await confirmedOrder(rep07, west.id, oil.id, '10');
  await refreshFacts(db, { full: true });

  // This year's target: company → regions → 华东's teams → rep01's team's reps, evenly.
  const plan = await director.post('/target-plans', {
    name: `${year()} 年度销售目标`,
    fiscalYear: year(),
    metric: 'booked_revenue',
    amount: TOTAL,
  });
  expect(plan.statusCode, plan.payload).toBe(201);
  const regions = await allocate(plan.body.plan.rootNodeId, {
    split: 'dimension',
    dimension: 'org_unit',
    method: 'even',
  });
  const eastNode = regions.find((r) => r.dimensionId === ids.east)!;
  const teams = await allocate(eastNode.id, { split: 'dimension', dimension: 'org_unit', method: 'even' });
  const team = teams.find((x) => x.dimensionId === ids.eastTeam)!;
  await allocate(team.id, { split: 'dimension', dimension: 'rep', method: 'even' });
});
afterAll(() => t.close());

describe('role dashboards', () => {
  it('shows the director both reps, 华东 against its target and the same figures in the Excel export', async () => {
    const res = await director.get('/dashboards/director?period=year');
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({ role: 'director', from: `${year()}-01-01`, to: `${year()}-12-31` });
    const leaderboard = widgetOf(res.body, 'leaderboard');
    expect(leaderboard.dataAsOf).toBeTruthy();
    expect(rowOf(leaderboard, ids.rep01)?.values.actual).toBe(String(3 * TRUCK));
    expect(rowOf(leaderboard, ids.rep07)?.values.actual).toBe(String(10 * OIL));
    const repTarget = rowOf(leaderboard, ids.rep01)!.values.target;
    expect(Number(repTarget)).toBeGreaterThan(0);

    const regions = widgetOf(res.body, 'regionAttainment');
    const east = rowOf(regions, ids.east)!;
    expect(east.values).toMatchObject({ actual: String(3 * TRUCK), target: String(TOTAL / 4) });
    const pct = ((3 * TRUCK) / (TOTAL / 4)) * 100;
    expect(Number(east.values.attainment)).toBeCloseTo(pct, 1);

    const trend = widgetOf(res.body, 'revenueTrend');
    expect(trend.rows).toHaveLength(12);
    expect(rowOf(trend, today().slice(0, 7))?.values.actual).toBe(String(3 * TRUCK + 10 * OIL));
    const newCustomers = widgetOf(res.body, 'newCustomers');
    expect(rowOf(newCustomers, today().slice(0, 7))?.values.count).toBe('2');
    const mix = widgetOf(res.body, 'productMix');
    expect(mix.rows.reduce((a, r) => a + Number(r.values.actual), 0)).toBe(3 * TRUCK + 10 * OIL);
    expect(widgetOf(res.body, 'aging').rows.map((r) => r.key)).toEqual([
      'notDue',
      'd1_30',
      'd31_60',
      'd61_90',
      'over90',
    ]);
    const coverage = widgetOf(res.body, 'pipelineCoverage').rows[0]!;
    expect(coverage.values).toMatchObject({ target: String(TOTAL), actual: String(3 * TRUCK + 10 * OIL) });

    const file = await director.get(
      '/dashboards/director/widgets/leaderboard/export?format=xlsx&period=year',
    );
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['名称', '实际（元）', '目标（元）', '达成率(%)']);
    const lines = new Map<string, unknown[]>();
    sheet.eachRow((row, n) => {
      if (n > 1) lines.set(String(row.getCell(1).value), (row.values as unknown[]).slice(2));
    });
    const rep01Row = rowOf(leaderboard, ids.rep01)!;
    expect(lines.get(rep01Row.label)).toEqual([
      (3 * TRUCK) / 100,
      Number(repTarget) / 100,
      Number(rep01Row.values.attainment),
    ]);
  });

  it('opens the orders behind rep01’s figure on the leaderboard, page by page', async () => {
    const res = await director.get(
      `/dashboards/director/widgets/leaderboard/records?period=year&row=${ids.rep01}&limit=1`,
    );
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      kind: 'sales_order',
      customerName: '苏州看板物流有限公司',
      value: String(3 * TRUCK),
    });
    expect(res.body.nextCursor).toBeNull();
  });

  it('shows manager01 华东 only: rep07 is not on the team’s leaderboard', async () => {
    const res = await manager01.get('/dashboards/manager?period=year');
    expect(res.statusCode, res.payload).toBe(200);
    const leaderboard = widgetOf(res.body, 'leaderboard');
    expect(rowOf(leaderboard, ids.rep01)?.values.actual).toBe(String(3 * TRUCK));
    expect(rowOf(leaderboard, ids.rep07)).toBeUndefined();
    const trend = widgetOf(res.body, 'revenueTrend');
    expect(rowOf(trend, today().slice(0, 7))?.values.actual).toBe(String(3 * TRUCK));
    expect(res.body.widgets.map((w: Widget) => w.key)).toEqual(
      expect.arrayContaining(['visitsPerRep', 'dueFollowUps', 'stalledOpportunities']),
    );
  });

  it('shows rep01 their own target and attainment, not rep07’s', async () => {
    const res = await rep01.get('/dashboards/rep?period=year');
    expect(res.statusCode, res.payload).toBe(200);
    const mine = widgetOf(res.body, 'myTargets');
    const booked = rowOf(mine, 'booked_revenue')!;
    expect(booked.values.actual).toBe(String(3 * TRUCK));
    expect(Number(booked.values.target)).toBeGreaterThan(0);
    expect(Number(booked.values.gap)).toBe(Number(booked.values.target) - 3 * TRUCK);
    // Far behind a year's pace after one day of orders, unless today is 1 January.
    expect(['green', 'amber', 'red']).toContain(booked.values.status);
    expect(Number(booked.values.projection)).toBeGreaterThanOrEqual(3 * TRUCK);
    const theirs = await rep07.get('/dashboards/rep?period=year');
    expect(widgetOf(theirs.body, 'myTargets').rows).toEqual([]);
  });

  it('refuses another region’s unit to a rep and a manager (404) and the director’s dashboard to a rep (403)', async () => {
    const [south] = await queryRows<{ id: string }>(
      t.database.db,
      sql`select id::text from org_units where name = '华南'`,
    );
    expect((await rep01.get(`/dashboards/rep?orgUnitId=${south!.id}`)).statusCode).toBe(404);
    expect((await manager01.get(`/dashboards/manager?orgUnitId=${south!.id}`)).statusCode).toBe(404);
    expect((await rep01.get('/dashboards/director')).statusCode).toBe(403);
    const bad = await director.get('/dashboards/director?from=2027-05-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('to');
  });

  it('answers the director for one month of another year with nothing booked', async () => {
    const res = await director.get('/dashboards/director?period=month&date=2020-02-10');
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({ from: '2020-02-01', to: '2020-02-29' });
    expect(widgetOf(res.body, 'revenueTrend').rows).toEqual([
      { key: '2020-02', label: '2020-02', values: { actual: '0', target: null, attainment: null } },
    ]);
    void truckCategory;
  });
});
