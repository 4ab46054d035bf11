import { Decimal } from 'decimal.js';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { dayIn } from '../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { contractInstallments, contracts } from '../sales/contracts.schema.js';
import { makeContract, makeInvoiceCustomer } from './invoicing/invoices.fixtures.js';
import { creditNotes, invoiceLines, invoices } from './invoicing/schema.js';
import { paymentAllocations, payments } from './receivables/schema.js';
import { salesReturnLines, salesReturns } from './returns/schema.js';
import { makeSellable } from './sales-orders/sales-orders.fixtures.js';
import { salesOrderLines, salesOrders } from './sales-orders/schema.js';
import { stockLevels, stockMovements } from './stock/schema.js';
import { makeWarehouse, receive } from './stock/stock.fixtures.js';

// Issue 7, item 10: the order-to-cash invariants under random sequences of what people do — order
// and confirm, ship part or all, invoice and issue, post payments (oldest first or by hand),
// reverse one, void an invoice, credit part of one, return goods — valid or not, through the HTTP
// API as the rep, the warehouse and finance do it. After every step that fails (a 4xx) nothing
// has changed; after every sequence the figures agree with each other and with an independent SQL.
// XG_O2C_RUNS=200 runs more sequences when hunting for a bug, XG_O2C_SEED=<n> other ones.

let t: TestApp;
let rep: Client;
let manager: Client;
let keeper: Client;
let finance: Client;
let warehouseId: string;
let plenty: { id: string };
let scarce: { id: string };
let keyN = 0;
const today = () => dayIn('Asia/Shanghai');
const db = () => t.database.db;

type Op =
  | { k: 'order'; a: number; b: number; discount: number }
  | { k: 'ship'; o: number; line: number; q: number }
  | { k: 'invoice'; o: number; q: number }
  | { k: 'invoiceInstallment'; n: number; part: boolean; issue: boolean }
  | { k: 'pay'; amount: number; manual: boolean; i: number }
  | { k: 'reverse'; p: number }
  | { k: 'void'; i: number }
  | { k: 'credit'; i: number; q: number }
  | { k: 'return'; o: number; q: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('order' as const),
      a: fc.integer({ min: 2, max: 5 }),
      b: fc.integer({ min: 0, max: 3 }),
      discount: fc.constantFrom(0, 3, 7.5),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('ship' as const),
      o: fc.nat(5),
      line: fc.nat(1),
      q: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('invoice' as const),
      o: fc.nat(5),
      q: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('pay' as const),
      amount: fc.integer({ min: 1, max: 3_000_000 }),
      manual: fc.boolean(),
      i: fc.nat(5),
    }),
  },
  // Weight 2: with 1, some 15-sequence runs never reversed a payment (the coverage check below).
  { weight: 2, arbitrary: fc.record({ k: fc.constant('reverse' as const), p: fc.nat(5) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('invoiceInstallment' as const),
      n: fc.nat(1),
      part: fc.boolean(),
      issue: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('void' as const), i: fc.nat(5) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('credit' as const),
      i: fc.nat(5),
      q: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('return' as const),
      o: fc.nat(5),
      q: fc.integer({ min: 1, max: 2 }),
    }),
  },
);

/** Every figure a step could change: the customer's documents and the products' stock. */
async function snapshot(customerId: string) {
  const orderRows = await db()
    .select({ id: salesOrders.id, state: salesOrders.state, total: salesOrders.total })
    .from(salesOrders)
    .where(eq(salesOrders.customerId, customerId))
    .orderBy(asc(salesOrders.id));
  const lineRows = orderRows.length
    ? await db()
        .select({
          id: salesOrderLines.id,
          shipped: salesOrderLines.shippedQuantity,
          reserved: salesOrderLines.reservedQuantity,
        })
        .from(salesOrderLines)
        .where(
          inArray(
            salesOrderLines.orderId,
            orderRows.map((o) => o.id),
          ),
        )
        .orderBy(asc(salesOrderLines.id))
    : [];
  return {
    orders: orderRows,
    lines: lineRows,
    invoices: await db()
      .select({
        id: invoices.id,
        state: invoices.state,
        total: invoices.total,
        paid: invoices.paidAmount,
        credited: invoices.creditedAmount,
      })
      .from(invoices)
      .where(eq(invoices.customerId, customerId))
      .orderBy(asc(invoices.id)),
    payments: await db()
      .select({ id: payments.id, amount: payments.amount })
      .from(payments)
      .where(eq(payments.customerId, customerId))
      .orderBy(asc(payments.id)),
    allocations: await db()
      .select({ id: paymentAllocations.id, amount: paymentAllocations.amount })
      .from(paymentAllocations)
      .where(eq(paymentAllocations.customerId, customerId))
      .orderBy(asc(paymentAllocations.id)),
    returns: await db()
      .select({ id: salesReturns.id, state: salesReturns.state, uncredited: salesReturns.uncreditedAmount })
      .from(salesReturns)
      .where(eq(salesReturns.customerId, customerId))
      .orderBy(asc(salesReturns.id)),
    installments: await db()
      .select({ id: contractInstallments.id, paid: contractInstallments.paidAmount })
      .from(contractInstallments)
      .innerJoin(contracts, eq(contracts.id, contractInstallments.contractId))
      .where(eq(contracts.customerId, customerId))
      .orderBy(asc(contractInstallments.id)),
    stock: await db()
      .select({
        productId: stockLevels.productId,
        onHand: stockLevels.onHand,
        reserved: stockLevels.reserved,
      })
      .from(stockLevels)
      .where(
        and(eq(stockLevels.warehouseId, warehouseId), inArray(stockLevels.productId, [plenty.id, scarce.id])),
      )
      .orderBy(asc(stockLevels.productId)),
  };
}

/** A step through the API: success, or a 4xx that must have changed nothing; a 5xx is a bug. */
async function step(
  customerId: string,
  log: string[],
  label: string,
  call: () => ReturnType<Client['post']>,
) {
  const before = await snapshot(customerId);
  const res = await call();
  log.push(`${label} → ${res.statusCode}${res.statusCode >= 400 ? ` ${res.body?.code}` : ''}`);
  expect(res.statusCode, `${log.join('\n')}\n${res.payload}`).toBeLessThan(500);
  if (res.statusCode >= 400) expect(await snapshot(customerId), `${log.join('\n')}`).toEqual(before);
  return res;
}

const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

async function run(ops: Op[]) {
  const customer = await makeInvoiceCustomer(db(), 'rep01');
  const customerId = customer.id as string;
  // A contract with two installments: oldest-first payments reach them too.
  const { installments } = await makeContract(db(), customerId, 'rep01', [400_000, 600_000]);
  const orders: string[] = [];
  const issued: string[] = [];
  const receipts: string[] = [];
  // Orders with something shipped: returns are requested against those (and sometimes too many).
  const shippedOrders: string[] = [];
  const log: string[] = [];
  for (const o of ops) {
    if (o.k === 'order') {
      const lines = [
        {
          productId: plenty.id,
          quantity: String(o.a),
          ...(o.discount ? { discountPercent: String(o.discount) } : {}),
        },
      ];
      if (o.b) lines.push({ productId: scarce.id, quantity: String(o.b) });
      const created = await step(customerId, log, `order ${o.a}+${o.b}`, () =>
        rep.post('/sales-orders', { customerId, warehouseId, lines }),
      );
      if (created.statusCode !== 201) continue;
      orders.push(created.body.id);
      await step(customerId, log, 'confirm', () =>
        rep.post(`/sales-orders/${created.body.id}/confirm`, { version: created.body.version }),
      );
    } else if (o.k === 'ship') {
      const id = pick(orders, o.o);
      if (!id) continue;
      const order = (await rep.get(`/sales-orders/${id}`)).body;
      const line = order.lines[o.line % order.lines.length];
      const shipped = await step(customerId, log, `ship ${o.q} of ${line.quantity}`, () =>
        keeper.post(`/sales-orders/${id}/shipments`, {
          warehouseId,
          carrier: '顺丰',
          lines: [{ orderLineId: line.id, quantity: String(o.q) }],
          post: true,
        }),
      );
      if (shipped.statusCode < 300 && !shippedOrders.includes(id)) shippedOrders.push(id);
    } else if (o.k === 'invoice') {
      const id = pick(orders, o.o);
      if (!id) continue;
      const order = (await rep.get(`/sales-orders/${id}`)).body;
      const line = order.lines[0];
      const draft = await step(customerId, log, `invoice ${o.q}`, () =>
        finance.post('/invoices', {
          customerId,
          orderId: id,
          lines: [
            {
              productId: line.productId,
              description: line.productName ?? '商品',
              quantity: String(o.q),
              unitPrice: line.unitPrice,
              taxRate: line.taxRate,
              sourceType: 'sales_order_line',
              sourceId: line.id,
            },
          ],
        }),
      );
      if (draft.statusCode !== 201) continue;
      const done = await step(customerId, log, 'issue', () =>
        finance.post(`/invoices/${draft.body.id}/issue`, { version: draft.body.version }),
      );
      if (done.statusCode === 200) issued.push(draft.body.id);
    } else if (o.k === 'invoiceInstallment') {
      const inst = installments[o.n % installments.length]!;
      const draft = await step(customerId, log, `invoice installment${o.part ? ' part' : ''}`, () =>
        finance.post('/invoices/from-installment', {
          installmentId: inst.id,
          ...(o.part ? { amount: Math.floor(inst.amount / 3) } : {}),
        }),
      );
      if (draft.statusCode !== 201 || !o.issue) continue;
      const done = await step(customerId, log, 'issue', () =>
        finance.post(`/invoices/${draft.body.id}/issue`, { version: draft.body.version }),
      );
      if (done.statusCode === 200) issued.push(draft.body.id);
    } else if (o.k === 'pay') {
      const invoiceId = pick(issued, o.i);
      const manual = o.manual && invoiceId;
      const res = await step(customerId, log, `pay ${o.amount}${manual ? ' manual' : ''}`, () =>
        finance.post(
          '/payments',
          {
            customerId,
            amount: o.amount,
            method: 'bank_transfer',
            receivedDate: today(),
            allocation: manual ? 'manual' : 'auto',
            ...(manual ? { allocations: [{ invoiceId, amount: o.amount }] } : {}),
          },
          { 'idempotency-key': `o2c-${++keyN}` },
        ),
      );
      if (res.statusCode === 201) receipts.push(res.body.id);
    } else if (o.k === 'reverse') {
      const id = pick(receipts, o.p);
      if (!id) continue;
      await step(customerId, log, 'reverse', () =>
        finance.post(`/payments/${id}/reverse`, { reason: '退票' }),
      );
    } else if (o.k === 'void') {
      const id = pick(issued, o.i);
      if (!id) continue;
      const inv = (await finance.get(`/invoices/${id}`)).body;
      await step(customerId, log, `void (paid ${inv.paidAmount})`, () =>
        finance.post(`/invoices/${id}/void`, { reason: '开错', version: inv.version }),
      );
    } else if (o.k === 'credit') {
      const id = pick(issued, o.i);
      if (!id) continue;
      const inv = (await finance.get(`/invoices/${id}`)).body;
      await step(customerId, log, `credit ${o.q} (open ${inv.openAmount})`, () =>
        finance.post(`/invoices/${id}/credit-notes`, {
          reason: '折让',
          version: inv.version,
          lines: [{ invoiceLineId: inv.lines[0].id, quantity: String(o.q) }],
        }),
      );
    } else if (o.k === 'return') {
      const id = pick(shippedOrders, o.o);
      if (!id) continue;
      const order = (await rep.get(`/sales-orders/${id}`)).body;
      const line = order.lines[0];
      const requested = await step(customerId, log, `return ${o.q} (shipped ${line.shippedQuantity})`, () =>
        rep.post('/returns', {
          orderId: id,
          reason: 'quality_defect',
          lines: [{ orderLineId: line.id, quantity: String(o.q) }],
        }),
      );
      if (requested.statusCode !== 201) continue;
      const approved = await step(customerId, log, 'approve return', () =>
        manager.post(`/returns/${requested.body.id}/approve`, { version: requested.body.version }),
      );
      await step(customerId, log, 'receive return', () =>
        keeper.post(`/returns/${requested.body.id}/receive`, { version: approved.body.version }),
      );
    }
  }
  await checkInvariants(customerId, log.join('\n'));
  outcomes.push(...log);
}
const outcomes: string[] = [];

const num = (v: unknown) => Number(v ?? 0);

async function checkInvariants(customerId: string, story: string) {
  const s = await snapshot(customerId);
  // Order total = Σ lines, each line = quantity × unit price rounded half up; shipped ≤ ordered.
  for (const o of s.orders) {
    const lines = await db().select().from(salesOrderLines).where(eq(salesOrderLines.orderId, o.id));
    for (const l of lines) {
      expect(l.amount, story).toBe(
        new Decimal(l.quantity).times(l.unitPrice).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
      );
      expect(new Decimal(l.shippedQuantity).lte(l.quantity), story).toBe(true);
      expect(new Decimal(l.reservedQuantity).gte(0), story).toBe(true);
      // Returned (received or still counting) ≤ shipped.
      const [r] = await db()
        .select({ q: sql<string>`coalesce(sum(${salesReturnLines.quantity}), 0)` })
        .from(salesReturnLines)
        .innerJoin(salesReturns, eq(salesReturns.id, salesReturnLines.returnId))
        .where(
          and(
            eq(salesReturnLines.orderLineId, l.id),
            inArray(salesReturns.state, ['requested', 'approved', 'received', 'closed']),
          ),
        );
      expect(new Decimal(r!.q).lte(l.shippedQuantity), story).toBe(true);
    }
    expect(o.total, story).toBe(lines.reduce((sum, l) => sum + l.amount, 0));
  }
  // Invoice paid = Σ its allocations ≤ total − credited; nothing negative.
  for (const inv of s.invoices) {
    const [a] = await db()
      .select({ n: sql<string>`coalesce(sum(${paymentAllocations.amount}), 0)` })
      .from(paymentAllocations)
      .where(eq(paymentAllocations.invoiceId, inv.id));
    expect(inv.paid, story).toBe(num(a!.n));
    expect(inv.paid, story).toBeGreaterThanOrEqual(0);
    expect(inv.credited, story).toBeGreaterThanOrEqual(0);
    expect(inv.paid + inv.credited, story).toBeLessThanOrEqual(inv.total);
    const expectedState =
      inv.state === 'void' || inv.state === 'draft'
        ? inv.state
        : inv.paid === 0
          ? 'issued'
          : inv.paid + inv.credited >= inv.total
            ? 'paid'
            : 'partially_paid';
    expect(inv.state, story).toBe(expectedState);
  }
  // Installment paid = Σ its direct allocations + its share of what was paid on the live invoices
  // that bill it (each invoice's paid amount covers its lines in line order); no money stays
  // directly on an installment an issued invoice bills.
  const share = new Map<string, number>();
  for (const inv of s.invoices.filter((i) => i.state !== 'void' && i.state !== 'draft')) {
    const lines = await db()
      .select()
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, inv.id))
      .orderBy(asc(invoiceLines.seq));
    let left = inv.paid;
    for (const l of lines) {
      const covered = Math.min(l.amount, Math.max(left, 0));
      left -= covered;
      if (l.sourceType === 'contract') share.set(l.sourceId!, (share.get(l.sourceId!) ?? 0) + covered);
    }
  }
  for (const inst of s.installments) {
    const [a] = await db()
      .select({ n: sql<string>`coalesce(sum(${paymentAllocations.amount}), 0)` })
      .from(paymentAllocations)
      .where(eq(paymentAllocations.installmentId, inst.id));
    expect(inst.paid, story).toBe(num(a!.n) + (share.get(inst.id) ?? 0));
    if (share.has(inst.id)) expect(num(a!.n), story).toBe(0);
  }
  // Payment = Σ allocations + unapplied, unapplied ≥ 0; a reversal mirrors its receipt.
  const list = (await finance.get(`/payments?customerId=${customerId}&limit=500`)).body.items as {
    id: string;
    kind: string;
    amount: number;
    allocated: number;
    unapplied: number;
    reversesId: string | null;
  }[];
  expect(list.length, story).toBe(s.payments.length);
  for (const p of list) {
    const [a] = await db()
      .select({ n: sql<string>`coalesce(sum(${paymentAllocations.amount}), 0)` })
      .from(paymentAllocations)
      .where(eq(paymentAllocations.paymentId, p.id));
    expect(p.allocated, story).toBe(num(a!.n));
    expect(p.allocated + p.unapplied, story).toBe(p.amount);
    if (p.kind === 'receipt') {
      expect(p.unapplied, story).toBeGreaterThanOrEqual(0);
      expect(p.allocated, story).toBeGreaterThanOrEqual(0);
    } else {
      const receipt = list.find((r) => r.id === p.reversesId)!;
      expect(p.amount + receipt.amount, story).toBe(0);
      expect(p.allocated + receipt.allocated, story).toBe(0);
    }
  }
  // Balance (receivables service) = Σ live invoices − Σ their credit notes + un-invoiced
  // installments − Σ payments, and the same from an independent SQL.
  const receivable = (await finance.get(`/receivables/customers/${customerId}`)).body as {
    balance: number;
    unapplied: number;
    items: { kind: string; id: string; paid: number; open: number; dueDate: string; status: string }[];
  };
  const balance = receivable.balance;
  // What is open, less unapplied cash, is what the customer owes.
  expect(receivable.items.reduce((sum, i) => sum + i.open, 0) - receivable.unapplied, story).toBe(balance);
  // Installment status follows its paid amount; a paid one is no longer open.
  for (const inst of s.installments) {
    const [row] = await db().select().from(contractInstallments).where(eq(contractInstallments.id, inst.id));
    const item = receivable.items.find((i) => i.kind === 'installment' && i.id === inst.id);
    // An installment an issued invoice bills is collected through that invoice.
    const [billed] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from invoice_lines l join invoices v on v.id = l.invoice_id
           where l.source_type = 'contract' and l.source_id = ${inst.id} and v.state in ('issued', 'partially_paid', 'paid')`,
    );
    if (row!.paidAmount >= row!.amount || Number(billed!.n) > 0) {
      expect(item, story).toBeUndefined();
      continue;
    }
    expect(item, story).toBeDefined();
    expect(item!.paid, story).toBe(row!.paidAmount);
    expect(item!.open, story).toBe(row!.amount - row!.paidAmount);
    const due = row!.dueDate < today() ? 'overdue' : row!.paidAmount > 0 ? 'partially_paid' : 'unpaid';
    expect(item!.status, story).toBe(due);
  }
  const live = s.invoices.filter((i) => i.state !== 'void' && i.state !== 'draft');
  const [credits] = await db()
    .select({ n: sql<string>`coalesce(sum(${creditNotes.total}), 0)` })
    .from(creditNotes)
    .innerJoin(invoices, eq(invoices.id, creditNotes.invoiceId))
    .where(
      and(eq(invoices.customerId, customerId), inArray(invoices.state, ['issued', 'partially_paid', 'paid'])),
    );
  // Installments count until an issued invoice bills them (then the invoice counts instead).
  const [plan] = await queryRows<{ n: string }>(
    db(),
    sql`select coalesce(sum(ci.amount), 0) as n from contract_installments ci join contracts k on k.id = ci.contract_id
         where k.customer_id = ${customerId} and not exists (
           select 1 from invoice_lines l join invoices v on v.id = l.invoice_id
            where l.source_type = 'contract' and l.source_id = ci.id and v.state in ('issued', 'partially_paid', 'paid'))`,
  );
  const paid = s.payments.reduce((sum, p) => sum + p.amount, 0);
  const expected = live.reduce((sum, i) => sum + i.total, 0) - num(credits!.n) + num(plan!.n) - paid;
  expect(balance, story).toBe(expected);
  const [independent] = await queryRows<{ balance: string }>(
    db(),
    sql`
      select
        (select coalesce(sum(total), 0) from invoices where customer_id = ${customerId} and state in ('issued', 'partially_paid', 'paid'))
      - (select coalesce(sum(c.total), 0) from credit_notes c join invoices i on i.id = c.invoice_id
          where i.customer_id = ${customerId} and i.state in ('issued', 'partially_paid', 'paid'))
      + (select coalesce(sum(ci.amount), 0) from contract_installments ci join contracts k on k.id = ci.contract_id
          where k.customer_id = ${customerId} and not exists (
            select 1 from invoice_lines l join invoices v on v.id = l.invoice_id
             where l.source_type = 'contract' and l.source_id = ci.id and v.state in ('issued', 'partially_paid', 'paid')))
      - (select coalesce(sum(amount), 0) from payments where customer_id = ${customerId}) as balance`,
  );
  expect(num(independent!.balance), story).toBe(balance);
  // Stock: on hand = Σ movements, never negative, reserved within on hand.
  for (const level of s.stock) {
    const [m] = await db()
      .select({ q: sql<string>`coalesce(sum(${stockMovements.quantity}), 0)` })
      .from(stockMovements)
      .where(and(eq(stockMovements.warehouseId, warehouseId), eq(stockMovements.productId, level.productId)));
    expect(new Decimal(level.onHand).eq(m!.q), story).toBe(true);
    expect(new Decimal(level.onHand).gte(0), story).toBe(true);
    expect(new Decimal(level.reserved).gte(0) && new Decimal(level.reserved).lte(level.onHand), story).toBe(
      true,
    );
  }
}

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  manager = await as(t.app, 'manager02');
  keeper = await as(t.app, 'warehouse01');
  finance = await as(t.app, 'finance01');
  warehouseId = (await makeWarehouse(db(), { code: 'O2C', name: '不变量测试仓' })).id;
  plenty = await makeSellable(db(), { name: '星辰轻卡 P', listPrice: 333_333, uom: '辆' });
  scarce = await makeSellable(db(), { name: '星辰重卡 S', listPrice: 1_234_567, uom: '辆' });
  await receive(db(), warehouseId, plenty.id, '100000');
  await receive(db(), warehouseId, scarce.id, '6');
});
afterAll(() => t.close());

describe('order to cash: invariants under random sequences', () => {
  it('whatever is done, in whatever order, the figures agree and a refused step changes nothing', async () => {
    await fc.assert(
      // Every sequence starts with an order, so later steps have something to work on.
      fc.asyncProperty(
        fc.tuple(
          op.filter((o) => o.k === 'order'),
          fc.array(op, { minLength: 4, maxLength: 10 }),
        ),
        ([first, rest]) => run([first, ...rest]),
      ),
      // A fixed seed by default, so CI runs the same sequences each time (the check below needs
      // them to include a shipment, an invoice, a payment and a reversal); XG_O2C_SEED explores.
      { numRuns: Number(process.env.XG_O2C_RUNS ?? 15), seed: Number(process.env.XG_O2C_SEED ?? 20261126) },
    );
    // The sequences did real work, not only refused steps.
    for (const done of [/^ship .* → 201$/, /^issue → 200$/, /^pay \d+ → 201$/, /^reverse → 201$/])
      expect(
        outcomes.some((l) => done.test(l)),
        String(done),
      ).toBe(true);
  }, 600_000);
});

describe('order to cash: a bug found by the sequences above, fixed', () => {
  // Found by the property test: 1 fen paid oldest first lands on installment #1; invoicing that
  // installment bills its full amount (a fapiao for the installment's amount), and the installment
  // left the open items with its 1 fen stranded on it. Now issuing the invoice moves that 1 fen
  // onto the invoice (payments.service moveInstallmentMoneyToInvoice).
  it('an installment paid in part, then invoiced: what is open less unapplied is the balance', async () => {
    const customer = await makeInvoiceCustomer(db(), 'rep01');
    const { installments } = await makeContract(db(), customer.id, 'rep01', [400_000, 600_000]);
    const paid = await finance.post(
      '/payments',
      { customerId: customer.id, amount: 1, method: 'cash', receivedDate: today(), allocation: 'auto' },
      { 'idempotency-key': `o2c-bug-${++keyN}` },
    );
    expect(paid.statusCode).toBe(201);
    const draft = await finance.post('/invoices/from-installment', { installmentId: installments[0]!.id });
    expect(draft.statusCode, draft.payload).toBe(201);
    const issued = await finance.post(`/invoices/${draft.body.id}/issue`, { version: draft.body.version });
    expect(issued.statusCode, issued.payload).toBe(200);
    const r = (await finance.get(`/receivables/customers/${customer.id}`)).body;
    expect(r.balance).toBe(999_999);
    const open = r.items.reduce((sum: number, i: { open: number }) => sum + i.open, 0);
    expect(open - r.unapplied).toBe(r.balance);
    const invoice = (await finance.get(`/invoices/${draft.body.id}`)).body;
    expect([invoice.paidAmount, invoice.openAmount, invoice.state]).toEqual([1, 399_999, 'partially_paid']);
  });
});
