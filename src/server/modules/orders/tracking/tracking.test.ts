import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { customers } from '../../customers/schema.js';
import { makeContact, makeSellable } from '../sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { TRACKING_RATE_PER_MINUTE, TRACKING_RATE_PER_ORDER_PER_HOUR } from './routes.js';
import { phoneMatches, publicState } from './rules.js';

// Issue 7, item 8: a customer who bought two trucks opens /track, types the order number and
// their mobile number, and sees the state and both shipments with carrier and tracking number —
// and nothing else: no prices, no names, no addresses, no ids. A wrong pair tells nothing.

let t: TestApp;
let rep: Client;
let keeper: Client;
let orderNumber: string;
let draftNumber: string;
let quietNumber: string;

/** An anonymous caller from one address (the rate limits count per address and per order). */
function lookup(body: unknown, ip = '198.51.100.1', locale = 'zh-CN') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/public/order-tracking',
    payload: body as Record<string, unknown>,
    remoteAddress: ip,
    headers: { 'accept-language': locale },
  });
}

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  keeper = await as(t.app, 'warehouse01');
  const db = t.database.db;
  const warehouseId = (await makeWarehouse(db, { code: 'TRK', name: '苏州仓' })).id;
  const truck = await makeSellable(db, { name: '星辰轻卡 L1', listPrice: 1_000_000, uom: '辆' });
  const van = await makeSellable(db, { name: '星辰厢式货车 V2', listPrice: 800_000, uom: '辆' });
  await receive(db, warehouseId, truck.id, '10');
  await receive(db, warehouseId, van.id, '10');

  const customer = await makeCustomer(db, { name: '昆山顺路物流有限公司', owner: 'rep01' });
  await db.update(customers).set({ phone: '0512-5788 1234' }).where(eq(customers.id, customer.id));
  const contact = await makeContact(db, customer.id, { name: '陈静', mobile: '13912345678' });

  const created = await rep.post('/sales-orders', {
    customerId: customer.id,
    contactId: contact.id,
    lines: [
      { productId: truck.id, quantity: '2' },
      { productId: van.id, quantity: '1' },
    ],
  });
  expect(created.statusCode, created.payload).toBe(201);
  const confirmed = await rep.post(`/sales-orders/${created.body.id}/confirm`, {
    version: created.body.version,
  });
  expect(confirmed.statusCode, confirmed.payload).toBe(200);
  orderNumber = confirmed.body.number;
  const [truckLine, vanLine] = confirmed.body.lines;

  const first = await keeper.post(`/sales-orders/${created.body.id}/shipments`, {
    warehouseId,
    carrier: '顺丰速运',
    trackingNo: 'SF1234567890',
    lines: [
      { orderLineId: truckLine.id, quantity: '1' },
      { orderLineId: vanLine.id, quantity: '1' },
    ],
    post: true,
  });
  expect(first.statusCode, first.payload).toBe(201);
  const signed = await keeper.post(`/shipments/${first.body.id}/deliver`, {
    signedBy: '陈静',
    version: first.body.version,
  });
  expect(signed.statusCode, signed.payload).toBe(200);
  // A second shipment the warehouse has only drafted: not on its way yet, so not shown.
  const drafted = await keeper.post(`/sales-orders/${created.body.id}/shipments`, {
    warehouseId,
    carrier: '德邦物流',
    trackingNo: 'DB000111',
    lines: [{ orderLineId: truckLine.id, quantity: '1' }],
  });
  expect(drafted.statusCode, drafted.payload).toBe(201);

  const draft = await rep.post('/sales-orders', {
    customerId: customer.id,
    contactId: contact.id,
    lines: [{ productId: truck.id, quantity: '1' }],
  });
  expect(draft.statusCode, draft.payload).toBe(201);
  draftNumber = draft.body.number;

  const quiet = await rep.post('/sales-orders', {
    customerId: customer.id,
    contactId: contact.id,
    lines: [{ productId: van.id, quantity: '2' }],
  });
  const quietConfirmed = await rep.post(`/sales-orders/${quiet.body.id}/confirm`, {
    version: quiet.body.version,
  });
  expect(quietConfirmed.statusCode, quietConfirmed.payload).toBe(200);
  quietNumber = quietConfirmed.body.number;
});
afterAll(async () => {
  await t.close();
});

describe('public order tracking', () => {
  it('the buyer’s mobile and the order number show the state and the delivered shipment — only the allowed fields, no sign-in', async () => {
    const res = await lookup({ orderNumber, phone: '139 1234 5678' });
    expect(res.statusCode, res.payload).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['orderDate', 'orderNumber', 'shipments', 'state']);
    expect(body).toMatchObject({ orderNumber, state: 'partially_shipped' });
    expect(body.orderDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.shipments).toHaveLength(1);
    const [shipment] = body.shipments;
    expect(Object.keys(shipment).sort()).toEqual([
      'carrier',
      'deliveredAt',
      'lines',
      'shippedAt',
      'trackingNo',
    ]);
    expect(shipment).toMatchObject({ carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    expect(Date.parse(shipment.shippedAt)).not.toBeNaN();
    expect(Date.parse(shipment.deliveredAt)).not.toBeNaN();
    expect(shipment.lines).toHaveLength(2);
    expect(shipment.lines).toEqual(
      expect.arrayContaining([
        { productName: '星辰轻卡 L1', quantity: '1' },
        { productName: '星辰厢式货车 V2', quantity: '1' },
      ]),
    );
    // Nothing the customer should not see, anywhere in the answer.
    for (const secret of ['昆山顺路', '陈静', '1000000', 'amount', 'price', 'Id"', 'SH-']) {
      expect(res.payload).not.toContain(secret);
    }
  });

  it('the customer’s landline, a lower-case number and +86 are accepted; the shape is the same', async () => {
    const landline = await lookup({ orderNumber: orderNumber.toLowerCase(), phone: '0512-57881234' });
    expect(landline.statusCode, landline.payload).toBe(200);
    const mobile = await lookup({ orderNumber, phone: '+86 139-1234-5678' }, '198.51.100.2');
    expect(mobile.statusCode, mobile.payload).toBe(200);
    expect(mobile.json()).toEqual(landline.json());
  });

  it('a wrong phone, an unknown order and a draft answer the same 404, in the caller’s language', async () => {
    const ip = '198.51.100.3';
    const wrongPhone = await lookup({ orderNumber, phone: '13912345679' }, ip);
    const unknown = await lookup({ orderNumber: 'SO-2026-999999', phone: '13912345678' }, ip);
    const draft = await lookup({ orderNumber: draftNumber, phone: '13912345678' }, ip);
    for (const res of [wrongPhone, unknown, draft]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('tracking_not_found');
    }
    // Byte for byte the same answer but for the request id.
    const same = (payload: string) => payload.replace(/"requestId":"[^"]+"/, '');
    expect(same(wrongPhone.payload)).toBe(same(unknown.payload));
    expect(same(draft.payload)).toBe(same(unknown.payload));
    expect(wrongPhone.json().title).toBe('未查到订单');
    const en = await lookup({ orderNumber, phone: '13912345679' }, ip, 'en');
    expect(en.json().title).toBe('No order found');
  });

  it('a partial number (the last four digits) is refused as invalid, nothing matched', async () => {
    const res = await lookup({ orderNumber, phone: '5678' }, '198.51.100.4');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().errors[0].path).toBe('phone');
    const extra = await lookup({ orderNumber, phone: '13912345678', customerId: 'x' }, '198.51.100.4');
    expect(extra.statusCode).toBe(400);
  });

  it('one address guessing pairs is throttled: 429 after the per-minute allowance', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i <= TRACKING_RATE_PER_MINUTE; i++) {
      statuses.push(
        (await lookup({ orderNumber: `SO-1999-${String(i).padStart(6, '0')}`, phone: '13800000000' }, ip))
          .statusCode,
      );
    }
    expect(statuses.slice(0, TRACKING_RATE_PER_MINUTE).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const throttled = await lookup({ orderNumber, phone: '13912345678' }, ip, 'en');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'rate_limited', title: 'Too many requests' });
    // Another address is not affected.
    expect((await lookup({ orderNumber, phone: '13912345678' }, '203.0.113.8')).statusCode).toBe(200);
  });

  it('guessing the phone of one order from many addresses is throttled per order number', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= TRACKING_RATE_PER_ORDER_PER_HOUR; i++) {
      const phone = `1370000${String(i).padStart(4, '0')}`;
      statuses.push((await lookup({ orderNumber: quietNumber, phone }, `192.0.2.${i + 1}`)).statusCode);
    }
    expect(
      statuses.slice(0, TRACKING_RATE_PER_ORDER_PER_HOUR).every((s) => s === 404),
      String(statuses),
    ).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Even the right phone waits now; other orders are not affected.
    const right = await lookup(
      { orderNumber: quietNumber.toLowerCase(), phone: '13912345678' },
      '192.0.2.200',
    );
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('rate_limited');
    expect((await lookup({ orderNumber, phone: '13912345678' }, '192.0.2.201')).statusCode).toBe(200);
  });
});

describe('tracking rules', () => {
  it('only whole numbers match; drafts are hidden; a credit check shows as processing', () => {
    expect(phoneMatches('13912345678', ['139-1234-5678'])).toBe(true);
    expect(phoneMatches('5678', ['13912345678'])).toBe(false);
    expect(phoneMatches('1391234567', ['13912345678'])).toBe(false);
    expect(phoneMatches('8613912345678', [null, '13912345678'])).toBe(true);
    expect(phoneMatches('13912345678', [null, undefined, ''])).toBe(false);
    expect(publicState('draft')).toBeNull();
    expect(publicState('pending_credit')).toBe('processing');
    expect(publicState('completed')).toBe('completed');
  });
});
