import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { testEngine } from '../../../testing/engine.js';
import { stockLevels, stockMovements, stockReservations } from './schema.js';
import { makeProduct, makeWarehouse, receive } from './stock.fixtures.js';

// Issue 5, "Done when": 200 parallel reservations against 50 units give exactly 50 successes and
// available = 0, never negative, on both engines; a retry with the same key changes nothing.
// PGlite runs one statement at a time; on PostgreSQL the requests really race over the pool.

let t: TestApp;
let keeper: Client;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  keeper = await as(t.app, 'warehouse01');
});
afterAll(() => t.close());

async function level(warehouseId: string, productId: string) {
  const [l] = await t.database.db
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.warehouseId, warehouseId), eq(stockLevels.productId, productId)));
  return l!;
}

describe('stock under concurrency', () => {
  it('200 parallel reservations of 1 against 50 on hand: exactly 50 succeed and available ends at 0', async () => {
    const wh = await makeWarehouse(t.database.db, { name: '上海总仓-并发' });
    const product = await makeProduct(t.database.db, { name: '新能源物流车 EV-V5', uom: '辆' });
    await receive(t.database.db, wh.id, product.id, '50');

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        keeper.post('/stock/reservations', {
          key: `SO-RACE-${i}`,
          warehouseId: wh.id,
          productId: product.id,
          quantity: '1',
          sourceType: 'sales_order',
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    expect(new Set(results.filter((r) => r.statusCode === 409).map((r) => r.body.code))).toEqual(
      new Set(['insufficient_stock']),
    );

    const after = await level(wh.id, product.id);
    expect(Number(after.onHand)).toBe(50);
    expect(Number(after.reserved)).toBe(50);
    const [{ active }] = (await t.database.db
      .select({ active: sql<string>`coalesce(sum(${stockReservations.quantity}), 0)` })
      .from(stockReservations)
      .where(and(eq(stockReservations.productId, product.id), eq(stockReservations.status, 'active')))) as [
      { active: string },
    ];
    expect(Number(active)).toBe(50);
    const shown = await keeper.get(`/stock/levels?productId=${product.id}`);
    expect(shown.body.items[0]).toMatchObject({ onHand: '50', reserved: '50', available: '0' });

    if (testEngine() === 'postgres') {
      // The requests were spread over several connections, so they did race.
      expect(t.database.pool!.totalCount).toBeGreaterThan(1);
    }

    // A retried request with a key that succeeded answers the first reservation and changes nothing.
    const won = results.find((r) => r.statusCode === 201)!.body;
    const audits = (
      await t.database.db.select().from(auditLog).where(eq(auditLog.entity, 'stock_reservation'))
    ).length;
    const retry = await keeper.post(
      '/stock/reservations',
      { warehouseId: wh.id, productId: product.id, quantity: '1', sourceType: 'sales_order' },
      { 'idempotency-key': won.key },
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.body.id).toBe(won.id);
    expect(Number((await level(wh.id, product.id)).reserved)).toBe(50);
    expect(
      (await t.database.db.select().from(auditLog).where(eq(auditLog.entity, 'stock_reservation'))).length,
    ).toBe(audits);
    // The same key for something else is a conflict, not a second reservation.
    const clash = await keeper.post('/stock/reservations', {
      key: won.key,
      warehouseId: wh.id,
      productId: product.id,
      quantity: '2',
      sourceType: 'sales_order',
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.body.code).toBe('reservation_conflict');
  });

  it('two transfers racing for the last unit: one wins, the other is refused, nothing goes negative', async () => {
    const from = await makeWarehouse(t.database.db, { name: '华南区域仓-并发' });
    const toA = await makeWarehouse(t.database.db, { name: '华北区域仓-并发' });
    const toB = await makeWarehouse(t.database.db, { name: '西南区域仓-并发' });
    const product = await makeProduct(t.database.db, { name: '轻客 15 座', uom: '辆' });
    await receive(t.database.db, from.id, product.id, '1');

    const [a, b] = await Promise.all([
      keeper.post('/stock/transfers', {
        fromWarehouseId: from.id,
        toWarehouseId: toA.id,
        productId: product.id,
        quantity: '1',
      }),
      keeper.post('/stock/transfers', {
        fromWarehouseId: from.id,
        toWarehouseId: toB.id,
        productId: product.id,
        quantity: '1',
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.body.code).toBe('insufficient_stock');
    expect(Number((await level(from.id, product.id)).onHand)).toBe(0);
    const landed = Number((await level(toA.id, product.id))?.onHand ?? 0);
    const [other] = await t.database.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, toB.id), eq(stockLevels.productId, product.id)));
    expect(landed + Number(other?.onHand ?? 0)).toBe(1);
    const legs = await t.database.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.productId, product.id));
    expect(legs.filter((m) => m.kind !== 'receipt')).toHaveLength(2);
  });
});
