import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { monthOf, overallRating } from './account-cards.js';
import { accountPlans, accountReviews } from './account-cards.schema.js';
import { makeCustomer } from './activities.fixtures.js';
import { contacts } from './schema.js';

let t: TestApp;
let manager02: Client;
let rep01: Client;
let rep02: Client;
let rep07: Client;
const db = () => t.database.db;
const thisMonth = () => monthOf(new Date(), 'Asia/Shanghai');
const monthsAgo = (n: number) => {
  const [y, m] = thisMonth().split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const reviewCount = async () => (await db().select({ n: count() }).from(accountReviews))[0]!.n;
const contact = async (customerId: string, name: string, title?: string) =>
  (await db().insert(contacts).values({ customerId, name, title }).returning())[0]!;
const good = { enthusiasm: 5, sales: 4, payment: 4, priceDiscipline: 3, capability: 5 };

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  manager02 = await as(t.app, 'manager02');
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  rep07 = await as(t.app, 'rep07');
});
afterAll(() => t.close());

describe('monthly review rules (pure)', () => {
  it('rates a review by the average of its five scores to one decimal', () => {
    expect(overallRating(good)).toBe(4.2);
    expect(overallRating({ enthusiasm: 5, sales: 5, payment: 5, priceDiscipline: 5, capability: 5 })).toBe(5);
    expect(overallRating({ enthusiasm: 1, sales: 1, payment: 1, priceDiscipline: 1, capability: 2 })).toBe(
      1.2,
    );
    expect(overallRating({ enthusiasm: 3, sales: 4, payment: 4, priceDiscipline: 4, capability: 4 })).toBe(
      3.8,
    );
    expect(overallRating({ enthusiasm: 2, sales: 3, payment: 3, priceDiscipline: 3, capability: 3 })).toBe(
      2.8,
    );
  });

  it('counts the month in the company time zone', () => {
    const lateJan = new Date('2026-01-31T16:30:00Z');
    expect(monthOf(lateJan, 'Asia/Shanghai')).toBe('2026-02');
    expect(monthOf(lateJan, 'UTC')).toBe('2026-01');
  });
});

describe('account plan (客户策略卡)', () => {
  it('a rep writes the plan of an A customer, edits it on the latest version, and the audit keeps the history', async () => {
    const c = await makeCustomer(db(), { name: '上海策略客户有限公司', owner: 'rep01', grade: 'A' });
    const boss = await contact(c.id, '赵总', '总经理');
    const buyer = await contact(c.id, '钱经理', '采购经理');
    expect((await rep01.get(`/customers/${c.id}/account-plan`)).body).toEqual({ plan: null });

    const created = await rep01.put(`/customers/${c.id}/account-plan`, {
      relationshipGoals: '成为其首选汽车供应商',
      annualTarget: 120_000_000,
      productFocus: '商务车、新能源车',
      decisionMakerIds: [boss.id, buyer.id],
      strategy: '每月拜访一次赵总；季度试驾活动',
      creditRisk: '回款周期偏长',
      priceRisk: '会比价，需守住底价',
      supportNeeded: '试驾车两台',
      reviewDate: '2026-06-30',
    });
    expect(created.statusCode).toBe(200);
    expect(created.body).toMatchObject({
      annualTarget: 120_000_000,
      decisionMakers: [
        { id: boss.id, name: '赵总', title: '总经理' },
        { id: buyer.id, name: '钱经理', title: '采购经理' },
      ],
      capabilityRisk: null,
      reviewDate: '2026-06-30',
      version: 1,
      updatedByName: expect.any(String),
    });

    const edited = await rep01.put(`/customers/${c.id}/account-plan`, {
      annualTarget: 150_000_000,
      decisionMakerIds: [boss.id],
      version: 1,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.body).toMatchObject({
      annualTarget: 150_000_000,
      relationshipGoals: '成为其首选汽车供应商',
      decisionMakers: [{ id: boss.id }],
      version: 2,
    });
    // Someone saving on the old version gets a conflict, and nothing changes.
    const stale = await rep01.put(`/customers/${c.id}/account-plan`, { annualTarget: 1, version: 1 });
    expect(stale.statusCode).toBe(409);
    const again = await rep01.put(`/customers/${c.id}/account-plan`, { annualTarget: 1 });
    expect(again.statusCode).toBe(409);
    expect((await rep01.get(`/customers/${c.id}/account-plan`)).body.plan.annualTarget).toBe(150_000_000);

    const history = await db().select().from(auditLog).where(eq(auditLog.entityId, created.body.id));
    expect(history.map((h) => h.action).sort()).toEqual(['create', 'update']);
    const update = history.find((h) => h.action === 'update')!;
    expect(update.changes).toMatchObject({ annualTarget: { from: '120000000', to: '150000000' } });
  });

  it('refuses a decision maker from another customer, a negative target and other teams, writing nothing', async () => {
    const c = await makeCustomer(db(), { name: '上海拒绝客户有限公司', owner: 'rep01', grade: 'B' });
    const other = await makeCustomer(db(), { name: '上海别家客户有限公司', owner: 'rep01', grade: 'B' });
    const stranger = await contact(other.id, '孙总');
    const audits = await auditCount();
    const wrong = await rep01.put(`/customers/${c.id}/account-plan`, {
      relationshipGoals: '长期合作',
      decisionMakerIds: [stranger.id],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'invalid_reference', title: '关联数据无效' });
    expect(wrong.body.errors).toEqual([{ path: 'decisionMakerIds.0', message: '取值无效' }]);
    const negative = await rep01.put(`/customers/${c.id}/account-plan`, { annualTarget: -1 });
    expect(negative.statusCode).toBe(400);
    const otherTeam = await rep07.put(`/customers/${c.id}/account-plan`, { relationshipGoals: '抢客户' });
    expect(otherTeam.statusCode).toBe(404);
    expect((await rep07.get(`/customers/${c.id}/account-plan`)).statusCode).toBe(404);
    expect(await db().select().from(accountPlans).where(eq(accountPlans.customerId, c.id))).toEqual([]);
    expect(await auditCount()).toBe(audits);
  });
});

describe('monthly review (客户月评卡)', () => {
  it('the rep reviews the month, the overall rating is computed, and the team manager comments', async () => {
    const c = await makeCustomer(db(), { name: '杭州月评客户有限公司', owner: 'rep01', grade: 'A' });
    const res = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: thisMonth(),
      scores: good,
      summary: '本月提车 6 台，合作积极',
      issues: '有一笔尾款逾期 10 天',
      nextActions: '月底前催收尾款；推荐新能源车型',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      month: thisMonth(),
      scores: good,
      overall: 4.2,
      reviewerName: expect.any(String),
      managerComment: null,
    });
    await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: monthsAgo(1),
      scores: { enthusiasm: 3, sales: 3, payment: 2, priceDiscipline: 4, capability: 3 },
    });

    const list = await rep01.get(`/customers/${c.id}/account-reviews`);
    expect(list.body.items.map((r: { month: string }) => r.month)).toEqual([thisMonth(), monthsAgo(1)]);
    expect(list.body.items[1].overall).toBe(3);

    const fixed = await rep01.patch(`/customers/${c.id}/account-reviews/${res.body.id}`, {
      scores: { ...good, payment: 2 },
      version: res.body.version,
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.body.overall).toBe(3.8);

    // The rep cannot write the manager's comment; their team lead can.
    const repComment = await rep01.post(`/customers/${c.id}/account-reviews/${res.body.id}/comment`, {
      comment: '自评',
      version: fixed.body.version,
    });
    expect(repComment.statusCode).toBe(403);
    expect(repComment.body).toMatchObject({ code: 'account_review_manager_only', title: '仅主管可点评' });
    const comment = await manager02.post(`/customers/${c.id}/account-reviews/${res.body.id}/comment`, {
      comment: '尾款本月必须收回',
      version: fixed.body.version,
    });
    expect(comment.statusCode).toBe(200);
    expect(comment.body).toMatchObject({
      managerComment: '尾款本月必须收回',
      managerCommentByName: expect.any(String),
      reviewerId: res.body.reviewerId,
    });
  });

  it('refuses a second review for the month, scores outside 1–5, future months and other teams, writing nothing', async () => {
    const c = await makeCustomer(db(), { name: '嘉兴重复月评有限公司', owner: 'rep01', grade: 'B' });
    const first = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: thisMonth(),
      scores: good,
    });
    expect(first.statusCode).toBe(201);
    const before = await reviewCount();
    const audits = await auditCount();

    const second = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: thisMonth(),
      scores: good,
    });
    expect(second.statusCode).toBe(409);
    expect(second.body).toMatchObject({ code: 'account_review_exists', title: '本月已有月评卡' });
    expect(second.body.detail).toContain(thisMonth());
    rep01.locale = 'en';
    const secondEn = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: thisMonth(),
      scores: good,
    });
    expect(secondEn.body.title).toBe('This month is already reviewed');
    rep01.locale = 'zh-CN';

    const six = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: monthsAgo(2),
      scores: { ...good, sales: 6 },
    });
    expect(six.statusCode).toBe(400);
    expect(six.body.errors).toEqual([{ path: 'scores.sales', message: '不能大于 5' }]);
    const zero = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: monthsAgo(2),
      scores: { ...good, capability: 0 },
    });
    expect(zero.statusCode).toBe(400);
    const badMonth = await rep01.post(`/customers/${c.id}/account-reviews`, {
      month: '2026-13',
      scores: good,
    });
    expect(badMonth.statusCode).toBe(400);
    const [y, m] = thisMonth().split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    const future = await rep01.post(`/customers/${c.id}/account-reviews`, { month: next, scores: good });
    expect(future.statusCode).toBe(400);
    expect(future.body.errors[0].path).toBe('month');

    // Another team's rep neither reads nor writes; a colleague in the same team sees nothing either.
    expect((await rep07.get(`/customers/${c.id}/account-reviews`)).statusCode).toBe(404);
    const foreign = await rep07.post(`/customers/${c.id}/account-reviews`, {
      month: monthsAgo(3),
      scores: good,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await rep02.get(`/customers/${c.id}/account-reviews`)).statusCode).toBe(404);

    expect(await reviewCount()).toBe(before);
    expect(await auditCount()).toBe(audits);
  });

  it("shows a manager which of the team's A and B customers have no review this month", async () => {
    const reviewed = await makeCustomer(db(), { name: '华东已评客户有限公司', owner: 'rep02', grade: 'A' });
    const missingA = await makeCustomer(db(), { name: '华东未评甲客户有限公司', owner: 'rep02', grade: 'A' });
    const missingB = await makeCustomer(db(), { name: '华东未评乙客户有限公司', owner: 'rep03', grade: 'B' });
    const gradeC = await makeCustomer(db(), { name: '华东丙类客户有限公司', owner: 'rep02', grade: 'C' });
    const south = await makeCustomer(db(), { name: '华南未评客户有限公司', owner: 'rep07', grade: 'A' });
    await rep02.post(`/customers/${reviewed.id}/account-reviews`, { month: thisMonth(), scores: good });
    await rep02.post(`/customers/${missingA.id}/account-reviews`, { month: monthsAgo(1), scores: good });

    const res = await manager02.get('/account-reviews/missing?limit=500');
    expect(res.statusCode).toBe(200);
    expect(res.body.month).toBe(thisMonth());
    const ids = res.body.items.map((i: { customerId: string }) => i.customerId);
    expect(ids).toEqual(expect.arrayContaining([missingA.id, missingB.id]));
    expect(ids).not.toContain(reviewed.id);
    expect(ids).not.toContain(gradeC.id);
    expect(ids).not.toContain(south.id);
    expect(res.body.items.find((i: { customerId: string }) => i.customerId === missingA.id)).toMatchObject({
      grade: 'A',
      lastReviewMonth: monthsAgo(1),
      ownerName: expect.any(String),
    });
    // Last month, the reviewed customer was missing too.
    const last = await manager02.get(`/account-reviews/missing?month=${monthsAgo(1)}&limit=500`);
    const lastIds = last.body.items.map((i: { customerId: string }) => i.customerId);
    expect(lastIds).toContain(reviewed.id);
    expect(lastIds).not.toContain(missingA.id);
    // A rep sees only their own; 华南 never sees 华东's.
    const mine = (await rep02.get('/account-reviews/missing?limit=500')).body.items;
    expect(mine.every((i: { ownerId: string }) => i.ownerId === missingA.ownerId)).toBe(true);
    const rep07Ids = (await rep07.get('/account-reviews/missing?limit=500')).body.items.map(
      (i: { customerId: string }) => i.customerId,
    );
    expect(rep07Ids).toContain(south.id);
    expect(rep07Ids).not.toContain(missingA.id);
  });
});
