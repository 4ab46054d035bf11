import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer } from '../customers/activities.fixtures.js';
import { contacts } from '../customers/schema.js';
import { contractInstallments, contracts } from './contracts.schema.js';

// The contract story: a rep drafts a ¥600,000 contract paid in three installments; finance and
// the director review it; it is signed and followed on the contract ledger.

let t: TestApp;
let admin: Client;
let rep: Client;
let customerId: string;
let contactId: string;

const plan = [
  { dueDate: '2026-03-01', amount: 18_000_000, note: '预付款 30%' },
  { dueDate: '2026-06-30', amount: 36_000_000, note: '到货款 60%' },
  { dueDate: '2027-06-30', amount: 6_000_000, note: '质保金 10%' },
];

const draft = (over: Record<string, unknown> = {}) => ({
  title: '生产线设备采购合同',
  customerId,
  contactId,
  amount: 60_000_000,
  taxRate: '13',
  paymentTerms: '30/60/10',
  deliveryTerms: '到厂交货',
  warranty: '一年',
  startDate: '2026-01-15',
  endDate: '2026-12-31',
  installments: plan,
  ...over,
});

async function pendingStep(client: Client, requestId: string) {
  const res = await client.get(`/approvals/${requestId}`);
  expect(res.statusCode).toBe(200);
  return res.body.steps.find((s: { status: string }) => s.status === 'pending');
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  const customer = await makeCustomer(t.database.db, { name: '江苏恒远机械有限公司', owner: 'rep01' });
  customerId = customer.id;
  const [contact] = await t.database.db.insert(contacts).values({ customerId, name: '王建国' }).returning();
  contactId = contact!.id;
});
afterAll(() => t.close());

describe('contracts', () => {
  it('a rep drafts a ¥600,000 contract in three installments; finance then the director approve it; signed, it is active and on the ledger', async () => {
    const created = await rep.post('/contracts', draft());
    expect(created.statusCode).toBe(201);
    const c = created.body;
    expect(c.number).toMatch(/^C-\d{4}-\d{6}$/);
    expect(c).toMatchObject({
      state: 'draft',
      ourParty: '星辰汽车销售有限公司',
      contactName: '王建国',
      amount: 60_000_000,
      actions: ['edit', 'submit', 'terminate'],
    });
    expect(c.installments.map((i: { seq: number; amount: number }) => [i.seq, i.amount])).toEqual([
      [1, 18_000_000],
      [2, 36_000_000],
      [3, 6_000_000],
    ]);

    const submitted = await rep.post(`/contracts/${c.id}/submit`, { version: c.version });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.body.approval.status).toBe('pending');
    expect(submitted.body.contract.state).toBe('in_review');
    const requestId = submitted.body.approval.requestId;

    // In review the contract cannot be changed.
    const edit = await rep.patch(`/contracts/${c.id}`, {
      title: '改名',
      version: submitted.body.contract.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('contract_wrong_state');
    expect(edit.body.detail).toContain('评审中');

    // ≥ ¥500,000: finance first, then the director.
    const finance = await as(t.app, 'finance01');
    const financeStep = await pendingStep(finance, requestId);
    expect(financeStep.name).toBe('财务审核');
    expect(
      (
        await finance.post(`/approvals/${requestId}/approve`, {
          stepId: financeStep.id,
          comment: '付款条件可行',
        })
      ).statusCode,
    ).toBe(200);
    expect((await rep.get(`/contracts/${c.id}`)).body.state).toBe('in_review');

    const director = await as(t.app, 'director');
    const directorStep = await pendingStep(director, requestId);
    expect(directorStep.name).toBe('总监审批');
    expect(
      (await director.post(`/approvals/${requestId}/approve`, { stepId: directorStep.id })).statusCode,
    ).toBe(200);

    const approved = (await rep.get(`/contracts/${c.id}`)).body;
    expect(approved.state).toBe('approved');
    expect(approved.actions).toEqual(['sign', 'terminate']);

    // The approved contract is not yet on the collection path until signed; signing activates it.
    const signed = await rep.post(`/contracts/${c.id}/sign`, {
      signedDate: '2026-01-20',
      version: approved.version,
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.body).toMatchObject({ state: 'active', signedDate: '2026-01-20' });

    const ledger = await rep.get('/contract-ledger');
    expect(ledger.statusCode).toBe(200);
    const row = ledger.body.items.find((r: { id: string }) => r.id === c.id);
    expect(row).toMatchObject({
      state: 'active',
      amount: 60_000_000,
      collected: { amount: 0, percent: '0.0' },
      ordered: { amount: 0, percent: '0.0' },
      nextDue: { seq: 1, dueDate: '2026-03-01', amount: 18_000_000 },
    });

    const history = (await rep.get(`/contracts/${c.id}/history`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(history).toEqual(expect.arrayContaining(['create', 'submit', 'review_approve', 'sign']));
  });

  it('a plan that does not add up to the amount is refused with the difference, and nothing is written', async () => {
    const before = await t.database.db.select().from(contracts);
    const res = await rep.post(
      '/contracts',
      draft({ installments: [plan[0], plan[1], { ...plan[2], amount: 5_900_000 }] }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('contract_plan_mismatch');
    expect(res.body.detail).toBe('分期合计 ¥599,000.00，合同金额 ¥600,000.00，相差 ¥1,000.00。');
    rep.locale = 'en';
    const en = await rep.post('/contracts', draft({ amount: 60_100_000 }));
    rep.locale = 'zh-CN';
    expect(en.body.detail).toContain('a difference of ¥1,000.00');
    expect(await t.database.db.select().from(contracts)).toHaveLength(before.length);
  });

  it('due dates must increase and fall within the term plus a year', async () => {
    const res = await rep.post(
      '/contracts',
      draft({
        installments: [
          { dueDate: '2026-01-01', amount: 30_000_000 },
          { dueDate: '2028-06-30', amount: 20_000_000 },
          { dueDate: '2026-05-01', amount: 10_000_000 },
        ],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'installments.0.dueDate',
      'installments.1.dueDate',
      'installments.2.dueDate',
    ]);
  });

  it('a small standard contract goes to the direct manager; returned for changes it is a draft again and its plan can be re-split', async () => {
    const c = (
      await rep.post(
        '/contracts',
        draft({ amount: 10_000_000, installments: [{ dueDate: '2026-02-01', amount: 10_000_000 }] }),
      )
    ).body;
    const submitted = await rep.post(`/contracts/${c.id}/submit`, { version: c.version });
    const requestId = submitted.body.approval.requestId;
    const manager = await as(t.app, 'manager02'); // rep01's team lead
    const step = await pendingStep(manager, requestId);
    expect(step.name).toBe('直属上级审批');
    expect(
      (await manager.post(`/approvals/${requestId}/return`, { stepId: step.id, comment: '请按季度分期' }))
        .statusCode,
    ).toBe(200);
    const back = (await rep.get(`/contracts/${c.id}`)).body;
    expect(back.state).toBe('draft');

    const split = (await rep.get('/contracts/split?amount=10000000&n=3')).body.amounts;
    expect(split).toEqual([3_333_333, 3_333_333, 3_333_334]);
    const dates = ['2026-03-31', '2026-06-30', '2026-09-30'];
    const changed = await rep.patch(`/contracts/${c.id}`, {
      installments: split.map((amount: number, i: number) => ({ dueDate: dates[i], amount })),
      version: back.version,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.body.installments).toHaveLength(3);
    const stale = await rep.patch(`/contracts/${c.id}`, { title: '旧版本', version: back.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
  });

  it('a non-standard contract needs finance and the director whatever its amount', async () => {
    const c = (
      await rep.post(
        '/contracts',
        draft({
          amount: 1_000_000,
          nonStandard: true,
          nonStandardNote: '延长付款期至 180 天',
          installments: [{ dueDate: '2026-06-30', amount: 1_000_000 }],
        }),
      )
    ).body;
    const submitted = await rep.post(`/contracts/${c.id}/submit`, { version: c.version });
    const finance = await as(t.app, 'finance01');
    const step = await pendingStep(finance, submitted.body.approval.requestId);
    expect(step.name).toBe('财务审核');
    const rejected = await finance.post(`/approvals/${submitted.body.approval.requestId}/reject`, {
      stepId: step.id,
      comment: '不接受 180 天账期',
    });
    expect(rejected.statusCode).toBe(200);
    expect((await rep.get(`/contracts/${c.id}`)).body.state).toBe('draft');
  });

  it('terminating a contract needs a reason and the terminate permission; it stays on record', async () => {
    const c = (await rep.post('/contracts', draft())).body;
    expect(
      (await rep.post(`/contracts/${c.id}/terminate`, { reason: '客户取消', version: c.version })).statusCode,
    ).toBe(403);
    const director = await as(t.app, 'director');
    const noReason = await director.post(`/contracts/${c.id}/terminate`, { reason: '', version: c.version });
    expect(noReason.statusCode).toBe(400);
    const done = await director.post(`/contracts/${c.id}/terminate`, {
      reason: '客户取消项目',
      version: c.version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toMatchObject({ state: 'terminated', terminationReason: '客户取消项目', actions: [] });
    const [row] = await t.database.db.select().from(contracts).where(eq(contracts.id, c.id));
    expect(row?.state).toBe('terminated');
    expect(
      await t.database.db
        .select()
        .from(contractInstallments)
        .where(eq(contractInstallments.contractId, c.id)),
    ).toHaveLength(3);
  });

  it('the ledger shows the first installment not fully paid, flags it overdue, and filters by it', async () => {
    const c = (
      await rep.post(
        '/contracts',
        draft({
          title: '逾期测试合同',
          amount: 2_000_000,
          startDate: '2025-01-01',
          endDate: '2025-12-31',
          installments: [
            { dueDate: '2025-02-01', amount: 1_000_000 },
            { dueDate: '2025-03-01', amount: 1_000_000 },
          ],
        }),
      )
    ).body;
    await rep.post(`/contracts/${c.id}/submit`, { version: c.version });
    const manager = await as(t.app, 'manager02'); // rep01's team lead
    const requestId = (await rep.get(`/approvals/timeline?docType=contract&docId=${c.id}`)).body.items[0].id;
    const step = await pendingStep(manager, requestId);
    await manager.post(`/approvals/${requestId}/approve`, { stepId: step.id });
    const approved = (await rep.get(`/contracts/${c.id}`)).body;
    expect(approved.state).toBe('approved');
    await rep.post(`/contracts/${c.id}/sign`, { signedDate: '2025-01-10', version: approved.version });
    // The first installment was collected in full (as the order-to-cash issue will record).
    await t.database.db
      .update(contractInstallments)
      .set({ paidAmount: 1_000_000 })
      .where(and(eq(contractInstallments.contractId, c.id), eq(contractInstallments.seq, 1)));

    const overdue = (await rep.get('/contract-ledger?overdue=true')).body.items;
    expect(overdue.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
    expect(overdue.find((r: { id: string }) => r.id === c.id)).toMatchObject({
      overdue: true,
      nextDue: { seq: 2, dueDate: '2025-03-01', amount: 1_000_000 },
    });
    const notOverdue = (await rep.get('/contract-ledger?overdue=false')).body.items;
    expect(notOverdue.map((r: { id: string }) => r.id)).not.toContain(c.id);
    const soon = (await rep.get('/contract-ledger?dueWithinDays=30')).body.items.map(
      (r: { id: string }) => r.id,
    );
    expect(soon).toContain(c.id);

    const xlsx = await rep.get('/contract-ledger/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
  });

  it('finance reads every contract but changes none; a rep of another team cannot see it', async () => {
    const c = (await rep.post('/contracts', draft())).body;
    const finance = await as(t.app, 'finance01');
    expect((await finance.get(`/contracts/${c.id}`)).statusCode).toBe(200);
    expect(
      (await finance.patch(`/contracts/${c.id}`, { title: '财务改', version: c.version })).statusCode,
    ).toBe(403);
    const other = await as(t.app, 'rep07');
    expect((await other.get(`/contracts/${c.id}`)).statusCode).toBe(404);
    expect((await other.get(`/contracts/${c.id}/history`)).statusCode).toBe(404);
  });

  it('the administrator sees the default contract review policy once a contract has been submitted', async () => {
    const policies = (await admin.get('/approval-policies')).body.items;
    const policy = policies.find((p: { docType: string }) => p.docType === 'contract');
    expect(policy.active).toBe(true);
    expect(policy.rules.map((r: { name: string }) => r.name)).toEqual(['大额合同', '非标准条款', '常规合同']);
  });
});
