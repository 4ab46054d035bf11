import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { loadActor } from '../access/actor.js';
import type { Ctx } from '../context.js';
import { enqueueJob, runDueJobs } from '../jobs/jobs.js';
import { notifications } from '../notifications/schema.js';
import { submitForApproval } from './approvals.service.js';
import { defineApprovalType } from './registry.js';
import { approvalRequests, approvalSteps } from './schema.js';

// A test-only document type: an expense claim whose state the hook keeps, as a module would.
const expenseState = new Map<string, string>();
let hookFails = false;
defineApprovalType({
  docType: 'test-expense',
  label: { 'zh-CN': '费用报销（测试）', en: 'Expense claim (test)' },
  facts: [
    { key: 'amount', type: 'money', label: { 'zh-CN': '金额', en: 'Amount' } },
    { key: 'discountPct', type: 'percent', label: { 'zh-CN': '折扣率', en: 'Discount %' } },
    { key: 'creditOverrun', type: 'boolean', label: { 'zh-CN': '超信用额度', en: 'Credit overrun' } },
  ],
  async onDecision(_tx, _ctx, decision) {
    if (hookFails) throw new Error('the document refused the decision');
    expenseState.set(decision.docId, decision.outcome);
  },
});

let t: TestApp;
let admin: Client;
const ids: Record<string, string> = {};
let docNo = 0;

async function ctxOf(username: string): Promise<Ctx> {
  const actor = await loadActor(t.database.db, ids[username]!, { via: 'session' });
  return { actor, requestId: `test-${username}`, locale: 'zh-CN' };
}

/** The rep's module submits a new expense claim; returns its id and the submission result. */
async function submit(username: string, facts: Record<string, unknown>) {
  const docId = `EXP-${++docNo}`;
  const ctx = await ctxOf(username);
  const result = await withTx(t.database.db, (tx) =>
    submitForApproval(tx, ctx, {
      docType: 'test-expense',
      docId,
      title: `报销 ${docId}`,
      link: `/expenses/${docId}`,
      facts,
    }),
  );
  return { docId, ...result };
}

const unread = async (username: string, event: string) =>
  (
    await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids[username]!), eq(notifications.event, event)))
  ).length;

const POLICY = {
  active: true,
  rules: [
    {
      name: '大额或超信用',
      conditions: [{ fact: 'amount', op: 'gt', value: 10_000_000 }],
      steps: [
        { name: '直属上级', approver: { kind: 'manager' } },
        { name: '区域经理', approver: { kind: 'unitHead', level: 1 } },
        { name: '销售总监', approver: { kind: 'role', role: 'director', scope: 'company' } },
      ],
    },
    {
      name: '折扣超过 5%',
      conditions: [{ fact: 'discountPct', op: 'gt', value: 5 }],
      steps: [{ name: '直属上级', approver: { kind: 'manager' } }],
    },
  ],
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  for (const u of await t.database.db.select({ id: users.id, username: users.username }).from(users))
    ids[u.username] = u.id;
});
afterAll(() => t.close());

describe('approval policies', () => {
  it('approves at once when the document type has no policy, telling the module through its hook', async () => {
    const r = await submit('rep01', { amount: 50_000_000, discountPct: 30 });
    expect(r).toMatchObject({ status: 'approved', requestId: null });
    expect(expenseState.get(r.docId)).toBe('approved');
  });

  it('refuses a policy that tests an unknown fact, saving nothing; only administrators edit policies', async () => {
    const bad = await admin.put('/approval-policies/test-expense', {
      active: true,
      rules: [
        {
          name: 'x',
          conditions: [{ fact: 'margin', op: 'lt', value: 10 }],
          steps: [{ name: 's', approver: { kind: 'manager' } }],
        },
      ],
      version: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['rules.0.conditions.0.fact']);
    const rep = await as(t.app, 'rep01');
    expect((await rep.put('/approval-policies/test-expense', { ...POLICY, version: 0 })).statusCode).toBe(
      403,
    );
    const list = await admin.get('/approval-policies');
    expect(list.body.items.find((p: { docType: string }) => p.docType === 'test-expense').version).toBe(0);

    const saved = await admin.put('/approval-policies/test-expense', { ...POLICY, version: 0 });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, active: true });
    expect((await admin.put('/approval-policies/test-expense', { ...POLICY, version: 0 })).statusCode).toBe(
      409,
    );
  });

  it('needs no approval when no rule matches (small amount, small discount)', async () => {
    const r = await submit('rep01', { amount: 100_000, discountPct: 3 });
    expect(r.status).toBe('approved');
  });
});

describe('a one-step approval by the direct manager', () => {
  it('goes to the manager, who approves; others cannot; approving twice is refused', async () => {
    const before = await unread('manager02', 'approval.requested');
    const r = await submit('rep01', { amount: 5_000_000, discountPct: 8 });
    expect(r.status).toBe('pending');
    expect(expenseState.get(r.docId)).toBeUndefined();
    expect(await unread('manager02', 'approval.requested')).toBe(before + 1);

    const manager = await as(t.app, 'manager02');
    expect((await manager.get('/approvals/counts')).body.pending).toBe(1);
    const inbox = await manager.get('/approvals?box=pending');
    const item = inbox.body.items[0];
    expect(item).toMatchObject({
      id: r.requestId,
      ruleName: '折扣超过 5%',
      canAct: true,
      docTypeLabel: '费用报销（测试）',
    });
    expect(item.number).toMatch(/^AP-\d{4}-\d{6}$/);
    const stepId = item.steps[0].id;

    const otherRep = await as(t.app, 'rep02');
    expect((await otherRep.get(`/approvals/${r.requestId}`)).statusCode).toBe(404);
    const otherManager = await as(t.app, 'manager03');
    const notMine = await otherManager.post(`/approvals/${r.requestId}/approve`, { stepId });
    expect(notMine.statusCode).toBe(404);
    const director = await as(t.app, 'director');
    expect((await director.get(`/approvals/${r.requestId}`)).statusCode).toBe(200); // approvals.read
    const directorTries = await director.post(`/approvals/${r.requestId}/approve`, { stepId });
    expect(directorTries.statusCode).toBe(403);
    expect(directorTries.body.code).toBe('approval_not_approver');

    const ok = await manager.post(`/approvals/${r.requestId}/approve`, { stepId, comment: '同意' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', canAct: false });
    expect(ok.body.steps[0]).toMatchObject({
      status: 'approved',
      votes: [{ by: { id: ids.manager02 }, for: null, decision: 'approved', comment: '同意' }],
    });
    expect(expenseState.get(r.docId)).toBe('approved');
    expect(await unread('rep01', 'approval.approved')).toBeGreaterThanOrEqual(1);

    const twice = await manager.post(`/approvals/${r.requestId}/approve`, { stepId });
    expect(twice.statusCode).toBe(409);
    expect(twice.body.code).toBe('approval_closed');
    expect((await manager.get('/approvals/counts')).body.pending).toBe(0);
    expect((await manager.get('/approvals?box=done')).body.items.map((i: { id: string }) => i.id)).toContain(
      r.requestId,
    );
  });

  it('lets exactly one of two simultaneous approvals of the same step through', async () => {
    const r = await submit('rep01', { amount: 5_000_000, discountPct: 9 });
    const manager = await as(t.app, 'manager02');
    const stepId = (await manager.get(`/approvals/${r.requestId}`)).body.steps[0].id;
    const results = await Promise.all([
      manager.post(`/approvals/${r.requestId}/approve`, { stepId }),
      manager.post(`/approvals/${r.requestId}/approve`, { stepId }),
    ]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
  });

  it('rolls the decision back when the document refuses it in its hook', async () => {
    const r = await submit('rep01', { amount: 5_000_000, discountPct: 10 });
    const manager = await as(t.app, 'manager02');
    const stepId = (await manager.get(`/approvals/${r.requestId}`)).body.steps[0].id;
    hookFails = true;
    const res = await manager.post(`/approvals/${r.requestId}/approve`, { stepId });
    hookFails = false;
    expect(res.statusCode).toBe(500);
    const after = await manager.get(`/approvals/${r.requestId}`);
    expect(after.body).toMatchObject({ status: 'pending', canAct: true });
    expect(after.body.steps[0].status).toBe('pending');
  });
});

describe('a three-step approval for a large amount', () => {
  it('walks manager → region head → director, and a return for changes ends the round', async () => {
    const r = await submit('rep01', { amount: 20_000_000, discountPct: 0 });
    const timeline = await (await as(t.app, 'rep01')).get(
      `/approvals/timeline?docType=test-expense&docId=${r.docId}`,
    );
    const steps = timeline.body.items[0].steps;
    expect(steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['直属上级', 'pending'],
      ['区域经理', 'waiting'],
      ['销售总监', 'waiting'],
    ]);
    expect(steps[1].approvers.map((a: { id: string }) => a.id)).toEqual([ids.manager01]);
    expect(steps[2].approvers.map((a: { id: string }) => a.id)).toEqual([ids.director]);

    const lead = await as(t.app, 'manager02');
    await lead.post(`/approvals/${r.requestId}/approve`, { stepId: steps[0].id });
    const region = await as(t.app, 'manager01');
    expect((await region.get('/approvals/counts')).body.pending).toBe(1);
    const noComment = await region.post(`/approvals/${r.requestId}/return`, { stepId: steps[1].id });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.body.errors[0].path).toBe('comment');

    const returned = await region.post(`/approvals/${r.requestId}/return`, {
      stepId: steps[1].id,
      comment: '请补充发票',
    });
    expect(returned.body.status).toBe('returned');
    expect(returned.body.steps.map((s: { status: string }) => s.status)).toEqual([
      'approved',
      'returned',
      'cancelled',
    ]);
    expect(expenseState.get(r.docId)).toBe('returned');
    expect(await unread('rep01', 'approval.returned')).toBeGreaterThanOrEqual(1);

    // The rep fixes the claim and submits it again: a second round on the same document.
    const repCtx = await ctxOf('rep01');
    const again = await withTx(t.database.db, (tx) =>
      submitForApproval(tx, repCtx, {
        docType: 'test-expense',
        docId: r.docId,
        title: `报销 ${r.docId}`,
        facts: { amount: 20_000_000 },
      }),
    );
    expect(again.status).toBe('pending');
    const rounds = await (await as(t.app, 'rep01')).get(
      `/approvals/timeline?docType=test-expense&docId=${r.docId}`,
    );
    expect(rounds.body.items.map((i: { status: string }) => i.status)).toEqual(['pending', 'returned']);

    // The director rejects at the last step.
    const s2 = rounds.body.items[0].steps;
    await lead.post(`/approvals/${again.requestId}/approve`, { stepId: s2[0].id });
    await region.post(`/approvals/${again.requestId}/approve`, { stepId: s2[1].id });
    const director = await as(t.app, 'director');
    const rejected = await director.post(`/approvals/${again.requestId}/reject`, {
      stepId: s2[2].id,
      comment: '预算不足',
    });
    expect(rejected.body.status).toBe('rejected');
    expect(expenseState.get(r.docId)).toBe('rejected');
  });
});

describe('withdrawal and resubmission', () => {
  it('lets only the submitter withdraw; a withdrawn request cannot be approved; one pending round per document', async () => {
    const r = await submit('rep01', { amount: 5_000_000, discountPct: 12 });
    const repCtx = await ctxOf('rep01');
    const dup = await withTx(t.database.db, (tx) =>
      submitForApproval(tx, repCtx, {
        docType: 'test-expense',
        docId: r.docId,
        title: 'again',
        facts: { discountPct: 12 },
      }),
    ).catch((e: { code?: string }) => e.code);
    expect(dup).toBe('approval_pending');

    const manager = await as(t.app, 'manager02');
    const stepId = (await manager.get(`/approvals/${r.requestId}`)).body.steps[0].id;
    const notSubmitter = await manager.post(`/approvals/${r.requestId}/withdraw`, {});
    expect(notSubmitter.statusCode).toBe(403);
    expect(notSubmitter.body.code).toBe('approval_not_submitter');

    const rep = await as(t.app, 'rep01');
    const withdrawn = await rep.post(`/approvals/${r.requestId}/withdraw`, { comment: '金额填错' });
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(expenseState.get(r.docId)).toBe('withdrawn');
    expect(await unread('manager02', 'approval.withdrawn')).toBeGreaterThanOrEqual(1);

    const late = await manager.post(`/approvals/${r.requestId}/approve`, { stepId });
    expect(late.statusCode).toBe(409);
    expect(late.body.code).toBe('approval_closed');
    expect(late.body.title).toBe('审批已结束');
  });
});

describe('nobody to approve', () => {
  it('refuses the submission with a clear message and writes nothing, unless the step may be skipped', async () => {
    const current = (await admin.get('/approval-policies')).body.items.find(
      (p: { docType: string }) => p.docType === 'test-expense',
    );
    // No one in rep01's chain of units (华东一组 → 华东 → company) is warehouse staff.
    const noOneStep = { name: '仓储审核', approver: { kind: 'role', role: 'warehouse', scope: 'chain' } };
    await admin.put('/approval-policies/test-expense', {
      active: true,
      rules: [{ name: '超信用', conditions: [{ fact: 'creditOverrun', op: 'isTrue' }], steps: [noOneStep] }],
      version: current.version,
    });
    const countBefore = (await t.database.db.select().from(approvalRequests)).length;
    const refused = await submit('rep01', { creditOverrun: true }).catch((e: { code?: string }) => e.code);
    expect(refused).toBe('approval_no_approver');
    expect((await t.database.db.select().from(approvalRequests)).length).toBe(countBefore);

    const v = (await admin.get('/approval-policies')).body.items.find(
      (p: { docType: string }) => p.docType === 'test-expense',
    );
    await admin.put('/approval-policies/test-expense', {
      active: true,
      rules: [
        {
          name: '超信用',
          conditions: [{ fact: 'creditOverrun', op: 'isTrue' }],
          steps: [
            { ...noOneStep, skipIfNone: true },
            { name: '财务', approver: { kind: 'role', role: 'finance', scope: 'company' } },
          ],
        },
      ],
      version: v.version,
    });
    const r = await submit('rep01', { creditOverrun: true });
    const view = await (await as(t.app, 'finance01')).get(`/approvals/${r.requestId}`);
    expect(view.body.steps.map((s: { status: string }) => s.status)).toEqual(['skipped', 'pending']);
    expect(view.body.canAct).toBe(true);
  });
});

describe('delegation while away', () => {
  it('lets the delegate decide the approver’s steps, recorded as acting for them, until it is cancelled', async () => {
    const v = (await admin.get('/approval-policies')).body.items.find(
      (p: { docType: string }) => p.docType === 'test-expense',
    );
    await admin.put('/approval-policies/test-expense', { ...POLICY, version: v.version });

    const lead = await as(t.app, 'manager02');
    const now = Date.now();
    const stranger = await as(t.app, 'rep04');
    const forbidden = await stranger.post('/approval-delegations', {
      userId: ids.manager02,
      delegateId: ids.rep04,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
    });
    expect(forbidden.statusCode).toBe(403);
    const backwards = await lead.post('/approval-delegations', {
      delegateId: ids.manager03,
      startsAt: new Date(now + 86_400_000).toISOString(),
      endsAt: new Date(now).toISOString(),
    });
    expect(backwards.statusCode).toBe(400);
    const created = await lead.post('/approval-delegations', {
      delegateId: ids.manager03,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      reason: '年假',
    });
    expect(created.statusCode).toBe(201);

    const r = await submit('rep01', { discountPct: 7 });
    const standIn = await as(t.app, 'manager03');
    // The stand-in now sees everything waiting for manager02 (one earlier claim is still pending).
    expect((await standIn.get('/approvals/counts')).body.pending).toBe(
      (await lead.get('/approvals/counts')).body.pending,
    );
    const box = await standIn.get('/approvals?box=pending');
    expect(box.body.items.map((i: { id: string }) => i.id)).toContain(r.requestId);
    const view = await standIn.get(`/approvals/${r.requestId}`);
    expect(view.body.canAct).toBe(true);
    const ok = await standIn.post(`/approvals/${r.requestId}/approve`, { stepId: view.body.steps[0].id });
    expect(ok.body.steps[0].votes).toMatchObject([{ by: { id: ids.manager03 }, for: { id: ids.manager02 } }]);

    expect((await lead.post(`/approval-delegations/${created.body.id}/cancel`)).statusCode).toBe(200);
    const r2 = await submit('rep01', { discountPct: 7 });
    expect((await standIn.get('/approvals/counts')).body.pending).toBe(0);
    expect((await standIn.get(`/approvals/${r2.requestId}`)).statusCode).toBe(404);
    expect((await lead.get(`/approvals/${r2.requestId}`)).body.canAct).toBe(true);
  });
});

describe('a step every approver must approve (会签)', () => {
  it('stays open until both managers in the chain approve; a second approval by the same person is refused', async () => {
    const v = (await admin.get('/approval-policies')).body.items.find(
      (p: { docType: string }) => p.docType === 'test-expense',
    );
    await admin.put('/approval-policies/test-expense', {
      active: true,
      rules: [
        {
          name: '超信用会签',
          conditions: [{ fact: 'creditOverrun', op: 'isTrue' }],
          steps: [
            { name: '经理会签', mode: 'all', approver: { kind: 'role', role: 'manager', scope: 'chain' } },
            { name: '财务', approver: { kind: 'role', role: 'finance', scope: 'company' } },
          ],
        },
      ],
      version: v.version,
    });
    const r = await submit('rep01', { creditOverrun: true });
    const lead = await as(t.app, 'manager02');
    const region = await as(t.app, 'manager01');
    const view = (await lead.get(`/approvals/${r.requestId}`)).body;
    const step = view.steps[0];
    expect(step.approvers.map((a: { id: string }) => a.id).sort()).toEqual(
      [ids.manager01, ids.manager02].sort(),
    );

    const first = await lead.post(`/approvals/${r.requestId}/approve`, { stepId: step.id, comment: '同意' });
    expect(first.body).toMatchObject({ status: 'pending', canAct: false });
    expect(first.body.steps[0]).toMatchObject({ status: 'pending', votes: [{ by: { id: ids.manager02 } }] });
    const again = await lead.post(`/approvals/${r.requestId}/approve`, { stepId: step.id });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('approval_step_decided');
    expect(
      (await lead.get('/approvals?box=pending')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(r.requestId);
    expect(
      (await region.get('/approvals?box=pending')).body.items.map((i: { id: string }) => i.id),
    ).toContain(r.requestId);

    const second = await region.post(`/approvals/${r.requestId}/approve`, { stepId: step.id });
    expect(second.body.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'pending']);
    expect(second.body.steps[0].votes).toHaveLength(2);

    // In another claim, one manager's rejection ends the round at once.
    const r2 = await submit('rep01', { creditOverrun: true });
    const s2 = (await lead.get(`/approvals/${r2.requestId}`)).body.steps[0];
    const rejected = await region.post(`/approvals/${r2.requestId}/reject`, {
      stepId: s2.id,
      comment: '风险过高',
    });
    expect(rejected.body.status).toBe('rejected');
    expect(expenseState.get(r2.docId)).toBe('rejected');
  });
});

describe('reminders', () => {
  it('reminds, on the scheduled morning run, the approvers of steps waiting over a day, and no one else', async () => {
    const v = (await admin.get('/approval-policies')).body.items.find(
      (p: { docType: string }) => p.docType === 'test-expense',
    );
    await admin.put('/approval-policies/test-expense', { ...POLICY, version: v.version });
    const old = await submit('rep04', { discountPct: 6 }); // manager03 decides
    const fresh = await submit('rep07', { discountPct: 6 }); // manager05 decides
    await t.database.db
      .update(approvalSteps)
      .set({ activatedAt: sql`now() - interval '3 days'` })
      .where(eq(approvalSteps.requestId, old.requestId!));
    const before = await unread('manager05', 'approval.reminder');

    await enqueueJob(t.database.db, 'approvals.remind', {});
    await runDueJobs(t.database.db, { kinds: ['approvals.remind'] });

    const [reminder] = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids.manager03!), eq(notifications.event, 'approval.reminder')));
    expect(reminder).toMatchObject({ entityId: old.requestId, params: expect.objectContaining({ days: 3 }) });
    expect(await unread('manager05', 'approval.reminder')).toBe(before);
    expect(fresh.status).toBe('pending');
  });
});
