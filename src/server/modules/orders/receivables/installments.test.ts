import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../db/schema.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { userByName } from '../../customers/activities.fixtures.js';
import { contractInstallments, contracts } from '../../sales/contracts.schema.js';
import { makeInvoiceCustomer } from '../invoicing/invoices.fixtures.js';
import { syncInstallmentsPaid } from './invoice-port.js';
import { paymentAllocations } from './schema.js';

// Issue 7: "installment status follows" and "the contract ledger at 100% collected" — whether an
// installment is paid directly or through the invoice that bills it, contract_installments.paid_amount
// is the money received for it, and the ledger's next due and overdue follow.

let t: TestApp;
let finance: Client;
let director: Client;
let keyN = 0;
const key = () => ({ 'idempotency-key': `inst-test-${++keyN}-${Date.now()}` });
const day = (offset: number) => dayIn('Asia/Shanghai', new Date(Date.now() + offset * 86_400_000));
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  finance = await as(t.app, 'finance01');
  director = await as(t.app, 'director');
});
afterAll(() => t.close());

let n = 0;
/** rep01's customer with an active contract: installment 1 due 10 days ago, installment 2 in 20 days. */
async function contractOfTwo() {
  const customer = await makeInvoiceCustomer(db(), 'rep01');
  const u = await userByName(db(), 'rep01');
  const [contract] = await db()
    .insert(contracts)
    .values({
      number: `C-INST-${String(++n).padStart(6, '0')}`,
      title: '两期付款合同',
      customerId: customer.id,
      ourParty: '星辰汽车销售有限公司',
      amount: 1_000_000,
      taxRate: '13',
      startDate: day(-60),
      endDate: day(300),
      signedDate: day(-60),
      state: 'active',
      ownerId: u.id,
      orgUnitId: u.orgUnitId,
    })
    .returning();
  const installments = await db()
    .insert(contractInstallments)
    .values([
      { contractId: contract!.id, seq: 1, dueDate: day(-10), amount: 400_000 },
      { contractId: contract!.id, seq: 2, dueDate: day(20), amount: 600_000 },
    ])
    .returning();
  return { customer, contract: contract!, installments: installments.sort((a, b) => a.seq - b.seq) };
}

const paidOf = async (contractId: string) =>
  (
    await db()
      .select({ paid: contractInstallments.paidAmount })
      .from(contractInstallments)
      .where(eq(contractInstallments.contractId, contractId))
      .orderBy(asc(contractInstallments.seq))
  ).map((r) => r.paid);

async function invoiceInstallment(installmentId: string, amount?: number) {
  const draft = await finance.post('/invoices/from-installment', {
    installmentId,
    ...(amount ? { amount } : {}),
  });
  expect(draft.statusCode, draft.payload).toBe(201);
  const issued = await finance.post(`/invoices/${draft.body.id}/issue`, { version: draft.body.version });
  expect(issued.statusCode, issued.payload).toBe(200);
  return issued.body;
}

async function pay(customerId: string, amount: number, allocations?: object[]) {
  const res = await finance.post(
    '/payments',
    {
      customerId,
      amount,
      method: 'bank_transfer',
      receivedDate: day(0),
      allocation: allocations ? 'manual' : 'auto',
      ...(allocations ? { allocations } : {}),
    },
    key(),
  );
  expect(res.statusCode, res.payload).toBe(201);
  return res.body;
}

async function ledgerRow(contractId: string, customerId: string) {
  const res = await director.get(`/contract-ledger?customerId=${customerId}`);
  expect(res.statusCode, res.payload).toBe(200);
  return res.body.items.find((r: { id: string }) => r.id === contractId);
}

async function receivable(customerId: string) {
  const r = (await finance.get(`/receivables/customers/${customerId}`)).body;
  const open = r.items.reduce((s: number, i: { open: number }) => s + i.open, 0);
  // What is open, less unapplied cash, is what the customer owes.
  expect(open - r.unapplied).toBe(r.balance);
  return r;
}

describe('contract installments settle through their invoices', () => {
  it('installment 1 invoiced and paid through the invoice is paid; the ledger moves on to installment 2, not overdue', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    const invoice = await invoiceInstallment(installments[0]!.id);
    // Before payment: installment 1 is overdue on the ledger.
    let row = await ledgerRow(contract.id, customer.id);
    expect(row.nextDue).toMatchObject({ seq: 1, amount: 400_000 });
    expect(row.overdue).toBe(true);

    await pay(customer.id, 400_000, [{ invoiceId: invoice.id, amount: 400_000 }]);
    expect(await paidOf(contract.id)).toEqual([400_000, 0]);
    row = await ledgerRow(contract.id, customer.id);
    expect(row.nextDue).toMatchObject({ seq: 2, dueDate: day(20), amount: 600_000 });
    expect(row.overdue).toBe(false);
    expect(row.collected.amount).toBe(400_000);
    // Not overdue in the ledger filter either.
    const overdue = (await director.get(`/contract-ledger?customerId=${customer.id}&overdue=true`)).body;
    expect(overdue.items.map((r: { id: string }) => r.id)).not.toContain(contract.id);
    // Installment 2 is the one open item on the contract side; the invoice is paid.
    const r = await receivable(customer.id);
    expect(r.items.map((i: { kind: string; label: string }) => `${i.kind} ${i.label}`)).toEqual([
      `installment ${contract.number} #2`,
    ]);
    expect(r.items[0].status).toBe('unpaid');
  });

  it('paid in part oldest first, then invoiced, then the rest paid through the invoice: the paid amount follows every step', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    // Oldest first: ¥1,000 lands on installment 1 directly.
    await pay(customer.id, 100_000);
    expect(await paidOf(contract.id)).toEqual([100_000, 0]);
    let r = await receivable(customer.id);
    expect(r.items.find((i: { id: string }) => i.id === installments[0]!.id).status).toBe('overdue');

    // Invoicing installment 1 (in full) moves the ¥1,000 onto the invoice: still received for it.
    const invoice = await invoiceInstallment(installments[0]!.id);
    expect(invoice).toMatchObject({ paidAmount: 100_000, openAmount: 300_000, state: 'partially_paid' });
    expect(await paidOf(contract.id)).toEqual([100_000, 0]);
    r = await receivable(customer.id);
    expect(r.balance).toBe(900_000);
    expect(r.unapplied).toBe(0);

    // The move is a pair of allocation rows for the same payment, audited.
    const rows = await db()
      .select()
      .from(paymentAllocations)
      .where(eq(paymentAllocations.customerId, customer.id))
      .orderBy(asc(paymentAllocations.createdAt), asc(paymentAllocations.id));
    expect(rows.map((a) => [a.installmentId ? 'installment' : 'invoice', a.amount]).sort()).toEqual(
      [
        ['installment', 100_000],
        ['installment', -100_000],
        ['invoice', 100_000],
      ].sort(),
    );
    expect(new Set(rows.map((a) => a.paymentId)).size).toBe(1);
    const audits = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'payment_allocation'), eq(auditLog.action, 'move_to_invoice')));
    expect(audits.filter((a) => rows.some((r) => r.id === a.entityId))).toHaveLength(2);

    // The rest paid through the invoice: installment 1 paid in full.
    await pay(customer.id, 300_000, [{ invoiceId: invoice.id, amount: 300_000 }]);
    expect(await paidOf(contract.id)).toEqual([400_000, 0]);
    const row = await ledgerRow(contract.id, customer.id);
    expect(row.nextDue).toMatchObject({ seq: 2 });
    expect(row.overdue).toBe(false);

    // Money moved onto an invoice cannot be voided away.
    const fresh = (await finance.get(`/invoices/${invoice.id}`)).body;
    const voided = await finance.post(`/invoices/${invoice.id}/void`, {
      reason: '开错',
      version: fresh.version,
    });
    expect(voided.statusCode).toBe(409);
    expect(voided.body.code).toBe('invoice_has_payments');
  });

  it('a prepayment on installment 2, then its invoice issued: the money sits on the invoice and installment 2 keeps its paid amount', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    const payment = await pay(customer.id, 250_000, [
      { installmentId: installments[1]!.id, amount: 250_000 },
    ]);
    expect(await paidOf(contract.id)).toEqual([0, 250_000]);

    const invoice = await invoiceInstallment(installments[1]!.id);
    expect(invoice).toMatchObject({ paidAmount: 250_000, openAmount: 350_000, state: 'partially_paid' });
    expect(await paidOf(contract.id)).toEqual([0, 250_000]);
    const r = await receivable(customer.id);
    expect(r.balance).toBe(750_000);
    const onInvoice = r.items.find((i: { id: string }) => i.id === invoice.id);
    expect(onInvoice).toMatchObject({ paid: 250_000, open: 350_000 });
    // Installment 2 is collected through its invoice now: not an open item of its own.
    expect(r.items.some((i: { id: string }) => i.id === installments[1]!.id)).toBe(false);

    // The payment's detail shows where its money went, net: ¥2,500 on the invoice.
    const detail = (await finance.get(`/payments/${payment.id}`)).body;
    expect(detail.allocated).toBe(250_000);
    const net = new Map<string, number>();
    for (const a of detail.allocations as {
      invoiceId: string | null;
      installmentId: string | null;
      amount: number;
    }[])
      net.set(a.invoiceId ?? a.installmentId!, (net.get(a.invoiceId ?? a.installmentId!) ?? 0) + a.amount);
    expect(net.get(invoice.id)).toBe(250_000);
    expect(net.get(installments[1]!.id)).toBe(0);
  });

  it('an invoice for part of an installment paid beyond it: what fits moves, the rest becomes unapplied cash', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    await pay(customer.id, 300_000, [{ installmentId: installments[0]!.id, amount: 300_000 }]);
    const invoice = await invoiceInstallment(installments[0]!.id, 100_000);
    expect(invoice).toMatchObject({ paidAmount: 100_000, openAmount: 0, state: 'paid' });
    // Installment 1 is billed by an issued invoice: no money stays on it directly.
    expect(await paidOf(contract.id)).toEqual([100_000, 0]);
    const r = await receivable(customer.id);
    expect(r.unapplied).toBe(200_000);
    expect(r.balance).toBe(100_000 + 600_000 - 300_000);
  });

  it('reversing a payment on an installment invoice makes the installment unpaid again', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    const invoice = await invoiceInstallment(installments[0]!.id);
    const payment = await pay(customer.id, 400_000, [{ invoiceId: invoice.id, amount: 400_000 }]);
    expect(await paidOf(contract.id)).toEqual([400_000, 0]);
    const reversed = await finance.post(`/payments/${payment.id}/reverse`, { reason: '退票' });
    expect(reversed.statusCode, reversed.payload).toBe(201);
    expect(await paidOf(contract.id)).toEqual([0, 0]);
    const row = await ledgerRow(contract.id, customer.id);
    expect(row.nextDue).toMatchObject({ seq: 1, amount: 400_000 });
    expect(row.overdue).toBe(true);
    expect(row.collected.amount).toBe(0);
    const inv = (await finance.get(`/invoices/${invoice.id}`)).body;
    expect([inv.paidAmount, inv.state]).toEqual([0, 'issued']);
    await receivable(customer.id);
  });

  it('reversing a prepayment that was moved onto the invoice takes it off the invoice and the installment', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    const payment = await pay(customer.id, 250_000, [
      { installmentId: installments[1]!.id, amount: 250_000 },
    ]);
    const invoice = await invoiceInstallment(installments[1]!.id);
    const reversed = await finance.post(`/payments/${payment.id}/reverse`, { reason: '退票' });
    expect(reversed.statusCode, reversed.payload).toBe(201);
    expect(await paidOf(contract.id)).toEqual([0, 0]);
    const inv = (await finance.get(`/invoices/${invoice.id}`)).body;
    expect([inv.paidAmount, inv.state]).toEqual([0, 'issued']);
    const r = await receivable(customer.id);
    expect(r.balance).toBe(1_000_000);
  });

  it('the paid amount is recomputed from the allocations: a bulk generator can heal every installment at once', async () => {
    const { customer, contract, installments } = await contractOfTwo();
    const invoice = await invoiceInstallment(installments[0]!.id);
    await pay(customer.id, 150_000, [{ invoiceId: invoice.id, amount: 150_000 }]);
    await pay(customer.id, 50_000, [{ installmentId: installments[1]!.id, amount: 50_000 }]);
    // As a bulk insert leaves it: allocations written, paid amounts not.
    await db()
      .update(contractInstallments)
      .set({ paidAmount: 0 })
      .where(eq(contractInstallments.contractId, contract.id));
    await syncInstallmentsPaid(db(), 'all');
    expect(await paidOf(contract.id)).toEqual([150_000, 50_000]);
  });
});
