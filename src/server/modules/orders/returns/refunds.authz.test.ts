import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix } from '../../../testing/authz.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { makeSellable } from '../sales-orders/sales-orders.fixtures.js';
import { salesOrderLines, salesOrders } from '../sales-orders/schema.js';
import { makeWarehouse } from '../stock/stock.fixtures.js';
import { salesReturnLines, salesReturns } from './schema.js';

let n = 0;
let world: { warehouseId: string; productId: string } | null = null;

/** A received return owned by `username` whose ¥10,000 could not be credited (a refund is due). */
async function refundableReturnOwnedBy(db: Db, username: string) {
  if (!world) {
    const wh = await makeWarehouse(db, { name: '退款授权测试仓' });
    const product = await makeSellable(db, { name: '退款授权测试车型', listPrice: 1_000_000 });
    world = { warehouseId: wh.id, productId: product.id };
  }
  const owner = await userByName(db, username);
  const customer = await makeCustomer(db, { name: `退款授权客户${++n}`, owner: username });
  const [order] = await db
    .insert(salesOrders)
    .values({
      number: `SO-RFTEST-${String(n).padStart(6, '0')}`,
      customerId: customer.id,
      orderDate: '2026-03-01',
      state: 'shipped',
      total: 1_000_000,
      tax: 115_044,
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
      quantity: '1',
      shippedQuantity: '1',
      listPrice: 1_000_000,
      unitPrice: 1_000_000,
      priceSource: 'resolved',
      taxRate: '0.13',
      amount: 1_000_000,
      tax: 115_044,
      warehouseId: world.warehouseId,
    })
    .returning();
  const [ret] = await db
    .insert(salesReturns)
    .values({
      number: `RA-RFTEST-${String(n).padStart(6, '0')}`,
      orderId: order!.id,
      customerId: customer.id,
      type: 'return',
      reason: 'quality_defect',
      state: 'received',
      amount: 1_000_000,
      uncreditedAmount: 1_000_000,
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

let keyN = 0;
const refund = { amount: 100_000, method: 'bank_transfer', refundDate: dayIn('Asia/Shanghai') };

checkAuthzMatrix({
  resource: 'returns (refund)',
  recordOwnedBy: (username, t) => refundableReturnOwnedBy(t.database.db, username),
  actions: {
    refund: (client, id) =>
      client.post(`/returns/${id}/refunds`, refund, { 'idempotency-key': `refund-authz-${++keyN}` }),
  },
  // Paying money back is finance's (and the director's); sales roles request and approve returns only.
  expect: {
    admin: { refund: ['allow', 'allow', 'allow'] },
    director: { refund: ['allow', 'allow', 'allow'] },
    manager01: { refund: ['forbidden', 'forbidden', 'forbidden'] },
    manager02: { refund: ['forbidden', 'forbidden', 'forbidden'] },
    rep01: { refund: ['forbidden', 'forbidden', 'forbidden'] },
    assistant01: { refund: ['forbidden', 'forbidden', 'forbidden'] },
    marketing01: { refund: ['forbidden', 'forbidden', 'forbidden'] },
    partner01: { refund: ['forbidden', 'forbidden', 'forbidden'] },
  },
});

// Finance and the warehouse are not in the shared matrix's actor list: their rows here.
describe('refunds: finance and warehouse', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app);
    world = null;
  });
  afterAll(() => t.close());

  it('finance refunds a return of any team; the warehouse, which receives returns, may not', async () => {
    const id = await refundableReturnOwnedBy(t.database.db, 'rep07');
    const finance = await as(t.app, 'finance01');
    const keeper = await as(t.app, 'warehouse01');
    expect((await finance.get(`/returns/${id}`)).body.actions).toEqual(['refund']);
    expect((await keeper.get(`/returns/${id}`)).body.actions).not.toContain('refund');
    const denied = await keeper.post(`/returns/${id}/refunds`, refund, { 'idempotency-key': 'rf-authz-wh' });
    expect(denied.statusCode).toBe(403);
    const done = await finance.post(`/returns/${id}/refunds`, refund, { 'idempotency-key': 'rf-authz-fin' });
    expect(done.statusCode, done.payload).toBe(201);
    expect(done.body).toMatchObject({ refundedAmount: 100_000, refundDue: 900_000 });
  });
});
