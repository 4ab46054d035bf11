import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeInvoiceCustomer } from '../invoicing/invoices.fixtures.js';
import { creditNotes } from '../invoicing/schema.js';
import { makeSellable } from '../sales-orders/sales-orders.fixtures.js';
import { salesOrderLines } from '../sales-orders/schema.js';
import { stockLevels, stockMovements } from '../stock/schema.js';
import { makeWarehouse, receive } from '../stock/stock.fixtures.js';
import { onReturnReceived, type ReturnReceivedEvent } from './returns.service.js';
import { salesReturns } from './schema.js';

// Issue 7, item 3: a customer sends back 2 of the 5 trucks shipped. The rep requests the return,
// the manager approves it, the warehouse books the trucks back into stock, and the invoice is
// credited for exactly 2 × the invoiced price. Receiving again changes nothing.

let t: TestApp;
let rep: Client;
let manager: Client;
let keeper: Client;
let finance: Client;
let warehouseId: string;
let truck: { id: string };
const hooked: ReturnReceivedEvent[] = [];

async function onHand(productId: string) {
  const [l] = await t.database.db
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.warehouseId, warehouseId), eq(stockLevels.productId, productId)));
  return Number(l?.onHand ?? 0);
}

/** A 5-truck order of rep01's customer, confirmed and shipped in full; optionally invoiced and issued. */
async function shippedOrder(invoice: boolean) {
  const customer = await makeInvoiceCustomer(t.database.db, 'rep01');
  const created = await rep.post('/sales-orders', {
    customerId: customer.id,
    lines: [{ productId: truck.id, quantity: '5' }],
  });
  expect(created.statusCode, created.payload).toBe(201);
  const order = (
    await rep.post(`/sales-orders/${created.body.id}/confirm`, { version: created.body.version })
  ).body;
  expect(order.state).toBe('confirmed');
  const lineId = order.lines[0].id as string;
  const shipped = await keeper.post(`/sales-orders/${order.id}/shipments`, {
    warehouseId,
    carrier: '顺丰',
    lines: [{ orderLineId: lineId, quantity: '5' }],
    post: true,
  });
  expect(shipped.statusCode, shipped.payload).toBeLessThan(300);
  if (!invoice) return { orderId: order.id as string, lineId, invoiceId: null };
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
  const issued = await finance.post(`/invoices/${draft.body.id}/issue`, { version: draft.body.version });
  expect(issued.statusCode, issued.payload).toBe(200);
  expect(issued.body.openAmount).toBe(5_000_000);
  return { orderId: order.id as string, lineId, invoiceId: draft.body.id as string };
}

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  manager = await as(t.app, 'manager02');
  keeper = await as(t.app, 'warehouse01');
  finance = await as(t.app, 'finance01');
  warehouseId = (await makeWarehouse(t.database.db, { code: 'R-SH', name: '上海退货仓' })).id;
  truck = await makeSellable(t.database.db, { name: '星辰轻卡 L1', listPrice: 1_000_000, uom: '辆' });
  await receive(t.database.db, warehouseId, truck.id, '20');
  onReturnReceived(async (_tx, _ctx, event) => {
    hooked.push(event);
  });
});
afterAll(() => t.close());

describe('returns', () => {
  it('rep requests 2 of 5 shipped, the manager approves, the warehouse receives: stock +2 exactly, a credit note for 2 × price lowers the open amount; receiving again changes nothing', async () => {
    const { orderId, lineId, invoiceId } = await shippedOrder(true);
    const returnable = await rep.get(`/returns/returnable?orderId=${orderId}`);
    expect(returnable.statusCode, returnable.payload).toBe(200);
    expect(returnable.body.lines[0]).toMatchObject({ shipped: '5', returned: '0', returnable: '5' });

    const requested = await rep.post('/returns', {
      orderId,
      type: 'return',
      reason: 'quality_defect',
      note: '两台车门异响',
      lines: [{ orderLineId: lineId, quantity: '2' }],
    });
    expect(requested.statusCode, requested.payload).toBe(201);
    const ra = requested.body;
    expect(ra.number).toMatch(/^RA-\d{4}-\d{6}$/);
    expect(ra).toMatchObject({ state: 'requested', amount: 2_000_000, type: 'return' });
    // The rep may not approve or receive.
    expect((await rep.post(`/returns/${ra.id}/approve`, { version: ra.version })).statusCode).toBe(403);
    expect((await keeper.post(`/returns/${ra.id}/receive`, { version: ra.version })).statusCode).toBe(409);

    const approved = await manager.post(`/returns/${ra.id}/approve`, {
      version: ra.version,
      comment: '同意退货',
    });
    expect(approved.statusCode, approved.payload).toBe(200);
    expect(approved.body.state).toBe('approved');

    const stockBefore = await onHand(truck.id);
    const received = await keeper.post(`/returns/${ra.id}/receive`, { version: approved.body.version });
    expect(received.statusCode, received.payload).toBe(200);
    expect(received.body.state).toBe('received');
    expect(await onHand(truck.id)).toBe(stockBefore + 2);
    // The keeper sees no values (sales-orders.prices); the manager does.
    expect(received.body).not.toHaveProperty('amount');
    const valued = (await manager.get(`/returns/${ra.id}`)).body;
    expect(valued.creditNotes).toHaveLength(1);
    expect(valued.creditNotes[0]).toMatchObject({ invoiceId, total: 2_000_000 });
    expect(valued.lines[0].creditedAmount).toBe(2_000_000);
    expect(valued.uncreditedAmount).toBe(0);

    const invoice = (await finance.get(`/invoices/${invoiceId}`)).body;
    expect(invoice).toMatchObject({ creditedAmount: 2_000_000, openAmount: 3_000_000 });
    expect(hooked.at(-1)).toMatchObject({
      returnId: ra.id,
      orderId,
      lines: [{ orderLineId: lineId, quantity: '2', amount: 2_000_000 }],
    });

    // Receiving again (a retry, even with the old version): nothing changes.
    const hooksBefore = hooked.length;
    const again = await keeper.post(`/returns/${ra.id}/receive`, { version: approved.body.version });
    expect(again.statusCode, again.payload).toBe(200);
    expect(await onHand(truck.id)).toBe(stockBefore + 2);
    const notes = await t.database.db.select().from(creditNotes).where(eq(creditNotes.returnId, ra.id));
    expect(notes).toHaveLength(1);
    const moves = await t.database.db.select().from(stockMovements).where(eq(stockMovements.sourceId, ra.id));
    expect(moves).toHaveLength(1);
    expect(hooked.length).toBe(hooksBefore);
    expect((await finance.get(`/invoices/${invoiceId}`)).body.openAmount).toBe(3_000_000);

    // The history tells the story; finance can read it, the warehouse too.
    const hist = await finance.get(`/returns/${ra.id}/history`);
    expect(hist.statusCode).toBe(200);
    const closed = await manager.post(`/returns/${ra.id}/close`, { version: received.body.version });
    expect(closed.body.state).toBe('closed');
  });

  it('goods returned before they were invoiced can no longer be invoiced: only the 3 kept are', async () => {
    const { orderId, lineId } = await shippedOrder(false);
    const requested = await rep.post('/returns', {
      orderId,
      type: 'return',
      reason: 'quality_defect',
      lines: [{ orderLineId: lineId, quantity: '2' }],
    });
    expect(requested.statusCode, requested.payload).toBe(201);
    const approved = await manager.post(`/returns/${requested.body.id}/approve`, {
      version: requested.body.version,
    });
    expect(approved.statusCode, approved.payload).toBe(200);
    const received = await keeper.post(`/returns/${requested.body.id}/receive`, {
      version: approved.body.version,
    });
    expect(received.statusCode, received.payload).toBe(200);

    const order = (await rep.get(`/sales-orders/${orderId}`)).body;
    const invoiceFor = (quantity: string) =>
      finance.post('/invoices', {
        customerId: order.customerId,
        orderId,
        lines: [
          {
            productId: truck.id,
            description: '星辰轻卡 L1',
            quantity,
            unitPrice: 1_000_000,
            taxRate: '0.13',
            sourceType: 'sales_order_line',
            sourceId: lineId,
          },
        ],
      });
    const tooMany = await invoiceFor('5');
    expect(tooMany.statusCode, tooMany.payload).toBe(422);
    expect(tooMany.body.code).toBe('invoice_source_exceeded');
    const kept = await invoiceFor('3');
    expect(kept.statusCode, kept.payload).toBe(201);
    expect(kept.body.total).toBe(3_000_000);
  });

  it('a return of more than was shipped (counting earlier returns) is 422 return_exceeds_shipped and writes nothing', async () => {
    const { orderId, lineId } = await shippedOrder(false);
    const first = await rep.post('/returns', {
      orderId,
      reason: 'changed_mind',
      lines: [{ orderLineId: lineId, quantity: '4' }],
    });
    expect(first.statusCode, first.payload).toBe(201);
    const count = async () =>
      (await t.database.db.select().from(salesReturns).where(eq(salesReturns.orderId, orderId))).length;
    const res = await rep.post(
      '/returns',
      { orderId, reason: 'wrong_item', lines: [{ orderLineId: lineId, quantity: '2' }] },
      { 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('return_exceeds_shipped');
    expect(res.body.detail).toContain('only 1');
    expect(await count()).toBe(1);
    // Cancelling the first frees its quantity.
    const cancelled = await rep.post(`/returns/${first.body.id}/cancel`, { version: first.body.version });
    expect(cancelled.body.state).toBe('cancelled');
    const ok = await rep.post('/returns', {
      orderId,
      reason: 'other',
      note: '客户仓库放不下',
      lines: [{ orderLineId: lineId, quantity: '5' }],
    });
    expect(ok.statusCode, ok.payload).toBe(201);
    // "other" needs a note.
    const noNote = await rep.post('/returns', {
      orderId,
      reason: 'other',
      lines: [{ orderLineId: lineId, quantity: '1' }],
    });
    expect(noNote.statusCode).toBe(400);
    // Stale version → 409.
    const stale = await manager.post(`/returns/${ok.body.id}/approve`, { version: ok.body.version + 1 });
    expect(stale.statusCode).toBe(409);
  });

  it('an exchange: the goods come back into stock, no credit, and the order line is open again for the replacement shipment', async () => {
    const { orderId, lineId } = await shippedOrder(false);
    const ra = (
      await rep.post('/returns', {
        orderId,
        type: 'exchange',
        reason: 'damaged_in_transit',
        lines: [{ orderLineId: lineId, quantity: '1' }],
      })
    ).body;
    const approved = (await manager.post(`/returns/${ra.id}/approve`, { version: ra.version })).body;
    const before = await onHand(truck.id);
    const received = await keeper.post(`/returns/${ra.id}/receive`, { version: approved.version });
    expect(received.statusCode, received.payload).toBe(200);
    expect(received.body.creditNotes).toHaveLength(0);
    expect(await onHand(truck.id)).toBe(before + 1);
    const [line] = await t.database.db.select().from(salesOrderLines).where(eq(salesOrderLines.id, lineId));
    expect(Number(line!.shippedQuantity)).toBe(4);
    const order = (await keeper.get(`/sales-orders/${orderId}`)).body;
    expect(order.state).toBe('partially_shipped');
    const replacement = await keeper.post(`/sales-orders/${orderId}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: lineId, quantity: '1' }],
      post: true,
    });
    expect(replacement.statusCode, replacement.payload).toBeLessThan(300);
    expect(await onHand(truck.id)).toBe(before);
    expect((await keeper.get(`/sales-orders/${orderId}`)).body.state).toBe('shipped');
  });
  it('serial-tracked goods come back unit by unit, into the warehouse the keeper chooses; a wrong serial count is refused', async () => {
    const db = t.database.db;
    const suv = await makeSellable(db, { name: '星辰 SUV X7', listPrice: 2_000_000, trackingMode: 'serial' });
    for (const vin of ['VIN-A1', 'VIN-A2', 'VIN-A3'])
      await receive(db, warehouseId, suv.id, '1', { serialNo: vin });
    const other = (await makeWarehouse(db, { code: 'R-BJ', name: '北京售后仓' })).id;
    const customer = await makeInvoiceCustomer(db, 'rep01');
    const created = (
      await rep.post('/sales-orders', {
        customerId: customer.id,
        lines: [{ productId: suv.id, quantity: '3' }],
      })
    ).body;
    const order = (await rep.post(`/sales-orders/${created.id}/confirm`, { version: created.version })).body;
    const lineId = order.lines[0].id;
    const shipped = await keeper.post(`/sales-orders/${order.id}/shipments`, {
      warehouseId,
      lines: [{ orderLineId: lineId, quantity: '3', serialNos: ['VIN-A1', 'VIN-A2', 'VIN-A3'] }],
      post: true,
    });
    expect(shipped.statusCode, shipped.payload).toBeLessThan(300);
    const wrong = await rep.post('/returns', {
      orderId: order.id,
      reason: 'wrong_item',
      lines: [{ orderLineId: lineId, quantity: '2', serialNos: ['VIN-A2'] }],
    });
    expect(wrong.statusCode).toBe(400);
    const ra = (
      await rep.post('/returns', {
        orderId: order.id,
        reason: 'wrong_item',
        lines: [{ orderLineId: lineId, quantity: '2', serialNos: ['VIN-A2', 'VIN-A3'] }],
      })
    ).body;
    const approved = (await manager.post(`/returns/${ra.id}/approve`, { version: ra.version })).body;
    const received = await keeper.post(`/returns/${ra.id}/receive`, {
      version: approved.version,
      warehouseId: other,
    });
    expect(received.statusCode, received.payload).toBe(200);
    const moves = await db.select().from(stockMovements).where(eq(stockMovements.sourceId, ra.id));
    expect(moves.map((m) => [m.kind, m.warehouseId, Number(m.quantity)])).toEqual([
      ['return_in', other, 1],
      ['return_in', other, 1],
    ]);
    const [level] = await db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, other), eq(stockLevels.productId, suv.id)));
    expect(Number(level!.onHand)).toBe(2);
    // Not invoiced: no credit note; nothing is "uncredited" either.
    expect(received.body).toMatchObject({ creditNotes: [], warehouseId: other });
    expect((await manager.get(`/returns/${ra.id}`)).body).toMatchObject({ uncreditedAmount: 0 });
  });
});
