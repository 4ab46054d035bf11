import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.js';
import { as, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { makeSellable } from '../sales-orders/sales-orders.fixtures.js';
import { salesOrderLines, salesOrders } from '../sales-orders/schema.js';
import { makeWarehouse } from '../stock/stock.fixtures.js';
import { salesReturnLines, salesReturns } from './schema.js';

let n = 0;
let world: { warehouseId: string; productId: string } | null = null;

/** A shipped order of 2 units owned by `username`, with a requested return of 1 owned the same way. */
async function returnOwnedBy(db: Db, username: string) {
  if (!world) {
    const wh = await makeWarehouse(db, { name: '退货授权测试仓' });
    const product = await makeSellable(db, { name: '退货授权测试车型', listPrice: 1_000_000 });
    world = { warehouseId: wh.id, productId: product.id };
  }
  const owner = await userByName(db, username);
  const customer = await makeCustomer(db, { name: `退货授权客户${++n}`, owner: username });
  const [order] = await db
    .insert(salesOrders)
    .values({
      number: `SO-RTEST-${String(n).padStart(6, '0')}`,
      customerId: customer.id,
      orderDate: '2026-03-01',
      state: 'shipped',
      total: 2_000_000,
      tax: 230_088,
      ownerId: owner.id,
      orgUnitId: owner.orgUnitId,
    })
    .returning();
  const [line] = await db
    .insert(salesOrderLines)
    .values({
      orderId: order!.id,
      seq: 1,
      productId: world.productId,
      quantity: '2',
      shippedQuantity: '2',
      listPrice: 1_000_000,
      unitPrice: 1_000_000,
      priceSource: 'resolved',
      taxRate: '0.13',
      amount: 2_000_000,
      tax: 230_088,
      warehouseId: world.warehouseId,
    })
    .returning();
  const [ret] = await db
    .insert(salesReturns)
    .values({
      number: `RA-TEST-${String(n).padStart(6, '0')}`,
      orderId: order!.id,
      customerId: customer.id,
      type: 'return',
      reason: 'quality_defect',
      amount: 1_000_000,
      ownerId: owner.id,
      orgUnitId: owner.orgUnitId,
    })
    .returning();
  await db.insert(salesReturnLines).values({
    returnId: ret!.id,
    orderLineId: line!.id,
    productId: world.productId,
    quantity: '1',
    unitPrice: 1_000_000,
  });
  return ret!.id;
}

type Row = [Outcome, Outcome, Outcome];
const R: Row = ['allow', 'allow', 'allow'];
const T: Row = ['allow', 'allow', 'hidden'];
const H: Row = ['allow', 'hidden', 'hidden'];
const F: Row = ['forbidden', 'forbidden', 'forbidden'];

checkAuthzMatrix({
  resource: 'returns',
  recordOwnedBy: (username, t) => returnOwnedBy(t.database.db, username),
  actions: {
    read: (client, id) => client.get(`/returns/${id}`),
    // A return's value follows the order's prices (sales-orders.prices): read without it = forbidden.
    prices: async (client, id) => {
      const res = await client.get(`/returns/${id}`);
      return res.statusCode === 200 && !('amount' in res.body) ? { statusCode: 403 } : res;
    },
    // Another return of the same order's other unit: an order one cannot see is not found.
    create: async (client, id, admin) => {
      const ret = (await admin.get(`/returns/${id}`)).body;
      return client.post('/returns', {
        orderId: ret.orderId,
        reason: 'wrong_item',
        lines: [{ orderLineId: ret.lines[0].orderLineId, quantity: '1' }],
      });
    },
    approve: async (client, id, admin) => {
      const { version } = (await admin.get(`/returns/${id}`)).body;
      return client.post(`/returns/${id}/approve`, { version });
    },
    receive: async (client, id, admin) => {
      const ret = (await admin.get(`/returns/${id}`)).body;
      const approved = (await admin.post(`/returns/${id}/approve`, { version: ret.version })).body;
      return client.post(`/returns/${id}/receive`, { version: approved.version });
    },
  },
  // Returns follow the order's owner: reps request their own, managers approve in their subtree,
  // assistants request in theirs; receiving is the warehouse's (and the director's), which sees
  // quantities but not the returned value; finance reads every return.
  expect: {
    admin: { read: R, prices: R, create: R, approve: R, receive: R },
    director: { read: R, prices: R, create: R, approve: R, receive: R },
    manager01: { read: T, prices: T, create: T, approve: T, receive: F },
    manager02: { read: T, prices: T, create: T, approve: T, receive: F },
    rep01: { read: H, prices: H, create: H, approve: F, receive: F },
    assistant01: { read: T, prices: T, create: T, approve: F, receive: F },
    finance01: { read: R, prices: R, create: F, approve: F, receive: F },
    warehouse01: { read: R, prices: F, create: F, approve: F, receive: R },
    marketing01: { read: F, prices: F, create: F, approve: F, receive: F },
    partner01: { read: F, prices: F, create: F, approve: F, receive: F },
  },
});

// Beyond the matrix: the warehouse's actions on a return follow its state.
describe('returns: finance and warehouse', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app);
    world = null;
  });
  afterAll(() => t.close());

  it('finance reads every return and changes none; the warehouse reads and receives every return but does not approve', async () => {
    const id = await returnOwnedBy(t.database.db, 'rep07');
    const finance = await as(t.app, 'finance01');
    const keeper = await as(t.app, 'warehouse01');
    const ret = (await finance.get(`/returns/${id}`)).body;
    expect(ret.id).toBe(id);
    expect(ret.actions).toEqual([]);
    expect((await finance.post(`/returns/${id}/approve`, { version: ret.version })).statusCode).toBe(403);
    expect((await keeper.post(`/returns/${id}/approve`, { version: ret.version })).statusCode).toBe(403);
    expect((await finance.get('/returns')).body.total).toBe(1);
    const director = await as(t.app, 'director');
    const approved = (await director.post(`/returns/${id}/approve`, { version: ret.version })).body;
    expect((await keeper.get(`/returns/${id}`)).body.actions).toEqual(['receive']);
    const received = await keeper.post(`/returns/${id}/receive`, { version: approved.version });
    expect(received.statusCode, received.payload).toBe(200);
    expect(received.body.state).toBe('received');
  });
});
