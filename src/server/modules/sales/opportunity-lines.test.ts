import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer } from '../customers/activities.fixtures.js';
import { makeProduct } from '../orders/pricing/pricing.fixtures.js';
import { lineAmount, lineCost, marginPercent } from './opportunity-lines.rules.js';
import { opportunityLines } from './opportunity-lines.schema.js';

let t: TestApp;
let director: Client;
let rep01: Client;
let rep07: Client;
let manager02: Client;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  manager02 = await as(t.app, 'manager02');
});
afterAll(() => t.close());

describe('line amounts (pure rules)', () => {
  it('round half up after quantity × price × (1 − discount), in fen', () => {
    expect(lineAmount('3', 12_345)).toBe(37_035);
    // 1.333 × 999.00 × 0.875 = 1,165.208625 yuan → 116,520.8625 fen → 116,521
    expect(lineAmount('1.333', 99_900, '12.5')).toBe(116_521);
    expect(lineAmount('1', 1, '50')).toBe(1); // 0.5 fen rounds up
    expect(lineAmount('2', 500, '100')).toBe(0);
    expect(lineCost('0.5', 333)).toBe(167);
    expect(lineCost('2', null)).toBeNull();
    expect(marginPercent(37_035, 7_407)).toBe('20.00');
    expect(marginPercent(0, 0)).toBeNull();
  });
});

describe('an opportunity built from products', () => {
  let id: string;
  let truck: { id: string; listPrice: number };
  let crane: { id: string; listPrice: number };

  beforeAll(async () => {
    truck = await makeProduct(db(), { sku: 'OL-TRUCK', name: '轻卡底盘', listPrice: 12_345 });
    crane = await makeProduct(db(), { sku: 'OL-CRANE', name: '随车吊', listPrice: 99_900 });
    const customer = await makeCustomer(db(), { name: '宁波顺达物流有限公司', owner: 'rep01' });
    const created = await rep01.post('/opportunities', {
      name: '顺达 车队更新',
      customerId: customer.id,
      amount: 5_000_00,
    });
    expect(created.statusCode).toBe(201);
    id = created.body.id;
  });

  const current = async () => (await rep01.get(`/opportunities/${id}`)).body;

  it('the picker shows the price the customer gets today', async () => {
    const res = await rep01.get(`/opportunities/${id}/lines/price?productId=${truck.id}&quantity=2`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ sku: 'OL-TRUCK', listPrice: 12_345, unitPrice: 12_345, uom: '辆' });
  });

  it('a rep adds two lines: the amount becomes their exact sum, and the rep sees no cost', async () => {
    const { version } = await current();
    const res = await rep01.put(`/opportunities/${id}/lines`, {
      version,
      lines: [
        { productId: truck.id, quantity: '3' },
        { productId: crane.id, quantity: '1.333', discountPercent: '12.5' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.amountSource).toBe('lines');
    expect(res.body.amount).toBe(37_035 + 116_521);
    expect(res.body.lines.map((l: { amount: number }) => l.amount)).toEqual([37_035, 116_521]);
    expect(res.body.lines[0]).toMatchObject({
      unitPrice: 12_345,
      resolvedPrice: 12_345,
      priceOverridden: false,
    });
    expect(res.body.lines[1]).toMatchObject({ quantity: '1.333', discountPercent: '12.50' });
    expect(res.body).not.toHaveProperty('cost');
    expect(res.body.lines[0]).not.toHaveProperty('cost');
    expect(res.body.lines[0]).not.toHaveProperty('margin');
    const o = await current();
    expect(o).toMatchObject({ amount: 153_556, amountSource: 'lines', version: version + 1 });
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'update_lines')));
    expect(audit).toBeDefined();
  });

  it('the director (products.cost) sees cost and margin', async () => {
    const res = await director.get(`/opportunities/${id}/lines`);
    expect(res.statusCode).toBe(200);
    // Costs are 80% of list (fixture): 3 × 9,876 and 1.333 × 79,920 = 106,533.36 → 106,533.
    expect(res.body.lines.map((l: { cost: number }) => l.cost)).toEqual([29_628, 106_533]);
    expect(res.body.cost).toBe(29_628 + 106_533);
    expect(res.body.margin).toBe(153_556 - 136_161);
    expect(res.body.marginPercent).toBe('11.33');
  });

  it('a typed price overrides the resolved one; the line remembers both', async () => {
    const { version } = await current();
    const res = await rep01.put(`/opportunities/${id}/lines`, {
      version,
      lines: [{ productId: truck.id, quantity: '3', unitPrice: 12_000, discountPercent: '5' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.lines[0]).toMatchObject({
      unitPrice: 12_000,
      resolvedPrice: 12_345,
      priceOverridden: true,
    });
    expect(res.body.amount).toBe(34_200);
  });

  it('bad input is refused and nothing changes: unknown product, stale version, a typed amount', async () => {
    const before = await current();
    const bad = await rep01.put(`/opportunities/${id}/lines`, {
      version: before.version,
      lines: [
        { productId: truck.id, quantity: '1' },
        { productId: '00000000-0000-7000-8000-000000000000', quantity: '1' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'lines.1.productId', message: expect.any(String) }]);
    const badQuantity = await rep01.put(`/opportunities/${id}/lines`, {
      version: before.version,
      lines: [{ productId: truck.id, quantity: '-1' }],
    });
    expect(badQuantity.statusCode).toBe(400);
    const stale = await rep01.put(`/opportunities/${id}/lines`, { version: before.version - 1, lines: [] });
    expect(stale.statusCode).toBe(409);
    const typed = await rep01.patch(`/opportunities/${id}`, { amount: 1, version: before.version });
    expect(typed.statusCode).toBe(409);
    expect(typed.body.code).toBe('opportunity_amount_from_lines');
    const after = await current();
    expect(after).toMatchObject({ amount: before.amount, version: before.version });
    const rows = await db().select().from(opportunityLines).where(eq(opportunityLines.opportunityId, id));
    expect(rows).toHaveLength(1);
  });

  it('someone else’s opportunity is not found; the team lead may edit it', async () => {
    expect((await rep07.get(`/opportunities/${id}/lines`)).statusCode).toBe(404);
    const { version } = await current();
    expect((await rep07.put(`/opportunities/${id}/lines`, { version, lines: [] })).statusCode).toBe(404);
    expect((await manager02.get(`/opportunities/${id}/lines`)).statusCode).toBe(200);
  });

  it('an empty list makes the amount manual again; it keeps the last sum until typed over', async () => {
    const { version } = await current();
    const res = await rep01.put(`/opportunities/${id}/lines`, { version, lines: [] });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ amountSource: 'manual', amount: 34_200, lines: [] });
    const typed = await rep01.patch(`/opportunities/${id}`, { amount: 40_000_00, version: version + 1 });
    expect(typed.statusCode).toBe(200);
    expect(typed.body).toMatchObject({ amount: 40_000_00, amountSource: 'manual' });
  });

  it('a lost opportunity keeps its lines (409)', async () => {
    let { version } = await current();
    const put = await rep01.put(`/opportunities/${id}/lines`, {
      version,
      lines: [{ productId: crane.id, quantity: '2' }],
    });
    expect(put.body.amount).toBe(199_800);
    version = put.body.version;
    expect((await rep01.post(`/opportunities/${id}/lose`, { version, reasonCode: 'price' })).statusCode).toBe(
      200,
    );
    const closed = await rep01.put(`/opportunities/${id}/lines`, { version: version + 1, lines: [] });
    expect(closed.statusCode).toBe(409);
    expect(closed.body.code).toBe('opportunity_lines_closed');
    expect((await current()).amount).toBe(199_800);
  });
});
