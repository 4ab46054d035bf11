import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { enqueueJob, runDueJobs } from '../../platform/jobs/jobs.js';
import { notifications } from '../../platform/notifications/schema.js';
import { ADMIN, as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { backdate, makeCustomer, makeLead, userByName } from './activities.fixtures.js';
import { RECLAIM_JOB } from './follow-up.jobs.js';
import { customers, leads, poolEvents } from './schema.js';

let t: TestApp;
let admin: Client;
let rep01: Client;
let rep02: Client;
let rep04: Client;
let rep07: Client;
let manager02: Client;
const db = () => t.database.db;

const customer = async (id: string) => (await db().select().from(customers).where(eq(customers.id, id)))[0]!;
const poolIds = async (client: Client, query = '') =>
  ((await client.get(`/pool?limit=500${query}`)).body.items as { id: string }[]).map((i) => i.id);
const events = async (entityId: string) =>
  db().select().from(poolEvents).where(eq(poolEvents.entityId, entityId)).orderBy(poolEvents.at);

async function setLimits(patch: { maxHeld?: number; maxClaimsPerDay?: number }) {
  const { version } = (await admin.get('/customer-settings')).body;
  const res = await admin.patch('/customer-settings', { ...patch, version });
  expect(res.statusCode).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  rep04 = await as(t.app, 'rep04');
  rep07 = await as(t.app, 'rep07');
  manager02 = await as(t.app, 'manager02');
});
afterAll(() => t.close());

describe('the public pool', () => {
  it('is visible within its org scope: own unit, above and below — never another region', async () => {
    const team = await makeCustomer(db(), { name: '华东一组公海客户', unit: '华东一组', grade: 'B' });
    const region = await makeLead(db(), { name: '华东区域公海线索', unit: '华东' });
    const otherTeam = await makeCustomer(db(), { name: '华东二组公海客户', unit: '华东二组' });
    const south = await makeCustomer(db(), { name: '华南公海客户', unit: '华南一组' });
    const owned = await makeCustomer(db(), { name: '有主客户', owner: 'rep02' });

    const rep01Sees = await poolIds(rep01);
    expect(rep01Sees).toEqual(expect.arrayContaining([team.id, region.id]));
    expect(rep01Sees).not.toContain(otherTeam.id);
    expect(rep01Sees).not.toContain(south.id);
    expect(rep01Sees).not.toContain(owned.id);
    const rep07Sees = await poolIds(rep07);
    expect(rep07Sees).toContain(south.id);
    expect(rep07Sees).not.toContain(team.id);
    expect(rep07Sees).not.toContain(region.id);
    // A region manager sees the pools of all the region's teams.
    const manager01 = await as(t.app, 'manager01');
    expect(await poolIds(manager01)).toEqual(expect.arrayContaining([team.id, otherTeam.id, region.id]));
    expect(await poolIds(manager01)).not.toContain(south.id);
    // Filter by kind.
    expect(await poolIds(rep01, '&entity=lead')).not.toContain(team.id);

    const item = (await rep01.get('/pool?entity=customer&limit=500')).body.items.find(
      (i: { id: string }) => i.id === team.id,
    );
    expect(item).toMatchObject({
      entity: 'customer',
      name: '华东一组公海客户',
      grade: 'B',
      orgUnitName: '华东一组',
    });

    // A rep of another region cannot claim what they cannot see.
    expect((await rep07.post(`/pool/customers/${team.id}/claim`)).statusCode).toBe(404);
    expect((await customer(team.id)).ownerId).toBeNull();
  });

  it('claim gives the record to the rep (audited, recorded), starts its cadence; release needs a reason', async () => {
    const c = await makeCustomer(db(), { name: '领取测试客户', unit: '华东一组', grade: 'A' });
    const audits = (await db().select({ n: count() }).from(auditLog))[0]!.n;
    const res = await rep01.post(`/pool/customers/${c.id}/claim`);
    expect(res.statusCode).toBe(200);
    const rep01Id = (await userByName(db(), 'rep01')).id;
    expect(res.body).toMatchObject({ entity: 'customer', id: c.id, ownerId: rep01Id, claimedToday: 1 });
    const after = await customer(c.id);
    expect(after).toMatchObject({ ownerId: rep01Id, pooledAt: null });
    expect(Math.abs(after.followUpDueAt!.getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    expect((await db().select({ n: count() }).from(auditLog))[0]!.n).toBe(audits + 1);
    expect(await poolIds(rep02)).not.toContain(c.id);

    // Someone else now holds it: a clear 409.
    const late = await rep02.post(`/pool/customers/${c.id}/claim`);
    expect(late.statusCode).toBe(409);
    expect(late.body.code).toBe('pool_already_claimed');
    const noReason = await rep01.post(`/pool/customers/${c.id}/release`, {});
    expect(noReason.statusCode).toBe(400);
    const blank = await rep01.post(`/pool/customers/${c.id}/release`, { reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect((await customer(c.id)).ownerId).toBe(rep01Id);
    // Another rep cannot release what is not theirs.
    expect((await rep02.post(`/pool/customers/${c.id}/release`, { reason: '不想要' })).statusCode).toBe(404);

    const rel = await rep01.post(`/pool/customers/${c.id}/release`, { reason: '客户已转向竞品' });
    expect(rel.statusCode).toBe(200);
    expect(await customer(c.id)).toMatchObject({ ownerId: null, followUpDueAt: null });
    expect((await customer(c.id)).pooledAt).not.toBeNull();
    expect((await events(c.id)).map((e) => [e.action, e.reason])).toEqual([
      ['claim', null],
      ['release', '客户已转向竞品'],
    ]);
    expect(await poolIds(rep02)).toContain(c.id);
    const again = await rep01.post(`/pool/customers/${c.id}/release`, { reason: 'x' });
    expect(again.statusCode).toBe(404);
  });

  it('two reps claiming the same record at once: exactly one wins, the other gets a clear 409', async () => {
    const c = await makeCustomer(db(), { name: '抢单客户', unit: '华东一组' });
    const l = await makeLead(db(), { name: '抢单线索', unit: '华东一组' });
    for (const [path, id] of [
      ['customers', c.id],
      ['leads', l.id],
    ] as const) {
      const results = await Promise.all([
        rep01.post(`/pool/${path}/${id}/claim`),
        rep02.post(`/pool/${path}/${id}/claim`),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409]);
      const loser = results.find((r) => r.statusCode === 409)!;
      expect(loser.body.code).toBe('pool_already_claimed');
      expect(loser.body.title).toBe('已被他人领取');
      expect((await events(id)).filter((e) => e.action === 'claim')).toHaveLength(1);
    }
  });

  it('enforces the holding limit and the daily claim limit with localised errors', async () => {
    const rep04Id = (await userByName(db(), 'rep04')).id;
    const held = async () =>
      (await db().select({ n: count() }).from(customers).where(eq(customers.ownerId, rep04Id)))[0]!.n +
      (await db().select({ n: count() }).from(leads).where(eq(leads.ownerId, rep04Id)))[0]!.n;
    const start = await held();
    await setLimits({ maxHeld: start + 2, maxClaimsPerDay: 100 });
    const pool = await Promise.all(
      [1, 2, 3].map((i) => makeCustomer(db(), { name: `限额客户${i}`, unit: '华东二组' })),
    );
    expect((await rep04.post(`/pool/customers/${pool[0]!.id}/claim`)).statusCode).toBe(200);
    expect((await rep04.post(`/pool/customers/${pool[1]!.id}/claim`)).statusCode).toBe(200);
    const over = await rep04.post(`/pool/customers/${pool[2]!.id}/claim`);
    expect(over.statusCode).toBe(409);
    expect(over.body).toMatchObject({ code: 'pool_max_held', title: '持有数量已达上限' });
    expect(over.body.detail).toContain(`上限为 ${start + 2}`);
    expect((await customer(pool[2]!.id)).ownerId).toBeNull();

    // Releasing makes room; but claims today are capped too.
    await setLimits({ maxHeld: 1000, maxClaimsPerDay: 3 });
    expect(
      (await rep04.post(`/pool/customers/${pool[0]!.id}/release`, { reason: '无需求' })).statusCode,
    ).toBe(200);
    expect((await rep04.post(`/pool/customers/${pool[2]!.id}/claim`)).statusCode).toBe(200); // 3rd today
    rep04.locale = 'en';
    const daily = await rep04.post(`/pool/customers/${pool[0]!.id}/claim`);
    rep04.locale = 'zh-CN';
    expect(daily.statusCode).toBe(409);
    expect(daily.body).toMatchObject({ code: 'pool_max_claims_per_day', title: 'Daily claim limit reached' });
    expect((await customer(pool[0]!.id)).ownerId).toBeNull();
    await setLimits({ maxHeld: 200, maxClaimsPerDay: 20 });
  });
});

describe('reclaim job', () => {
  it('returns an A customer after its pool days without a follow-up, not before, and tells the former owner', async () => {
    const { version } = (await admin.get('/customer-settings')).body;
    await admin.patch('/customer-settings', {
      poolDays: { A: 10, B: 30, C: 30, none: 30, lead: 14 },
      version,
    });
    const early = await makeCustomer(db(), {
      name: '九天未跟进A客户',
      owner: 'rep01',
      grade: 'A',
      lastFollowUpDaysAgo: 9,
      createdDaysAgo: 100,
    });
    const stale = await makeCustomer(db(), {
      name: '十一天未跟进A客户',
      owner: 'rep01',
      grade: 'A',
      lastFollowUpDaysAgo: 11,
      createdDaysAgo: 100,
    });
    const staleB = await makeCustomer(db(), {
      name: '十一天未跟进B客户',
      owner: 'rep01',
      grade: 'B',
      lastFollowUpDaysAgo: 11,
      createdDaysAgo: 100,
    });
    const staleLead = await makeLead(db(), { name: '十五天未跟进线索', owner: 'rep01', createdDaysAgo: 15 });
    // Claimed 3 days ago after a long silence: the claim restarts the clock.
    const claimed = await makeCustomer(db(), {
      name: '刚领取的A客户',
      owner: 'rep01',
      grade: 'A',
      lastFollowUpDaysAgo: 40,
      createdDaysAgo: 100,
    });
    await db()
      .insert(poolEvents)
      .values({
        entity: 'customer',
        entityId: claimed.id,
        action: 'claim',
        userId: claimed.ownerId,
        at: new Date(Date.now() - 3 * 86_400_000),
      });

    await enqueueJob(db(), RECLAIM_JOB, {});
    await runDueJobs(db(), { kinds: [RECLAIM_JOB] });

    expect((await customer(early.id)).ownerId).not.toBeNull();
    expect((await customer(staleB.id)).ownerId).not.toBeNull();
    expect((await customer(claimed.id)).ownerId).not.toBeNull();
    const back = await customer(stale.id);
    expect(back).toMatchObject({ ownerId: null, followUpDueAt: null, orgUnitId: early.orgUnitId });
    expect(back.pooledAt).not.toBeNull();
    const [lead] = await db().select().from(leads).where(eq(leads.id, staleLead.id));
    expect(lead!.ownerId).toBeNull();
    expect((await events(stale.id)).map((e) => [e.action, e.userId])).toEqual([['reclaim', early.ownerId]]);
    const reminders = await db()
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, early.ownerId!), eq(notifications.event, 'customers.pool-reclaimed')),
      );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.params).toMatchObject({ count: 2 });
    expect(String(reminders[0]!.params.names)).toContain('十一天未跟进A客户');

    // Back in the pool: another rep of the same team claims it; a rep of another region never sees it.
    expect(await poolIds(rep07)).not.toContain(stale.id);
    expect((await rep02.post(`/pool/customers/${stale.id}/claim`)).statusCode).toBe(200);

    // The 9-day one goes once it passes its 10 days.
    await backdate(db(), 'customers', early.id, 'last_follow_up_at', 10);
    await enqueueJob(db(), RECLAIM_JOB, {});
    await runDueJobs(db(), { kinds: [RECLAIM_JOB] });
    expect((await customer(early.id)).ownerId).toBeNull();
  });
});

describe('pool permissions', () => {
  it('only roles with claim may claim: an assistant cannot', async () => {
    const c = await makeCustomer(db(), { name: '内勤不可领取', unit: '销售管理部' });
    const assistant = await as(t.app, 'assistant01');
    expect((await assistant.post(`/pool/customers/${c.id}/claim`)).statusCode).toBe(403);
    expect((await manager02.get('/pool')).statusCode).toBe(200);
    const adminClient = await as(t.app, ADMIN.username, ADMIN.password);
    expect(await poolIds(adminClient)).toContain(c.id);
  });
});
