import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../../db/tx.js';
import { systemCtx } from '../../../platform/context.js';
import { pdfText } from '../../../platform/pdf/testing.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { contractFacts } from '../../sales/contract-ledger.js';
import { makeContract, makeInvoiceCustomer } from './invoices.fixtures.js';
import { applyToInvoice, createInvoiceDraft, defineInvoiceableSource } from './invoices.service.js';
import { invoices } from './schema.js';

describe('invoices: finance invoices a contract installment as a 专票', () => {
  let t: TestApp;
  let finance: Client;
  let rep: Client;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app);
    finance = await as(t.app, 'finance01');
    rep = await as(t.app, 'rep01');
  });
  afterAll(() => t.close());

  const apply = (id: string, fen: number) => withTx(t.database.db, (tx) => applyToInvoice(tx, id, fen));

  it('issues, credits, collects and voids by the rules', async () => {
    const db = t.database.db;
    const customer = await makeInvoiceCustomer(db, 'rep01', '上海宏达物流有限公司');
    const { contract, installments } = await makeContract(db, customer.id, 'rep01', [6_000_000, 4_000_000]);
    const [first, second] = installments;

    const left = await finance.get(`/contracts/${contract.id}/invoiceable`);
    expect(left.statusCode).toBe(200);
    expect(left.body.map((r: { remaining: number }) => r.remaining)).toEqual([6_000_000, 4_000_000]);

    // The draft takes the buyer's details from the customer; the bank account is not on file.
    const created = await finance.post('/invoices/from-installment', {
      installmentId: first!.id,
      type: 'special',
    });
    expect(created.statusCode).toBe(201);
    const draft = created.body;
    expect(draft).toMatchObject({
      state: 'draft',
      type: 'special',
      contractId: contract.id,
      buyerTitle: '上海宏达物流有限公司',
      buyerTaxId: customer.creditCode,
      buyerAddressPhone: '上海市浦东新区世纪大道 100 号 021-58880000',
      buyerBankAccount: null,
      total: 6_000_000,
      taxTotal: 690_265, // 60,000 × 0.13 / 1.13 = 6,902.65
      paymentTermsDays: 30,
    });
    expect(draft.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(draft.totalInWords).toBe('人民币陆万元整');

    // A 专票 without the bank account cannot be issued; nothing changes.
    const missing = await finance.post(`/invoices/${draft.id}/issue`, { version: draft.version });
    expect(missing.statusCode).toBe(422);
    expect(missing.body.code).toBe('invoice_special_missing');
    expect(missing.body.detail).toContain('开户行及账号');
    expect(missing.body.detail).not.toContain('纳税人识别号');
    finance.locale = 'en';
    const missingEn = await finance.post(`/invoices/${draft.id}/issue`, { version: draft.version });
    expect(missingEn.body.detail).toContain('bank and account');
    finance.locale = 'zh-CN';
    expect((await finance.get(`/invoices/${draft.id}`)).body.state).toBe('draft');

    // A malformed taxpayer id is refused on the draft.
    const badTaxId = await finance.patch(`/invoices/${draft.id}`, {
      buyerTaxId: '91310000MA1FL00001',
      version: draft.version,
    });
    expect(badTaxId.statusCode).toBe(400);

    // The installment cannot be billed twice.
    const twice = await finance.post('/invoices/from-installment', { installmentId: first!.id, amount: 100 });
    expect(twice.statusCode).toBe(422);
    expect(twice.body.code).toBe('invoice_source_exceeded');

    const completed = await finance.patch(`/invoices/${draft.id}`, {
      buyerBankAccount: '招商银行上海分行 1219 0888 0010 001',
      version: draft.version,
    });
    expect(completed.statusCode).toBe(200);
    const issued = await finance.post(`/invoices/${draft.id}/issue`, {
      version: completed.body.version,
      issueDate: '2026-03-01',
    });
    expect(issued.statusCode).toBe(200);
    expect(issued.body).toMatchObject({
      state: 'issued',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      sellerName: '星辰汽车销售有限公司',
      openAmount: 6_000_000,
      actions: ['void', 'credit'],
    });

    // Issued invoices are never edited.
    const edit = await finance.patch(`/invoices/${draft.id}`, {
      note: '改一下',
      version: issued.body.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('invoice_not_editable');

    // The customer's copy in a fapiao layout, amount in words.
    const pdf = await finance.get(`/invoices/${draft.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('人民币陆万元整');
    expect(text).toContain('价税合计（小写）');
    expect(text).toContain('开户行及账号');
    expect(text).toContain('不是税务机关监制的发票');
    const en = pdfText((await finance.get(`/invoices/${draft.id}/pdf?locale=en`)).rawPayload);
    expect(en).toContain('customer copy');

    // The contract ledger counts issued invoices.
    expect((await contractFacts(db, [contract.id])).invoiced.get(contract.id)).toBe(6_000_000);

    // A credit note above the line is refused; a ¥10,000 one reduces the open amount.
    const lineId = issued.body.lines[0].id;
    const tooMuch = await finance.post(`/invoices/${draft.id}/credit-notes`, {
      reason: '折让',
      lines: [{ invoiceLineId: lineId, quantity: '2' }],
      version: issued.body.version,
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body.code).toBe('credit_note_exceeds_invoice');
    const credited = await finance.post(`/invoices/${draft.id}/credit-notes`, {
      reason: '价格折让',
      lines: [{ invoiceLineId: lineId, quantity: '1', amount: 1_000_000 }],
      version: issued.body.version,
    });
    expect(credited.statusCode).toBe(201);
    expect(credited.body).toMatchObject({
      creditedAmount: 1_000_000,
      openAmount: 5_000_000,
      state: 'issued',
    });
    expect(credited.body.creditNotes[0].number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(credited.body.creditNotes[0].taxTotal).toBe(115_044);
    expect((await contractFacts(db, [contract.id])).invoiced.get(contract.id)).toBe(5_000_000);
    // Credited money frees the installment for invoicing again.
    const leftAfter = (await finance.get(`/contracts/${contract.id}/invoiceable`)).body;
    expect(leftAfter[0].remaining).toBe(1_000_000);

    // Payments go through applyToInvoice: never beyond the open amount.
    expect(await apply(draft.id, 2_000_000)).toMatchObject({
      state: 'partially_paid',
      openAmount: 3_000_000,
    });
    await expect(apply(draft.id, 3_000_001)).rejects.toMatchObject({
      code: 'allocation_exceeds_open',
      status: 409,
    });
    const [row] = await db.select().from(invoices).where(eq(invoices.id, draft.id));
    expect(row!.paidAmount).toBe(2_000_000);

    // Once something is paid it cannot be voided.
    const current = (await finance.get(`/invoices/${draft.id}`)).body;
    const refused = await finance.post(`/invoices/${draft.id}/void`, {
      reason: '开错',
      version: current.version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body.code).toBe('invoice_has_payments');

    expect(await apply(draft.id, 3_000_000)).toMatchObject({ state: 'paid', openAmount: 0 });
    // A reversal takes it back to partially paid.
    expect(await apply(draft.id, -1_000_000)).toMatchObject({
      state: 'partially_paid',
      openAmount: 1_000_000,
    });

    // An unpaid invoice can be voided with a reason; its installment can be invoiced again.
    const other = (await finance.post('/invoices/from-installment', { installmentId: second!.id })).body;
    const otherIssued = (await finance.post(`/invoices/${other.id}/issue`, { version: other.version })).body;
    expect(otherIssued.state).toBe('issued');
    const noReason = await finance.post(`/invoices/${other.id}/void`, { version: otherIssued.version });
    expect(noReason.statusCode).toBe(400);
    const voided = await finance.post(`/invoices/${other.id}/void`, {
      reason: '抬头开错',
      version: otherIssued.version,
    });
    expect(voided.statusCode).toBe(200);
    expect(voided.body).toMatchObject({ state: 'void', voidReason: '抬头开错', actions: [] });
    await expect(apply(other.id, 100)).rejects.toMatchObject({ code: 'invoice_wrong_state' });
    expect((await finance.get(`/contracts/${contract.id}/invoiceable`)).body[1].remaining).toBe(4_000_000);
    expect((await contractFacts(db, [contract.id])).invoiced.get(contract.id)).toBe(5_000_000);

    // The rep sees the invoices of their customer but cannot issue or void.
    const seen = await rep.get(`/invoices?customerId=${customer.id}`);
    expect(seen.body.total).toBe(2);
    expect((await rep.post(`/invoices/${other.id}/void`, { reason: 'x', version: 1 })).statusCode).toBe(403);
    const rep07 = await as(t.app, 'rep07');
    expect((await rep07.get(`/invoices/${draft.id}`)).statusCode).toBe(404);

    // The list filters by state, and an overdue filter finds the partially paid one (due 2026-03-31).
    const partial = await finance.get(`/invoices?customerId=${customer.id}&state=partially_paid`);
    expect(partial.body.items.map((i: { id: string }) => i.id)).toEqual([draft.id]);
    const range = await finance.get(`/invoices?customerId=${customer.id}&from=2026-03-01&to=2026-03-01`);
    expect(range.body.total).toBe(1);
  });

  it('two invoices racing for the same installment: one is drafted, the other refused', async () => {
    const db = t.database.db;
    const customer = await makeInvoiceCustomer(db, 'rep01');
    const { installments } = await makeContract(db, customer.id, 'rep01', [500_000]);
    const results = await Promise.all(
      [1, 2].map(() => finance.post('/invoices/from-installment', { installmentId: installments[0]!.id })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.statusCode === 422)!.body.code).toBe('invoice_source_exceeded');
  });

  it('drafts manual lines at several rates; bad rates and quantities are refused', async () => {
    const customer = await makeInvoiceCustomer(t.database.db, 'rep02');
    const bad = await finance.post('/invoices', {
      customerId: customer.id,
      lines: [{ description: '服务费', quantity: '1', unitPrice: 10_000, taxRate: '0.12' }],
    });
    expect(bad.statusCode).toBe(400);
    const created = await finance.post(
      '/invoices',
      {
        customerId: customer.id,
        lines: [
          {
            description: '轿车',
            spec: 'XG-A6',
            unit: '辆',
            quantity: '2',
            unitPrice: 11_300_000,
            taxRate: '13%',
          },
          { description: '上牌服务', unit: '次', quantity: '2', unitPrice: 50_000, taxRate: '0.06' },
        ],
      },
      { 'idempotency-key': 'inv-manual-1' },
    );
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({ type: 'general', total: 22_700_000, taxTotal: 2_600_000 + 5_660 });
    expect(created.body.totalsByRate).toEqual([
      { taxRate: '0.13', amount: 22_600_000, taxAmount: 2_600_000, amountExclTax: 20_000_000 },
      { taxRate: '0.06', amount: 100_000, taxAmount: 5_660, amountExclTax: 94_340 },
    ]);
    // Retried with the same key: the same invoice, nothing new.
    const retry = await finance.post(
      '/invoices',
      {
        customerId: customer.id,
        lines: [{ description: '轿车', quantity: '1', unitPrice: 1, taxRate: '0.13' }],
      },
      { 'idempotency-key': 'inv-manual-1' },
    );
    expect(retry.body.id).toBe(created.body.id);
    // A fapiao number is unique.
    const a = (
      await finance.post(`/invoices/${created.body.id}/issue`, {
        version: 1,
        fapiaoNumber: '24312000000012345678',
      })
    ).body;
    expect(a.fapiaoNumber).toBe('24312000000012345678');
    const b = (
      await finance.post('/invoices', {
        customerId: customer.id,
        lines: [{ description: '保养', quantity: '1', unitPrice: 80_000, taxRate: '0.13' }],
      })
    ).body;
    const dup = await finance.post(`/invoices/${b.id}/issue`, {
      version: b.version,
      fapiaoNumber: '24312000000012345678',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body.code).toBe('duplicate_fapiao_number');
    expect((await finance.get(`/invoices/${b.id}`)).body.state).toBe('draft');
    // The list exports to Excel with the same filters.
    const xlsx = await finance.get(`/invoices/export?format=xlsx&customerId=${customer.id}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('enforces a registered source (sales order lines) through createInvoiceDraft', async () => {
    const db = t.database.db;
    const customer = await makeInvoiceCustomer(db, 'rep01');
    const lineId = '0190a000-0000-7000-8000-000000000001';
    defineInvoiceableSource(
      'sales_order_line',
      async (_db, ids) =>
        new Map(
          ids
            .filter((id) => id === lineId)
            .map((id) => [id, { limitAmount: 300_000, limitQuantity: '3', customerId: customer.id }]),
        ),
    );
    const ctx = systemCtx();
    const line = (quantity: string) => ({
      description: '配件',
      quantity,
      unitPrice: 100_000,
      taxRate: '0.13',
      sourceType: 'sales_order_line' as const,
      sourceId: lineId,
    });
    const first = await createInvoiceDraft(db, ctx, { customerId: customer.id, lines: [line('2')] });
    expect(first.lines[0]).toMatchObject({
      sourceType: 'sales_order_line',
      sourceId: lineId,
      amount: 200_000,
    });
    await expect(
      createInvoiceDraft(db, ctx, { customerId: customer.id, lines: [line('2')] }),
    ).rejects.toMatchObject({
      code: 'invoice_source_exceeded',
    });
    const other = await makeInvoiceCustomer(db, 'rep01');
    await expect(
      createInvoiceDraft(db, ctx, { customerId: other.id, lines: [line('1')] }),
    ).rejects.toMatchObject({
      code: 'invoice_source_mismatch',
    });
    const rest = await createInvoiceDraft(
      db,
      ctx,
      { customerId: customer.id, lines: [line('1')] },
      {
        createdAt: new Date('2026-02-01T08:00:00Z'),
      },
    );
    expect(rest.createdAt).toBe('2026-02-01T08:00:00.000Z');
  });
});
