import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../platform/pdf/testing.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer } from '../customers/activities.fixtures.js';
import { contacts } from '../customers/schema.js';
import { archiveProduct, makeProduct } from '../orders/pricing/pricing.fixtures.js';
import { users } from '../org/schema.js';
import { contractInstallments, contracts } from './contracts.schema.js';
import { quoteRevisions, quoteSends, quotes } from './quotes.schema.js';

// The quote story of issue 6: a rep quotes 10 trucks at 20% off; the manager and then the
// director approve the discount; the Chinese PDF carries the amount in capitals; it is e-mailed,
// accepted and becomes a contract paid in three installments.

interface Mail {
  to: string[];
  raw: string;
}
const mails: Mail[] = [];
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
let customerId: string;
let contactId: string;
let truck: { id: string };
let floored: { id: string };
let archived: { id: string };

async function pendingStep(client: Client, requestId: string) {
  const res = await client.get(`/approvals/${requestId}`);
  expect(res.statusCode, res.payload).toBe(200);
  return res.body.steps.find((s: { status: string }) => s.status === 'pending');
}

/** The pending step's approver (rep01's direct manager, the director…) approves it. */
async function approve(requestId: string) {
  const step = await pendingStep(admin, requestId);
  const [user] = await t.database.db.select().from(users).where(eq(users.id, step.approvers[0].id));
  const client = await as(t.app, user!.username);
  const res = await client.post(`/approvals/${requestId}/approve`, { stepId: step.id, comment: '同意' });
  expect(res.statusCode, res.payload).toBe(200);
  return step.name as string;
}

async function enableMail() {
  const current = (await admin.get('/notification-channels/email')).body;
  const res = await admin.put('/notification-channels/email', {
    enabled: true,
    host: '127.0.0.1',
    port: (smtp.server.address() as AddressInfo).port,
    secure: false,
    username: '',
    fromAddress: 'sales@xingchen.example',
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
  const db = t.database.db;
  const customer = await makeCustomer(db, { name: '苏州顺达物流有限公司', owner: 'rep01' });
  customerId = customer.id;
  const [contact] = await db
    .insert(contacts)
    .values({ customerId, name: '李明', email: 'liming@shunda.example' })
    .returning();
  contactId = contact!.id;
  truck = await makeProduct(db, { sku: 'QT-LT-01', name: '星辰轻卡 L1', listPrice: 1_000_000 });
  floored = await makeProduct(db, { sku: 'QT-HT-02', name: '星辰重卡 H2', listPrice: 5_000_000 });
  archived = await makeProduct(db, { sku: 'QT-OLD', name: '停产车型', listPrice: 800_000 });
  await archiveProduct(db, archived.id);
  // The heavy truck's price list sets a floor of ¥45,000.
  const list = await director.post('/price-lists', { code: 'Q-STD', name: '报价标准价' });
  expect(list.statusCode, list.payload).toBe(201);
  const rule = await director.post(`/price-lists/${list.body.id}/rules`, {
    productId: floored.id,
    price: 5_000_000,
    floorPrice: 4_500_000,
  });
  expect(rule.statusCode, rule.payload).toBe(201);
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const draft = (over: Record<string, unknown> = {}) => ({
  customerId,
  contactId,
  paymentTerms: '预付 30%，到货 60%，质保金 10%',
  deliveryTerms: '苏州工厂交货',
  lines: [{ productId: truck.id, quantity: '10', discountPercent: '20' }],
  ...over,
});

describe('quotes', () => {
  it('a rep quotes 10 trucks at 20% off; the manager then the director approve; the PDF says 人民币捌万元整; e-mailed, accepted and converted to a contract in 3 installments', async () => {
    const created = await rep.post('/quotes', draft({ expectedTotal: 8_000_000 }));
    expect(created.statusCode, created.payload).toBe(201);
    const q = created.body;
    expect(q.number).toMatch(/^Q-\d{4}-\d{6}$/);
    expect(q).toMatchObject({
      revision: 1,
      state: 'draft',
      total: 8_000_000,
      actions: ['edit', 'submit', 'send'],
    });
    expect(q.current).toMatchObject({
      listTotal: 10_000_000,
      subtotal: 8_000_000,
      total: 8_000_000,
      effectiveDiscount: '20.00',
      approvalLevel: 'director',
      contactName: '李明',
    });
    // 含税: ¥80,000 at 13% VAT holds ¥9,203.54 of tax.
    expect(q.current.tax).toBe(920_354);
    expect(q.current.totalExclTax).toBe(7_079_646);
    // A rep does not see costs or margins.
    expect(q.seesCost).toBe(false);
    expect(q.current.lines[0].margin).toBeUndefined();

    // 20% needs approval: it cannot go out as a draft.
    const early = await rep.post(`/quotes/${q.id}/send`, { to: 'liming@shunda.example', version: q.version });
    expect(early.statusCode).toBe(422);
    expect(early.body.code).toBe('quote_needs_approval');

    const submitted = await rep.post(`/quotes/${q.id}/submit`, { version: q.version });
    expect(submitted.statusCode, submitted.payload).toBe(200);
    expect(submitted.body.approval.status).toBe('pending');
    expect(submitted.body.quote.state).toBe('pending_approval');
    const requestId = submitted.body.approval.requestId;

    // Pending: not editable any more.
    const edit = await rep.patch(`/quotes/${q.id}`, {
      notes: '改一下',
      version: submitted.body.quote.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('quote_not_editable');

    expect(await approve(requestId)).toBe('直属上级审批');
    expect((await rep.get(`/quotes/${q.id}`)).body.state).toBe('pending_approval');
    expect(await approve(requestId)).toBe('总监审批');
    const approved = (await rep.get(`/quotes/${q.id}`)).body;
    expect(approved.state).toBe('approved');
    expect(approved.actions).toEqual(['send', 'accept', 'reject', 'revise']);

    const pdf = await rep.get(`/quotes/${q.id}/pdf?locale=zh-CN`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('人民币捌万元整');
    expect(text).toContain('苏州顺达物流有限公司');
    expect(text).toContain('星辰轻卡L1');
    const en = pdfText((await rep.get(`/quotes/${q.id}/pdf?locale=en`)).rawPayload);
    expect(en).toContain('eighty thousand');

    // Mail not set up → a clear error, nothing changes.
    const noMail = await rep.post(`/quotes/${q.id}/send`, {
      to: 'liming@shunda.example',
      version: approved.version,
    });
    expect(noMail.statusCode).toBe(422);
    expect(noMail.body.code).toBe('quote_mail_not_configured');
    expect((await rep.get(`/quotes/${q.id}`)).body.version).toBe(approved.version);

    await enableMail();
    const sent = await rep.post(`/quotes/${q.id}/send`, {
      to: 'liming@shunda.example',
      cc: ['boss@shunda.example'],
      locale: 'zh-CN',
      version: approved.version,
    });
    expect(sent.statusCode, sent.payload).toBe(200);
    expect(sent.body.state).toBe('sent');
    expect(sent.body.sends).toHaveLength(1);
    expect(sent.body.sends[0]).toMatchObject({
      to: 'liming@shunda.example',
      revision: 1,
      cc: 'boss@shunda.example',
    });
    const mail = mails.at(-1)!;
    expect(mail.to).toEqual(['liming@shunda.example', 'boss@shunda.example']);
    expect(mail.raw).toContain('application/pdf');

    const accepted = await rep.post(`/quotes/${q.id}/accept`, { version: sent.body.version });
    expect(accepted.statusCode, accepted.payload).toBe(200);
    expect(accepted.body.state).toBe('accepted');

    const split = (await rep.get('/contracts/split?amount=8000000&n=3')).body.amounts as number[];
    const converted = await rep.post(`/quotes/${q.id}/contract`, {
      startDate: '2026-12-01',
      endDate: '2027-11-30',
      installments: [
        { dueDate: '2026-12-15', amount: split[0] },
        { dueDate: '2027-03-15', amount: split[1] },
        { dueDate: '2027-06-15', amount: split[2] },
      ],
      version: accepted.body.version,
    });
    expect(converted.statusCode, converted.payload).toBe(201);
    const contractId = converted.body.contractId;
    expect(converted.body.quote.contractId).toBe(contractId);
    const [contract] = await t.database.db.select().from(contracts).where(eq(contracts.id, contractId));
    expect(contract).toMatchObject({
      amount: 8_000_000,
      quoteId: q.id,
      customerId,
      contactId,
      state: 'draft',
      taxRate: '13.00',
    });
    const plan = await t.database.db
      .select()
      .from(contractInstallments)
      .where(eq(contractInstallments.contractId, contractId));
    expect(plan).toHaveLength(3);
    expect(plan.reduce((s, i) => s + i.amount, 0)).toBe(8_000_000);

    const again = await rep.post(`/quotes/${q.id}/contract`, {
      startDate: '2026-12-01',
      endDate: '2027-11-30',
      installments: [{ dueDate: '2026-12-15', amount: 8_000_000 }],
      version: converted.body.quote.version,
    });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('quote_already_converted');

    const history = (await rep.get(`/quotes/${q.id}/history`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(history).toEqual(
      expect.arrayContaining([
        'create',
        'submit',
        'approval_approve',
        'send',
        'accept',
        'convert_to_contract',
      ]),
    );
  });

  it('an approved quote cannot be edited; a revision makes v2 a draft and keeps v1 read-only', async () => {
    // 3% needs no approval: submit approves at once.
    const q = (
      await rep.post(
        '/quotes',
        draft({ lines: [{ productId: truck.id, quantity: '2', discountPercent: '3' }] }),
      )
    ).body;
    const submitted = await rep.post(`/quotes/${q.id}/submit`, { version: q.version });
    expect(submitted.body.approval).toEqual({ status: 'approved', requestId: null });
    expect(submitted.body.quote.state).toBe('approved');

    const edit = await rep.patch(`/quotes/${q.id}`, { notes: '加急', version: submitted.body.quote.version });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('quote_not_editable');
    expect(edit.body.detail).toContain('修订');

    const revised = await rep.post(`/quotes/${q.id}/revise`, { version: submitted.body.quote.version });
    expect(revised.statusCode, revised.payload).toBe(200);
    expect(revised.body).toMatchObject({ revision: 2, state: 'draft' });
    expect(
      revised.body.revisions.map((r: { revision: number; state: string }) => [r.revision, r.state]),
    ).toEqual([
      [2, 'draft'],
      [1, 'superseded'],
    ]);

    const changed = await rep.patch(`/quotes/${q.id}`, {
      lines: [{ productId: truck.id, quantity: '3', unitPrice: 990_000 }],
      version: revised.body.version,
    });
    expect(changed.statusCode, changed.payload).toBe(200);
    expect(changed.body.current).toMatchObject({ total: 2_970_000, effectiveDiscount: '1.00' });
    expect(changed.body.current.lines[0]).toMatchObject({
      unitPrice: 990_000,
      discountPercent: '1.00',
      priceEntered: true,
    });

    const v1 = (await rep.get(`/quotes/${q.id}?revision=1`)).body.current;
    expect(v1).toMatchObject({ revision: 1, state: 'superseded', total: 1_940_000 });

    // A stale version is refused.
    const stale = await rep.patch(`/quotes/${q.id}`, { notes: 'x', version: revised.body.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
  });

  it('a line below its floor cannot be sent without approval, and the director must approve it', async () => {
    // ¥44,000 against a floor of ¥45,000: 12% off, but below floor → manager and director.
    const q = (
      await rep.post(
        '/quotes',
        draft({ lines: [{ productId: floored.id, quantity: '1', unitPrice: 4_400_000 }] }),
      )
    ).body;
    expect(q.current).toMatchObject({ belowFloor: true, approvalLevel: 'director' });
    expect(q.current.lines[0]).toMatchObject({ floorPrice: 4_500_000, belowFloor: true });
    const send = await rep.post(`/quotes/${q.id}/send`, { to: 'liming@shunda.example', version: q.version });
    expect(send.statusCode).toBe(422);
    expect(send.body.code).toBe('quote_needs_approval');
    expect(send.body.detail).toContain('低于底价');
    expect((await t.database.db.select().from(quoteSends).where(eq(quoteSends.quoteId, q.id))).length).toBe(
      0,
    );

    const submitted = await rep.post(`/quotes/${q.id}/submit`, { version: q.version });
    const requestId = submitted.body.approval.requestId;
    expect(await approve(requestId)).toBe('直属上级审批');
    // The director sends it back: the quote is a draft again, with the comment.
    const step = await pendingStep(director, requestId);
    const rejected = await director.post(`/approvals/${requestId}/reject`, {
      stepId: step.id,
      comment: '低于底价，不批',
    });
    expect(rejected.statusCode, rejected.payload).toBe(200);
    const back = (await rep.get(`/quotes/${q.id}`)).body;
    expect(back.state).toBe('draft');
    expect(back.current.reviewComment).toBe('低于底价，不批');
  });

  it('a client total that differs from the server is refused with both amounts, and nothing is written', async () => {
    const before = (await t.database.db.select().from(quotes)).length;
    const res = await rep.post('/quotes', draft({ expectedTotal: 7_999_999 }));
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('quote_total_mismatch');
    expect(res.body.detail).toContain('¥79,999.99');
    expect(res.body.detail).toContain('¥80,000.00');
    expect((await t.database.db.select().from(quotes)).length).toBe(before);
    expect((await t.database.db.select().from(quoteRevisions)).length).toBeGreaterThan(0);
  });

  it('an archived product, another rep’s customer or a bad discount is refused', async () => {
    const old = await rep.post('/quotes', draft({ lines: [{ productId: archived.id, quantity: '1' }] }));
    expect(old.statusCode).toBe(422);
    expect(old.body.code).toBe('quote_product_archived');
    expect(old.body.detail).toContain('停产车型');

    const other = await makeCustomer(t.database.db, { name: '别组的客户', owner: 'rep07' });
    const hidden = await rep.post('/quotes', draft({ customerId: other.id, contactId: undefined }));
    expect(hidden.statusCode).toBe(400);

    const bad = await rep.post(
      '/quotes',
      draft({ lines: [{ productId: truck.id, quantity: '1', discountPercent: '120' }] }),
    );
    expect(bad.statusCode).toBe(400);
  });

  it('an expired quote cannot be accepted', async () => {
    const q = (await rep.post('/quotes', draft({ lines: [{ productId: truck.id, quantity: '1' }] }))).body;
    const submitted = (await rep.post(`/quotes/${q.id}/submit`, { version: q.version })).body.quote;
    await t.database.db.update(quotes).set({ validUntil: '2020-01-01' }).where(eq(quotes.id, q.id));
    const view = (await rep.get(`/quotes/${q.id}`)).body;
    expect(view.expired).toBe(true);
    expect(view.actions).toEqual(['revise']);
    const res = await rep.post(`/quotes/${q.id}/accept`, { version: submitted.version });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('quote_expired');
  });

  it('the director sees costs and margins; the list filters by state and customer', async () => {
    const list = await director.get(`/quotes?customerId=${customerId}&state=draft`);
    expect(list.statusCode).toBe(200);
    expect(list.body.items.every((i: { state: string }) => i.state === 'draft')).toBe(true);
    const one = (await director.get(`/quotes/${list.body.items[0].id}`)).body;
    expect(one.seesCost).toBe(true);
    expect(one.current.lines[0].cost).toBeTypeOf('number');
    expect(one.current.lines[0].margin).toBeTypeOf('number');
    const preview = await rep.post('/quotes/preview', {
      customerId,
      discountPercent: '10',
      lines: [{ productId: truck.id, quantity: '10', discountPercent: '5' }],
    });
    expect(preview.statusCode, preview.payload).toBe(200);
    expect(preview.body).toMatchObject({
      subtotal: 9_500_000,
      discountAmount: 950_000,
      total: 8_550_000,
      approvalLevel: 'manager',
    });
  });
});
