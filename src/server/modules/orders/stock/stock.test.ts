import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { products } from '../catalog/schema.js';
import { stockMovements } from './schema.js';
import { makeProduct, makeWarehouse, receive } from './stock.fixtures.js';

let t: TestApp;
let keeper: Client;
let rep: Client;
let finance: Client;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  keeper = await as(t.app, 'warehouse01');
  rep = await as(t.app, 'rep01');
  finance = await as(t.app, 'finance01');
});
afterAll(() => t.close());

const movementsOf = async (productId: string) =>
  t.database.db.select().from(stockMovements).where(eq(stockMovements.productId, productId));

describe('adjustments with a reason', () => {
  it('the warehouse writes off two damaged mirrors (报损) and the history shows why', async () => {
    const wh = await makeWarehouse(t.database.db, { name: '上海总仓' });
    const mirror = await makeProduct(t.database.db, { name: '后视镜总成', uom: '件' });
    await receive(t.database.db, wh.id, mirror.id, '10');

    const res = await keeper.post('/stock/adjustments', {
      warehouseId: wh.id,
      productId: mirror.id,
      quantity: '-2',
      reason: 'damage',
      note: '运输途中刮损',
    });
    expect(res.statusCode, res.payload).toBe(201);
    expect(res.body.items[0]).toMatchObject({
      kind: 'adjustment',
      quantity: '-2',
      reason: 'damage: 运输途中刮损',
    });
    const level = (await rep.get(`/stock/levels?productId=${mirror.id}`)).body.items[0];
    expect(level).toMatchObject({ onHand: '8', available: '8' });
  });

  it('a loss entered as a gain, a gain entered as a loss, or "other" without a note is refused and nothing posts', async () => {
    const wh = await makeWarehouse(t.database.db);
    const part = await makeProduct(t.database.db, { name: '机油滤清器' });
    await receive(t.database.db, wh.id, part.id, '5');
    const base = { warehouseId: wh.id, productId: part.id };
    const cases = [
      [{ ...base, quantity: '3', reason: 'damage' }, 'quantity'],
      [{ ...base, quantity: '-3', reason: 'count_gain' }, 'quantity'],
      [{ ...base, quantity: '1', reason: 'other' }, 'note'],
      [{ ...base, quantity: '0', reason: 'count_gain' }, 'quantity'],
      [{ ...base, quantity: '1.2345', reason: 'count_gain' }, 'quantity'],
    ] as const;
    for (const [body, path] of cases) {
      const res = await keeper.post('/stock/adjustments', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body.errors[0].path).toBe(path);
    }
    // More loss than there is: the ledger refuses to go negative.
    const tooMuch = await keeper.post('/stock/adjustments', {
      ...base,
      quantity: '-6',
      reason: 'count_loss',
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.body.code).toBe('insufficient_stock');
    expect(await movementsOf(part.id)).toHaveLength(1);
  });

  it('a retried adjustment with the same key posts once', async () => {
    const wh = await makeWarehouse(t.database.db);
    const part = await makeProduct(t.database.db, { name: '雨刮片' });
    const body = {
      warehouseId: wh.id,
      productId: part.id,
      quantity: '4',
      reason: 'count_gain',
      key: 'count-2026-11-a',
    };
    const first = await keeper.post('/stock/adjustments', body);
    const again = await keeper.post('/stock/adjustments', body);
    expect(first.statusCode).toBe(201);
    expect(again.body.items[0].id).toBe(first.body.items[0].id);
    expect(await movementsOf(part.id)).toHaveLength(1);
  });
});

describe('transfers, reversals and the movement history', () => {
  it('a transfer moves stock between locations; its reversal undoes both legs once', async () => {
    const sh = await makeWarehouse(t.database.db, { name: '上海总仓' });
    const gz = await makeWarehouse(t.database.db, { name: '华南区域仓' });
    const truck = await makeProduct(t.database.db, { name: '轻卡 4.2 米栏板', uom: '辆' });
    await receive(t.database.db, sh.id, truck.id, '6');

    const moved = await keeper.post('/stock/transfers', {
      fromWarehouseId: sh.id,
      toWarehouseId: gz.id,
      productId: truck.id,
      quantity: '4',
      note: '华南旺季备货',
    });
    expect(moved.statusCode, moved.payload).toBe(201);
    expect(moved.body.items.map((m: { kind: string; quantity: string }) => [m.kind, m.quantity])).toEqual([
      ['transfer_out', '-4'],
      ['transfer_in', '4'],
    ]);

    const out = moved.body.items[0];
    const reversed = await keeper.post(`/stock/movements/${out.id}/reverse`, { reason: '调拨单填错仓库' });
    expect(reversed.statusCode, reversed.payload).toBe(201);
    expect(reversed.body.items).toHaveLength(2);
    const levels = (await keeper.get(`/stock/levels?productId=${truck.id}`)).body.items;
    expect(levels.map((l: { warehouseId: string; onHand: string }) => [l.warehouseId, l.onHand])).toEqual(
      expect.arrayContaining([
        [sh.id, '6'],
        [gz.id, '0'],
      ]),
    );

    const history = (await keeper.get(`/stock/movements?productId=${truck.id}&kind=transfer_out`)).body.items;
    const original = history.find((m: { id: string }) => m.id === out.id);
    expect(original.reversedById).toEqual(expect.any(String));
    const twice = await keeper.post(`/stock/movements/${out.id}/reverse`, { reason: '再来一次' });
    expect(twice.statusCode).toBe(409);
    expect((await keeper.post(`/stock/movements/${out.id}/reverse`, { reason: ' ' })).statusCode).toBe(400);
  });

  it('a transfer to the same location or of an archived product is refused', async () => {
    const wh = await makeWarehouse(t.database.db);
    const other = await makeWarehouse(t.database.db);
    const old = await makeProduct(t.database.db, { name: '旧款货箱' });
    await receive(t.database.db, wh.id, old.id, '2');
    const same = await keeper.post('/stock/transfers', {
      fromWarehouseId: wh.id,
      toWarehouseId: wh.id,
      productId: old.id,
      quantity: '1',
    });
    expect(same.statusCode).toBe(400);
    expect(same.body.code).toBe('same_location');
    await t.database.db.update(products).set({ status: 'archived' }).where(eq(products.id, old.id));
    const archived = await keeper.post('/stock/transfers', {
      fromWarehouseId: wh.id,
      toWarehouseId: other.id,
      productId: old.id,
      quantity: '1',
    });
    expect(archived.statusCode).toBe(409);
    expect(await movementsOf(old.id)).toHaveLength(1);
  });

  it('unit costs in the history are shown to finance (products.cost) and hidden from reps', async () => {
    const wh = await makeWarehouse(t.database.db);
    const pump = await makeProduct(t.database.db, { name: '燃油泵' });
    await t.database.db.transaction(async (tx) => {
      const { postMovements } = await import('./ledger.js');
      const { systemCtx } = await import('../../../platform/context.js');
      await postMovements(tx as never, systemCtx('test'), {
        sourceType: 'purchase_receipt',
        movements: [
          { kind: 'receipt', warehouseId: wh.id, productId: pump.id, quantity: '3', unitCost: 45_000 },
        ],
      });
    });
    const seen = (await finance.get(`/stock/movements?productId=${pump.id}`)).body.items[0];
    expect(seen.unitCost).toBe(45_000);
    const hidden = (await rep.get(`/stock/movements?productId=${pump.id}`)).body.items[0];
    expect(hidden.unitCost).toBeNull();
    // Date filters on the business date.
    const none = await rep.get(`/stock/movements?productId=${pump.id}&to=2000-01-01`);
    expect(none.body.total).toBe(0);
  });
});

describe('serial-tracked vehicles', () => {
  it('a VIN is received, moved to a store, and can be found there; a serial-tracked movement needs the VIN', async () => {
    const sh = await makeWarehouse(t.database.db, { name: '上海总仓' });
    const store = await makeWarehouse(t.database.db, { name: '杭州展厅门店', kind: 'store' });
    const van = await makeProduct(t.database.db, {
      name: '新能源厢式物流车',
      trackingMode: 'serial',
      uom: '辆',
    });
    await receive(t.database.db, sh.id, van.id, '1', { serialNo: 'LSVAM4187C2184756' });
    await receive(t.database.db, sh.id, van.id, '1', { serialNo: 'LSVAM4187C2184757' });

    const noVin = await keeper.post('/stock/transfers', {
      fromWarehouseId: sh.id,
      toWarehouseId: store.id,
      productId: van.id,
      quantity: '1',
    });
    expect(noVin.statusCode).toBe(400);
    expect(noVin.body.code).toBe('tracking_required');

    const moved = await keeper.post('/stock/transfers', {
      fromWarehouseId: sh.id,
      toWarehouseId: store.id,
      productId: van.id,
      quantity: '1',
      serialNo: 'LSVAM4187C2184756',
    });
    expect(moved.statusCode, moved.payload).toBe(201);

    const found = (await rep.get('/stock/serials?serialNo=LSVAM4187C2184756')).body.items;
    expect(found).toEqual([
      expect.objectContaining({ productId: van.id, warehouseId: store.id, warehouseName: '杭州展厅门店' }),
    ]);
    expect(found[0].lastMovement.kind).toBe('transfer_in');

    const byLocation = (await rep.get(`/stock/products/${van.id}`)).body;
    expect(byLocation.totals).toEqual({ onHand: '2', reserved: '0', available: '2' });
    expect(
      byLocation.lots.map((l: { serialNo: string; warehouseId: string }) => [l.serialNo, l.warehouseId]),
    ).toEqual([
      ['LSVAM4187C2184756', store.id],
      ['LSVAM4187C2184757', sh.id],
    ]);
  });
});

describe('reservations and availability', () => {
  it('an order line reserves, releases part and the rest; availability shows each location and the shortfall', async () => {
    const sh = await makeWarehouse(t.database.db, { name: '上海总仓' });
    const bj = await makeWarehouse(t.database.db, { name: '华北区域仓' });
    const pickup = await makeProduct(t.database.db, { name: '皮卡 2.5T 柴油四驱', uom: '辆' });
    const kit = await makeProduct(t.database.db, { name: '首保服务包', uom: '套' });
    await receive(t.database.db, sh.id, pickup.id, '5');
    await receive(t.database.db, bj.id, pickup.id, '3');

    const assistant = await as(t.app, 'assistant01');
    const made = await assistant.post(
      '/stock/reservations',
      {
        warehouseId: sh.id,
        productId: pickup.id,
        quantity: '4',
        sourceType: 'sales_order',
        note: '车队客户预订',
      },
      { 'idempotency-key': 'SO-2026-000123:line-1' },
    );
    expect(made.statusCode, made.payload).toBe(201);
    expect(made.body).toMatchObject({ key: 'SO-2026-000123:line-1', remaining: '4', status: 'active' });

    const availability = await rep.post('/stock/availability', {
      lines: [
        { productId: pickup.id, quantity: '6' },
        { productId: kit.id, quantity: '2' },
      ],
    });
    expect(availability.statusCode, availability.payload).toBe(200);
    const [line1, line2] = availability.body.lines;
    expect(line1).toMatchObject({ available: '4', shortfall: '2' });
    expect(line1.warehouses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ warehouseName: '上海总仓', onHand: '5', reserved: '4', available: '1' }),
        expect.objectContaining({ warehouseName: '华北区域仓', available: '3' }),
      ]),
    );
    expect(line2).toMatchObject({ available: '0', shortfall: '2', warehouses: [] });
    expect(availability.body.allAvailable).toBe(false);

    const part = await assistant.post('/stock/reservations/SO-2026-000123:line-1/release', { quantity: '1' });
    expect(part.body).toMatchObject({ released: '1', remaining: '3', status: 'active' });
    const rest = await assistant.post('/stock/reservations/SO-2026-000123:line-1/release', {});
    expect(rest.body).toMatchObject({ released: '4', remaining: '0', status: 'released' });

    const listed = (await rep.get(`/stock/reservations?productId=${pickup.id}&status=released`)).body;
    expect(listed.items.map((r: { key: string }) => r.key)).toEqual(['SO-2026-000123:line-1']);
    expect(
      (await rep.get(`/stock/levels?productId=${pickup.id}&warehouseId=${sh.id}`)).body.items[0].reserved,
    ).toBe('0');
  });

  it('a reservation without a key is refused, and nothing is reserved', async () => {
    const wh = await makeWarehouse(t.database.db);
    const part = await makeProduct(t.database.db);
    await receive(t.database.db, wh.id, part.id, '2');
    const res = await keeper.post('/stock/reservations', {
      warehouseId: wh.id,
      productId: part.id,
      quantity: '1',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0].path).toBe('key');
    expect((await keeper.get(`/stock/levels?productId=${part.id}`)).body.items[0].reserved).toBe('0');
  });
});
