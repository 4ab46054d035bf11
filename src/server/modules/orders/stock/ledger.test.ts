import { Decimal } from 'decimal.js';
import { count, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { systemCtx } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { createTestApp, type TestApp } from '../../../testing/app.js';
import { products } from '../catalog/schema.js';
import {
  formatQuantity,
  type MovementLine,
  postMovements,
  releaseReservation,
  reserveStock,
  reverseMovement,
  stockAvailability,
  transferStock,
} from './ledger.js';
import {
  stockLevels,
  stockLotLevels,
  stockLots,
  stockMovements,
  stockReservations,
  warehouses,
} from './schema.js';

let t: TestApp;
const db = () => t.database.db;
const ctx = systemCtx('ledger-test');
let north: string;
let south: string;
let closed: string;
let seq = 0;

async function product(
  trackingMode: 'none' | 'batch' | 'serial' = 'none',
  status: 'active' | 'archived' = 'active',
) {
  seq += 1;
  const [row] = await db()
    .insert(products)
    .values({ sku: `LT-${seq}`, name: `测试商品${seq}`, uom: '件', listPrice: 10_000, trackingMode, status })
    .returning();
  return row!;
}

async function level(warehouseId: string, productId: string) {
  const [row] = await db()
    .select()
    .from(stockLevels)
    .where(sql`${stockLevels.warehouseId} = ${warehouseId} and ${stockLevels.productId} = ${productId}`);
  return row ? { onHand: formatQuantity(row.onHand), reserved: formatQuantity(row.reserved) } : null;
}

/** The code of the AppError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('expected a failure');
}

const counts = async () => ({
  movements: (await db().select({ n: count() }).from(stockMovements))[0]!.n,
  audit: (await db().select({ n: count() }).from(auditLog))[0]!.n,
  reservations: (await db().select({ n: count() }).from(stockReservations))[0]!.n,
});

const receive = (warehouseId: string, productId: string, quantity: string, extra = {}) =>
  postMovements(db(), ctx, {
    sourceType: 'test',
    movements: [{ kind: 'receipt', warehouseId, productId, quantity, ...extra }],
  });

beforeAll(async () => {
  t = await createTestApp();
  const rows = await db()
    .insert(warehouses)
    .values([
      { code: 'N', name: '北库' },
      { code: 'S', name: '南库' },
      { code: 'X', name: '旧库', status: 'archived' },
    ])
    .returning();
  [north, south, closed] = rows.map((r) => r.id) as [string, string, string];
});
afterAll(() => t.close());

describe('stock ledger', () => {
  it('receives and issues; an issue beyond what is available changes nothing', async () => {
    const p = await product();
    await receive(north, p.id, '12.5');
    await postMovements(db(), ctx, {
      sourceType: 'test',
      movements: [{ kind: 'issue', warehouseId: north, productId: p.id, quantity: '2.5' }],
    });
    expect(await level(north, p.id)).toEqual({ onHand: '10', reserved: '0' });

    const before = await counts();
    const code = await failure(
      postMovements(db(), ctx, {
        sourceType: 'test',
        movements: [
          { kind: 'receipt', warehouseId: south, productId: p.id, quantity: '5' },
          { kind: 'issue', warehouseId: north, productId: p.id, quantity: '10.001' },
        ],
      }),
    );
    expect(code).toBe('insufficient_stock');
    // All or nothing: the receipt in the same posting did not happen either.
    expect(await counts()).toEqual(before);
    expect(await level(south, p.id)).toBeNull();
    expect(await level(north, p.id)).toEqual({ onHand: '10', reserved: '0' });
  });

  it('refuses zero, negative and over-precise quantities, archived products and locations', async () => {
    const p = await product();
    const archived = await product('none', 'archived');
    const before = await counts();
    for (const quantity of ['0', '-1', '1.0001', 'abc']) {
      expect(await failure(receive(north, p.id, quantity))).toBe('validation_failed');
    }
    expect(await failure(receive(north, archived.id, '1'))).toBe('stock_product_archived');
    expect(await failure(receive(closed, p.id, '1'))).toBe('location_archived');
    expect(await counts()).toEqual(before);
  });

  it('adjusts both ways with a signed quantity but never below zero', async () => {
    const p = await product();
    await receive(north, p.id, '3');
    await postMovements(db(), ctx, {
      sourceType: 'adjustment',
      reason: '盘亏',
      movements: [{ kind: 'adjustment', warehouseId: north, productId: p.id, quantity: '-1' }],
    });
    expect(await level(north, p.id)).toEqual({ onHand: '2', reserved: '0' });
    const code = await failure(
      postMovements(db(), ctx, {
        sourceType: 'adjustment',
        movements: [{ kind: 'adjustment', warehouseId: north, productId: p.id, quantity: '-3' }],
      }),
    );
    expect(code).toBe('insufficient_stock');
  });

  it('transfers between two locations, reverses both legs once, and never to the same place', async () => {
    const p = await product();
    await receive(north, p.id, '8');
    expect(
      await failure(
        transferStock(db(), ctx, {
          fromWarehouseId: north,
          toWarehouseId: north,
          productId: p.id,
          quantity: '1',
        }),
      ),
    ).toBe('same_location');
    const [out, into] = await transferStock(db(), ctx, {
      fromWarehouseId: north,
      toWarehouseId: south,
      productId: p.id,
      quantity: '3',
    });
    expect(out!.transferId).toBe(into!.transferId);
    expect([formatQuantity(out!.quantity), formatQuantity(into!.quantity)]).toEqual(['-3', '3']);
    expect(await level(north, p.id)).toEqual({ onHand: '5', reserved: '0' });
    expect(await level(south, p.id)).toEqual({ onHand: '3', reserved: '0' });

    const reversal = await reverseMovement(db(), ctx, { movementId: into!.id, reason: '调错库' });
    expect(reversal).toHaveLength(2);
    expect(await level(north, p.id)).toEqual({ onHand: '8', reserved: '0' });
    expect(await level(south, p.id)).toEqual({ onHand: '0', reserved: '0' });
    expect(await failure(reverseMovement(db(), ctx, { movementId: out!.id, reason: 'again' }))).toBe(
      'movement_reversed',
    );
    expect(await failure(reverseMovement(db(), ctx, { movementId: reversal[0]!.id, reason: 'x' }))).toBe(
      'movement_is_reversal',
    );
  });

  it('tracks serial numbers: one unit each, in one place at a time, never received twice', async () => {
    const car = await product('serial');
    const vin = 'LFV2A21K0M3000001';
    expect(await failure(receive(north, car.id, '1'))).toBe('tracking_required');
    expect(await failure(receive(north, car.id, '2', { serialNo: vin }))).toBe('serial_quantity');
    await receive(north, car.id, '1', { serialNo: vin });
    expect(await failure(receive(south, car.id, '1', { serialNo: vin }))).toBe('serial_in_stock');
    await transferStock(db(), ctx, {
      fromWarehouseId: north,
      toWarehouseId: south,
      productId: car.id,
      quantity: '1',
      serialNo: vin,
    });
    const lots = await db().select().from(stockLotLevels).where(eq(stockLotLevels.productId, car.id));
    expect(lots.map((l) => [l.warehouseId, formatQuantity(l.onHand)]).sort()).toEqual(
      [
        [north, '0'],
        [south, '1'],
      ].sort(),
    );
    // Sold, then returned: the same serial comes back in.
    await postMovements(db(), ctx, {
      sourceType: 'test',
      movements: [{ kind: 'issue', warehouseId: south, productId: car.id, quantity: '1', serialNo: vin }],
    });
    await postMovements(db(), ctx, {
      sourceType: 'return',
      movements: [{ kind: 'return_in', warehouseId: north, productId: car.id, quantity: '1', serialNo: vin }],
    });
    expect(await level(north, car.id)).toEqual({ onHand: '1', reserved: '0' });
  });

  it('keeps batches apart: a batch cannot give more than it holds', async () => {
    const oil = await product('batch');
    const untracked = await product();
    await receive(north, oil.id, '10', { batchNo: 'B2601' });
    await receive(north, oil.id, '5', { batchNo: 'B2602' });
    expect(await failure(receive(north, untracked.id, '1', { batchNo: 'B1' }))).toBe('tracking_not_used');
    const code = await failure(
      postMovements(db(), ctx, {
        sourceType: 'test',
        movements: [
          { kind: 'issue', warehouseId: north, productId: oil.id, quantity: '6', batchNo: 'B2602' },
        ],
      }),
    );
    expect(code).toBe('insufficient_lot_stock');
    expect(await level(north, oil.id)).toEqual({ onHand: '15', reserved: '0' });
  });

  it('posts once per posting key: a retry answers the first movements', async () => {
    const p = await product();
    const first = await postMovements(db(), ctx, {
      sourceType: 'purchase_receipt',
      postingKey: 'PR-1',
      movements: [
        { kind: 'receipt', warehouseId: north, productId: p.id, quantity: '4' },
        { kind: 'receipt', warehouseId: south, productId: p.id, quantity: '6' },
      ],
    });
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        postMovements(db(), ctx, {
          sourceType: 'purchase_receipt',
          postingKey: 'PR-1',
          movements: [
            { kind: 'receipt', warehouseId: north, productId: p.id, quantity: '4' },
            { kind: 'receipt', warehouseId: south, productId: p.id, quantity: '6' },
          ],
        }),
      ),
    );
    for (const replay of again) expect(replay.map((m) => m.id)).toEqual(first.map((m) => m.id));
    expect(await level(north, p.id)).toEqual({ onHand: '4', reserved: '0' });
    expect(await level(south, p.id)).toEqual({ onHand: '6', reserved: '0' });
  });
});

describe('postings of many lines', () => {
  /** The AppError a promise rejects with. */
  async function refusal(p: Promise<unknown>): Promise<AppError> {
    try {
      await p;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected a failure');
  }

  const lotCount = async () => (await db().select({ n: count() }).from(stockLots))[0]!.n;

  /** On hand per location and lot of these products, as "location|sku|batch-or-serial" → quantity. */
  async function lotLevels(productIds: string[]) {
    const rows = await db()
      .select({
        warehouseId: stockLotLevels.warehouseId,
        sku: products.sku,
        lot: sql<string>`coalesce(${stockLots.batchNo}, ${stockLots.serialNo})`,
        onHand: stockLotLevels.onHand,
      })
      .from(stockLotLevels)
      .innerJoin(stockLots, eq(stockLots.id, stockLotLevels.lotId))
      .innerJoin(products, eq(products.id, stockLotLevels.productId))
      .where(inArray(stockLotLevels.productId, productIds));
    return Object.fromEntries(
      rows.map((r) => [`${r.warehouseId}|${r.sku}|${r.lot}`, formatQuantity(r.onHand)]),
    );
  }

  it('a 300-line delivery to two locations lands exactly, and issuing it all back leaves nothing', async () => {
    const parts = await Promise.all(Array.from({ length: 6 }, () => product()));
    const oils = await Promise.all(Array.from({ length: 3 }, () => product('batch')));
    const car = await product('serial');
    const lines: MovementLine[] = Array.from({ length: 300 }, (_, i) => {
      const warehouseId = i % 2 ? south : north;
      if (i % 10 === 9) {
        return { kind: 'receipt', warehouseId, productId: car.id, quantity: '1', serialNo: `VIN-300-${i}` };
      }
      if (i % 10 >= 7) {
        return {
          kind: 'receipt',
          warehouseId,
          productId: oils[i % 3]!.id,
          quantity: '1.5',
          batchNo: `B${i % 4}`,
        };
      }
      return { kind: 'receipt', warehouseId, productId: parts[i % 6]!.id, quantity: `${(i % 7) + 1}.25` };
    });
    const expected = new Map<string, Decimal>();
    const expectedLots = new Map<string, Decimal>();
    const skuOf = new Map([...parts, ...oils, car].map((p) => [p.id, p.sku]));
    for (const l of lines) {
      const key = `${l.warehouseId}|${l.productId}`;
      expected.set(key, (expected.get(key) ?? new Decimal(0)).plus(l.quantity));
      const lot = l.batchNo ?? l.serialNo;
      if (lot) {
        const lotKey = `${l.warehouseId}|${skuOf.get(l.productId)}|${lot}`;
        expectedLots.set(lotKey, (expectedLots.get(lotKey) ?? new Decimal(0)).plus(l.quantity));
      }
    }
    const before = await counts();

    const posted = await postMovements(db(), ctx, { sourceType: 'purchase_receipt', movements: lines });
    expect(posted.map((m) => [m.warehouseId, m.productId, formatQuantity(m.quantity)])).toEqual(
      lines.map((l) => [l.warehouseId, l.productId, l.quantity]),
    );
    expect(await counts()).toEqual({
      ...before,
      movements: before.movements + 300,
      audit: before.audit + 300,
    });
    for (const [key, total] of expected) {
      const [warehouseId, productId] = key.split('|') as [string, string];
      expect(await level(warehouseId, productId)).toEqual({ onHand: total.toString(), reserved: '0' });
    }
    const ids = [...skuOf.keys()];
    expect(await lotLevels(ids)).toEqual(
      Object.fromEntries([...expectedLots].map(([k, q]) => [k, q.toString()])),
    );

    await postMovements(db(), ctx, {
      sourceType: 'return_to_supplier',
      movements: lines.map((l) => ({ ...l, kind: 'issue' as const })).reverse(),
    });
    for (const key of expected.keys()) {
      const [warehouseId, productId] = key.split('|') as [string, string];
      expect(await level(warehouseId, productId)).toEqual({ onHand: '0', reserved: '0' });
    }
    expect(Object.values(await lotLevels(ids)).every((q) => q === '0')).toBe(true);
  });

  it('when only the last of 300 lines is short, nothing of the posting is written and the error names its sku', async () => {
    const parts = await Promise.all(Array.from({ length: 5 }, () => product()));
    const oil = await product('batch');
    const scarce = await product();
    await postMovements(db(), ctx, {
      sourceType: 'opening',
      movements: [
        ...parts.flatMap((p) =>
          [north, south].map((w) => ({
            kind: 'receipt' as const,
            warehouseId: w,
            productId: p.id,
            quantity: '40',
          })),
        ),
        { kind: 'receipt', warehouseId: north, productId: scarce.id, quantity: '1' },
      ],
    });
    const lines: MovementLine[] = Array.from({ length: 299 }, (_, i) =>
      i % 3 === 0
        ? {
            kind: 'receipt',
            warehouseId: i % 2 ? south : north,
            productId: oil.id,
            quantity: '2',
            batchNo: `NEW-${i}`,
          }
        : { kind: 'issue', warehouseId: i % 2 ? south : north, productId: parts[i % 5]!.id, quantity: '0.5' },
    );
    lines.push({ kind: 'issue', warehouseId: north, productId: scarce.id, quantity: '2' });
    const before = { ...(await counts()), lots: await lotCount() };

    const error = await refusal(postMovements(db(), ctx, { sourceType: 'shipment', movements: lines }));
    expect(error.code).toBe('insufficient_stock');
    expect(error.params).toEqual({ sku: scarce.sku, location: '北库', available: '1', wanted: '2' });
    expect({ ...(await counts()), lots: await lotCount() }).toEqual(before);
    expect(await level(north, parts[0]!.id)).toEqual({ onHand: '40', reserved: '0' });
    expect(await level(north, oil.id)).toBeNull();
    expect(await level(north, scarce.id)).toEqual({ onHand: '1', reserved: '0' });
  });

  it('two deliveries of the same items in opposite line orders, at once, both go through', async () => {
    const parts = await Promise.all(Array.from({ length: 8 }, () => product()));
    const lines = parts.flatMap((p) =>
      [north, south].map((w) => ({
        kind: 'receipt' as const,
        warehouseId: w,
        productId: p.id,
        quantity: '3',
      })),
    );
    await Promise.all(
      [lines, [...lines].reverse(), lines, [...lines].reverse()].map((movements) =>
        postMovements(db(), ctx, { sourceType: 'purchase_receipt', movements }),
      ),
    );
    for (const p of parts) expect(await level(south, p.id)).toEqual({ onHand: '12', reserved: '0' });
  });

  it('the same serial twice in one delivery is refused as already in stock', async () => {
    const car = await product('serial');
    const before = { ...(await counts()), lots: await lotCount() };
    const error = await refusal(
      postMovements(db(), ctx, {
        sourceType: 'purchase_receipt',
        movements: [
          { kind: 'receipt', warehouseId: north, productId: car.id, quantity: '1', serialNo: 'VIN-TWICE-1' },
          { kind: 'receipt', warehouseId: north, productId: car.id, quantity: '1', serialNo: 'VIN-TWICE-2' },
          { kind: 'receipt', warehouseId: south, productId: car.id, quantity: '1', serialNo: 'VIN-TWICE-1' },
        ],
      }),
    );
    expect(error.code).toBe('serial_in_stock');
    expect(error.params).toEqual({ sku: car.sku, serial: 'VIN-TWICE-1' });
    expect({ ...(await counts()), lots: await lotCount() }).toEqual(before);
    expect(await level(north, car.id)).toBeNull();
  });
});

describe('the ledger is append-only', () => {
  it('refuses to edit or delete a posted movement, even from SQL', async () => {
    const p = await product();
    const [m] = await receive(north, p.id, '1');
    // The trigger's message is the cause of the driver's error.
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => 'written',
        (e: Error) => String(e.cause ?? e.message),
      );
    expect(
      await refusal(db().execute(sql`update stock_movements set quantity = 2 where id = ${m!.id}`)),
    ).toMatch(/append-only/);
    expect(await refusal(db().execute(sql`delete from stock_movements where id = ${m!.id}`))).toMatch(
      /append-only/,
    );
    const [kept] = await db().select().from(stockMovements).where(eq(stockMovements.id, m!.id));
    expect(formatQuantity(kept!.quantity)).toBe('1');
  });
});

describe('reservations', () => {
  it('reserve, replay, conflict, ship against it, release the rest', async () => {
    const p = await product();
    await receive(north, p.id, '10');
    const first = await reserveStock(db(), ctx, {
      key: 'SO-1:1',
      warehouseId: north,
      productId: p.id,
      quantity: '6',
      sourceType: 'sales_order',
    });
    expect(first.replayed).toBe(false);
    const replay = await reserveStock(db(), ctx, {
      key: 'SO-1:1',
      warehouseId: north,
      productId: p.id,
      quantity: '6',
      sourceType: 'sales_order',
    });
    expect(replay).toEqual({ reservation: first.reservation, replayed: true });
    expect(await level(north, p.id)).toEqual({ onHand: '10', reserved: '6' });
    expect(
      await failure(
        reserveStock(db(), ctx, {
          key: 'SO-1:1',
          warehouseId: north,
          productId: p.id,
          quantity: '7',
          sourceType: 'sales_order',
        }),
      ),
    ).toBe('reservation_conflict');

    // Reserved stock is not available to others: 5 cannot go out, 4 can.
    const [availability] = await stockAvailability(db(), { lines: [{ productId: p.id, quantity: '5' }] });
    expect(availability).toMatchObject({ available: '4', shortfall: '1' });
    const issue = (quantity: string, reservationKey?: string) =>
      postMovements(db(), ctx, {
        sourceType: 'shipment',
        movements: [{ kind: 'issue', warehouseId: north, productId: p.id, quantity, reservationKey }],
      });
    expect(await failure(issue('5'))).toBe('insufficient_stock');
    expect(await failure(issue('7', 'SO-1:1'))).toBe('reservation_exceeded');

    await issue('4', 'SO-1:1');
    expect(await level(north, p.id)).toEqual({ onHand: '6', reserved: '2' });
    const released = await releaseReservation(db(), ctx, { key: 'SO-1:1' });
    expect(released.status).toBe('consumed');
    expect(formatQuantity(released.released)).toBe('2');
    expect(await level(north, p.id)).toEqual({ onHand: '6', reserved: '0' });
    // A retried cancel is harmless; a release of a quantity on a closed reservation is not.
    expect((await releaseReservation(db(), ctx, { key: 'SO-1:1' })).version).toBe(released.version);
    expect(await failure(releaseReservation(db(), ctx, { key: 'SO-1:1', quantity: '1' }))).toBe(
      'reservation_closed',
    );
    expect(await failure(issue('1', 'SO-1:1'))).toBe('reservation_closed');
  });

  it('200 parallel reservations against 50 on hand: exactly 50 succeed, available 0', async () => {
    const p = await product();
    await receive(north, p.id, '50');
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        reserveStock(db(), ctx, {
          key: `RACE-${p.id}-${i}`,
          warehouseId: north,
          productId: p.id,
          quantity: '1',
          sourceType: 'sales_order',
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as AppError).code === 'insufficient_stock',
    );
    expect(ok).toBe(50);
    expect(refused).toHaveLength(150);
    expect(await level(north, p.id)).toEqual({ onHand: '50', reserved: '50' });
    const [active] = await db()
      .select({ n: count() })
      .from(stockReservations)
      .where(eq(stockReservations.productId, p.id));
    expect(active!.n).toBe(50);
    // A retry of a winner changes nothing.
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    const retry = await reserveStock(db(), ctx, {
      key: `RACE-${p.id}-${winner}`,
      warehouseId: north,
      productId: p.id,
      quantity: '1',
      sourceType: 'sales_order',
    });
    expect(retry.replayed).toBe(true);
    expect(await level(north, p.id)).toEqual({ onHand: '50', reserved: '50' });
  });

  it('two issues racing for the last unit: one wins', async () => {
    const p = await product();
    await receive(north, p.id, '1');
    const results = await Promise.allSettled(
      [north, north].map((w) =>
        postMovements(db(), ctx, {
          sourceType: 'shipment',
          movements: [{ kind: 'issue', warehouseId: w, productId: p.id, quantity: '1' }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await level(north, p.id)).toEqual({ onHand: '0', reserved: '0' });
  });
});

describe('ledger invariants (property)', () => {
  type Op =
    | { op: 'receipt' | 'issue' | 'adjust'; w: 0 | 1; q: number }
    | { op: 'transfer'; w: 0 | 1; q: number }
    | { op: 'reserve'; w: 0 | 1; q: number; key: number }
    | { op: 'release' | 'consume'; key: number; q: number }
    | { op: 'reverse'; nth: number };
  const qty = fc.integer({ min: 1, max: 4000 }).map((n) => n / 1000 + Math.floor(n / 1000));
  const w = fc.constantFrom<0 | 1>(0, 1);
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constantFrom('receipt', 'issue', 'adjust'), w, q: qty }) as fc.Arbitrary<Op>,
    fc.record({ op: fc.constant('transfer'), w, q: qty }) as fc.Arbitrary<Op>,
    fc.record({ op: fc.constant('reserve'), w, q: qty, key: fc.nat(3) }) as fc.Arbitrary<Op>,
    fc.record({ op: fc.constantFrom('release', 'consume'), key: fc.nat(3), q: qty }) as fc.Arbitrary<Op>,
    fc.record({ op: fc.constant('reverse'), nth: fc.nat(20) }) as fc.Arbitrary<Op>,
  );

  it('on hand = Σ movements, reserved = Σ open reservations, 0 ≤ reserved ≤ on hand, failures change nothing', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        run += 1;
        const p = await product();
        const places = [north, south];
        const posted: string[] = [];
        for (const o of ops) {
          const q = 'q' in o ? new Decimal(o.q).toFixed(3) : '0';
          const before = await snapshot(p.id);
          try {
            if (o.op === 'receipt' || o.op === 'issue') {
              const [m] = await postMovements(db(), ctx, {
                sourceType: 'prop',
                movements: [{ kind: o.op, warehouseId: places[o.w]!, productId: p.id, quantity: q }],
              });
              posted.push(m!.id);
            } else if (o.op === 'adjust') {
              const [m] = await postMovements(db(), ctx, {
                sourceType: 'prop',
                movements: [
                  { kind: 'adjustment', warehouseId: places[o.w]!, productId: p.id, quantity: `-${q}` },
                ],
              });
              posted.push(m!.id);
            } else if (o.op === 'transfer') {
              const [m] = await transferStock(db(), ctx, {
                fromWarehouseId: places[o.w]!,
                toWarehouseId: places[1 - o.w]!,
                productId: p.id,
                quantity: q,
              });
              posted.push(m!.id);
            } else if (o.op === 'reserve') {
              await reserveStock(db(), ctx, {
                key: `P${run}-${p.id}-${o.key}`,
                warehouseId: places[o.w]!,
                productId: p.id,
                quantity: q,
                sourceType: 'prop',
              });
            } else if (o.op === 'release') {
              await releaseReservation(db(), ctx, { key: `P${run}-${p.id}-${o.key}`, quantity: q });
            } else if (o.op === 'consume') {
              const [r] = await db()
                .select()
                .from(stockReservations)
                .where(eq(stockReservations.key, `P${run}-${p.id}-${o.key}`));
              if (!r) continue;
              await postMovements(db(), ctx, {
                sourceType: 'prop',
                movements: [
                  {
                    kind: 'issue',
                    warehouseId: r.warehouseId,
                    productId: p.id,
                    quantity: q,
                    reservationKey: r.key,
                  },
                ],
              });
            } else if (o.op === 'reverse' && posted.length) {
              await reverseMovement(db(), ctx, {
                movementId: posted[o.nth % posted.length]!,
                reason: 'prop',
              });
            }
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            expect(await snapshot(p.id)).toEqual(before);
          }
          await expectInvariants(p.id);
        }
      }),
      { numRuns: 12, seed: 2026 },
    );
  });

  /** Everything a failed operation must leave untouched. */
  async function snapshot(productId: string) {
    const levels = await db().select().from(stockLevels).where(eq(stockLevels.productId, productId));
    const movements = await db()
      .select({ n: count() })
      .from(stockMovements)
      .where(eq(stockMovements.productId, productId));
    const reservations = await db()
      .select()
      .from(stockReservations)
      .where(eq(stockReservations.productId, productId));
    return {
      levels: levels.map((l) => [l.warehouseId, l.onHand, l.reserved]).sort(),
      movements: movements[0]!.n,
      reservations: reservations.map((r) => [r.key, r.consumed, r.released, r.status]).sort(),
    };
  }

  async function expectInvariants(productId: string) {
    for (const warehouseId of [north, south]) {
      const [sums] = await db()
        .select({ total: sql<string>`coalesce(sum(${stockMovements.quantity}), 0)` })
        .from(stockMovements)
        .where(
          sql`${stockMovements.productId} = ${productId} and ${stockMovements.warehouseId} = ${warehouseId}`,
        );
      const [open] = await db()
        .select({
          total: sql<string>`coalesce(sum(${stockReservations.quantity} - ${stockReservations.consumed} - ${stockReservations.released}), 0)`,
        })
        .from(stockReservations)
        .where(
          sql`${stockReservations.productId} = ${productId} and ${stockReservations.warehouseId} = ${warehouseId} and ${stockReservations.status} = 'active'`,
        );
      const l = (await level(warehouseId, productId)) ?? { onHand: '0', reserved: '0' };
      expect(l.onHand).toBe(formatQuantity(sums!.total));
      expect(l.reserved).toBe(formatQuantity(open!.total));
      expect(new Decimal(l.reserved).greaterThanOrEqualTo(0)).toBe(true);
      expect(new Decimal(l.reserved).lessThanOrEqualTo(l.onHand)).toBe(true);
    }
  }
});
