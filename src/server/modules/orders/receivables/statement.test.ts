import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../../platform/pdf/testing.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { customerWithInstallments, issuedInvoice } from './receivables.fixtures.js';
import { buildStatement } from './statement.js';

let t: TestApp;
let finance: Client;
let rep: Client;
let otherRep: Client;
// Days in the company's time zone (the test company is in Shanghai), as the services count them.
const daysAgo = (d: number) => dayIn('Asia/Shanghai', new Date(Date.now() - d * 86_400_000));

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  finance = await as(t.app, 'finance01');
  rep = await as(t.app, 'rep01');
  otherRep = await as(t.app, 'rep02');
});
afterAll(() => t.close());

describe('buildStatement', () => {
  it('carries what happened before the period as the opening balance and runs the balance in date order', () => {
    const s = buildStatement(
      [
        { date: '2026-03-05', kind: 'payment', document: 'PAY-2', amount: -300 },
        { date: '2026-01-10', kind: 'invoice', document: 'INV-1', amount: 1000 },
        { date: '2026-03-05', kind: 'invoice', document: 'INV-2', amount: 500 },
        { date: '2026-03-20', kind: 'credit_note', document: 'CN-1', amount: -100 },
        { date: '2026-04-02', kind: 'payment', document: 'PAY-3', amount: -50 },
      ],
      '2026-03-01',
      '2026-03-31',
    );
    expect(s.opening).toBe(1000);
    expect(s.lines.map((l) => [l.document, l.balance])).toEqual([
      ['INV-2', 1500],
      ['PAY-2', 1200],
      ['CN-1', 1100],
    ]);
    expect(s.closing).toBe(1100);
  });
});

describe('customer statement PDF (对账单)', () => {
  it('prints the opening balance, the invoice, the payment and its reversal with the running and closing balance', async () => {
    const db = t.database.db;
    // An installment contract signed 200 days ago (¥100,000) and an invoice issued 40 days ago (¥50,000).
    const { customer } = await customerWithInstallments(db, 'rep01', [
      { amount: 10_000_000, dueDaysAgo: 60 },
    ]);
    const inv = await issuedInvoice(db, customer.id, 'rep01', 5_000_000, 10);
    const pay = await finance.post(
      '/payments',
      {
        customerId: customer.id,
        amount: 3_000_000,
        method: 'bank_transfer',
        receivedDate: daysAgo(5),
      },
      { 'idempotency-key': `statement-${customer.id}` },
    );
    expect(pay.statusCode).toBe(201);
    const rev = await finance.post(`/payments/${pay.body.id}/reverse`, { reason: '银行退票' });
    expect(rev.statusCode).toBe(201);

    const res = await rep.get(
      `/receivables/customers/${customer.id}/statement?from=${daysAgo(100)}&to=${daysAgo(0)}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('客户对账单');
    expect(text).toContain(customer.name);
    expect(text).toContain('期初余额¥100,000.00');
    expect(text).toContain(inv.number);
    expect(text).toContain(pay.body.number);
    expect(text).toContain(rev.body.number);
    expect(text).toContain('回款冲销');
    // 100k + 50k − 30k + 30k
    expect(text).toContain('期末余额¥150,000.00');
    // A period before the invoice: only the contract, opening balance ¥100,000 carried to the end.
    const early = pdfText(
      (
        await rep.get(
          `/receivables/customers/${customer.id}/statement?from=${daysAgo(100)}&to=${daysAgo(50)}`,
        )
      ).rawPayload,
    ).replace(/\s+/g, '');
    expect(early).not.toContain(inv.number);
    expect(early).toContain('期末余额¥100,000.00');

    const en = pdfText(
      (
        await rep.get(
          `/receivables/customers/${customer.id}/statement?from=${daysAgo(100)}&to=${daysAgo(0)}&locale=en`,
        )
      ).rawPayload,
    );
    expect(en).toContain('Customer statement');
    expect(en.replace(/\s+/g, '')).toContain('Closingbalance¥150,000.00');
  });

  it("answers 404 for another rep's customer and a clear 4xx for a period that ends before it starts", async () => {
    const { customer } = await customerWithInstallments(t.database.db, 'rep01', [
      { amount: 100_000, dueDaysAgo: 1 },
    ]);
    const hidden = await otherRep.get(
      `/receivables/customers/${customer.id}/statement?from=${daysAgo(30)}&to=${daysAgo(0)}`,
    );
    expect(hidden.statusCode).toBe(404);
    const backwards = await rep.get(
      `/receivables/customers/${customer.id}/statement?from=${daysAgo(0)}&to=${daysAgo(30)}`,
    );
    expect(backwards.statusCode).toBeGreaterThanOrEqual(400);
    expect(backwards.statusCode).toBeLessThan(500);
    expect(backwards.body.errors[0].path).toBe('to');
  });
});
