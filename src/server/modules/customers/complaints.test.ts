import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { enqueueJob, queueDueSchedules, runDueJobs, syncSchedules } from '../../platform/jobs/jobs.js';
import { jobSchedules } from '../../platform/jobs/schema.js';
import { notifications } from '../../platform/notifications/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, userByName } from './activities.fixtures.js';
import { HOUR_MS } from './complaint-rules.js';
import type { DemoComplaintCustomer } from './complaints.demo.js';
import { COMPLAINT_OVERDUE_JOB } from './complaints.jobs.js';
import { complaints } from './complaints.schema.js';
import { contacts } from './schema.js';

let t: TestApp;
let admin: Client;
let rep01: Client;
let rep02: Client;
let rep07: Client;
let manager02: Client;
const db = () => t.database.db;

const row = async (id: string) => (await db().select().from(complaints).where(eq(complaints.id, id)))[0]!;
const complaintCount = async () => (await db().select({ n: count() }).from(complaints))[0]!.n;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const near = (iso: string | Date, expected: number) =>
  expect(Math.abs(new Date(iso).getTime() - expected)).toBeLessThan(60_000);
const notificationsOf = async (username: string, event: string) =>
  db()
    .select()
    .from(notifications)
    .where(
      and(eq(notifications.userId, (await userByName(db(), username)).id), eq(notifications.event, event)),
    );

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  rep07 = await as(t.app, 'rep07');
  manager02 = await as(t.app, 'manager02');
});
afterAll(() => t.close());

describe('a customer complains', () => {
  let customerId: string;
  let contactId: string;
  let id: string;

  beforeAll(async () => {
    customerId = (await makeCustomer(db(), { name: '苏州恒达精密机械有限公司', owner: 'rep01', grade: 'A' }))
      .id;
    const [contact] = await db().insert(contacts).values({ customerId, name: '周经理' }).returning();
    contactId = contact!.id;
  });

  it('a healthy customer is 100 and good', async () => {
    const res = await rep01.get(`/customers/${customerId}/health`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ customerId, score: 100, level: 'good', reasons: [] });
  });

  it('the team lead records a critical complaint: numbered, handled by the customer’s owner, due in 4 hours', async () => {
    const audits = await auditCount();
    const res = await manager02.post('/complaints', {
      customerId,
      contactId,
      subject: '设备交付后无法启动',
      description: '客户反映新交付的数控机床通电后报警，无法启动。',
      category: 'product_quality',
      severity: 'critical',
      channel: 'phone',
    });
    expect(res.statusCode).toBe(201);
    id = res.body.id;
    const year = new Date().getFullYear();
    expect(res.body).toMatchObject({
      number: `CP-${year}-000001`,
      customerName: '苏州恒达精密机械有限公司',
      contactName: '周经理',
      status: 'open',
      severity: 'critical',
      ownerId: (await userByName(db(), 'rep01')).id,
      overdue: false,
      actions: ['start'],
      version: 1,
    });
    near(res.body.slaDueAt, Date.now() + 4 * HOUR_MS);
    expect(await auditCount()).toBe(audits + 1);
    // The handler hears about it; the one who recorded it does not need to.
    const told = await notificationsOf('rep01', 'customers.complaint-assigned');
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ number: `CP-${year}-000001`, subject: '设备交付后无法启动' });
    expect(told[0]!.link).toBe(`/complaints/${id}`);
  });

  it('a high complaint is due in 24 hours and numbered next', async () => {
    const res = await rep01.post('/complaints', {
      customerId,
      subject: '发票抬头错误',
      category: 'billing',
      severity: 'high',
      channel: 'email',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body.number).toMatch(/^CP-\d{4}-000002$/);
    near(res.body.slaDueAt, Date.now() + 24 * HOUR_MS);
    // Withdrawn from the story: this one is closed straight away through its steps.
    let c = res.body;
    c = (await rep01.post(`/complaints/${c.id}/start`, { version: c.version })).body;
    c = (await rep01.post(`/complaints/${c.id}/resolve`, { resolution: '已重开发票', version: c.version }))
      .body;
    c = (await rep01.post(`/complaints/${c.id}/close`, { satisfaction: 5, version: c.version })).body;
    expect(c.status).toBe('closed');
  });

  it('the open critical complaint counts against the customer’s health', async () => {
    const res = await rep01.get(`/customers/${customerId}/health`);
    expect(res.body).toMatchObject({
      score: 70,
      level: 'watch',
      reasons: [{ rule: 'open_complaint:critical', count: 1, points: -30 }],
    });
  });

  it('refuses skipping a step with a localised 409 and changes nothing', async () => {
    const before = await row(id);
    const audits = await auditCount();
    const resolve = await rep01.post(`/complaints/${id}/resolve`, { resolution: '已处理', version: 1 });
    expect(resolve.statusCode).toBe(409);
    expect(resolve.body.code).toBe('complaint_wrong_state');
    expect(resolve.body.detail).toBe('投诉当前为「待处理」，不能标记为已解决。请刷新后查看。');
    const close = await rep01.post(`/complaints/${id}/close`, { satisfaction: 5, version: 1 });
    expect(close.statusCode).toBe(409);
    rep01.locale = 'en';
    const reopen = await rep01.post(`/complaints/${id}/reopen`, { version: 1 });
    expect(reopen.body.detail).toBe(
      'The complaint is open; it cannot be reopened. Reload to see its current state.',
    );
    rep01.locale = 'zh-CN';
    expect(await row(id)).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('the handler starts, must give a resolution to resolve, and a satisfaction to close', async () => {
    const started = await rep01.post(`/complaints/${id}/start`, { version: 1 });
    expect(started.statusCode).toBe(200);
    expect(started.body).toMatchObject({ status: 'in_progress', actions: ['resolve'], version: 2 });
    expect(started.body.startedAt).not.toBeNull();

    const before = await row(id);
    const empty = await rep01.post(`/complaints/${id}/resolve`, { resolution: '  ', version: 2 });
    expect(empty.statusCode).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'resolution', message: '不能为空' }]);
    const missing = await rep01.post(`/complaints/${id}/resolve`, { version: 2 });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ path: 'resolution', message: '必填' });
    const stale = await rep01.post(`/complaints/${id}/resolve`, { resolution: '已派工程师', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(await row(id)).toEqual(before);

    const resolved = await rep01.post(`/complaints/${id}/resolve`, {
      resolution: '派工程师上门，更换驱动板后设备恢复正常。',
      version: 2,
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', actions: ['reopen', 'close'] });
    expect(resolved.body.resolvedAt).not.toBeNull();

    // The customer is not satisfied yet: back to work.
    const reopened = await rep01.post(`/complaints/${id}/reopen`, {
      reason: '客户反馈仍偶发报警',
      version: 3,
    });
    expect(reopened.body).toMatchObject({ status: 'in_progress', resolvedAt: null });
    const again = await rep01.post(`/complaints/${id}/resolve`, {
      resolution: '更换主板并做 48 小时跟踪，客户确认正常。',
      version: 4,
    });
    expect(again.body.status).toBe('resolved');

    const beforeClose = await row(id);
    for (const body of [{ version: 5 }, { satisfaction: 0, version: 5 }, { satisfaction: 6, version: 5 }]) {
      const bad = await rep01.post(`/complaints/${id}/close`, body);
      expect(bad.statusCode).toBe(400);
      expect(bad.body.errors[0].path).toBe('satisfaction');
    }
    expect(await row(id)).toEqual(beforeClose);

    const closed = await rep01.post(`/complaints/${id}/close`, { satisfaction: 4, version: 5 });
    expect(closed.body).toMatchObject({ status: 'closed', satisfaction: 4, actions: [] });
    expect(closed.body.closedAt).not.toBeNull();

    const closeAgain = await rep01.post(`/complaints/${id}/close`, { satisfaction: 5, version: 6 });
    expect(closeAgain.statusCode).toBe(409);
    const edit = await rep01.patch(`/complaints/${id}`, { subject: '改', version: 6 });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('complaint_wrong_state');
  });

  it('every step is in the complaint’s history', async () => {
    const res = await manager02.get(`/complaints/${id}/history`);
    expect(res.body.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      'create',
      'start',
      'resolve',
      'reopen',
      'resolve',
      'close',
    ]);
  });

  it('once resolved and closed, the customer’s health recovers', async () => {
    const res = await rep01.get(`/customers/${customerId}/health`);
    expect(res.body).toMatchObject({ score: 100, level: 'good', reasons: [] });
  });

  it('a complaint closed with satisfaction 1 keeps counting for 90 days', async () => {
    let c = (
      await rep01.post('/complaints', {
        customerId,
        subject: '送货延误三天',
        category: 'delivery',
        severity: 'low',
        channel: 'wechat',
      })
    ).body;
    c = (await rep01.post(`/complaints/${c.id}/start`, { version: c.version })).body;
    c = (await rep01.post(`/complaints/${c.id}/resolve`, { resolution: '致歉并补发', version: c.version }))
      .body;
    c = (await rep01.post(`/complaints/${c.id}/close`, { satisfaction: 1, version: c.version })).body;
    const health = await rep01.get(`/customers/${customerId}/health`);
    expect(health.body).toMatchObject({
      score: 85,
      level: 'good',
      reasons: [{ rule: 'low_satisfaction', count: 1, points: -15 }],
    });
    await db()
      .update(complaints)
      .set({ closedAt: sql`now() - interval '91 days'` })
      .where(eq(complaints.id, c.id));
    expect((await rep01.get(`/customers/${customerId}/health`)).body.score).toBe(100);
  });

  it('a rep of another team — or another rep of the same team — cannot see it', async () => {
    for (const other of [rep07, rep02]) {
      expect((await other.get(`/complaints/${id}`)).statusCode).toBe(404);
      expect((await other.get(`/complaints/${id}/history`)).statusCode).toBe(404);
      expect((await other.get(`/customers/${customerId}/health`)).statusCode).toBe(404);
      expect((await other.post(`/complaints/${id}/reopen`, { version: 6 })).statusCode).toBe(404);
      const list = await other.get(`/complaints?customerId=${customerId}`);
      expect(list.body.total).toBe(0);
    }
    // Their own lead sees every complaint of the team's customers.
    expect((await manager02.get(`/complaints?customerId=${customerId}`)).body.total).toBe(3);
  });
});

describe('bad input', () => {
  it('refuses an invisible customer, a contact of another customer and an unknown category, writing nothing', async () => {
    const mine = await makeCustomer(db(), { name: '无锡宏远贸易有限公司', owner: 'rep01' });
    const others = await makeCustomer(db(), { name: '深圳南方电子有限公司', owner: 'rep07' });
    const [otherContact] = await db()
      .insert(contacts)
      .values({ customerId: others.id, name: '黄总' })
      .returning();
    const before = await complaintCount();
    const base = { subject: '服务态度差', category: 'service', severity: 'medium', channel: 'visit' };

    const invisible = await rep01.post('/complaints', { ...base, customerId: others.id });
    expect(invisible.statusCode).toBe(400);
    expect(invisible.body).toMatchObject({ code: 'invalid_reference', title: '关联数据无效' });
    const wrongContact = await rep01.post('/complaints', {
      ...base,
      customerId: mine.id,
      contactId: otherContact!.id,
    });
    expect(wrongContact.statusCode).toBe(400);
    expect(wrongContact.body.errors).toEqual([{ path: 'contactId', message: '取值无效' }]);
    const category = await rep01.post('/complaints', { ...base, customerId: mine.id, category: 'weather' });
    expect(category.statusCode).toBe(400);
    expect(category.body.errors[0]).toMatchObject({ path: 'category' });
    const severity = await rep01.post('/complaints', { ...base, customerId: mine.id, severity: 'urgent' });
    expect(severity.statusCode).toBe(400);
    const noSubject = await rep01.post('/complaints', { ...base, customerId: mine.id, subject: '' });
    expect(noSubject.statusCode).toBe(400);
    // A rep cannot hand a new complaint to someone else.
    const handOff = await rep01.post('/complaints', {
      ...base,
      customerId: mine.id,
      ownerId: (await userByName(db(), 'rep02')).id,
    });
    expect(handOff.statusCode).toBe(403);
    expect(await complaintCount()).toBe(before);
  });
});

describe('handing over and listing', () => {
  it('the team lead hands a complaint to another rep, who is told and can now work it', async () => {
    const c = await makeCustomer(db(), { name: '常州华瑞包装有限公司', owner: 'rep01' });
    const created = (
      await rep01.post('/complaints', {
        customerId: c.id,
        subject: '包装破损',
        category: 'delivery',
        severity: 'medium',
        channel: 'phone',
      })
    ).body;
    expect(
      (await rep01.post(`/complaints/${created.id}/assign`, { ownerId: created.ownerId, version: 1 }))
        .statusCode,
    ).toBe(403);
    const rep02Id = (await userByName(db(), 'rep02')).id;
    const res = await manager02.post(`/complaints/${created.id}/assign`, { ownerId: rep02Id, version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ ownerId: rep02Id, version: 2 });
    expect(await notificationsOf('rep02', 'customers.complaint-assigned')).toHaveLength(1);
    // rep02 handles it although the customer is rep01's; rep01 still sees it through the customer.
    expect((await rep02.post(`/complaints/${created.id}/start`, { version: 2 })).statusCode).toBe(200);
    expect((await rep01.get(`/complaints/${created.id}`)).body.status).toBe('in_progress');
    const mine = await rep02.get('/complaints?who=mine');
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([created.id]);
    // Someone outside the lead's reach cannot be given it.
    const far = await manager02.post(`/complaints/${created.id}/assign`, {
      ownerId: (await userByName(db(), 'rep07')).id,
      version: 3,
    });
    expect(far.statusCode).toBe(400);
    expect(far.body.code).toBe('invalid_reference');
  });

  it('filters by status, severity and search', async () => {
    const critical = await manager02.get('/complaints?severity=critical');
    expect(critical.body.items.every((i: { severity: string }) => i.severity === 'critical')).toBe(true);
    expect(critical.body.total).toBeGreaterThan(0);
    const closed = await manager02.get('/complaints?status=closed');
    expect(closed.body.items.every((i: { status: string }) => i.status === 'closed')).toBe(true);
    const byNumber = await manager02.get(`/complaints?q=${critical.body.items[0].number.toLowerCase()}`);
    expect(byNumber.body.items.map((i: { id: string }) => i.id)).toEqual([critical.body.items[0].id]);
    const bySubject = await manager02.get(`/complaints?q=${encodeURIComponent('包装')}`);
    expect(bySubject.body.total).toBe(1);
  });
});

describe('overdue complaints', () => {
  let id: string;
  let customerId: string;

  beforeAll(async () => {
    customerId = (await makeCustomer(db(), { name: '南通远洋船舶配件有限公司', owner: 'rep01', grade: 'B' }))
      .id;
    id = (
      await rep01.post('/complaints', {
        customerId,
        subject: '配件型号发错',
        category: 'delivery',
        severity: 'high',
        channel: 'phone',
      })
    ).body.id;
    // Received two days ago: its 24 hours are up.
    await db()
      .update(complaints)
      .set({ createdAt: sql`now() - interval '2 days'`, slaDueAt: sql`now() - interval '1 day'` })
      .where(eq(complaints.id, id));
  });

  it('shows as overdue in the list and counts against health', async () => {
    const list = await rep01.get('/complaints?overdue=true');
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(list.body.items[0].overdue).toBe(true);
    const health = await rep01.get(`/customers/${customerId}/health`);
    expect(health.body).toMatchObject({ score: 75, level: 'watch' });
    expect(health.body.reasons.map((r: { rule: string }) => r.rule)).toEqual([
      'open_complaint:high',
      'overdue_complaint',
    ]);
  });

  it('the 15-minute job alerts the handler and their team lead once; a rerun is harmless', async () => {
    await syncSchedules(db());
    const [schedule] = await db()
      .select()
      .from(jobSchedules)
      .where(eq(jobSchedules.key, COMPLAINT_OVERDUE_JOB));
    expect(schedule!.cron).toBe('*/15 * * * *');
    await db()
      .update(jobSchedules)
      .set({ nextRunAt: sql`now() - interval '1 minute'` })
      .where(eq(jobSchedules.key, COMPLAINT_OVERDUE_JOB));
    await queueDueSchedules(db());
    await runDueJobs(db(), { kinds: [COMPLAINT_OVERDUE_JOB] });

    const forRep = await notificationsOf('rep01', 'customers.complaint-overdue');
    const forLead = await notificationsOf('manager02', 'customers.complaint-overdue');
    expect(forRep).toHaveLength(1);
    expect(forLead).toHaveLength(1);
    expect(forLead[0]!.link).toBe(`/complaints/${id}`);
    expect(forLead[0]!.params).toMatchObject({
      subject: '配件型号发错',
      customer: '南通远洋船舶配件有限公司',
    });
    expect(await notificationsOf('rep07', 'customers.complaint-overdue')).toHaveLength(0);
    expect((await row(id)).overdueNotifiedAt).not.toBeNull();
    const inbox = await manager02.get('/notifications');
    expect(JSON.stringify(inbox.body)).toContain('已超过处理时限');

    await enqueueJob(db(), COMPLAINT_OVERDUE_JOB, {});
    await runDueJobs(db(), { kinds: [COMPLAINT_OVERDUE_JOB] });
    expect(await notificationsOf('rep01', 'customers.complaint-overdue')).toHaveLength(1);
    expect(await notificationsOf('manager02', 'customers.complaint-overdue')).toHaveLength(1);
  });
});

describe('complaint settings', () => {
  it('anyone reads them; a settings manager changes SLA hours and categories, used by new complaints', async () => {
    const read = await rep01.get('/complaint-settings');
    expect(read.body).toMatchObject({
      categories: ['product_quality', 'delivery', 'service', 'billing', 'other'],
      slaHours: { critical: 4, high: 24, medium: 72, low: 168 },
    });
    expect(
      (await rep01.patch('/complaint-settings', { categories: ['x'], version: read.body.version }))
        .statusCode,
    ).toBe(403);
    const bad = await admin.patch('/complaint-settings', {
      slaHours: { critical: 0, high: 24, medium: 72, low: 168 },
      version: read.body.version,
    });
    expect(bad.statusCode).toBe(400);
    const res = await admin.patch('/complaint-settings', {
      slaHours: { critical: 2, high: 12, medium: 48, low: 120 },
      categories: ['product_quality', 'installation', 'installation'],
      version: read.body.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      categories: ['product_quality', 'installation'],
      version: read.body.version + 1,
    });
    expect(
      (await admin.patch('/complaint-settings', { categories: ['x'], version: read.body.version }))
        .statusCode,
    ).toBe(409);

    const c = await makeCustomer(db(), { name: '扬州安装客户', owner: 'rep01' });
    const created = await rep01.post('/complaints', {
      customerId: c.id,
      subject: '安装不规范',
      category: 'installation',
      severity: 'critical',
      channel: 'visit',
    });
    expect(created.statusCode).toBe(201);
    near(created.body.slaDueAt, Date.now() + 2 * HOUR_MS);
    const old = await rep01.post('/complaints', {
      customerId: c.id,
      subject: '账单',
      category: 'billing',
      severity: 'low',
      channel: 'visit',
    });
    expect(old.statusCode).toBe(400);
  });
});

describe('demo complaints', () => {
  it('about one per 20 customers, in every state, all consistent with the table’s rules', async () => {
    const { base, en, Faker, zh_CN } = await import('@faker-js/faker');
    const { demoComplaints } = await import('./complaints.demo.js');
    const owner = await userByName(db(), 'rep04');
    const real: DemoComplaintCustomer[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await makeCustomer(db(), { name: `演示投诉客户${i}`, owner: 'rep04' });
      const [contact] = await db()
        .insert(contacts)
        .values({ customerId: c.id, name: `联系人${i}` })
        .returning();
      real.push({ id: c.id, ownerId: owner.id, orgUnitId: owner.orgUnitId, contactIds: [contact!.id] });
    }
    const customers = Array.from({ length: 400 }, (_, i) => real[i % real.length]!);
    const before = await complaintCount();
    const faker = new Faker({ locale: [zh_CN, en, base], seed: 7 });
    const n = await demoComplaints(db(), faker, customers, new Date());
    expect(n).toBe(20);
    expect(await complaintCount()).toBe(before + 20);
    const rows = await db()
      .select({ status: complaints.status })
      .from(complaints)
      .where(eq(complaints.ownerId, owner.id));
    expect(new Set(rows.map((r) => r.status)).has('closed')).toBe(true);
    // rep04 reads them like any other complaint.
    const rep04 = await as(t.app, 'rep04');
    expect((await rep04.get('/complaints?who=mine')).body.total).toBe(20);
  });
});
