import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { enqueueJob, runDueJobs } from '../../platform/jobs/jobs.js';
import { notifications } from '../../platform/notifications/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { activities, contacts } from '../customers/schema.js';
import { OPPORTUNITY_STALL_JOB } from './opportunities.jobs.js';
import { opportunities, opportunityStageHistory } from './opportunities.schema.js';

let t: TestApp;
let director: Client;
let rep01: Client;
let rep07: Client;
let manager02: Client;
const db = () => t.database.db;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const notificationsOf = async (username: string, event: string) =>
  db()
    .select()
    .from(notifications)
    .where(
      and(eq(notifications.userId, (await userByName(db(), username)).id), eq(notifications.event, event)),
    );

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  manager02 = await as(t.app, 'manager02');
});
afterAll(() => t.close());

type Stage = { id: string; nameZh: string; kind: string; probability: number };

describe('the default pipeline', () => {
  it('is the seed-004 process: 拜访 → 需求调研 → 方案设计 → 报价 → 谈判 → 签约, plus 未成交', async () => {
    const res = await rep01.get('/pipelines');
    expect(res.statusCode).toBe(200);
    const [standard] = res.body.items;
    expect(standard.isDefault).toBe(true);
    expect(standard.stages.map((s: Stage) => `${s.nameZh} ${s.probability}`)).toEqual([
      '拜访 10',
      '需求调研 20',
      '方案设计 40',
      '报价 60',
      '谈判 80',
      '签约 100',
      '未成交 0',
    ]);
    expect(standard.stages.map((s: Stage) => s.kind)).toEqual([
      'open',
      'open',
      'open',
      'open',
      'open',
      'won',
      'lost',
    ]);
  });

  it('a director adds a distribution pipeline; one without a lost stage is refused', async () => {
    const stages = [
      { nameZh: '意向', nameEn: 'Interest', probability: 20, kind: 'open' },
      { nameZh: '试单', nameEn: 'Trial order', probability: 60, kind: 'open' },
      { nameZh: '签约经销', nameEn: 'Signed', probability: 100, kind: 'won' },
      { nameZh: '放弃', nameEn: 'Dropped', probability: 0, kind: 'lost' },
    ];
    const bad = await director.post('/pipelines', {
      code: 'distribution',
      nameZh: '渠道分销',
      nameEn: 'Distribution',
      stages: stages.slice(0, 3),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('stages');
    const ok = await director.post('/pipelines', {
      code: 'distribution',
      nameZh: '渠道分销',
      nameEn: 'Distribution',
      stages,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.body.stages).toHaveLength(4);
    expect((await rep01.post('/pipelines', { code: 'x', nameZh: 'x', nameEn: 'x', stages })).statusCode).toBe(
      403,
    );
  });

  it('stages are edited as a whole list; a stage an opportunity has been in cannot be removed (409)', async () => {
    const dist = (await rep01.get('/pipelines')).body.items.find(
      (p: { code: string }) => p.code === 'distribution',
    );
    const customerId = (await makeCustomer(db(), { name: '温州联达五金有限公司', owner: 'rep01' })).id;
    const o = await rep01.post('/opportunities', { name: '联达 经销合作', customerId, pipelineId: dist.id });
    expect(o.body.stageNameZh).toBe('意向');
    // The API takes stages without their position: the order of the list is the order.
    const [interest, trial, won, lost] = dist.stages.map(
      ({ position: _p, ...rest }: { position: number }) => rest,
    );
    const withoutInterest = await director.patch(`/pipelines/${dist.id}`, {
      stages: [trial, won, lost],
      version: dist.version,
    });
    expect(withoutInterest.statusCode).toBe(409);
    expect(withoutInterest.body.code).toBe('pipeline_stage_in_use');
    const edited = await director.patch(`/pipelines/${dist.id}`, {
      stages: [
        interest,
        {
          nameZh: '样品测试',
          nameEn: 'Sampling',
          probability: 40,
          kind: 'open',
          requiredFields: ['nextStep'],
        },
        { ...trial, probability: 70 },
        won,
        lost,
      ],
      version: dist.version,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.body.stages.map((s: Stage) => `${s.nameZh} ${s.probability}`)).toEqual([
      '意向 20',
      '样品测试 40',
      '试单 70',
      '签约经销 100',
      '放弃 0',
    ]);
    expect(edited.body.stages[0].id).toBe(interest.id);
  });

  it('loss reasons come from seed 000 (未成交原因) and can be changed by the director', async () => {
    const s = (await rep01.get('/sales-settings')).body;
    expect(s.lossReasons.map((r: { labelZh: string }) => r.labelZh)).toEqual([
      '价格因素',
      '竞品',
      '预算不足',
      '需求变化',
      '决策延迟',
      '其他',
    ]);
    expect(s.stallDays).toBe(14);
    const changed = await director.patch('/sales-settings', { stallDays: 10, version: s.version });
    expect(changed.body.stallDays).toBe(10);
    const stale = await director.patch('/sales-settings', { stallDays: 12, version: s.version });
    expect(stale.statusCode).toBe(409);
    await director.patch('/sales-settings', { stallDays: 14, version: changed.body.version });
  });
});

describe('a rep works an opportunity from visit to loss', () => {
  let customerId: string;
  let contactId: string;
  let stages: Stage[];
  let id: string;
  let version: number;

  beforeAll(async () => {
    customerId = (await makeCustomer(db(), { name: '杭州明远智能装备有限公司', owner: 'rep01', grade: 'A' }))
      .id;
    const [c] = await db().insert(contacts).values({ customerId, name: '孙总' }).returning();
    contactId = c!.id;
    stages = (await rep01.get('/pipelines')).body.items[0].stages;
  });

  it('rep01 opens an opportunity for their customer in 拜访 at 10%', async () => {
    const res = await rep01.post('/opportunities', {
      name: '明远 二期产线自动化',
      customerId,
      amount: 1_280_000_00,
      competitors: [{ name: '华工科技', price: 1_150_000_00, strengths: '价格低', weaknesses: '交付慢' }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      stageNameZh: '拜访',
      probability: 10,
      forecastCategory: 'pipeline',
      status: 'open',
      ownerName: expect.any(String),
    });
    expect(res.body.competitors).toMatchObject([{ name: '华工科技', price: 115_000_000 }]);
    expect(res.body.stageHistory).toHaveLength(1);
    id = res.body.id;
    version = res.body.version;
  });

  it('a rep of another team neither sees it nor can open one for that customer', async () => {
    expect((await rep07.get(`/opportunities/${id}`)).statusCode).toBe(404);
    const res = await rep07.post('/opportunities', { name: '抢单', customerId });
    expect(res.statusCode).toBe(400);
    expect(res.body.code).toBe('invalid_reference');
  });

  it('moves to 需求调研, then cannot leave it without the required item and a contact: 422, nothing changed', async () => {
    const moved = await rep01.post(`/opportunities/${id}/move`, { stageId: stages[1]!.id, version });
    expect(moved.statusCode).toBe(200);
    expect(moved.body).toMatchObject({ stageNameZh: '需求调研', probability: 20 });
    version = moved.body.version;

    const audits = await auditCount();
    const blocked = await rep01.post(
      `/opportunities/${id}/move`,
      { stageId: stages[2]!.id, version, checklist: { budget_known: true } },
      { 'accept-language': 'zh-CN' },
    );
    expect(blocked.statusCode).toBe(422);
    expect(blocked.body.code).toBe('opportunity_stage_blocked');
    expect(blocked.body.detail).toContain('客户需求已书面确认');
    expect(blocked.body.detail).toContain('联系人');
    expect(blocked.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'checklist.needs_confirmed',
      'contactId',
    ]);
    const after = (await rep01.get(`/opportunities/${id}`)).body;
    expect(after).toMatchObject({ stageNameZh: '需求调研', version });
    expect(after.checklist).toEqual({});
    expect(await auditCount()).toBe(audits);

    const en = await rep01.post(
      `/opportunities/${id}/move`,
      { stageId: stages[2]!.id, version },
      { 'accept-language': 'en' },
    );
    expect(en.body.detail).toContain('Customer needs confirmed in writing');
  });

  it('adds the contact, ticks the item and moves on; the time in 需求调研 is recorded', async () => {
    const upd = await rep01.patch(`/opportunities/${id}`, { contactIds: [contactId], version });
    expect(upd.statusCode).toBe(200);
    version = upd.body.version;
    // Pretend the opportunity was opened four days ago and 需求调研 entered three days ago.
    await db()
      .update(opportunityStageHistory)
      .set({ enteredAt: sql`now() - interval '4 days'`, exitedAt: sql`now() - interval '3 days'` })
      .where(
        and(
          eq(opportunityStageHistory.opportunityId, id),
          eq(opportunityStageHistory.stageId, stages[0]!.id),
        ),
      );
    await db()
      .update(opportunityStageHistory)
      .set({ enteredAt: sql`now() - interval '3 days'` })
      .where(
        and(
          eq(opportunityStageHistory.opportunityId, id),
          eq(opportunityStageHistory.stageId, stages[1]!.id),
        ),
      );
    const res = await rep01.post(`/opportunities/${id}/move`, {
      stageId: stages[2]!.id,
      version,
      checklist: { needs_confirmed: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      stageNameZh: '方案设计',
      probability: 40,
      forecastCategory: 'pipeline',
    });
    expect(res.body.checklist[stages[1]!.id]).toEqual(['needs_confirmed']);
    const history = res.body.stageHistory;
    expect(history.map((h: { stageNameZh: string }) => h.stageNameZh)).toEqual([
      '拜访',
      '需求调研',
      '方案设计',
    ]);
    expect(history[1].secondsInStage).toBeGreaterThanOrEqual(3 * 86_400 - 5);
    expect(history[1].exitedAt).not.toBeNull();
    expect(history[2].exitedAt).toBeNull();
    version = res.body.version;
  });

  it('moving backward is allowed; the owner overrides probability and forecast', async () => {
    const back = await rep01.post(`/opportunities/${id}/move`, { stageId: stages[1]!.id, version });
    expect(back.body.stageNameZh).toBe('需求调研');
    const fwd = await rep01.post(`/opportunities/${id}/move`, {
      stageId: stages[2]!.id,
      version: back.body.version,
    });
    expect(fwd.statusCode).toBe(200);
    const o = await rep01.patch(`/opportunities/${id}`, {
      probability: 55,
      forecastCategory: 'best_case',
      version: fwd.body.version,
    });
    expect(o.body).toMatchObject({
      probability: 55,
      probabilityOverridden: true,
      forecastCategory: 'best_case',
    });
    const stale = await rep01.patch(`/opportunities/${id}`, { name: '旧版本', version: fwd.body.version });
    expect(stale.statusCode).toBe(409);
    version = o.body.version;
  });

  it('losing needs a reason from the list (400), then it is lost; a lost one cannot move (409)', async () => {
    const noReason = await rep01.post(`/opportunities/${id}/lose`, { version });
    expect(noReason.statusCode).toBe(400);
    const unknown = await rep01.post(`/opportunities/${id}/lose`, { version, reasonCode: 'weather' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.errors[0].path).toBe('reasonCode');
    const lost = await rep01.post(`/opportunities/${id}/lose`, {
      version,
      reasonCode: 'competitor',
      competitorLostTo: '华工科技',
      note: '对方报价低 10%',
    });
    expect(lost.statusCode).toBe(200);
    expect(lost.body).toMatchObject({
      status: 'lost',
      stageNameZh: '未成交',
      lossReason: 'competitor',
      lostToCompetitor: '华工科技',
      probability: 0,
      forecastCategory: 'closed',
    });
    version = lost.body.version;
    const move = await rep01.post(`/opportunities/${id}/move`, { stageId: stages[3]!.id, version });
    expect(move.statusCode).toBe(409);
    expect(move.body.code).toBe('opportunity_closed');
    expect((await rep01.post(`/opportunities/${id}/lose`, { version, reasonCode: 'price' })).statusCode).toBe(
      409,
    );
  });

  it('only a manager reopens a lost one, back into the stage it left', async () => {
    expect((await rep01.post(`/opportunities/${id}/reopen`, { version })).statusCode).toBe(403);
    const res = await manager02.post(`/opportunities/${id}/reopen`, { version });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', stageNameZh: '方案设计', lossReason: null });
  });

  it('lists and boards show it by stage with counts and sums', async () => {
    const list = await rep01.get(`/opportunities?view=mine&status=open&q=${encodeURIComponent('明远')}`);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    const board = await rep01.get('/opportunities/kanban');
    expect(board.statusCode).toBe(200);
    const col = board.body.columns.find((c: { stageId: string }) => c.stageId === stages[2]!.id);
    expect(col).toMatchObject({ count: 1, amount: 128_000_000, weightedAmount: 51_200_000 });
    expect(col.cards[0].id).toBe(id);
    const other = await rep07.get('/opportunities/kanban');
    expect(other.body.columns.every((c: { count: number }) => c.count === 0)).toBe(true);
  });
});

describe('winning', () => {
  it('a won opportunity is closed at 100% after the exit checks of its stage', async () => {
    const customerId = (await makeCustomer(db(), { name: '宁波海联电子有限公司', owner: 'rep01' })).id;
    const created = (
      await rep01.post('/opportunities', { name: '海联 年度框架', customerId, amount: 50_000_00 })
    ).body;
    const won = await rep01.post(`/opportunities/${created.id}/win`, { version: created.version });
    expect(won.statusCode).toBe(200);
    expect(won.body).toMatchObject({
      status: 'won',
      stageNameZh: '签约',
      probability: 100,
      forecastCategory: 'closed',
    });
    expect(won.body.closedAt).not.toBeNull();
  });
});

describe('lead conversion', () => {
  it('converting a lead with "create opportunity" opens one in 拜访 for the lead owner', async () => {
    const lead = (
      await rep01.post('/leads', {
        companyName: '无锡瑞丰新材料有限公司',
        personName: '吴经理',
        mobile: '13912345678',
        provinceCode: '32',
        needs: '年产 5000 吨改性塑料线',
      })
    ).body;
    const res = await rep01.post(`/leads/${lead.id}/convert`, {
      version: lead.version,
      confirmNew: true,
      createOpportunity: true,
    });
    expect(res.statusCode).toBe(200);
    const list = (await rep01.get(`/opportunities?customerId=${res.body.customerId}`)).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ stageNameZh: '拜访', sourceLeadId: lead.id, ownerId: lead.ownerId });
    expect(list[0].name).toContain('无锡瑞丰');
    const detail = (await rep01.get(`/opportunities/${list[0].id}`)).body;
    expect(detail.contactIds).toEqual([res.body.contactId]);
  });

  it('without the option no opportunity is opened', async () => {
    const lead = (
      await rep01.post('/leads', { companyName: '常州新天地贸易有限公司', mobile: '13912345679' })
    ).body;
    const res = await rep01.post(`/leads/${lead.id}/convert`, { version: lead.version, confirmNew: true });
    expect((await rep01.get(`/opportunities?customerId=${res.body.customerId}`)).body.total).toBe(0);
  });
});

describe('stalls', () => {
  it('an opportunity without activity for 14 days alerts its owner once, again only after activity resumes', async () => {
    const customerId = (await makeCustomer(db(), { name: '嘉兴远大纺织有限公司', owner: 'rep01' })).id;
    const o = (await rep01.post('/opportunities', { name: '远大 染整线', customerId })).body;
    const old = sql`now() - interval '20 days'`;
    await db()
      .update(opportunities)
      .set({ createdAt: old, stageEnteredAt: old })
      .where(eq(opportunities.id, o.id));
    const before = (await notificationsOf('rep01', 'sales.opportunity-stalled')).length;

    await enqueueJob(db(), OPPORTUNITY_STALL_JOB, {});
    await runDueJobs(db(), { kinds: [OPPORTUNITY_STALL_JOB] });
    expect((await notificationsOf('rep01', 'sales.opportunity-stalled')).length).toBe(before + 1);
    expect((await rep01.get(`/opportunities/${o.id}`)).body.stalled).toBe(true);

    await enqueueJob(db(), OPPORTUNITY_STALL_JOB, {});
    await runDueJobs(db(), { kinds: [OPPORTUNITY_STALL_JOB] });
    expect((await notificationsOf('rep01', 'sales.opportunity-stalled')).length).toBe(before + 1);

    // A visit logged late, dated 16 days ago: still before the alert, so nothing new.
    const rep = await userByName(db(), 'rep01');
    await db()
      .insert(activities)
      .values({
        type: 'visit',
        subject: '上门拜访',
        customerId,
        occurredAt: new Date(Date.now() - 16 * 86_400_000),
        ownerId: rep.id,
        orgUnitId: rep.orgUnitId,
      });
    await enqueueJob(db(), OPPORTUNITY_STALL_JOB, {});
    await runDueJobs(db(), { kinds: [OPPORTUNITY_STALL_JOB] });
    expect((await notificationsOf('rep01', 'sales.opportunity-stalled')).length).toBe(before + 1);

    // A visit today: no longer stalled; when it stalls again (the alert stamp is older), it alerts again.
    await db().insert(activities).values({
      type: 'visit',
      subject: '复访',
      customerId,
      ownerId: rep.id,
      orgUnitId: rep.orgUnitId,
    });
    expect((await rep01.get(`/opportunities/${o.id}`)).body.stalled).toBe(false);
    await db()
      .update(opportunities)
      .set({ stalledNotifiedAt: sql`now() - interval '40 days'` })
      .where(eq(opportunities.id, o.id));
    await db()
      .update(activities)
      .set({ occurredAt: sql`now() - interval '15 days'` })
      .where(eq(activities.subject, '复访'));
    await enqueueJob(db(), OPPORTUNITY_STALL_JOB, {});
    await runDueJobs(db(), { kinds: [OPPORTUNITY_STALL_JOB] });
    expect((await notificationsOf('rep01', 'sales.opportunity-stalled')).length).toBe(before + 2);
  });
});

describe('activities on an opportunity', () => {
  it("a visit logged on the opportunity counts as its last activity; another customer's opportunity is refused", async () => {
    const customerId = (await makeCustomer(db(), { name: '绍兴华美印染有限公司', owner: 'rep01' })).id;
    const o = (await rep01.post('/opportunities', { name: '华美 污水处理改造', customerId })).body;
    const other = (await makeCustomer(db(), { name: '台州东方阀门有限公司', owner: 'rep01' })).id;
    const visit = await rep01.post('/activities', {
      type: 'visit',
      subject: '方案沟通',
      opportunityId: o.id,
      occurredAt: new Date(Date.now() + 60_000).toISOString().replace('Z', '+00:00'),
    });
    expect(visit.statusCode).toBe(201);
    const [row] = await db().select().from(activities).where(eq(activities.id, visit.body.id));
    expect(row).toMatchObject({ opportunityId: o.id, customerId });
    const wrong = await rep01.post('/activities', {
      type: 'call',
      subject: '电话',
      customerId: other,
      opportunityId: o.id,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body.errors[0].path).toBe('opportunityId');
  });
});
