import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { queueDueSchedules, runDueJobs, syncSchedules } from '../../platform/jobs/jobs.js';
import { jobSchedules } from '../../platform/jobs/schema.js';
import { notifications } from '../../platform/notifications/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, makeLead, userByName } from './activities.fixtures.js';
import { DAY_MS, followUpDueAt } from './cadence.js';
import { REMINDER_JOB } from './follow-up.jobs.js';
import { activities, contacts, customers, leads } from './schema.js';

let t: TestApp;
let admin: Client;
let rep01: Client;
let rep02: Client;
let manager02: Client;
const db = () => t.database.db;

const customer = async (id: string) => (await db().select().from(customers).where(eq(customers.id, id)))[0]!;
const activityCount = async () => (await db().select({ n: count() }).from(activities))[0]!.n;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const near = (iso: Date | null | undefined, expected: number) =>
  expect(Math.abs((iso?.getTime() ?? 0) - expected)).toBeLessThan(60_000);

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  manager02 = await as(t.app, 'manager02');
});
afterAll(() => t.close());

describe('cadence (pure)', () => {
  const cadence = { A: 7, B: 14, C: 30 };
  const last = new Date('2026-03-01T02:00:00Z');
  it('is due the grade’s days after the later of the last follow-up and a claim', () => {
    expect(followUpDueAt({ grade: 'A', owned: true, lastFollowUpAt: last }, cadence)).toEqual(
      new Date(last.getTime() + 7 * DAY_MS),
    );
    expect(followUpDueAt({ grade: 'C', owned: true, lastFollowUpAt: last }, cadence)).toEqual(
      new Date(last.getTime() + 30 * DAY_MS),
    );
    const claimed = new Date('2026-03-05T00:00:00Z');
    expect(followUpDueAt({ grade: 'B', owned: true, lastFollowUpAt: last, since: claimed }, cadence)).toEqual(
      new Date(claimed.getTime() + 14 * DAY_MS),
    );
  });
  it('is never due without a grade, an owner or a starting point', () => {
    expect(followUpDueAt({ grade: null, owned: true, lastFollowUpAt: last }, cadence)).toBeNull();
    expect(followUpDueAt({ grade: 'A', owned: false, lastFollowUpAt: last }, cadence)).toBeNull();
    expect(followUpDueAt({ grade: 'A', owned: true, lastFollowUpAt: null }, cadence)).toBeNull();
  });
});

describe('logging activities', () => {
  it('a visit on an A customer sets the last follow-up and makes it due in 7 days; on a B customer, 14', async () => {
    const a = await makeCustomer(db(), {
      name: '上海甲客户有限公司',
      owner: 'rep01',
      grade: 'A',
      lastFollowUpDaysAgo: 20,
    });
    const b = await makeCustomer(db(), { name: '上海乙客户有限公司', owner: 'rep01', grade: 'B' });
    const audits = await auditCount();

    const res = await rep01.post('/activities', {
      type: 'visit',
      subject: '客户拜访',
      customerId: a.id,
      outcome: '有采购意向',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      type: 'visit',
      customerId: a.id,
      customerName: '上海甲客户有限公司',
      done: true,
      ownerName: expect.any(String),
    });
    const now = Date.now();
    near((await customer(a.id)).lastFollowUpAt, now);
    near((await customer(a.id)).followUpDueAt, now + 7 * DAY_MS);
    expect(await auditCount()).toBe(audits + 1);

    await rep01.post('/activities', { type: 'call', subject: '电话沟通', customerId: b.id });
    near((await customer(b.id)).followUpDueAt, now + 14 * DAY_MS);
  });

  it('a future task is not a follow-up; marking it done is', async () => {
    const c = await makeCustomer(db(), { name: '上海丙客户有限公司', owner: 'rep01', grade: 'A' });
    const tomorrow = new Date(Date.now() + DAY_MS).toISOString();
    const task = await rep01.post('/activities', {
      type: 'task',
      subject: '送样品',
      customerId: c.id,
      occurredAt: tomorrow,
    });
    expect(task.statusCode).toBe(201);
    expect(task.body.done).toBe(false);
    expect((await customer(c.id)).lastFollowUpAt).toBeNull();

    const done = await rep01.patch(`/activities/${task.body.id}`, {
      done: true,
      occurredAt: new Date().toISOString(),
      version: task.body.version,
    });
    expect(done.statusCode).toBe(200);
    near((await customer(c.id)).followUpDueAt, Date.now() + 7 * DAY_MS);
  });

  it('logs on a contact of the customer, and on a lead (which starts being worked)', async () => {
    const c = await makeCustomer(db(), { name: '上海丁客户有限公司', owner: 'rep01', grade: 'C' });
    const [contact] = await db().insert(contacts).values({ customerId: c.id, name: '王经理' }).returning();
    const res = await rep01.post('/activities', {
      type: 'meeting',
      subject: '方案沟通',
      contactId: contact!.id,
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ customerId: c.id, contactName: '王经理' });

    const lead = await makeLead(db(), { name: '杭州线索公司', owner: 'rep01' });
    expect(lead.status).toBe('new');
    const onLead = await rep01.post('/activities', { type: 'call', subject: '首次电话', leadId: lead.id });
    expect(onLead.statusCode).toBe(201);
    const [after] = await db().select().from(leads).where(eq(leads.id, lead.id));
    expect(after!.status).toBe('working');
    expect(after!.lastFollowUpAt).not.toBeNull();
  });

  it('refuses bad input with a clear localised error and writes nothing', async () => {
    const mine = await makeCustomer(db(), { name: '上海戊客户有限公司', owner: 'rep01', grade: 'A' });
    const others = await makeCustomer(db(), { name: '广州客户有限公司', owner: 'rep07', grade: 'A' });
    const [otherContact] = await db()
      .insert(contacts)
      .values({ customerId: others.id, name: '李总' })
      .returning();
    const before = await activityCount();

    const noSubject = await rep01.post('/activities', { type: 'visit', subject: ' ', customerId: mine.id });
    expect(noSubject.statusCode).toBe(400);
    const badType = await rep01.post('/activities', { type: 'lunch', subject: 'x', customerId: mine.id });
    expect(badType.statusCode).toBe(400);
    const nothing = await rep01.post('/activities', { type: 'visit', subject: '拜访' });
    expect(nothing.statusCode).toBe(400);
    const notMine = await rep01.post('/activities', {
      type: 'visit',
      subject: '拜访',
      customerId: others.id,
    });
    expect(notMine.statusCode).toBe(400);
    expect(notMine.body.code).toBe('invalid_reference');
    expect(notMine.body.title).toBe('关联数据无效');
    const wrongContact = await rep01.post('/activities', {
      type: 'visit',
      subject: '拜访',
      customerId: mine.id,
      contactId: otherContact!.id,
    });
    expect(wrongContact.statusCode).toBe(400);
    rep01.locale = 'en';
    const en = await rep01.post('/activities', { type: 'visit', subject: '拜访', customerId: others.id });
    expect(en.body.title).toBe('Invalid reference');
    rep01.locale = 'zh-CN';
    expect(await activityCount()).toBe(before);
    expect((await customer(others.id)).lastFollowUpAt).toBeNull();
  });

  it('lists a customer’s timeline newest first with keyset paging; edit and delete own, recounting the follow-up', async () => {
    const c = await makeCustomer(db(), { name: '上海己客户有限公司', owner: 'rep01', grade: 'B' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const at = new Date(Date.now() - (3 - i) * DAY_MS).toISOString();
      ids.push(
        (
          await rep01.post('/activities', {
            type: 'call',
            subject: `第${i + 1}次`,
            customerId: c.id,
            occurredAt: at,
          })
        ).body.id,
      );
    }
    const first = await rep01.get(`/activities?customerId=${c.id}&limit=2`);
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((a: { subject: string }) => a.subject)).toEqual(['第3次', '第2次']);
    const second = await rep01.get(`/activities?customerId=${c.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((a: { subject: string }) => a.subject)).toEqual(['第1次']);
    expect(second.body.nextCursor).toBeNull();

    // Another rep of the team neither sees nor edits it.
    expect((await rep02.get(`/activities/${ids[2]}`)).statusCode).toBe(404);
    expect((await rep02.delete(`/activities/${ids[2]}`)).statusCode).toBe(404);
    // Their manager reads the whole timeline.
    expect((await manager02.get(`/activities?customerId=${c.id}`)).body.total).toBe(3);

    const lastAt = (await customer(c.id)).lastFollowUpAt!.getTime();
    expect((await rep01.delete(`/activities/${ids[2]}`)).statusCode).toBe(200);
    const after = await customer(c.id);
    expect(after.lastFollowUpAt!.getTime()).toBeLessThan(lastAt - DAY_MS / 2);
    near(after.followUpDueAt, after.lastFollowUpAt!.getTime() + 14 * DAY_MS);
  });
});

describe('due follow-ups', () => {
  let overdueA: string;
  let dueSoonB: string;
  let rep02Due: string;
  let rep07Due: string;
  beforeAll(async () => {
    // Graded A, last visited 8 days ago: due yesterday.
    overdueA = (
      await makeCustomer(db(), {
        name: '苏州逾期客户',
        owner: 'rep01',
        grade: 'A',
        lastFollowUpDaysAgo: 8,
        dueInDays: -1,
      })
    ).id;
    dueSoonB = (
      await makeCustomer(db(), {
        name: '苏州未到期客户',
        owner: 'rep01',
        grade: 'B',
        lastFollowUpDaysAgo: 9,
        dueInDays: 5,
      })
    ).id;
    rep02Due = (
      await makeCustomer(db(), {
        name: '无锡逾期客户',
        owner: 'rep02',
        grade: 'C',
        lastFollowUpDaysAgo: 33,
        dueInDays: -3,
      })
    ).id;
    rep07Due = (
      await makeCustomer(db(), {
        name: '深圳逾期客户',
        owner: 'rep07',
        grade: 'A',
        lastFollowUpDaysAgo: 10,
        dueInDays: -3,
      })
    ).id;
  });

  it('shows a rep their own due and overdue customers, most overdue first', async () => {
    const res = await rep01.get('/follow-ups/due');
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((i: { customerId: string }) => i.customerId);
    expect(ids).toContain(overdueA);
    expect(ids).not.toContain(dueSoonB);
    expect(ids).not.toContain(rep02Due);
    expect(res.body.items.find((i: { customerId: string }) => i.customerId === overdueA)).toMatchObject({
      grade: 'A',
      overdueDays: 1,
      name: '苏州逾期客户',
    });
    // A rep's "team" is still only their own customers.
    const team = await rep01.get('/follow-ups/due?who=team');
    expect(team.body.items.map((i: { customerId: string }) => i.customerId)).not.toContain(rep02Due);
  });

  it('grading a customer last visited 8 days ago as A makes it overdue at once: grading does not hide neglect', async () => {
    const created = await rep01.post('/customers', { name: '常州新晋A类客户', kind: 'company' });
    expect(created.statusCode).toBe(201);
    const visited = new Date(Date.now() - 8 * DAY_MS);
    await rep01.post('/activities', {
      type: 'visit',
      subject: '拜访采购部',
      occurredAt: visited.toISOString(),
      customerId: created.body.id,
    });
    const current = (await rep01.get(`/customers/${created.body.id}`)).body;
    const graded = await rep01.patch(`/customers/${created.body.id}`, {
      grade: 'A',
      version: current.version,
    });
    expect(graded.statusCode).toBe(200);
    near((await customer(created.body.id)).followUpDueAt, visited.getTime() + 7 * DAY_MS);
    const due = await rep01.get('/follow-ups/due?when=overdue');
    expect(due.body.items.map((i: { customerId: string }) => i.customerId)).toContain(created.body.id);
  });

  it('shows a team lead their team’s, not another region’s', async () => {
    const res = await manager02.get('/follow-ups/due?who=team&when=overdue');
    const ids = res.body.items.map((i: { customerId: string }) => i.customerId);
    expect(ids).toEqual(expect.arrayContaining([overdueA, rep02Due]));
    expect(ids).not.toContain(rep07Due);
    expect(ids.indexOf(rep02Due)).toBeLessThan(ids.indexOf(overdueA));
  });

  it('the 08:30 reminder job notifies each owner once with their count', async () => {
    await syncSchedules(db());
    await db()
      .update(jobSchedules)
      .set({ nextRunAt: sql`now() - interval '1 minute'` })
      .where(eq(jobSchedules.key, REMINDER_JOB));
    const [schedule] = await db().select().from(jobSchedules).where(eq(jobSchedules.key, REMINDER_JOB));
    expect(schedule!.cron).toBe('30 8 * * *');
    await queueDueSchedules(db());
    await runDueJobs(db(), { kinds: [REMINDER_JOB] });

    const rep01Id = (await userByName(db(), 'rep01')).id;
    const rows = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, rep01Id), eq(notifications.event, 'customers.follow-up-due')));
    expect(rows).toHaveLength(1);
    const dueCount = (await rep01.get('/follow-ups/due')).body.total;
    expect(rows[0]!.params).toMatchObject({ count: dueCount });
    const inbox = await rep01.get('/notifications');
    expect(JSON.stringify(inbox.body)).toContain(`今日待跟进客户 ${dueCount} 个`);

    // Running again the same day reminds no one twice.
    const { enqueueJob } = await import('../../platform/jobs/jobs.js');
    await enqueueJob(db(), REMINDER_JOB, {});
    await runDueJobs(db(), { kinds: [REMINDER_JOB] });
    const again = await db()
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, rep01Id), eq(notifications.event, 'customers.follow-up-due')));
    expect(again[0]!.n).toBe(1);
  });
});

describe('customer settings', () => {
  it('anyone reads them; only a manager of the settings changes them, audited, and a new cadence moves due dates', async () => {
    const read = await rep01.get('/customer-settings');
    expect(read.body).toMatchObject({
      cadenceDays: { A: 7, B: 14, C: 30 },
      maxHeld: 200,
      maxClaimsPerDay: 20,
    });
    expect(
      (await rep01.patch('/customer-settings', { maxHeld: 5, version: read.body.version })).statusCode,
    ).toBe(403);

    const c = await makeCustomer(db(), { name: '南京设置客户', owner: 'rep01', grade: 'A', dueInDays: 2 });
    const dueBefore = (await customer(c.id)).followUpDueAt!.getTime();
    const audits = await auditCount();
    const res = await admin.patch('/customer-settings', {
      cadenceDays: { A: 10, B: 14, C: 30 },
      gradeThresholds: { A: 100_000_000, B: 20_000_000 },
      leadSources: ['exhibition', 'referral', 'exhibition'],
      version: read.body.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      cadenceDays: { A: 10 },
      leadSources: ['exhibition', 'referral'],
      version: read.body.version + 1,
    });
    expect((await customer(c.id)).followUpDueAt!.getTime()).toBe(dueBefore + 3 * DAY_MS);
    expect(await auditCount()).toBe(audits + 1);

    const stale = await admin.patch('/customer-settings', { maxHeld: 5, version: read.body.version });
    expect(stale.statusCode).toBe(409);
    const bad = await admin.patch('/customer-settings', {
      cadenceDays: { A: 0, B: 14, C: 30 },
      version: res.body.version,
    });
    expect(bad.statusCode).toBe(400);
    const inverted = await admin.patch('/customer-settings', {
      gradeThresholds: { A: 1, B: 5 },
      version: res.body.version,
    });
    expect(inverted.statusCode).toBe(400);
    expect((await admin.get('/customer-settings')).body.version).toBe(res.body.version);
    await admin.patch('/customer-settings', {
      cadenceDays: { A: 7, B: 14, C: 30 },
      version: res.body.version,
    });
  });
});
