import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile, readWorkbook } from '../../platform/import-export/testing.js';
import { runDueJobs } from '../../platform/jobs/jobs.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { users } from '../org/schema.js';
import { onLeadConverted } from './conversion.js';
import { rescoreLead } from './leads.service.js';
import { activities, contacts, customers, leads } from './schema.js';

let t: TestApp;
let admin: Client;
let director: Client;
let units: { id: string; name: string; version: number }[];
let roleIds: Record<string, string>;
const unit = (name: string) => units.find((u) => u.name === name)!;

const leadCount = async () => (await t.database.db.select({ n: count() }).from(leads))[0]!.n;
const now = () => new Date().toISOString();
let phoneNo = 0;
const mobile = () => `139${String(10000000 + ++phoneNo).slice(-8)}`;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  director = await as(t.app, 'director');
  units = (await admin.get('/org-units')).body.items;
  roleIds = Object.fromEntries(
    (await admin.get('/roles')).body.items.map((r: { key: string; id: string }) => [r.key, r.id]),
  );
});
afterAll(() => t.close());

describe('capture', () => {
  it('a lead from the form is scored with the reasons that produced it and assigned by territory', async () => {
    const res = await director.post('/leads', {
      personName: '王建国',
      companyName: '南京恒通物流有限公司',
      title: '采购经理',
      mobile: mobile(),
      provinceCode: '32',
      cityCode: '3201',
      source: 'exhibition',
      needs: '车队更新，约 20 台轻卡',
      intentLevel: 'high',
    });
    expect(res.statusCode).toBe(201);
    const lead = res.body;
    expect(lead).toMatchObject({ captureChannel: 'form', status: 'new', orgUnitName: '华东一组' });
    expect(lead.ownerId).toEqual(expect.any(String));
    const rules = lead.scoreReasons.map((r: { rule: string }) => r.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['source:exhibition', 'field:mobile', 'field:companyName', 'intent:high']),
    );
    expect(rules).not.toContain('field:email');
    const sum = lead.scoreReasons.reduce((s: number, r: { points: number }) => s + r.points, 0);
    expect(lead.score).toBe(Math.min(100, sum));
    // The owner got the lead in the inbox.
    const owner = (await admin.get(`/users/${lead.ownerId}`)).body;
    const rep = await as(t.app, owner.username);
    const inbox = (await rep.get('/notifications')).body.items;
    expect(inbox.some((n: { title: string }) => n.title.includes('王建国'))).toBe(true);
  });

  it('reception logs an inbound call (来电登记表): a phone lead with the call kept as it was logged', async () => {
    const assistant = await as(t.app, 'assistant01');
    const res = await assistant.post('/leads/call-log', {
      calledAt: now(),
      callerName: '李女士',
      mobile: mobile(),
      cityCode: '3301',
      asked: '问冷链车的价格和交期',
      nextStep: '明天由销售回电报价',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      captureChannel: 'phone',
      source: 'inbound_call',
      provinceCode: '33',
      needs: '问冷链车的价格和交期',
      orgUnitName: '华东二组',
      captureDetails: {
        callerName: '李女士',
        nextStep: '明天由销售回电报价',
        answeredBy: expect.any(String),
      },
    });
  });

  it('reception logs a walk-in visitor (来访客户登记表): the receiving rep keeps it, and reception can no longer open it', async () => {
    const assistant = await as(t.app, 'assistant01');
    const rep = (await admin.get('/users?q=rep02')).body.items[0];
    const res = await assistant.post('/leads/walk-in', {
      visitedAt: now(),
      personName: '赵先生',
      mobile: mobile(),
      partySize: 3,
      provinceCode: '31',
      homeArea: '浦东新区张江',
      occupation: '个体经营',
      ageBand: '35to44',
      interest: '想看 7 座商务车',
      intentLevel: 'medium',
      receivingRepId: rep.id,
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      captureChannel: 'walk_in',
      source: 'walk_in',
      ownerId: rep.id,
      orgUnitName: '华东一组',
      captureDetails: { partySize: 3, ageBand: '35to44', receivingRep: rep.name, homeArea: '浦东新区张江' },
    });
    expect((await assistant.get(`/leads/${res.body.id}`)).statusCode).toBe(404);
  });

  it('a returning visitor is one inquiry: the new lead points to the open one and goes to the rep already working it', async () => {
    const assistant = await as(t.app, 'assistant01');
    const [rep02, rep03] = await Promise.all(
      ['rep02', 'rep03'].map(async (u) => (await admin.get(`/users?q=${u}`)).body.items[0]),
    );
    const phone = mobile();
    const first = await assistant.post('/leads/walk-in', {
      visitedAt: now(),
      personName: '钱先生',
      mobile: phone,
      partySize: 2,
      interest: '看 SUV',
      receivingRepId: rep02.id,
    });
    expect(first.body).toMatchObject({ ownerId: rep02.id, duplicateOfId: null });
    // He calls back a week later (the number typed the same) and then comes in again while rep03
    // is at the desk: both stay with rep02 (首接负责), whatever the round robin or the receiving rep.
    const call = await assistant.post('/leads/call-log', {
      calledAt: now(),
      callerName: '钱先生',
      mobile: phone,
      cityCode: '3301',
      asked: '试驾时间',
    });
    const again = await assistant.post('/leads/walk-in', {
      visitedAt: now(),
      personName: '钱先生',
      mobile: phone,
      partySize: 1,
      interest: '试驾',
      receivingRepId: rep03.id,
    });
    for (const res of [call, again]) {
      expect(res.statusCode).toBe(201);
      expect(res.body).toMatchObject({
        ownerId: rep02.id,
        duplicateOfId: first.body.id,
        orgUnitName: '华东一组',
      });
    }
    // A web lead with the same email, other letter case, is the same person too.
    const emailed = await director.post('/leads', {
      personName: '孙女士',
      email: 'Sun.Li@example.cn',
      cityCode: '4401',
    });
    const byEmail = await director.post('/leads', { personName: '孙丽', email: 'sun.li@EXAMPLE.cn' });
    expect(byEmail.body).toMatchObject({ duplicateOfId: emailed.body.id, ownerId: emailed.body.ownerId });
    // Once the first inquiry is closed, a new one is a new lead again.
    const rep = await as(t.app, 'rep02');
    for (const l of [first.body, call.body, again.body]) {
      const current = (await rep.get(`/leads/${l.id}`)).body;
      expect(
        (await rep.post(`/leads/${l.id}/disqualify`, { reason: '已购车', version: current.version }))
          .statusCode,
      ).toBe(200);
    }
    const later = await assistant.post('/leads/walk-in', {
      visitedAt: now(),
      personName: '钱先生',
      mobile: phone,
      partySize: 1,
      interest: '增购',
    });
    expect(later.body.duplicateOfId).toBeNull();
  });

  it('a rep keeps a lead they captured outside every territory, and converts it into their own customer', async () => {
    const rep = await as(t.app, 'rep01');
    const captured = await rep.post('/leads', {
      personName: '老同学',
      companyName: '海外贸易行',
      mobile: mobile(),
    });
    expect(captured.statusCode).toBe(201);
    const me = (await rep.get('/auth/me')).body.user;
    expect(captured.body).toMatchObject({ ownerId: me.id, orgUnitName: '华东一组' });
    const converted = await rep.post(`/leads/${captured.body.id}/convert`, {
      version: captured.body.version,
    });
    expect(converted.statusCode).toBe(200);
    const [customer] = await t.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, converted.body.customerId));
    expect(customer).toMatchObject({ name: '海外贸易行', ownerId: me.id, kind: 'company' });
  });

  it('refuses a lead with neither mobile nor email, a bad mobile, unknown divisions or source — nothing written', async () => {
    const before = await leadCount();
    const none = await director.post('/leads', { personName: '无联系方式' });
    expect(none.statusCode).toBe(400);
    expect(none.body.errors).toEqual(
      expect.arrayContaining([{ path: 'mobile', message: '手机号和邮箱至少填写一项' }]),
    );
    director.locale = 'en';
    const english = await director.post('/leads', { personName: 'No contact' });
    expect(english.body.errors[0].message).toBe('Give a mobile number or an email');
    director.locale = 'zh-CN';
    const badMobile = await director.post('/leads', { personName: '错号', mobile: '12345' });
    expect(badMobile.statusCode).toBe(400);
    expect(badMobile.body.errors).toEqual([{ path: 'mobile', message: '手机号格式不正确' }]);
    const badPlace = await director.post('/leads', {
      mobile: mobile(),
      provinceCode: '32',
      cityCode: '3301',
      source: 'carrier_pigeon',
    });
    expect(badPlace.statusCode).toBe(400);
    expect(badPlace.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['cityCode', 'source']);
    const badCall = await director.post('/leads/call-log', {
      calledAt: now(),
      callerName: '某人',
      asked: '价格',
    });
    expect(badCall.statusCode).toBe(400);
    expect(await leadCount()).toBe(before);
  });
});

describe('web-to-lead', () => {
  let form: { id: string; token: string; version: number };
  const post = (token: string, body: object, ip = '203.0.113.7') =>
    t.app.inject({ method: 'POST', url: `/api/v1/public/leads/${token}`, payload: body, remoteAddress: ip });

  beforeAll(async () => {
    const res = await admin.post('/lead-forms', { name: '官网试驾预约', source: 'website' });
    expect(res.statusCode).toBe(201);
    form = res.body;
  });

  it('a website posts a lead with the form token, without signing in', async () => {
    const before = await leadCount();
    const res = await post(form.token, {
      name: '陈女士',
      mobile: mobile(),
      cityCode: '4401',
      message: '想预约试驾',
    });
    expect(res.statusCode).toBe(201);
    expect(await leadCount()).toBe(before + 1);
    const [lead] = await t.database.db.select().from(leads).where(eq(leads.personName, '陈女士'));
    expect(lead).toMatchObject({ captureChannel: 'web', source: 'website', provinceCode: '44' });
    expect(lead!.captureDetails).toMatchObject({ formId: form.id });
  });

  it('a bad or withdrawn token is 404; a filled honeypot gets 201 but nothing is stored', async () => {
    expect((await post('not-a-token', { mobile: mobile() }, '203.0.113.8')).statusCode).toBe(404);
    const before = await leadCount();
    const bot = await post(
      form.token,
      { name: 'bot', mobile: mobile(), website: 'http://spam.example' },
      '203.0.113.8',
    );
    expect(bot.statusCode).toBe(201);
    expect(await leadCount()).toBe(before);
    const noContact = await post(form.token, { name: '只留名字' }, '203.0.113.8');
    expect(noContact.statusCode).toBe(400);

    const renewed = await admin.patch(`/lead-forms/${form.id}`, {
      regenerateToken: true,
      version: form.version,
    });
    expect(renewed.statusCode).toBe(200);
    expect(renewed.body.token).not.toBe(form.token);
    expect((await post(form.token, { mobile: mobile() }, '203.0.113.8')).statusCode).toBe(404);
    form = renewed.body;
  });

  it('throttles one address after ten posts a minute', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await post(form.token, { mobile: mobile() }, '198.51.100.9')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
    // Another address is not affected.
    expect((await post(form.token, { mobile: mobile() }, '198.51.100.10')).statusCode).toBe(201);
  });
});

describe('assignment', () => {
  // A team of its own (新疆, not a demo territory) so the round robin starts from a clean slate.
  let team: string;
  const reps: { id: string; username: string }[] = [];

  beforeAll(async () => {
    const created = await admin.post('/org-units', {
      parentId: unit('华南').id,
      name: '新疆组',
      kind: 'team',
    });
    team = created.body.id;
    expect((await admin.put(`/org-units/${team}/territories`, { codes: ['65'] })).statusCode).toBe(200);
    for (const username of ['xjrep1', 'xjrep2']) {
      const res = await admin.post('/users', {
        username,
        name: username === 'xjrep1' ? '阿依古丽' : '买买提',
        orgUnitId: team,
        roleIds: [roleIds.rep],
        password: 'Xinjiang2026ok',
      });
      expect(res.statusCode).toBe(201);
      reps.push({ id: res.body.id, username });
    }
    const rules = (await admin.get('/lead-rules')).body;
    expect((await admin.patch('/lead-rules', { capPerRep: 2, version: rules.version })).statusCode).toBe(200);
  });
  afterAll(async () => {
    const rules = (await admin.get('/lead-rules')).body;
    await admin.patch('/lead-rules', { capPerRep: 50, version: rules.version });
  });

  const capture = async () =>
    (await director.post('/leads', { mobile: mobile(), provinceCode: '65', cityCode: '6501' })).body;

  it('round robin within the territory team, skipping reps at the cap; with everyone full the lead waits in the team pool', async () => {
    const owners = [];
    for (let i = 0; i < 4; i++) owners.push((await capture()).ownerId);
    expect(owners).toEqual([reps[0]!.id, reps[1]!.id, reps[0]!.id, reps[1]!.id]);

    const pooled = await capture();
    expect(pooled).toMatchObject({ ownerId: null, orgUnitId: team });

    // A disqualified lead no longer counts against the cap.
    const first = (await director.get(`/leads?ownerId=${reps[0]!.id}`)).body.items[0];
    const dq = await director.post(`/leads/${first.id}/disqualify`, {
      reason: '空号',
      version: first.version,
    });
    expect(dq.body).toMatchObject({ status: 'disqualified', disqualifyReason: '空号' });
    expect((await capture()).ownerId).toBe(reps[0]!.id);
  });

  it('a manager reassigns a lead of the team; audited, the new owner notified; no one outside their scope', async () => {
    const manager02 = await as(t.app, 'manager02');
    const rep01 = (await admin.get('/users?q=rep01')).body.items[0];
    const rep02 = (await admin.get('/users?q=rep02')).body.items[0];
    const rep04 = (await admin.get('/users?q=rep04')).body.items[0];
    const lead = (
      await director.post('/leads', { personName: '周经理', mobile: mobile(), provinceCode: '31' })
    ).body;
    const target = lead.ownerId === rep02.id ? rep01 : rep02;

    const res = await manager02.post(`/leads/${lead.id}/assign`, {
      ownerId: target.id,
      version: lead.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ ownerId: target.id, ownerName: target.name, orgUnitName: '华东一组' });
    const history = (await manager02.get(`/leads/${lead.id}/history`)).body.items;
    expect(history[0]).toMatchObject({ action: 'assign', changes: { ownerId: { to: target.id } } });
    const inbox = (await (await as(t.app, target.username)).get('/notifications')).body.items;
    expect(inbox.some((n: { title: string }) => n.title.includes('周经理'))).toBe(true);

    const outside = await manager02.post(`/leads/${lead.id}/assign`, {
      ownerId: rep04.id,
      version: res.body.version,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.body.code).toBe('invalid_reference');
    const rep01Client = await as(t.app, 'rep01');
    expect(
      (await rep01Client.post(`/leads/${lead.id}/assign`, { ownerId: rep01.id, version: 2 })).statusCode,
    ).toBe(403);
  });
});

describe('scoring', () => {
  it('is recomputed when the lead changes, when a follow-up is logged, and when the rules change', async () => {
    const lead = (
      await director.post('/leads', { personName: '孙工', email: 'sun@example.com', needs: '需要报价单' })
    ).body;
    const changed = await director.patch(`/leads/${lead.id}`, { intentLevel: 'high', version: lead.version });
    expect(changed.statusCode).toBe(200);
    expect(changed.body.score).toBe(lead.score + 30);
    expect(changed.body.scoreReasons).toContainEqual({ rule: 'intent:high', points: 30 });

    const row = (await t.database.db.select().from(leads).where(eq(leads.id, lead.id)))[0]!;
    await t.database.db.insert(activities).values({
      type: 'call',
      subject: '电话沟通',
      leadId: lead.id,
      ownerId: row.ownerId,
      orgUnitId: row.orgUnitId,
    });
    const rescored = await rescoreLead(t.database.db, lead.id);
    expect(rescored.reasons).toContainEqual({ rule: 'activity:1', points: 5 });
    expect((await director.get(`/leads/${lead.id}`)).body).toMatchObject({
      status: 'working',
      score: changed.body.score + 5,
    });

    const rules = (await admin.get('/lead-rules')).body;
    const res = await admin.patch('/lead-rules', {
      scoring: { ...rules.scoring, needKeywords: [{ keyword: '报价', points: 10 }] },
      version: rules.version,
    });
    expect(res.statusCode).toBe(200);
    await runDueJobs(t.database.db);
    const after = (await director.get(`/leads/${lead.id}`)).body;
    expect(after.scoreReasons).toContainEqual({ rule: 'need:报价', points: 10 });
    expect(after.score).toBe(changed.body.score + 15);
  });

  it('only a settings administrator sees and changes the rules', async () => {
    const rep = await as(t.app, 'rep01');
    expect((await rep.get('/lead-rules')).statusCode).toBe(403);
    expect((await director.get('/lead-rules')).statusCode).toBe(200);
    const bad = await admin.patch('/lead-rules', { capPerRep: 0, version: 1 });
    expect(bad.statusCode).toBe(400);
  });
});

describe('list', () => {
  it('filters by status, source, score range and text', async () => {
    const all = (await director.get('/leads?limit=500')).body;
    expect(all.total).toBeGreaterThan(5);
    const walkIns = (await director.get('/leads?source=walk_in')).body.items;
    expect(walkIns.length).toBeGreaterThan(0);
    expect(walkIns.every((l: { source: string }) => l.source === 'walk_in')).toBe(true);
    const high = (await director.get('/leads?minScore=50&sort=-score')).body.items;
    expect(high.every((l: { score: number }) => l.score >= 50)).toBe(true);
    expect(high.map((l: { score: number }) => l.score)).toEqual(
      [...high.map((l: { score: number }) => l.score)].sort((a, b) => b - a),
    );
    const dq = (await director.get('/leads?status=disqualified')).body.items;
    expect(dq.map((l: { disqualifyReason: string }) => l.disqualifyReason)).toContain('空号');
    const found = (await director.get(`/leads?q=${encodeURIComponent('恒通')}`)).body.items;
    expect(found.map((l: { companyName: string }) => l.companyName)).toEqual(['南京恒通物流有限公司']);
  });
});

describe('conversion', () => {
  const converted: string[] = [];
  onLeadConverted('test-opportunity', async (_tx, _ctx, c) => {
    converted.push(c.lead.id);
  });

  const newLead = async (companyName: string, personName: string) =>
    (
      await director.post('/leads', {
        companyName,
        personName,
        mobile: mobile(),
        provinceCode: '32',
        source: 'referral',
      })
    ).body;

  it('turns a lead into a customer with a contact, once; the post-conversion hooks run', async () => {
    const lead = await newLead('苏州远航精密机械有限公司', '钱总');
    const res = await director.post(`/leads/${lead.id}/convert`, { version: lead.version });
    expect(res.statusCode).toBe(200);
    expect(res.body.lead).toMatchObject({ status: 'converted', convertedCustomerId: res.body.customerId });
    const [customer] = await t.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, res.body.customerId));
    expect(customer).toMatchObject({
      name: '苏州远航精密机械有限公司',
      ownerId: lead.ownerId,
      source: 'referral',
    });
    const [contact] = await t.database.db.select().from(contacts).where(eq(contacts.id, res.body.contactId));
    expect(contact).toMatchObject({ name: '钱总', mobile: lead.mobile, isPrimary: true });
    expect(converted).toContain(lead.id);

    const again = await director.post(`/leads/${lead.id}/convert`, { version: res.body.lead.version });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('lead_converted');
  });

  it('carries the lead’s follow-ups to the new customer: its timeline and last follow-up start from them', async () => {
    const lead = await newLead('无锡启明电子有限公司', '孙经理');
    const [owner] = await t.database.db
      .select({ username: users.username })
      .from(users)
      .where(eq(users.id, lead.ownerId));
    const rep = await as(t.app, owner!.username);
    const visitedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const logged = await rep.post('/activities', {
      type: 'visit',
      subject: '上门拜访，了解需求',
      occurredAt: visitedAt,
      leadId: lead.id,
    });
    expect(logged.statusCode).toBe(201);
    const fresh = (await rep.get(`/leads/${lead.id}`)).body;
    const res = await rep.post(`/leads/${lead.id}/convert`, { version: fresh.version });
    expect(res.statusCode).toBe(200);
    const timeline = await rep.get(`/activities?customerId=${res.body.customerId}`);
    expect(timeline.body.items.map((a: { subject: string }) => a.subject)).toEqual(['上门拜访，了解需求']);
    const [customer] = await t.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, res.body.customerId));
    expect(customer!.lastFollowUpAt?.toISOString()).toBe(visitedAt);
  });

  it('checks for duplicates first: 409 with the candidates, then into the chosen customer or a confirmed new one', async () => {
    const existing = (
      await t.database.db.select().from(customers).where(eq(customers.name, '苏州远航精密机械有限公司'))
    )[0]!;
    const lead = await newLead('苏州远航精密机械有限公司', '孙经理');
    const before = (await t.database.db.select({ n: count() }).from(customers))[0]!.n;
    const conflict = await director.post(`/leads/${lead.id}/convert`, { version: lead.version });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'lead_duplicates', candidates: [{ id: existing.id }] });
    expect((await t.database.db.select({ n: count() }).from(customers))[0]!.n).toBe(before);
    expect((await director.get(`/leads/${lead.id}`)).body.status).not.toBe('converted');

    const into = await director.post(`/leads/${lead.id}/convert`, {
      customerId: existing.id,
      version: lead.version,
    });
    expect(into.statusCode).toBe(200);
    expect(into.body.customerId).toBe(existing.id);
    const people = await t.database.db.select().from(contacts).where(eq(contacts.customerId, existing.id));
    expect(people.map((c) => c.name).sort()).toEqual(['孙经理', '钱总']);

    const other = await newLead('苏州远航精密机械有限公司', '李工');
    const fresh = await director.post(`/leads/${other.id}/convert`, {
      confirmNew: true,
      version: other.version,
    });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body.customerId).not.toBe(existing.id);
  });

  it('a disqualified lead cannot be changed or converted', async () => {
    const lead = await newLead('无锡测试有限公司', '吴工');
    const dq = (
      await director.post(`/leads/${lead.id}/disqualify`, { reason: '无需求', version: lead.version })
    ).body;
    const edit = await director.patch(`/leads/${lead.id}`, { needs: 'x', version: dq.version });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('lead_closed');
    const conv = await director.post(`/leads/${lead.id}/convert`, { confirmNew: true, version: dq.version });
    expect(conv.statusCode).toBe(409);
    const rows = await t.database.db
      .select({ n: count() })
      .from(customers)
      .where(and(eq(customers.name, '无锡测试有限公司')));
    expect(rows[0]!.n).toBe(0);
  });
});

describe('import and export', () => {
  const importCsv = async (csv: string, duplicates = 'skip') => {
    const { payload, headers } = multipartFile('线索.csv', Buffer.from(csv, 'utf8'));
    const up = await admin.request('POST', '/imports?entity=leads', payload, headers);
    expect(up.statusCode, up.payload).toBe(201);
    const res = await admin.post(`/imports/${up.body.id}/run`, {
      mode: 'batches',
      duplicates,
      version: up.body.version,
    });
    expect(res.statusCode, res.payload).toBe(200);
    await runDueJobs(t.database.db, { kinds: ['import.process'] });
    const done = (await admin.get(`/imports/${up.body.id}`)).body;
    const errors = (await admin.get(`/imports/${up.body.id}/errors?phase=run&limit=500`)).body.items;
    return { done, errors };
  };

  it('imports leads from a CSV with provinces by name; each row is assigned and scored; bad rows reported', async () => {
    const before = await leadCount();
    const { done, errors } = await importCsv(
      [
        '姓名,公司,手机号,邮箱,省份,城市,来源,需求,意向',
        '导入甲,杭州导入科技有限公司,13600000001,,浙江,杭州,exhibition,采购 5 台,高',
        '导入乙,,,yi@example.com,江苏省,苏州市,referral,,中',
        '导入丙,,,,江苏,,website,,',
        '导入丁,,13600000004,,火星,,website,,',
      ].join('\r\n'),
    );
    expect(done).toMatchObject({ status: 'done', result: { created: 2, failed: 2 } });
    expect(await leadCount()).toBe(before + 2);
    // Row 4 has neither mobile nor email (both columns named), row 5 an unknown province.
    expect([...new Set(errors.map((e: { row: number }) => e.row))].sort()).toEqual([4, 5]);
    const [jia] = await t.database.db.select().from(leads).where(eq(leads.personName, '导入甲'));
    expect(jia).toMatchObject({
      captureChannel: 'import',
      provinceCode: '33',
      cityCode: '3301',
      intentLevel: 'high',
    });
    expect(jia!.ownerId).not.toBeNull();
    expect(jia!.score).toBeGreaterThan(0);
  });

  it('exports the list with the filters on screen', async () => {
    const res = await director.get('/leads/export?format=xlsx&source=exhibition');
    expect(res.statusCode).toBe(200);
    const rows = await readWorkbook(res.rawPayload);
    expect(rows[0]).toContain('手机号');
    expect(rows.slice(1).every((r) => r.includes('exhibition'))).toBe(true);
    expect(rows.length).toBeGreaterThan(1);
  });
});
