import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.js';
import { as, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix } from '../../../testing/authz.js';
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

checkAuthzMatrix({
  resource: 'sales-orders',
  recordOwnedBy: (username, t) => draftOwnedBy(t.database.db, username),
  actions: {
    read: (client, id) => client.get(`/sales-orders/${id}`),
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
  // directors everything. Reps and assistants do not ship; marketing and partners see no orders.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      confirm: ['allow', 'allow', 'allow'],
      cancel: ['allow', 'allow', 'allow'],
      ship: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      confirm: ['allow', 'allow', 'allow'],
      cancel: ['allow', 'allow', 'allow'],
      ship: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      confirm: ['allow', 'allow', 'hidden'],
      cancel: ['allow', 'allow', 'hidden'],
      ship: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      create: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      confirm: ['allow', 'hidden', 'hidden'],
      cancel: ['allow', 'hidden', 'hidden'],
      ship: ['forbidden', 'forbidden', 'forbidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      confirm: ['allow', 'allow', 'hidden'],
      cancel: ['allow', 'allow', 'hidden'],
      ship: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      ship: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      create: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});

// Finance and the warehouse are not in the shared matrix's actor list: their rows here.
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
