import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import { auditLog } from '../../../platform/audit/schema.js';
import { pdfText } from '../../../platform/pdf/testing.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { users } from '../../org/schema.js';
import { targetAgreements, targetNodes } from './schema.js';

// The story of issue 8, items 1–3: the director sets ¥120,000,000 for 2027, splits it to the
// regions by last year's seasonality, a region manager splits to teams, a team lead to reps by
// weights, publishes, the reps sign, and a signed target changes only through approval.

let t: TestApp;
let director: Client;
let manager01: Client; // 华东 region
let manager02: Client; // 华东一组 team lead
let rep01: Client;
let rep02: Client;
let rep03: Client;
let rep07: Client; // 华南
const db = () => t.database.db;

const TOTAL = 12_000_000_000; // ¥120,000,000 in fen
let planId: string;
let rootId: string;
const nodeRow = async (id: string) =>
  (await db().select().from(targetNodes).where(eq(targetNodes.id, id)))[0]!;
const nodeCount = async () => (await db().select({ n: count() }).from(targetNodes))[0]!.n;
const agreementCount = async () => (await db().select({ n: count() }).from(targetAgreements))[0]!.n;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const userId = async (username: string) =>
  (await db().select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

type Node = {
  id: string;
  label: string;
  amount: number;
  version: number;
  dimensionId: string | null;
  ownerId: string | null;
  state: string;
  parentId: string | null;
  gap: number | null;
  agreement: { id: string; state: string } | null;
};
async function nodesOf(client: Client): Promise<Node[]> {
  const res = await client.get(`/target-plans/${planId}`);
  expect(res.statusCode).toBe(200);
  return res.body.nodes;
}
const byLabel = (nodes: Node[], label: string) => nodes.find((n) => n.label === label)!;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  const clients = await Promise.all(
    ['director', 'manager01', 'manager02', 'rep01', 'rep02', 'rep03', 'rep07'].map((u) => as(t.app, u)),
  );
  [director, manager01, manager02, rep01, rep02, rep03, rep07] = clients as [
    Client,
    Client,
    Client,
    Client,
    Client,
    Client,
    Client,
  ];
}, 120_000);
afterAll(() => t.close());
const userIdSync: Record<string, string> = {};
beforeAll(async () => {
  for (const u of ['rep01', 'rep02', 'rep03']) userIdSync[u] = await userId(u);
});

describe('setting the company target', () => {
  it('a negative target is refused and nothing is written', async () => {
    const before = await nodeCount();
    const res = await director.post('/target-plans', {
      name: '2027 年度销售目标',
      fiscalYear: 2027,
      metric: 'booked_revenue',
      amount: -1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0].path).toBe('amount');
    expect(await nodeCount()).toBe(before);
  });

  it('a rep cannot set the company target', async () => {
    const res = await rep01.post('/target-plans', {
      name: 'x',
      fiscalYear: 2027,
      metric: 'booked_revenue',
      amount: 1,
    });
    expect(res.statusCode).toBe(403);
  });

  it('the director sets ¥120,000,000 of booked revenue for 2027', async () => {
    const res = await director.post('/target-plans', {
      name: '2027 年度销售目标',
      fiscalYear: 2027,
      metric: 'booked_revenue',
      amount: TOTAL,
    });
    expect(res.statusCode).toBe(201);
    planId = res.body.plan.id;
    rootId = res.body.plan.rootNodeId;
    expect(res.body.plan).toMatchObject({ fiscalYear: 2027, metricKind: 'money', amount: TOTAL });
    expect(res.body.nodes).toHaveLength(1);
    expect(res.body.nodes[0]).toMatchObject({
      dimension: 'company',
      period: { kind: 'year', start: '2027-01-01', end: '2027-12-31', key: '2027' },
      state: 'draft',
    });
  });
});

describe('allocating top-down', () => {
  it('the director splits the company target to the regions by last year’s seasonality', async () => {
    const root = await nodeRow(rootId);
    const res = await director.post(`/target-nodes/${rootId}/allocate`, {
      split: 'dimension',
      dimension: 'org_unit',
      method: 'seasonality',
      version: root.version,
    });
    expect(res.statusCode).toBe(200);
    const regions: Node[] = res.body.children;
    expect(regions.map((r) => r.label)).toEqual(['华东', '华南', '华北', '西南']);
    expect(regions.reduce((a, r) => a + r.amount, 0)).toBe(TOTAL);
    expect(res.body.parent.gap).toBe(0);

    // Independently: last year's booked revenue per region from the demo orders.
    const rows = await queryRows<{ id: string; total: string }>(
      db(),
      sql`
      select top.id, coalesce(sum(o.total), 0)::text as total
      from org_units top
      left join org_units sub on sub.path like top.path || '%'
      left join sales_orders o on o.org_unit_id = sub.id
        and o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
        and (o.confirmed_at at time zone 'Asia/Shanghai')::date between '2026-01-01' and '2026-12-31'
      where top.kind = 'region'
      group by top.id`,
    );
    const last = new Map(rows.map((r) => [r.id, BigInt(r.total)]));
    const sum = [...last.values()].reduce((a, b) => a + b, 0n);
    if (res.body.fellBackToEven) {
      expect(sum).toBe(0n);
      for (const r of regions) expect(r.amount).toBe(TOTAL / 4);
    } else {
      for (const r of regions) {
        const exact = (BigInt(TOTAL) * last.get(r.dimensionId!)!) / sum;
        expect(Math.abs(r.amount - Number(exact))).toBeLessThanOrEqual(1);
      }
    }
    expect(regions.every((r) => r.state === 'draft')).toBe(true);
  });

  it('the director publishes the regions; each region manager is sent an agreement', async () => {
    const root = await nodeRow(rootId);
    const res = await director.post(`/target-nodes/${rootId}/publish`, { version: root.version });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ published: 4, agreementsSent: 4 });
    const mine = await manager01.get('/target-agreements?who=mine');
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ label: '华东', state: 'sent', canSign: true });
    // The agreement waits in the manager's approval inbox too.
    const inbox = await manager01.get('/approvals?box=pending&docType=target_agreement');
    expect(inbox.body.items).toHaveLength(1);
    const signed = await manager01.post(`/target-agreements/${mine.body.items[0].id}/sign`);
    expect(signed.statusCode).toBe(200);
    expect(signed.body.state).toBe('signed');
  });

  it('a region manager sees their region, not the company or other regions', async () => {
    const nodes = await nodesOf(manager01);
    expect(nodes.map((n) => n.label)).toEqual(['华东']);
    const company = await manager01.get(`/target-nodes/${rootId}`);
    expect(company.statusCode).toBe(404);
  });

  it('the region manager splits 华东 evenly to its teams and publishes', async () => {
    const east = byLabel(await nodesOf(manager01), '华东');
    const res = await manager01.post(`/target-nodes/${east.id}/allocate`, {
      split: 'dimension',
      dimension: 'org_unit',
      method: 'even',
      version: east.version,
    });
    expect(res.statusCode).toBe(200);
    const teams: Node[] = res.body.children;
    expect(teams.map((x) => x.label)).toEqual(['华东一组', '华东二组']);
    expect(teams[0]!.amount + teams[1]!.amount).toBe(east.amount);
    expect(Math.abs(teams[0]!.amount - teams[1]!.amount)).toBeLessThanOrEqual(1);
    const pub = await manager01.post(`/target-nodes/${east.id}/publish`, {
      version: (await nodeRow(east.id)).version,
    });
    expect(pub.statusCode).toBe(200);
    expect(pub.body.agreementsSent).toBe(2);
  });

  it('the team lead splits 华东一组 to the reps by weights', async () => {
    const team = byLabel(await nodesOf(manager02), '华东一组');
    const weights = {
      [await userId('rep01')]: 5,
      [await userId('rep02')]: 3,
      [await userId('rep03')]: 2,
    };
    const res = await manager02.post(`/target-nodes/${team.id}/allocate`, {
      split: 'dimension',
      dimension: 'rep',
      method: 'weights',
      weights,
      version: team.version,
    });
    expect(res.statusCode).toBe(200);
    const reps: Node[] = res.body.children;
    expect(reps).toHaveLength(3);
    const amountOf = async (u: string) => reps.find((r) => r.dimensionId === u)!.amount;
    expect(reps.reduce((a, r) => a + r.amount, 0)).toBe(team.amount);
    const share = (w: number) => (team.amount * w) / 10;
    expect(Math.abs((await amountOf(await userId('rep01'))) - share(5))).toBeLessThanOrEqual(1);
    expect(Math.abs((await amountOf(await userId('rep03'))) - share(2))).toBeLessThanOrEqual(1);
  });

  it('children that exceed the parent cannot be published: 422 naming the team and the difference, nothing changed', async () => {
    const nodes = await nodesOf(manager02);
    const team = byLabel(nodes, '华东一组');
    const rep1 = nodes.find((n) => n.parentId === team.id && n.ownerId === userIdSync.rep01)!;
    const edited = await manager02.patch(`/target-nodes/${rep1.id}`, {
      amount: rep1.amount + 100_00,
      version: rep1.version,
    });
    expect(edited.statusCode).toBe(200);
    const agreementsBefore = await agreementCount();
    const res = await manager02.post(`/target-nodes/${team.id}/publish`, {
      version: (await nodeRow(team.id)).version,
    });
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('target_unbalanced');
    expect(res.body.detail).toContain('华东一组');
    expect(res.body.detail).toContain('¥100.00');
    expect(await agreementCount()).toBe(agreementsBefore);
    expect((await nodeRow(rep1.id)).state).toBe('draft');

    manager02.locale = 'en';
    const en = await manager02.post(`/target-nodes/${team.id}/publish`, {
      version: (await nodeRow(team.id)).version,
    });
    expect(en.body.detail).toContain('a difference of ¥100.00');
    manager02.locale = 'zh-CN';

    const back = await manager02.patch(`/target-nodes/${rep1.id}`, {
      amount: rep1.amount,
      version: edited.body.version,
    });
    expect(back.statusCode).toBe(200);
    const ok = await manager02.post(`/target-nodes/${team.id}/publish`, {
      version: (await nodeRow(team.id)).version,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatchObject({ published: 3, agreementsSent: 3 });
  });

  it('a rep sees only their own target and agreement; another region sees nothing of it', async () => {
    const nodes = await nodesOf(rep01);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]!.ownerId).toBe(await userId('rep01'));
    const plans = await rep07.get('/target-plans');
    expect(plans.body.items.map((p: { id: string }) => p.id)).not.toContain(planId);
    expect((await rep07.get(`/target-nodes/${nodes[0]!.id}`)).statusCode).toBe(404);
  });
});

describe('target agreements', () => {
  let rep01Agreement: string;

  it('rep01 signs; rep02 rejects with a comment; the team lead sees each status', async () => {
    const mine = await rep01.get('/target-agreements?who=mine');
    expect(mine.body.items).toHaveLength(1);
    rep01Agreement = mine.body.items[0].id;
    expect((await rep01.post(`/target-agreements/${rep01Agreement}/sign`)).body.state).toBe('signed');

    const rep02Agreement = (await rep02.get('/target-agreements?who=mine')).body.items[0].id;
    const noComment = await rep02.post(`/target-agreements/${rep02Agreement}/reject`, {});
    expect(noComment.statusCode).toBe(400);
    const rejected = await rep02.post(`/target-agreements/${rep02Agreement}/reject`, {
      comment: '新客户区域尚未开发，目标偏高',
    });
    expect(rejected.body).toMatchObject({ state: 'rejected', comment: '新客户区域尚未开发，目标偏高' });

    // Someone else cannot sign rep03's agreement, even the team lead who sees it.
    const rep03Agreement = (await rep03.get('/target-agreements?who=mine')).body.items[0].id;
    expect((await manager02.post(`/target-agreements/${rep03Agreement}/sign`)).statusCode).toBe(403);
    expect((await rep01.post(`/target-agreements/${rep03Agreement}/sign`)).statusCode).toBe(404);
    expect((await rep03.post(`/target-agreements/${rep03Agreement}/sign`)).statusCode).toBe(200);

    const team = await manager02.get(`/target-agreements?planId=${planId}`);
    const states = Object.fromEntries(
      team.body.items.map((a: { assignee: { id: string }; state: string }) => [a.assignee.id, a.state]),
    );
    expect(states[await userId('rep01')]).toBe('signed');
    expect(states[await userId('rep02')]).toBe('rejected');
    expect(states[await userId('rep03')]).toBe('signed');
    expect(states[await userId('manager02')]).toBe('sent');
    // A signed agreement cannot be signed again.
    const again = await rep01.post(`/target-agreements/${rep01Agreement}/sign`);
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('target_agreement_closed');
  });

  it('a signed target cannot be edited without an approved change: 409, nothing changed', async () => {
    const nodes = await nodesOf(manager02);
    const rep1 = nodes.find((n) => n.ownerId === userIdSync.rep01)!;
    expect(rep1).toBeDefined();
    const before = await auditCount();
    const res = await manager02.patch(`/target-nodes/${rep1.id}`, {
      amount: rep1.amount - 1,
      version: rep1.version,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('target_agreement_signed');
    expect((await nodeRow(rep1.id)).amount).toBe(rep1.amount);
    expect(await auditCount()).toBe(before);
  });

  it('a rejected target is edited back to draft and re-published with a new agreement', async () => {
    const nodes = await nodesOf(manager02);
    const rep2 = nodes.find((n) => n.ownerId === userIdSync.rep02)!;
    expect(rep2.agreement?.state).toBe('rejected');
    const team = byLabel(nodes, '华东一组');
    const rep3 = nodes.find((n) => n.ownerId === userIdSync.rep03)!;
    // Moving money between a rejected and a signed target needs a change; keep it on rep02 alone.
    const edited = await manager02.patch(`/target-nodes/${rep2.id}`, {
      amount: rep2.amount,
      version: rep2.version,
    });
    expect(edited.statusCode, edited.payload).toBe(200);
    expect(edited.body.state).toBe('draft');
    const pub = await manager02.post(`/target-nodes/${team.id}/publish`, {
      version: (await nodeRow(team.id)).version,
    });
    expect(pub.body).toMatchObject({ published: 1, agreementsSent: 1 });
    expect(rep3.agreement?.state).toBe('signed');
    const mine = await rep02.get('/target-agreements?who=mine&state=sent');
    expect(mine.body.items).toHaveLength(1);
  });

  it('a change to signed targets is applied once the director approves it, and the reps re-sign', async () => {
    const nodes = await nodesOf(manager02);
    const team = byLabel(nodes, '华东一组');
    const rep1 = nodes.find((n) => n.ownerId === userIdSync.rep01)!;
    const rep3 = nodes.find((n) => n.ownerId === userIdSync.rep03)!;
    const unbalanced = await manager02.post(`/target-nodes/${team.id}/change-requests`, {
      changes: [{ nodeId: rep1.id, amount: rep1.amount - 50_000_00 }],
      reason: '调整',
    });
    expect(unbalanced.statusCode).toBe(422);
    const cr = await manager02.post(`/target-nodes/${team.id}/change-requests`, {
      changes: [
        { nodeId: rep1.id, amount: rep1.amount - 50_000_00 },
        { nodeId: rep3.id, amount: rep3.amount + 50_000_00 },
      ],
      reason: 'rep03 接手了 rep01 的两家客户',
    });
    expect(cr.statusCode).toBe(201);
    expect(cr.body.state).toBe('pending');
    expect((await nodeRow(rep1.id)).amount).toBe(rep1.amount);
    const second = await manager02.post(`/target-nodes/${team.id}/change-requests`, {
      changes: [{ nodeId: rep1.id, amount: rep1.amount }],
      reason: 'again',
    });
    expect(second.statusCode).toBe(409);

    const approval = await director.get(`/approvals/${cr.body.approvalRequestId}`);
    const step = approval.body.steps.find((s: { status: string }) => s.status === 'pending');
    const ok = await director.post(`/approvals/${cr.body.approvalRequestId}/approve`, { stepId: step.id });
    expect(ok.statusCode).toBe(200);
    expect((await nodeRow(rep1.id)).amount).toBe(rep1.amount - 50_000_00);
    expect((await nodeRow(rep3.id)).amount).toBe(rep3.amount + 50_000_00);
    const rep1Agreements = await rep01.get('/target-agreements?who=mine');
    expect(rep1Agreements.body.items.map((a: { state: string }) => a.state).sort()).toEqual([
      'sent',
      'superseded',
    ]);
    const fresh = rep1Agreements.body.items.find((a: { state: string }) => a.state === 'sent');
    expect(fresh.amount).toBe(rep1.amount - 50_000_00);
    expect((await rep01.post(`/target-agreements/${fresh.id}/sign`)).body.state).toBe('signed');

    const history = await manager02.get(`/target-nodes/${rep1.id}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['allocate', 'publish', 'change']),
    );
  });
});

describe('periods', () => {
  it('a rep’s signed annual target is phased by month, summing exactly', async () => {
    const nodes = await nodesOf(manager02);
    const rep1 = nodes.find((n) => n.ownerId === userIdSync.rep01 && n.parentId !== null)!;
    const res = await manager02.post(`/target-nodes/${rep1.id}/allocate`, {
      split: 'period',
      periodKind: 'month',
      method: 'seasonality',
      version: (await nodeRow(rep1.id)).version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.children).toHaveLength(12);
    expect(res.body.children.reduce((a: number, c: Node) => a + c.amount, 0)).toBe(rep1.amount);
    const pub = await manager02.post(`/target-nodes/${rep1.id}/publish`, {
      version: (await nodeRow(rep1.id)).version,
    });
    expect(pub.statusCode).toBe(200);
    const agreement = (await rep01.get('/target-agreements?who=mine&state=signed')).body.items[0];
    expect(agreement.breakdown).toHaveLength(12);
  });

  it('a period outside the plan’s year is refused with 422, nothing written', async () => {
    const nodes = await nodesOf(manager02);
    const march = nodes.find(
      (n) =>
        n.ownerId === userIdSync.rep01 &&
        (n as unknown as { period: { key: string } }).period.key === '2027-03',
    )!;
    const before = await nodeCount();
    const res = await manager02.put(`/target-nodes/${march.id}/periods`, {
      periodKind: 'day',
      periodStart: '2028-03-01',
      amount: 100,
      version: march.version,
    });
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('target_period_outside_year');
    expect(await nodeCount()).toBe(before);
    const ok = await manager02.put(`/target-nodes/${march.id}/periods`, {
      periodKind: 'day',
      periodStart: '2027-03-15',
      amount: 100,
      version: march.version,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body.period).toMatchObject({ kind: 'day', key: '2027-03-15' });
  });
});

describe('the printed agreement and archiving', () => {
  it('the agreement’s signing step names the assignee as its approver', async () => {
    const a = (await rep02.get('/target-agreements?who=mine&state=sent')).body.items[0];
    const approval = await rep02.get(`/approvals/${a.approvalRequestId}`);
    expect(approval.body.steps[0].approvers.map((p: { id: string }) => p.id)).toEqual([userIdSync.rep02]);
    expect(approval.body.canAct).toBe(true);
  });

  it('a rep downloads their agreement as a PDF with the amount in words', async () => {
    const a = (await rep01.get('/target-agreements?who=mine&state=signed')).body.items[0];
    const res = await rep01.get(`/target-agreements/${a.id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = pdfText(res.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('目标责任书');
    expect(text).toContain('人民币');
    expect((await rep07.get(`/target-agreements/${a.id}/pdf`)).statusCode).toBe(404);
  });

  it('an archived plan leaves the list and can no longer be allocated', async () => {
    const plan = (await director.get(`/target-plans/${planId}`)).body.plan;
    const archived = await director.post(`/target-plans/${planId}/archive`, { version: plan.version });
    expect(archived.statusCode).toBe(200);
    expect(archived.body.plan.archived).toBe(true);
    const list = await director.get('/target-plans');
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(planId);
    const root = await nodeRow(rootId);
    const res = await director.patch(`/target-nodes/${rootId}`, { amount: 1, version: root.version });
    expect(res.statusCode).toBe(409);
    expect((await nodeRow(rootId)).amount).toBe(TOTAL);
  });
});
