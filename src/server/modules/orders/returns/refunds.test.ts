import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeInvoiceCustomer } from '../invoicing/invoices.fixtures.js';
import { paymentAllocations, payments } from '../receivables/schema.js';
import { makeSellable } from '../sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { salesReturnRefunds } from './schema.js';

// Issue 7, item 3 (refunds): a customer paid the whole invoice for 5 trucks and then sends 2
// back. The invoice has nothing open left to credit, so the return shows ¥20,000 uncredited: a
// refund is due. Finance pays it back in two parts, each once per Idempotency-Key; the
// customer's receivable does not move (the value was never booked against an invoice).

let t: TestApp;
let rep: Client;
let manager: Client;
let keeper: Client;
let finance: Client;
let warehouseId: string;
let truck: { id: string };
let keyN = 0;
const key = () => ({ 'idempotency-key': `refund-test-${++keyN}` });
const today = () => dayIn('Asia/Shanghai');

/** A 5-truck order shipped, invoiced (¥50,000) and paid in full; a return of `qty` requested. */
async function paidOrderWithReturn(qty: string, receiveIt = true) {
  const customer = await makeInvoiceCustomer(t.database.db, 'rep01');
  const created = await rep.post('/sales-orders', {
    customerId: customer.id,
    lines: [{ productId: truck.id, quantity: '5' }],
  });
  expect(created.statusCode, created.payload).toBe(201);
  const order = (
    await rep.post(`/sales-orders/${created.body.id}/confirm`, { version: created.body.version })
  ).body;
  const lineId = order.lines[0].id as string;
  const shipped = await keeper.post(`/sales-orders/${order.id}/shipments`, {
    warehouseId,
    carrier: '顺丰',
    lines: [{ orderLineId: lineId, quantity: '5' }],
    post: true,
  });
  expect(shipped.statusCode, shipped.payload).toBeLessThan(300);
  const draft = await finance.post('/invoices', {
    customerId: customer.id,
    orderId: order.id,
    lines: [
      {
        productId: truck.id,
        description: '星辰轻卡 L1',
        quantity: '5',
        unitPrice: 1_000_000,
        taxRate: '0.13',
        sourceType: 'sales_order_line',
        sourceId: lineId,
      },
    ],
  });
  expect(draft.statusCode, draft.payload).toBe(201);
  expect(
    (await finance.post(`/invoices/${draft.body.id}/issue`, { version: draft.body.version })).statusCode,
  ).toBe(200);
  const paid = await finance.post(
    '/payments',
    {
      customerId: customer.id,
      amount: 5_000_000,
      method: 'bank_transfer',
      receivedDate: today(),
      allocation: 'auto',
    },
    key(),
  );
  expect(paid.statusCode, paid.payload).toBe(201);
  const requested = await rep.post('/returns', {
    orderId: order.id,
    reason: 'quality_defect',
    lines: [{ orderLineId: lineId, quantity: qty }],
  });
  expect(requested.statusCode, requested.payload).toBe(201);
  let ret = requested.body;
  if (receiveIt) {
    ret = (await manager.post(`/returns/${ret.id}/approve`, { version: ret.version })).body;
    const received = await keeper.post(`/returns/${ret.id}/receive`, { version: ret.version });
    expect(received.statusCode, received.payload).toBe(200);
    // The warehouse does not see prices: read the return as finance does.
    ret = (await finance.get(`/returns/${ret.id}`)).body;
  }
  return { customerId: customer.id as string, invoiceId: draft.body.id as string, ret };
}

const refundCount = async (returnId: string) =>
  (
    await t.database.db
      .select({ n: count() })
      .from(salesReturnRefunds)
      .where(eq(salesReturnRefunds.returnId, returnId))
  )[0]!.n;
const auditCount = async () => (await t.database.db.select({ n: count() }).from(auditLog))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  manager = await as(t.app, 'manager02');
  keeper = await as(t.app, 'warehouse01');
  finance = await as(t.app, 'finance01');
  warehouseId = (await makeWarehouse(t.database.db, { code: 'RF-SH', name: '上海退款仓' })).id;
  truck = await makeSellable(t.database.db, { name: '星辰轻卡 L1', listPrice: 1_000_000, uom: '辆' });
  await receive(t.database.db, warehouseId, truck.id, '50');
});
afterAll(() => t.close());

describe('refunds of returned value that could not be credited', () => {
  it('finance refunds a paid-for return in two parts, each once per key; the receivable never moves', async () => {
    const { customerId, invoiceId, ret } = await paidOrderWithReturn('2');
    expect(ret).toMatchObject({
      state: 'received',
      uncreditedAmount: 2_000_000,
      refundedAmount: 0,
      refundDue: 2_000_000,
    });
    expect(ret.creditNotes).toEqual([]);
    const balanceOf = async () => (await finance.get(`/receivables/customers/${customerId}`)).body.balance;
    expect(await balanceOf()).toBe(0);
    expect((await finance.get(`/returns/${ret.id}`)).body.actions).toContain('refund');
    // The rep and the warehouse see the return but are not offered a refund.
    expect((await rep.get(`/returns/${ret.id}`)).body.actions).not.toContain('refund');

    const k = key();
    const body = {
      amount: 1_200_000,
      method: 'bank_transfer',
      refundDate: today(),
      reference: 'HX-20260301-88',
    };
    const first = await finance.post(`/returns/${ret.id}/refunds`, body, k);
    expect(first.statusCode, first.payload).toBe(201);
    expect(first.body).toMatchObject({ refundedAmount: 1_200_000, refundDue: 800_000 });
    expect(first.body.refunds).toHaveLength(1);
    expect(first.body.refunds[0]).toMatchObject({
      amount: 1_200_000,
      method: 'bank_transfer',
      reference: 'HX-20260301-88',
    });
    expect(first.body.refunds[0].number).toMatch(/^RF-\d{4}-\d{6}$/);

    // A retry with the same key answers the first refund; the same key for another body is refused.
    const retry = await finance.post(`/returns/${ret.id}/refunds`, body, k);
    expect(retry.statusCode, retry.payload).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.refunds).toHaveLength(1);
    const other = await finance.post(`/returns/${ret.id}/refunds`, { ...body, amount: 100 }, k);
    expect(other.statusCode).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await refundCount(ret.id)).toBe(1);

    const rest = await finance.post(
      `/returns/${ret.id}/refunds`,
      { amount: 800_000, method: 'cash', refundDate: today() },
      key(),
    );
    expect(rest.statusCode, rest.payload).toBe(201);
    expect(rest.body).toMatchObject({ refundedAmount: 2_000_000, refundDue: 0 });
    expect(rest.body.actions).not.toContain('refund');

    // Nothing of it touches the invoice or the customer's balance.
    expect(await balanceOf()).toBe(0);
    expect((await finance.get(`/invoices/${invoiceId}`)).body).toMatchObject({
      paidAmount: 5_000_000,
      creditedAmount: 0,
    });
    const history = (await finance.get(`/returns/${ret.id}/history`)).body;
    expect(history.items.filter((e: { action: string }) => e.action === 'refund')).toHaveLength(2);
  });

  it('more than is still due, before the goods are back, without a key or by the rep: a clear 4xx and nothing written', async () => {
    const { ret } = await paidOrderWithReturn('1');
    expect(ret.refundDue).toBe(1_000_000);
    const audits = await auditCount();
    const tooMuch = await finance.post(
      `/returns/${ret.id}/refunds`,
      { amount: 1_000_001, method: 'online', refundDate: today() },
      { ...key(), 'accept-language': 'zh-CN' },
    );
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body.code).toBe('refund_exceeds_due');
    expect(tooMuch.body.detail).toContain('¥10,000.00');
    const en = await finance.post(
      `/returns/${ret.id}/refunds`,
      { amount: 1_000_001, method: 'online', refundDate: today() },
      { ...key(), 'accept-language': 'en' },
    );
    expect(en.body.detail).toMatch(/only ¥10,000\.00 is still due/);

    const noKey = await finance.post(`/returns/${ret.id}/refunds`, {
      amount: 1,
      method: 'cash',
      refundDate: today(),
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.body.code).toBe('refund_key_required');

    const future = await finance.post(
      `/returns/${ret.id}/refunds`,
      { amount: 1, method: 'cash', refundDate: '2999-01-01' },
      key(),
    );
    expect(future.statusCode).toBe(400);
    expect(future.body.errors[0].path).toBe('refundDate');

    const badMethod = await finance.post(
      `/returns/${ret.id}/refunds`,
      { amount: 1, method: 'acceptance_bill', refundDate: today() },
      key(),
    );
    expect(badMethod.statusCode).toBe(400);

    expect(
      (
        await rep.post(
          `/returns/${ret.id}/refunds`,
          { amount: 1, method: 'cash', refundDate: today() },
          key(),
        )
      ).statusCode,
    ).toBe(403);

    const { ret: pending } = await paidOrderWithReturn('1', false);
    const audits2 = await auditCount();
    const early = await finance.post(
      `/returns/${pending.id}/refunds`,
      { amount: 1, method: 'cash', refundDate: today() },
      key(),
    );
    expect(early.statusCode).toBe(409);
    expect(early.body.code).toBe('refund_wrong_state');
    expect(await refundCount(ret.id)).toBe(0);
    expect(await refundCount(pending.id)).toBe(0);
    expect(await auditCount()).toBe(audits2);
    expect(audits2).toBeGreaterThan(audits);
  });

  it('a return credited in full has nothing to refund', async () => {
    // Unpaid invoice: the credit note takes the whole value off it.
    const customer = await makeInvoiceCustomer(t.database.db, 'rep01');
    const created = await rep.post('/sales-orders', {
      customerId: customer.id,
      lines: [{ productId: truck.id, quantity: '1' }],
    });
    const order = (
      await rep.post(`/sales-orders/${created.body.id}/confirm`, { version: created.body.version })
    ).body;
    await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      carrier: '顺丰',
      lines: [{ orderLineId: order.lines[0].id, quantity: '1' }],
      post: true,
    });
    const requested = (
      await rep.post('/returns', {
        orderId: order.id,
        reason: 'wrong_item',
        lines: [{ orderLineId: order.lines[0].id, quantity: '1' }],
      })
    ).body;
    const approved = (await manager.post(`/returns/${requested.id}/approve`, { version: requested.version }))
      .body;
    const received = (await keeper.post(`/returns/${requested.id}/receive`, { version: approved.version }))
      .body;
    expect(received.state).toBe('received');
    expect(received.refundDue).toBeUndefined(); // not shown to the warehouse
    expect((await finance.get(`/returns/${requested.id}`)).body).toMatchObject({
      uncreditedAmount: 0,
      refundDue: 0,
    });
    const r = await finance.post(
      `/returns/${requested.id}/refunds`,
      { amount: 1, method: 'cash', refundDate: today() },
      key(),
    );
    expect(r.statusCode).toBe(422);
    expect(r.body.code).toBe('refund_exceeds_due');
  });
});

describe('money records are append-only at the database level', () => {
  it('a payment, its allocations and a refund cannot be edited or deleted, even from SQL', async () => {
    const { ret } = await paidOrderWithReturn('1');
    const refunded = await finance.post(
      `/returns/${ret.id}/refunds`,
      { amount: 500_000, method: 'cash', refundDate: today() },
      key(),
    );
    expect(refunded.statusCode, refunded.payload).toBe(201);
    const [p] = await t.database.db.select().from(payments).where(eq(payments.customerId, ret.customerId));
    const [a] = await t.database.db
      .select()
      .from(paymentAllocations)
      .where(eq(paymentAllocations.paymentId, p!.id));
    const refundId = refunded.body.refunds[0].id as string;
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => 'written',
        (e: Error) => String(e.cause ?? e.message),
      );
    const db = t.database.db;
    for (const statement of [
      sql`update payments set amount = 1 where id = ${p!.id}`,
      sql`update payments set note = 'edited' where id = ${p!.id}`,
      sql`delete from payments where id = ${p!.id}`,
      sql`update payment_allocations set amount = 1 where id = ${a!.id}`,
      sql`delete from payment_allocations where id = ${a!.id}`,
      sql`update sales_return_refunds set amount = 1 where id = ${refundId}`,
      sql`delete from sales_return_refunds where id = ${refundId}`,
      sql`truncate payment_allocations`,
    ]) {
      expect(await refusal(db.execute(statement))).toMatch(/is append-only/);
    }
    const [kept] = await db.select().from(payments).where(eq(payments.id, p!.id));
    expect(kept).toMatchObject({ amount: 5_000_000, note: null });
    const [keptAlloc] = await db.select().from(paymentAllocations).where(eq(paymentAllocations.id, a!.id));
    expect(keptAlloc!.amount).toBe(a!.amount);
    expect(await refundCount(ret.id)).toBe(1);
    // A reversal still works: it only adds rows.
    const reversed = await finance.post(`/payments/${p!.id}/reverse`, { reason: '测试冲销' });
    expect(reversed.statusCode, reversed.payload).toBeLessThan(300);
  });
});
