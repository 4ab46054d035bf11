import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.js';
import { as, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { makeSellable } from './sales-orders.fixtures.js';
import { salesOrderLines, salesOrders } from './schema.js';

let n = 0;
let world: { warehouseId: string; productId: string } | null = null;

/** A draft order of one unit (in stock) for a customer owned by `username`, owned by the same user. */
async function draftOwnedBy(db: Db, username: string) {
  if (!world) {
    const wh = await makeWarehouse(db, { name: '授权测试仓' });
    const product = await makeSellable(db, { name: '授权测试车型', listPrice: 1_000_000 });
    world = { warehouseId: wh.id, productId: product.id };
  }
  await receive(db, world.warehouseId, world.productId, '1');
  const owner = await userByName(db, username);
  const customer = await makeCustomer(db, { name: `订单授权客户${++n}`, owner: username });
  const [order] = await db
    .insert(salesOrders)
    .values({
      number: `SO-TEST-${String(n).padStart(6, '0')}`,
      customerId: customer.id,
      orderDate: '2026-03-01',
      total: 1_000_000,
      tax: 115_044,
      ownerId: owner.id,
      orgUnitId: owner.orgUnitId,
    })
    .returning();
  await db.insert(salesOrderLines).values({
    orderId: order!.id,
    seq: 1,
    productId: world.productId,
    quantity: '1',
    listPrice: 1_000_000,
    unitPrice: 1_000_000,
    priceSource: 'resolved',
    taxRate: '0.13',
    amount: 1_000_000,
    tax: 115_044,
    warehouseId: world.warehouseId,
  });
  return order!.id;
}

type Row = [Outcome, Outcome, Outcome];
const R: Row = ['allow', 'allow', 'allow'];
const T: Row = ['allow', 'allow', 'hidden'];
const H: Row = ['allow', 'hidden', 'hidden'];
const F: Row = ['forbidden', 'forbidden', 'forbidden'];

checkAuthzMatrix({
  resource: 'sales-orders',
  recordOwnedBy: (username, t) => draftOwnedBy(t.database.db, username),
  actions: {
    read: (client, id) => client.get(`/sales-orders/${id}`),
    // Prices are a sensitive action: an order read without its total counts as forbidden.
    prices: async (client, id) => {
      const res = await client.get(`/sales-orders/${id}`);
      return res.statusCode === 200 && !('total' in res.body) ? { statusCode: 403 } : res;
    },
    // A new order for the same customer: a customer one cannot see is an invalid reference (400),
    // which for this table is the same as not found.
    create: async (client, id, admin) => {
      const { customerId } = (await admin.get(`/sales-orders/${id}`)).body;
      const res = await client.post('/sales-orders', {
        customerId,
        lines: [{ productId: world!.productId, quantity: '1' }],
      });
      return res.statusCode === 400 && res.body.code === 'invalid_reference' ? { statusCode: 404 } : res;
    },
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/sales-orders/${id}`)).body;
      return client.patch(`/sales-orders/${id}`, { notes: '请周五前送达', version });
    },
    confirm: async (client, id, admin) => {
      const { version } = (await admin.get(`/sales-orders/${id}`)).body;
      return client.post(`/sales-orders/${id}/confirm`, { version });
    },
    cancel: async (client, id, admin) => {
      const { version } = (await admin.get(`/sales-orders/${id}`)).body;
      return client.post(`/sales-orders/${id}/cancel`, { version, reason: '客户取消' });
    },
    ship: async (client, id, admin) => {
      const draft = (await admin.get(`/sales-orders/${id}`)).body;
      const order = (await admin.post(`/sales-orders/${id}/confirm`, { version: draft.version })).body;
      return client.post(`/sales-orders/${id}/shipments`, {
        warehouseId: order.lines[0].warehouseId,
        carrier: '顺丰速运',
        trackingNo: `SF${id.slice(-8)}`,
        lines: [{ orderLineId: order.lines[0].id, quantity: '1' }],
        post: true,
      });
    },
  },
  // Orders follow the customer's owner: reps their own, managers and assistants their subtree,
  // directors, finance and the warehouse everything. Reps and assistants do not ship; finance only
  // reads; the warehouse reads and ships but does not see prices (sales-orders.prices) nor
  // confirm; marketing and partners see no orders.
  expect: {
    admin: {
      read: R,
      prices: R,
      create: R,
      update: R,
      confirm: R,
      cancel: R,
      ship: R,
    },
    director: { read: R, prices: R, create: R, update: R, confirm: R, cancel: R, ship: R },
    manager01: { read: T, prices: T, create: T, update: T, confirm: T, cancel: T, ship: T },
    manager02: { read: T, prices: T, create: T, update: T, confirm: T, cancel: T, ship: T },
    rep01: { read: H, prices: H, create: H, update: H, confirm: H, cancel: H, ship: F },
    assistant01: { read: T, prices: T, create: T, update: T, confirm: T, cancel: T, ship: F },
    finance01: { read: R, prices: R, create: F, update: F, confirm: F, cancel: F, ship: F },
    warehouse01: { read: R, prices: F, create: F, update: F, confirm: F, cancel: F, ship: R },
    marketing01: { read: F, prices: F, create: F, update: F, confirm: F, cancel: F, ship: F },
    partner01: { read: F, prices: F, create: F, update: F, confirm: F, cancel: F, ship: F },
  },
});

// Beyond the matrix: production requests are the warehouse's, and one order end to end.
describe('sales orders: finance and warehouse', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app);
    world = null; // another database: a fresh warehouse and product
  });
  afterAll(() => t.close());

  it('finance reads every order and changes none; the warehouse reads and ships every order but does not confirm; production requests are the warehouse’s', async () => {
    const id = await draftOwnedBy(t.database.db, 'rep07');
    const finance = await as(t.app, 'finance01');
    const keeper = await as(t.app, 'warehouse01');
    const order = (await finance.get(`/sales-orders/${id}`)).body;
    expect(order.id).toBe(id);
    expect((await finance.post(`/sales-orders/${id}/confirm`, { version: order.version })).statusCode).toBe(
      403,
    );
    expect(
      (await finance.patch(`/sales-orders/${id}`, { notes: 'x', version: order.version })).statusCode,
    ).toBe(403);
    expect((await keeper.get(`/sales-orders/${id}`)).statusCode).toBe(200);
    expect((await keeper.post(`/sales-orders/${id}/confirm`, { version: order.version })).statusCode).toBe(
      403,
    );
    expect((await keeper.get('/production-requests')).statusCode).toBe(200);
    expect((await finance.get('/production-requests')).statusCode).toBe(403);
    const rep07 = await as(t.app, 'rep07');
    const confirmed = (await rep07.post(`/sales-orders/${id}/confirm`, { version: order.version })).body;
    const shipped = await keeper.post(`/sales-orders/${id}/shipments`, {
      warehouseId: confirmed.lines[0].warehouseId,
      lines: [{ orderLineId: confirmed.lines[0].id, quantity: '1' }],
      post: true,
    });
    expect(shipped.statusCode, shipped.payload).toBe(201);
  });
});
