import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { stockLevels, stockMovements } from '../stock/schema.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { makeSellable } from './sales-orders.fixtures.js';
import { shipments } from './schema.js';

// Issue 7, item 10: two shipments racing for the last unit → one succeeds. PGlite runs one
// statement at a time; on PostgreSQL the two requests run over separate pool connections and the
// order row lock decides.

let t: TestApp;
let rep: Client;
let keeper: Client;
let manager: Client;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  keeper = await as(t.app, 'warehouse01');
  manager = await as(t.app, 'manager01');
});
afterAll(() => t.close());

describe('shipments under concurrency', () => {
  it('two shipments racing for the last unit of an order: exactly one posts, stock never goes negative', async () => {
    const db = t.database.db;
    const wh = await makeWarehouse(db, { name: '杭州仓-并发' });
    const truck = await makeSellable(db, { name: '星辰轻卡 L1', listPrice: 1_000_000 });
    await receive(db, wh.id, truck.id, '1');
    const customer = await makeCustomer(db, { name: '宁波港联物流有限公司', owner: 'rep01' });
    const created = await rep.post('/sales-orders', {
      customerId: customer.id,
      warehouseId: wh.id,
      lines: [{ productId: truck.id, quantity: '1' }],
    });
    const order = (
      await rep.post(`/sales-orders/${created.body.id}/confirm`, { version: created.body.version })
    ).body;
    expect(order.lines[0].reservedQuantity).toBe('1');

    const ship = (client: Client, trackingNo: string) =>
      client.post(`/sales-orders/${order.id}/shipments`, {
        warehouseId: wh.id,
        carrier: '顺丰速运',
        trackingNo,
        lines: [{ orderLineId: order.lines[0].id, quantity: '1' }],
        post: true,
      });
    const results = await Promise.all([ship(keeper, 'SF-A'), ship(manager, 'SF-B'), ship(keeper, 'SF-C')]);
    const won = results.filter((r) => r.statusCode === 201);
    expect(won, results.map((r) => r.payload).join('\n')).toHaveLength(1);
    // The losers find the order shipped (409), or the unit already taken (422).
    for (const lost of results.filter((r) => r.statusCode !== 201)) {
      expect(['sales_order_wrong_state', 'shipment_exceeds_order']).toContain(lost.body.code);
    }

    const posted = await db.select().from(shipments).where(eq(shipments.orderId, order.id));
    expect(posted).toHaveLength(1);
    const [level] = await db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, wh.id), eq(stockLevels.productId, truck.id)));
    expect(Number(level!.onHand)).toBe(0);
    expect(Number(level!.reserved)).toBe(0);
    const moves = await db.select().from(stockMovements).where(eq(stockMovements.sourceType, 'shipment'));
    expect(moves).toHaveLength(1);
    expect((await rep.get(`/sales-orders/${order.id}`)).body.state).toBe('shipped');
  });

  it('two orders racing to reserve the last unit: the first reserves it, the second is confirmed short', async () => {
    const db = t.database.db;
    const wh = await makeWarehouse(db, { name: '宁波仓-并发' });
    const van = await makeSellable(db, { name: '星辰厢式车 V2', listPrice: 800_000 });
    await receive(db, wh.id, van.id, '1');
    const customer = await makeCustomer(db, { name: '舟山海运有限公司', owner: 'rep01' });
    const drafts = await Promise.all(
      [1, 2].map(() =>
        rep.post('/sales-orders', {
          customerId: customer.id,
          warehouseId: wh.id,
          lines: [{ productId: van.id, quantity: '1' }],
        }),
      ),
    );
    const confirmed = await Promise.all(
      drafts.map((d) => rep.post(`/sales-orders/${d.body.id}/confirm`, { version: d.body.version })),
    );
    expect(confirmed.map((c) => c.statusCode)).toEqual([200, 200]);
    const reserved = confirmed.map((c) => c.body.lines[0].reservedQuantity).sort();
    expect(reserved).toEqual(['0', '1']);
    expect(confirmed.filter((c) => c.body.shortage)).toHaveLength(1);
    const [level] = await db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, wh.id), eq(stockLevels.productId, van.id)));
    expect(Number(level!.reserved)).toBe(1);
  });
});
