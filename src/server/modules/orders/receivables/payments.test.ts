import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { contractInstallments } from '../../sales/contracts.schema.js';
import { invoices } from '../invoicing/schema.js';
import { customerWithInstallments, issuedInvoice } from './receivables.fixtures.js';
import { paymentAllocations } from './schema.js';

let t: TestApp;
let finance: Client;
let rep: Client;
let keyN = 0;
const key = () => ({ 'idempotency-key': `pay-test-${++keyN}-${Date.now()}` });
const today = () => dayIn('Asia/Shanghai', new Date());

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  finance = await as(t.app, 'finance01');
  rep = await as(t.app, 'rep01');
});
afterAll(() => t.close());

const body = (customerId: string, amount: number, extra: object = {}) => ({
  customerId,
  amount,
  method: 'bank_transfer',
  receivedDate: today(),
  payerName: '付款单位',
  ...extra,
});

describe('payments (回款)', () => {
  it('¥300k against two ¥200k installments pays the oldest in full and the second in part; a retry is the same payment; reversal restores both', async () => {
    const db = t.database.db;
    const { customer, installments } = await customerWithInstallments(db, 'rep01', [
      { amount: 20_000_000, dueDaysAgo: 40 },
      { amount: 20_000_000, dueDaysAgo: -20 },
    ]);
    const headers = key();
    const res = await finance.post('/payments', body(customer.id, 30_000_000), headers);
    expect(res.statusCode).toBe(201);
    expect(res.body.number).toMatch(/^PAY-\d{4}-\d{6}$/);
    expect(res.body.allocated).toBe(30_000_000);
    expect(res.body.unapplied).toBe(0);
    const paid = async () =>
      (
        await db
          .select()
          .from(contractInstallments)
          .where(eq(contractInstallments.contractId, installments[0]!.contractId))
      )
        .sort((a, b) => a.seq - b.seq)
        .map((i) => i.paidAmount);
    expect(await paid()).toEqual([20_000_000, 10_000_000]);

    const open = await finance.get(`/receivables/customers/${customer.id}`);
    expect(open.body.items).toHaveLength(1);
    expect(open.body.items[0].status).toBe('partially_paid');
    expect(open.body.balance).toBe(10_000_000);

    const again = await finance.post('/payments', body(customer.id, 30_000_000), headers);
    expect(again.statusCode).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    expect(await paid()).toEqual([20_000_000, 10_000_000]);

    const other = await finance.post('/payments', body(customer.id, 1_000), headers);
    expect(other.statusCode).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');

    const rev = await finance.post(`/payments/${res.body.id}/reverse`, { reason: '银行退票' });
    expect(rev.statusCode).toBe(201);
    expect(rev.body.amount).toBe(-30_000_000);
    expect(await paid()).toEqual([0, 0]);
    const twice = await finance.post(`/payments/${res.body.id}/reverse`, { reason: '再次' });
    expect(twice.body.code).toBe('payment_already_reversed');
    const after = await finance.get(`/receivables/customers/${customer.id}`);
    expect(after.body.balance).toBe(40_000_000);
    expect(after.body.unapplied).toBe(0);
  });

  it('refuses a payment without a key, in another currency or allocated beyond an open amount, and writes nothing', async () => {
    const db = t.database.db;
    const { customer } = await customerWithInstallments(db, 'rep01', [{ amount: 100_000, dueDaysAgo: 1 }]);
    const inv = await issuedInvoice(db, customer.id, 'rep01', 50_000, 3);
    expect((await finance.post('/payments', body(customer.id, 100))).body.code).toBe(
      'idempotency_key_required',
    );
    const usd = await finance.post('/payments', body(customer.id, 100, { currency: 'USD' }), key());
    expect(usd.statusCode).toBe(422);
    expect(usd.body.code).toBe('currency_mismatch');
    const over = await finance.post(
      '/payments',
      body(customer.id, 80_000, {
        allocation: 'manual',
        allocations: [{ invoiceId: inv.id, amount: 60_000 }],
      }),
      key(),
    );
    expect(over.statusCode).toBe(409);
    expect(over.body.code).toBe('allocation_exceeds_open');
    const bill = await finance.post(
      '/payments',
      body(customer.id, 100, { method: 'acceptance_bill' }),
      key(),
    );
    expect(bill.statusCode).toBe(400);
    const list = await finance.get(`/payments?customerId=${customer.id}`);
    expect(list.body.total).toBe(0);
  });

  it('by hand: the invoice is paid, the rest stays unapplied and can be applied later oldest first', async () => {
    const db = t.database.db;
    const { customer } = await customerWithInstallments(db, 'rep01', [{ amount: 100_000, dueDaysAgo: 10 }]);
    const inv = await issuedInvoice(db, customer.id, 'rep01', 50_000, 3);
    const res = await finance.post(
      '/payments',
      body(customer.id, 120_000, {
        method: 'acceptance_bill',
        billNumber: 'CD-0001',
        billMaturityDate: today(),
        allocation: 'manual',
        allocations: [{ invoiceId: inv.id, amount: 50_000 }],
      }),
      key(),
    );
    expect(res.statusCode).toBe(201);
    expect(res.body.unapplied).toBe(70_000);
    const [i] = await db.select().from(invoices).where(eq(invoices.id, inv.id));
    expect(i!.paidAmount).toBe(50_000);
    expect(i!.state).toBe('paid');
    const applied = await finance.post(`/payments/${res.body.id}/allocate`, { allocation: 'auto' });
    expect(applied.statusCode).toBe(200);
    expect(applied.body.unapplied).toBe(0);
    const open = await finance.get(`/receivables/customers/${customer.id}`);
    expect(open.body.balance).toBe(30_000);
    expect(open.body.items[0].open).toBe(30_000);
  });

  it('aging buckets are exact for invoices due 10, 45, 75 and 120 days ago; balance = invoices − credits − payments', async () => {
    const db = t.database.db;
    const { customer } = await customerWithInstallments(db, 'rep01', [{ amount: 1_000, dueDaysAgo: -30 }]);
    for (const [amount, days] of [
      [10_000, 10],
      [20_000, 45],
      [30_000, 75],
      [40_000, 120],
    ] as const) {
      await issuedInvoice(db, customer.id, 'rep01', amount, days);
    }
    await finance.post(
      '/payments',
      body(customer.id, 5_000, { allocation: 'manual', allocations: [] }),
      key(),
    );
    const aging = await finance.get(`/receivables/aging?q=${encodeURIComponent(customer.name)}`);
    const row = aging.body.items.find((r: { customerId: string }) => r.customerId === customer.id);
    expect(row).toMatchObject({
      notDue: 1_000,
      d1_30: 10_000,
      d31_60: 20_000,
      d61_90: 30_000,
      over90: 40_000,
      unapplied: 5_000,
    });
    expect(row.balance).toBe(101_000 - 5_000);
    const open = await finance.get(`/receivables/customers/${customer.id}`);
    expect(open.body.balance).toBe(96_000);
    const due = await rep.get(`/receivables/due?customerId=${customer.id}&overdueOnly=true`);
    expect(due.statusCode).toBe(200);
    expect(due.body.items.map((r: { daysOverdue: number }) => r.daysOverdue)).toEqual([120, 75, 45, 10]);
  });

  it('the same key posted twice at once gives one payment; two payments racing for the last open amount never over-allocate', async () => {
    const db = t.database.db;
    const { customer } = await customerWithInstallments(db, 'rep01', [{ amount: 1, dueDaysAgo: -300 }]);
    const inv = await issuedInvoice(db, customer.id, 'rep01', 10_000, 5);
    const headers = key();
    const [a, b] = await Promise.all([
      finance.post('/payments', body(customer.id, 10_000), headers),
      finance.post('/payments', body(customer.id, 10_000), headers),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const inv2 = await issuedInvoice(db, customer.id, 'rep01', 10_000, 5);
    const manual = (amount: number) =>
      finance.post(
        '/payments',
        body(customer.id, amount, { allocation: 'manual', allocations: [{ invoiceId: inv2.id, amount }] }),
        key(),
      );
    const racing = await Promise.all([manual(8_000), manual(8_000)]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const [i] = await db.select().from(invoices).where(eq(invoices.id, inv2.id));
    const allocs = await db
      .select()
      .from(paymentAllocations)
      .where(eq(paymentAllocations.invoiceId, inv2.id));
    expect(i!.paidAmount).toBe(allocs.reduce((s, x) => s + x.amount, 0));
    expect(i!.paidAmount).toBe(8_000);
    const [first] = await db.select().from(invoices).where(eq(invoices.id, inv.id));
    expect(first!.paidAmount).toBe(10_000);
  });

  it('a rep sees only receivables of own customers and cannot post payments', async () => {
    const db = t.database.db;
    const { customer } = await customerWithInstallments(db, 'rep07', [{ amount: 1_000, dueDaysAgo: 3 }]);
    expect((await rep.get(`/receivables/customers/${customer.id}`)).statusCode).toBe(404);
    expect((await rep.post('/payments', body(customer.id, 100), key())).statusCode).toBe(403);
  });
});
