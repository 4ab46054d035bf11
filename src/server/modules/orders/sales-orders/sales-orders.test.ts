import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../../platform/context.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { users } from '../../org/schema.js';
import { createInvoiceDraft, issueInvoice } from '../invoicing/invoices.service.js';
import { stockLevels, stockMovements } from '../stock/schema.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { creditExposure } from './credit.js';
import { makeActiveContract, makeContact, makeSellable, setCreditLimit } from './sales-orders.fixtures.js';
import { productionRequests, salesOrders, shipments } from './schema.js';

// Issue 7, items 1 and 2: a rep orders from an active contract, the stock is reserved on confirm,
// the warehouse ships in two parts with a tracking number the customer receives by e-mail; a
// credit overrun waits for finance and the director; a shortage raises a production request.

interface Mail {
  to: string[];
  raw: string;
}
const mails: Mail[] = [];

/** The message's text parts decoded (nodemailer sends Chinese as base64 or quoted-printable). */
function bodyText(raw: string): string {
  return raw
    .split(/\r?\n--[^\r\n]+\r?\n/)
    .map((part) => {
      const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
      const body = rest.join('\n\n');
      if (/content-transfer-encoding:\s*base64/i.test(head)) {
        return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      }
      if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
        const bytes = body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
        return Buffer.from(bytes, 'latin1').toString('utf8');
      }
      return body;
    })
    .join('\n');
}
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      mails.push({
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});

let t: TestApp;
let admin: Client;
let rep: Client;
let director: Client;
let keeper: Client;
let warehouseId: string;
let truck: { id: string; sku: string };

async function level(productId: string, at = warehouseId) {
  const [l] = await t.database.db
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.warehouseId, at), eq(stockLevels.productId, productId)));
  return { onHand: Number(l?.onHand ?? 0), reserved: Number(l?.reserved ?? 0) };
}

/** The pending step's approver approves it; returns that approver's username. */
async function approvePending(requestId: string) {
  const res = await admin.get(`/approvals/${requestId}`);
  expect(res.statusCode, res.payload).toBe(200);
  const step = res.body.steps.find((s: { status: string }) => s.status === 'pending');
  const [user] = await t.database.db.select().from(users).where(eq(users.id, step.approvers[0].id));
  const client = await as(t.app, user!.username);
  const done = await client.post(`/approvals/${requestId}/approve`, { stepId: step.id, comment: '同意' });
  expect(done.statusCode, done.payload).toBe(200);
  return user!.username;
}

async function enableMail() {
  const current = (await admin.get('/notification-channels/email')).body;
  const res = await admin.put('/notification-channels/email', {
    enabled: true,
    host: '127.0.0.1',
    port: (smtp.server.address() as AddressInfo).port,
    secure: false,
    username: '',
    fromAddress: 'shipping@xingchen.example',
    fromName: '星辰汽车',
    appUrl: '',
    version: current.version,
  });
  expect(res.statusCode, res.payload).toBe(200);
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  director = await as(t.app, 'director');
  keeper = await as(t.app, 'warehouse01');
  const db = t.database.db;
  warehouseId = (await makeWarehouse(db, { code: 'A-SH', name: '上海总仓' })).id;
  truck = await makeSellable(db, { name: '星辰轻卡 L1', listPrice: 1_000_000, uom: '辆' });
  await receive(db, warehouseId, truck.id, '10');
  await enableMail();
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function newCustomer(name: string) {
  const customer = await makeCustomer(t.database.db, { name, owner: 'rep01' });
  const contact = await makeContact(t.database.db, customer.id, {
    name: '李明',
    email: `buyer-${customer.id.slice(-6)}@example.cn`,
  });
  return { customerId: customer.id, contactId: contact.id };
}

async function confirmed(client: Client, body: Record<string, unknown>) {
  const created = await client.post('/sales-orders', body);
  expect(created.statusCode, created.payload).toBe(201);
  const res = await client.post(`/sales-orders/${created.body.id}/confirm`, {
    version: created.body.version,
  });
  expect(res.statusCode, res.payload).toBe(200);
  return res.body;
}

describe('sales orders and shipments', () => {
  it('a rep orders 5 trucks on an active contract; confirm reserves 5; 2 ship with a tracking number the buyer gets by e-mail; the rest ship; the contract ledger shows ordered and shipped', async () => {
    const { customerId, contactId } = await newCustomer('苏州顺达物流有限公司');
    const contract = await makeActiveContract(t.database.db, customerId, 'rep01', 5_000_000);
    const created = await rep.post('/sales-orders', {
      customerId,
      contactId,
      contractId: contract.id,
      channel: 'direct',
      lines: [{ productId: truck.id, quantity: '5' }],
    });
    expect(created.statusCode, created.payload).toBe(201);
    const order = created.body;
    expect(order.number).toMatch(/^SO-\d{4}-\d{6}$/);
    expect(order).toMatchObject({
      state: 'draft',
      total: 5_000_000,
      replayed: false,
      contractNumber: contract.number,
    });
    expect(order.lines[0]).toMatchObject({
      quantity: '5',
      unitPrice: 1_000_000,
      amount: 5_000_000,
      warehouseId,
    });
    // Tax-inclusive at 13%: 50,000 − round(50,000 / 1.13) = ¥5,752.21.
    expect(order.tax).toBe(575_221);
    const rep01 = (await t.database.db.select().from(users).where(eq(users.username, 'rep01')))[0]!;
    expect(order.ownerId).toBe(rep01.id);

    const ok = await rep.post(`/sales-orders/${order.id}/confirm`, { version: order.version });
    expect(ok.statusCode, ok.payload).toBe(200);
    expect(ok.body).toMatchObject({ state: 'confirmed', shortage: false });
    expect(ok.body.lines[0]).toMatchObject({
      reservedQuantity: '5',
      shippedQuantity: '0',
      shortQuantity: '0',
    });
    expect(await level(truck.id)).toEqual({ onHand: 10, reserved: 5 });

    const first = await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      carrier: '顺丰速运',
      trackingNo: 'SF1234567890',
      lines: [{ orderLineId: order.lines[0].id, quantity: '2' }],
      post: true,
    });
    expect(first.statusCode, first.payload).toBe(201);
    expect(first.body).toMatchObject({ state: 'posted', carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    // The keeper ships by quantity (no sales-orders.prices); the rep sees what it is worth.
    expect(first.body).not.toHaveProperty('amount');
    expect((await rep.get(`/shipments/${first.body.id}`)).body.amount).toBe(2_000_000);
    expect(first.body.number).toMatch(/^SH-\d{4}-\d{6}$/);
    expect(await level(truck.id)).toEqual({ onHand: 8, reserved: 3 });
    const half = (await rep.get(`/sales-orders/${order.id}`)).body;
    expect(half.state).toBe('partially_shipped');
    expect(half.lines[0]).toMatchObject({ shippedQuantity: '2', openQuantity: '3' });

    await runDueJobs(t.database.db);
    const mail = mails.find((m) => bodyText(m.raw).includes('SF1234567890'));
    expect(mail, `shipping notice in the SMTP sink (${mails.length} mails)`).toBeDefined();
    expect(mail!.to).toEqual([`buyer-${customerId.slice(-6)}@example.cn`]);
    expect(bodyText(mail!.raw)).toContain(`运单号：SF1234567890`);
    expect(bodyText(mail!.raw)).toContain('承运商：顺丰速运');
    expect(bodyText(mail!.raw)).toContain(order.number);

    const rest = await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      carrier: '德邦物流',
      trackingNo: 'DB998877',
      lines: [{ orderLineId: order.lines[0].id, quantity: '3' }],
      post: true,
    });
    expect(rest.statusCode, rest.payload).toBe(201);
    expect((await rep.get(`/shipments/${rest.body.id}`)).body.amount).toBe(3_000_000);
    const done = (await rep.get(`/sales-orders/${order.id}`)).body;
    expect(done.state).toBe('shipped');
    expect(done.actions).toEqual([]);
    expect(await level(truck.id)).toEqual({ onHand: 5, reserved: 0 });
    const issued = await t.database.db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.sourceType, 'shipment'), eq(stockMovements.productId, truck.id)));
    expect(issued.map((m) => Number(m.quantity)).sort((a, b) => a - b)).toEqual([-3, -2]);

    const ledger = await director.get(`/contract-ledger?q=${contract.number}`);
    expect(ledger.statusCode, ledger.payload).toBe(200);
    const row = ledger.body.items.find((r: { id: string }) => r.id === contract.id);
    expect(row.ordered).toEqual({ amount: 5_000_000, percent: expect.any(String) });
    expect(row.shipped.amount).toBe(5_000_000);

    // Both deliveries signed: the order is completed.
    for (const s of done.shipments) {
      const signed = await keeper.post(`/shipments/${s.id}/deliver`, {
        signedBy: '王五',
        version: s.version,
      });
      expect(signed.statusCode, signed.payload).toBe(200);
      expect(signed.body).toMatchObject({ state: 'delivered', signedBy: '王五' });
    }
    expect((await rep.get(`/sales-orders/${order.id}`)).body.state).toBe('completed');
  });

  it('an order invoiced by its lines moves from open orders to open invoices in the credit exposure, never both; an order under a contract is invoiced by the contract’s installments instead', async () => {
    const db = t.database.db;
    const ctx = systemCtx();
    await receive(db, warehouseId, truck.id, '2');
    const { customerId } = await newCustomer('南通安泰运输有限公司');
    const order = await confirmed(rep, {
      customerId,
      lines: [{ productId: truck.id, quantity: '2', warehouseId }],
    });
    expect(await creditExposure(db, customerId)).toMatchObject({
      total: 2_000_000,
      parts: { open_orders: 2_000_000, open_invoices: 0 },
    });

    const line = order.lines[0];
    const draft = await createInvoiceDraft(db, ctx, {
      customerId,
      orderId: order.id,
      lines: [
        {
          description: '星辰轻卡 L1',
          quantity: '2',
          unitPrice: 1_000_000,
          taxRate: '0.13',
          sourceType: 'sales_order_line',
          sourceId: line.id,
        },
      ],
    });
    await issueInvoice(db, ctx, draft.id, { version: draft.version });
    expect((await rep.get(`/sales-orders/${order.id}`)).body.invoicedAmount).toBe(2_000_000);
    expect(await creditExposure(db, customerId)).toMatchObject({
      total: 2_000_000,
      parts: { open_orders: 0, open_invoices: 2_000_000 },
    });

    const contract = await makeActiveContract(db, customerId, 'rep01', 1_000_000);
    const underContract = await confirmed(rep, {
      customerId,
      contractId: contract.id,
      lines: [{ productId: truck.id, quantity: '1', warehouseId }],
    });
    await expect(
      createInvoiceDraft(db, ctx, {
        customerId,
        orderId: underContract.id,
        lines: [
          {
            description: '星辰轻卡 L1',
            quantity: '1',
            unitPrice: 1_000_000,
            taxRate: '0.13',
            sourceType: 'sales_order_line',
            sourceId: underContract.lines[0].id,
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'invoice_contract_order' });
  });

  it('over the credit limit (¥100k, ¥80k open, ¥30k new) the order waits for finance and then the director; approved, it is confirmed and reserved', async () => {
    const { customerId } = await newCustomer('无锡恒通运输有限公司');
    await setCreditLimit(t.database.db, customerId, 10_000_000);
    const open = await confirmed(rep, {
      customerId,
      lines: [{ productId: truck.id, quantity: '8', warehouseId }],
    });
    expect(open.state).toBe('confirmed');
    await receive(t.database.db, warehouseId, truck.id, '10');

    const created = await rep.post('/sales-orders', {
      customerId,
      lines: [{ productId: truck.id, quantity: '3' }],
    });
    const held = await rep.post(`/sales-orders/${created.body.id}/confirm`, {
      version: created.body.version,
    });
    expect(held.statusCode, held.payload).toBe(200);
    expect(held.body.state).toBe('pending_credit');
    expect(held.body.approvalRequestId).toBeTruthy();
    expect(held.body.lines[0].reservedQuantity).toBe('0');
    expect(held.body.actions).toEqual(['cancel']);

    expect(await approvePending(held.body.approvalRequestId)).toMatch(/^finance/);
    expect((await rep.get(`/sales-orders/${created.body.id}`)).body.state).toBe('pending_credit');
    expect(await approvePending(held.body.approvalRequestId)).toBe('director');
    const after = (await rep.get(`/sales-orders/${created.body.id}`)).body;
    expect(after).toMatchObject({ state: 'confirmed' });
    expect(after.lines[0].reservedQuantity).toBe('3');
  });

  it('a credit overrun rejected by finance sends the order back to draft, nothing reserved', async () => {
    const { customerId } = await newCustomer('常州宏达贸易有限公司');
    await setCreditLimit(t.database.db, customerId, 500_000);
    const created = await rep.post('/sales-orders', {
      customerId,
      lines: [{ productId: truck.id, quantity: '1' }],
    });
    const held = await rep.post(`/sales-orders/${created.body.id}/confirm`, {
      version: created.body.version,
    });
    expect(held.body.state).toBe('pending_credit');
    const req = (await admin.get(`/approvals/${held.body.approvalRequestId}`)).body;
    const step = req.steps.find((s: { status: string }) => s.status === 'pending');
    const [user] = await t.database.db.select().from(users).where(eq(users.id, step.approvers[0].id));
    const finance = await as(t.app, user!.username);
    const res = await finance.post(`/approvals/${held.body.approvalRequestId}/reject`, {
      stepId: step.id,
      comment: '欠款未清',
    });
    expect(res.statusCode, res.payload).toBe(200);
    const after = (await rep.get(`/sales-orders/${created.body.id}`)).body;
    expect(after.state).toBe('draft');
    expect(after.lines[0].reservedQuantity).toBe('0');

    // Sent again and cancelled by the rep who sent it: the approval is withdrawn with it.
    const again = await rep.post(`/sales-orders/${created.body.id}/confirm`, { version: after.version });
    expect(again.body.state).toBe('pending_credit');
    const cancelled = await rep.post(`/sales-orders/${created.body.id}/cancel`, {
      reason: '客户暂缓',
      version: again.body.version,
    });
    expect(cancelled.statusCode, cancelled.payload).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    const approval = (await admin.get(`/approvals/${again.body.approvalRequestId}`)).body;
    expect(approval.status).toBe('withdrawn');
  });

  it('short of stock: what is there is reserved, a production request covers the rest and the warehouse is notified; cancel releases both', async () => {
    const db = t.database.db;
    const { customerId } = await newCustomer('南通远洋物流有限公司');
    const van = await makeSellable(db, { name: '星辰冷藏车 C3', listPrice: 2_000_000, uom: '辆' });
    await receive(db, warehouseId, van.id, '2');
    const order = await confirmed(rep, { customerId, lines: [{ productId: van.id, quantity: '5' }] });
    expect(order).toMatchObject({ state: 'confirmed', shortage: true });
    expect(order.lines[0]).toMatchObject({ reservedQuantity: '2', shortQuantity: '3' });
    expect(order.productionRequests).toHaveLength(1);
    expect(order.productionRequests[0]).toMatchObject({ quantity: '3', status: 'open', warehouseId });
    expect(await level(van.id)).toEqual({ onHand: 2, reserved: 2 });

    const inbox = await keeper.get('/notifications');
    expect(inbox.statusCode, inbox.payload).toBe(200);
    expect(JSON.stringify(inbox.body)).toContain(order.productionRequests[0].number);
    const list = await keeper.get('/production-requests?status=open');
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(order.productionRequests[0].id);
    expect((await rep.get('/production-requests')).statusCode).toBe(403);

    // Shipping all 5 while only 2 are in stock: refused, nothing moves.
    const tooMany = await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: order.lines[0].id, quantity: '5' }],
      post: true,
    });
    expect(tooMany.statusCode, tooMany.payload).toBe(409);
    expect(tooMany.body.code).toBe('insufficient_stock');
    expect(await db.select().from(shipments).where(eq(shipments.orderId, order.id))).toHaveLength(0);
    expect(await level(van.id)).toEqual({ onHand: 2, reserved: 2 });

    const cancelled = await rep.post(`/sales-orders/${order.id}/cancel`, {
      reason: '客户改期',
      version: order.version,
    });
    expect(cancelled.statusCode, cancelled.payload).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect(await level(van.id)).toEqual({ onHand: 2, reserved: 0 });
    const [request] = await db
      .select()
      .from(productionRequests)
      .where(eq(productionRequests.orderId, order.id));
    expect(request!.status).toBe('cancelled');
  });

  it('the warehouse fulfils an open production request once', async () => {
    const db = t.database.db;
    const { customerId } = await newCustomer('扬州利民商贸有限公司');
    const bus = await makeSellable(db, { name: '星辰客车 B9', listPrice: 3_000_000 });
    const order = await confirmed(rep, { customerId, lines: [{ productId: bus.id, quantity: '1' }] });
    const pr = order.productionRequests[0];
    const res = await keeper.post(`/production-requests/${pr.id}/fulfil`, {
      version: pr.version,
      note: '已入库',
    });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body.status).toBe('fulfilled');
    const again = await keeper.post(`/production-requests/${pr.id}/fulfil`, { version: res.body.version });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('production_request_closed');
  });

  it('creation is idempotent by key: the same body answers the first order, another body is refused', async () => {
    const { customerId } = await newCustomer('镇江安达物流有限公司');
    const body = { customerId, lines: [{ productId: truck.id, quantity: '1' }] };
    const headers = { 'idempotency-key': `order-${customerId}` };
    const first = await rep.post('/sales-orders', body, headers);
    expect(first.statusCode, first.payload).toBe(201);
    const again = await rep.post('/sales-orders', body, headers);
    expect(again.statusCode, again.payload).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, number: first.body.number, replayed: true });
    const other = await rep.post(
      '/sales-orders',
      { ...body, lines: [{ productId: truck.id, quantity: '2' }] },
      headers,
    );
    expect(other.statusCode).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    const rows = await t.database.db.select().from(salesOrders).where(eq(salesOrders.customerId, customerId));
    expect(rows).toHaveLength(1);
  });

  it('bad input is refused with nothing written: a shipment above the order, a price below the floor, a cancel after shipping, a stale version', async () => {
    const db = t.database.db;
    const { customerId } = await newCustomer('泰州长江运输有限公司');
    await receive(db, warehouseId, truck.id, '5');
    const order = await confirmed(rep, { customerId, lines: [{ productId: truck.id, quantity: '2' }] });

    const above = await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: order.lines[0].id, quantity: '3' }],
      post: true,
    });
    expect(above.statusCode).toBe(422);
    expect(above.body.code).toBe('shipment_exceeds_order');
    expect(above.body.detail).toContain('2');
    expect(await db.select().from(shipments).where(eq(shipments.orderId, order.id))).toHaveLength(0);

    const rep02 = await as(t.app, 'rep02');
    expect((await rep02.get(`/sales-orders/${order.id}`)).statusCode).toBe(404);
    expect(
      (
        await rep.post(`/sales-orders/${order.id}/shipments`, {
          warehouseId,
          lines: [{ orderLineId: order.lines[0].id, quantity: '1' }],
        })
      ).statusCode,
    ).toBe(403);

    const part = await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: order.lines[0].id, quantity: '1' }],
      post: true,
    });
    expect(part.statusCode, part.payload).toBe(201);
    const current = (await rep.get(`/sales-orders/${order.id}`)).body;
    const cancel = await rep.post(`/sales-orders/${order.id}/cancel`, { version: current.version });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.body.code).toBe('sales_order_wrong_state');
    const stale = await rep.post(`/sales-orders/${order.id}/cancel`, { version: current.version - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');

    // The floor: the price list says no less than ¥9,000 a truck.
    const list = await director.post('/price-lists', { code: 'SO-FLOOR', name: '订单底价' });
    expect(list.statusCode, list.payload).toBe(201);
    const floored = await makeSellable(db, { name: '星辰重卡 H2', listPrice: 1_000_000 });
    const rule = await director.post(`/price-lists/${list.body.id}/rules`, {
      productId: floored.id,
      price: 1_000_000,
      floorPrice: 900_000,
    });
    expect(rule.statusCode, rule.payload).toBe(201);
    const before = (await db.select().from(salesOrders)).length;
    const cheap = await rep.post('/sales-orders', {
      customerId,
      lines: [{ productId: floored.id, quantity: '1', unitPrice: 850_000 }],
    });
    expect(cheap.statusCode).toBe(422);
    expect(cheap.body.code).toBe('sales_order_below_floor');
    const en = await rep.post(
      '/sales-orders',
      { customerId, lines: [{ productId: floored.id, quantity: '1', discountPercent: '20' }] },
      { 'accept-language': 'en' },
    );
    expect(en.statusCode).toBe(422);
    expect(en.body.title).toBe('Price below the floor');
    const noLines = await rep.post('/sales-orders', { customerId });
    expect(noLines.statusCode).toBe(400);
    expect(noLines.body.errors[0].path).toBe('lines');
    expect((await db.select().from(salesOrders)).length).toBe(before);
  });

  it('a draft is changed with its version and priced again; a stale version is refused', async () => {
    const { customerId, contactId } = await newCustomer('盐城新宇物流有限公司');
    const created = await rep.post('/sales-orders', {
      customerId,
      lines: [{ productId: truck.id, quantity: '1' }],
    });
    const changed = await rep.patch(`/sales-orders/${created.body.id}`, {
      contactId,
      notes: '月底前交货',
      lines: [{ productId: truck.id, quantity: '3', discountPercent: '5' }],
      version: created.body.version,
    });
    expect(changed.statusCode, changed.payload).toBe(200);
    expect(changed.body).toMatchObject({ total: 2_850_000, notes: '月底前交货', contactId });
    const stale = await rep.patch(`/sales-orders/${created.body.id}`, {
      notes: 'x',
      version: created.body.version,
    });
    expect(stale.statusCode).toBe(409);
    const history = await rep.get(`/sales-orders/${created.body.id}/history`);
    expect(history.statusCode).toBe(200);
  });

  it('an accepted quote becomes an order with its lines and prices, whole-quote discount included; the form preview prices lines without saving', async () => {
    const { customerId, contactId } = await newCustomer('淮安通达快运有限公司');
    const quote = await rep.post('/quotes', {
      customerId,
      contactId,
      discountPercent: '1',
      lines: [{ productId: truck.id, quantity: '2', discountPercent: '3' }],
    });
    expect(quote.statusCode, quote.payload).toBe(201);
    const sent = await rep.post(`/quotes/${quote.body.id}/send`, {
      to: 'buyer@example.cn',
      version: quote.body.version,
    });
    expect(sent.statusCode, sent.payload).toBe(200);
    const accepted = await rep.post(`/quotes/${quote.body.id}/accept`, { version: sent.body.version });
    expect(accepted.statusCode, accepted.payload).toBe(200);

    const before = (await t.database.db.select().from(salesOrders)).length;
    const preview = await rep.post('/sales-orders/preview', { customerId, quoteId: quote.body.id });
    expect(preview.statusCode, preview.payload).toBe(200);
    expect(preview.body.total).toBe(accepted.body.current.total);
    expect((await t.database.db.select().from(salesOrders)).length).toBe(before);

    const order = await rep.post('/sales-orders', { customerId, contactId, quoteId: quote.body.id });
    expect(order.statusCode, order.payload).toBe(201);
    // 2 × ¥10,000 × 0.97 = ¥19,400, less 1% on the whole quote = ¥19,206.
    expect(order.body).toMatchObject({ total: 1_920_600, quoteNumber: quote.body.number });
    expect(order.body.lines[0]).toMatchObject({ quantity: '2', priceSource: 'quote', amount: 1_920_600 });

    const priced = await rep.post('/sales-orders/preview', {
      customerId,
      lines: [{ productId: truck.id, quantity: '1.5', discountPercent: '10' }],
    });
    expect(priced.body).toMatchObject({
      total: 1_350_000,
      lines: [{ listPrice: 1_000_000, amount: 1_350_000 }],
    });
    const mixed = await rep.post('/sales-orders', {
      customerId,
      quoteId: quote.body.id,
      lines: [{ productId: truck.id, quantity: '1' }],
    });
    expect(mixed.statusCode).toBe(400);
  });

  it('lists orders in scope with filters and exports them', async () => {
    const mine = await rep.get('/sales-orders?limit=2');
    expect(mine.statusCode, mine.payload).toBe(200);
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.nextCursor).toBeTruthy();
    const next = await rep.get(`/sales-orders?limit=2&cursor=${mine.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(mine.body.items[1].id);
    const shipped = await rep.get('/sales-orders?state=completed');
    expect(shipped.body.items.every((o: { state: string }) => o.state === 'completed')).toBe(true);
    const byName = await rep.get(`/sales-orders?q=${encodeURIComponent('顺达')}`);
    expect(byName.body.items).toHaveLength(1);
    const rep07 = await as(t.app, 'rep07');
    expect((await rep07.get('/sales-orders')).body.total).toBe(0);
    const file = await rep.get('/sales-orders/export?format=xlsx');
    expect(file.statusCode, file.payload).toBe(200);
    expect(String(file.headers['content-type'])).toContain('spreadsheetml');
  });
});
