import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { historyForViewer, orderForViewer, returnForViewer } from './prices.js';
import { makeContact, makeSellable } from './sales-orders.fixtures.js';

// Issue 7, item 11: "warehouse sees shipments but not prices if configured". The warehouse keeper
// picks and ships by quantity; what the customer pays is the sales side's business. Prices are
// the sensitive action sales-orders.prices, which the warehouse role lacks out of the box and an
// administrator may grant on the roles page.

const PRICE_KEYS = new Set([
  'total',
  'tax',
  'totalExclTax',
  'invoicedAmount',
  'listPrice',
  'discountPercent',
  'unitPrice',
  'floorPrice',
  'amount',
]);

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}
const priceKeysIn = (value: unknown) => [...keysOf(value)].filter((k) => PRICE_KEYS.has(k));

let t: TestApp;
let admin: Client;
let rep: Client;
let orderId: string;
let orderNumber: string;
let shipmentId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  const db = t.database.db;
  const wh = await makeWarehouse(db, { code: 'PRC', name: '无锡仓' });
  const truck = await makeSellable(db, { name: '星辰轻卡 L1', listPrice: 1_000_000, uom: '辆' });
  await receive(db, wh.id, truck.id, '5');
  const customer = await makeCustomer(db, { name: '无锡畅达运输有限公司', owner: 'rep01' });
  const contact = await makeContact(db, customer.id, { name: '周敏', mobile: '13812345678' });
  const created = await rep.post('/sales-orders', {
    customerId: customer.id,
    contactId: contact.id,
    warehouseId: wh.id,
    lines: [{ productId: truck.id, quantity: '3', discountPercent: '5' }],
  });
  expect(created.statusCode, created.payload).toBe(201);
  orderId = created.body.id;
  orderNumber = created.body.number;
  const confirmed = await rep.post(`/sales-orders/${orderId}/confirm`, { version: created.body.version });
  expect(confirmed.statusCode, confirmed.payload).toBe(200);
});
afterAll(() => t.close());

describe('order prices and the warehouse', () => {
  it('the warehouse ships two of three trucks and sees quantities, shipments and tracking, but no price anywhere', async () => {
    const keeper = await as(t.app, 'warehouse01');
    const order = (await keeper.get(`/sales-orders/${orderId}`)).body;
    expect(order.number).toBe(orderNumber);
    expect(order.lines[0]).toMatchObject({ quantity: '3', reservedQuantity: '3', openQuantity: '3' });
    expect(priceKeysIn(order)).toEqual([]);

    const shipped = await keeper.post(
      `/sales-orders/${orderId}/shipments`,
      {
        warehouseId: order.lines[0].warehouseId,
        carrier: '顺丰速运',
        trackingNo: 'SF2026000001',
        lines: [{ orderLineId: order.lines[0].id, quantity: '2' }],
        post: true,
      },
      { 'idempotency-key': 'prices-ship-1' },
    );
    expect(shipped.statusCode, shipped.payload).toBe(201);
    shipmentId = shipped.body.id;
    expect(shipped.body).toMatchObject({ state: 'posted', trackingNo: 'SF2026000001' });
    expect(priceKeysIn(shipped.body)).toEqual([]);

    const list = (await keeper.get('/sales-orders')).body;
    expect(list.items.map((o: { id: string }) => o.id)).toContain(orderId);
    // (the page's own `total` is the number of orders, not money)
    expect(priceKeysIn(list.items)).toEqual([]);
    const shipment = (await keeper.get(`/shipments/${shipmentId}`)).body;
    expect(shipment.lines[0].quantity).toBe('2');
    expect(priceKeysIn(shipment)).toEqual([]);
    const after = (await keeper.get(`/sales-orders/${orderId}`)).body;
    expect(after).toMatchObject({ state: 'partially_shipped' });
    expect(priceKeysIn(after)).toEqual([]);
    // The history tells who did what, without the amounts the audit recorded.
    const history = (await keeper.get(`/sales-orders/${orderId}/history`)).body;
    expect(history.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['create', 'confirm']),
    );
    expect(priceKeysIn(history)).toEqual([]);
    expect(JSON.stringify(history)).not.toContain('950000');
  });

  it('the Excel export leaves out the amount column for the warehouse and keeps it for the rep', async () => {
    const headers = async (client: Client) => {
      const res = await client.get('/sales-orders/export?format=xlsx');
      expect(res.statusCode, res.payload.slice(0, 200)).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return (book.worksheets[0]!.getRow(1).values as unknown[]).filter(Boolean).map(String);
    };
    const keeper = await as(t.app, 'warehouse01');
    const theirs = await headers(keeper);
    expect(theirs).toContain('订单号');
    expect(theirs).not.toContain('金额（元）');
    expect(await headers(rep)).toContain('金额（元）');
  });

  it('the rep, finance and the director see the prices as before', async () => {
    for (const who of ['rep01', 'finance01', 'director']) {
      const client = who === 'rep01' ? rep : await as(t.app, who);
      const order = (await client.get(`/sales-orders/${orderId}`)).body;
      // 3 × ¥10,000.00 less 5% = ¥28,500.00.
      expect(order, who).toMatchObject({ total: 2_850_000, invoicedAmount: 0 });
      expect(order.lines[0], who).toMatchObject({
        unitPrice: 950_000,
        discountPercent: '5.00',
        amount: 2_850_000,
      });
      expect(order.shipments[0].amount, who).toBe(1_900_000);
    }
  });

  it('once an administrator grants sales-orders.prices to the warehouse role, the keeper sees them; withdrawn, they are gone again', async () => {
    const roles = (await admin.get('/roles')).body.items as {
      id: string;
      key: string;
      permissions: string[];
      version: number;
    }[];
    const warehouse = roles.find((r) => r.key === 'warehouse')!;
    expect(warehouse.permissions).toContain('sales-orders.read');
    expect(warehouse.permissions).not.toContain('sales-orders.prices');
    const catalog = (await admin.get('/permissions')).body;
    const prices = catalog.resources
      .find((r: { key: string }) => r.key === 'sales-orders')
      .permissions.find((p: { key: string }) => p.key === 'sales-orders.prices');
    expect(prices).toEqual({ key: 'sales-orders.prices', sensitive: true });

    const granted = await admin.patch(`/roles/${warehouse.id}`, {
      permissions: [...warehouse.permissions, 'sales-orders.prices'],
      version: warehouse.version,
    });
    expect(granted.statusCode, granted.payload).toBe(200);
    let keeper = await as(t.app, 'warehouse01');
    const order = (await keeper.get(`/sales-orders/${orderId}`)).body;
    expect(order).toMatchObject({ total: 2_850_000 });
    expect(order.lines[0]).toMatchObject({ unitPrice: 950_000, amount: 2_850_000 });
    expect((await keeper.get(`/shipments/${shipmentId}`)).body.amount).toBe(1_900_000);

    const withdrawn = await admin.patch(`/roles/${warehouse.id}`, {
      permissions: warehouse.permissions,
      version: granted.body.version,
    });
    expect(withdrawn.statusCode, withdrawn.payload).toBe(200);
    keeper = await as(t.app, 'warehouse01');
    expect(priceKeysIn((await keeper.get(`/sales-orders/${orderId}`)).body)).toEqual([]);
  });

  it('the public tracking page is the same for everyone: state and tracking, never prices', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/order-tracking',
      payload: { orderNumber, phone: '13812345678' },
      remoteAddress: '198.51.100.77',
    });
    expect(res.statusCode, res.payload).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ orderNumber, state: 'partially_shipped' });
    expect(body.shipments[0]).toMatchObject({ carrier: '顺丰速运', trackingNo: 'SF2026000001' });
    expect(priceKeysIn(body)).toEqual([]);
  });
});

describe('price stripping rules', () => {
  const order = {
    id: 'o1',
    total: 100,
    tax: 12,
    totalExclTax: 88,
    invoicedAmount: 0,
    lines: [
      {
        id: 'l1',
        quantity: '1',
        listPrice: 100,
        unitPrice: 100,
        discountPercent: '0',
        amount: 100,
        tax: 12,
        taxRate: '0.13',
        floorPrice: null,
      },
    ],
    shipments: [{ id: 's1', amount: 100, lines: [{ id: 'sl1', quantity: '1', amount: 100 }] }],
  };

  it('with the permission nothing changes; without it only the money keys go (the tax rate stays)', () => {
    expect(orderForViewer(order, true)).toBe(order);
    const bare = orderForViewer(order, false);
    expect(priceKeysIn(bare)).toEqual([]);
    expect(keysOf(bare)).toContain('taxRate');
    expect(bare.lines[0]).toMatchObject({ id: 'l1', quantity: '1' });
    expect(bare.shipments[0]!.lines[0]).toEqual({ id: 'sl1', quantity: '1' });
    expect(order.total).toBe(100); // the input is not mutated
  });

  it('a return loses its values and credit-note totals, keeps its quantities', () => {
    const ret = {
      amount: 100,
      uncreditedAmount: 0,
      lines: [{ quantity: '1', unitPrice: 100, creditedAmount: 100 }],
      creditNotes: [{ number: 'CN-1', total: 100 }],
    };
    expect(returnForViewer(ret, false)).toEqual({
      lines: [{ quantity: '1' }],
      creditNotes: [{ number: 'CN-1' }],
    });
  });

  it('history entries lose price changes; an update that only changed prices disappears', () => {
    const items = [
      { action: 'create', changes: { number: { from: null, to: 'SO-1' }, total: { from: null, to: 100 } } },
      {
        action: 'update',
        changes: { total: { from: 100, to: 90 }, lines: { from: ['a @ 100'], to: ['a @ 90'] } },
      },
      { action: 'update', changes: { notes: { from: null, to: '周五送达' } } },
    ];
    expect(historyForViewer(items, false)).toEqual([
      { action: 'create', changes: { number: { from: null, to: 'SO-1' } } },
      { action: 'update', changes: { notes: { from: null, to: '周五送达' } } },
    ]);
  });
});
