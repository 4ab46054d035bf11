import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { multipartFile, readWorkbook, workbook } from '../../platform/import-export/testing.js';
import { runDueJobs } from '../../platform/jobs/jobs.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { creditCodeCheckChar, isValidCreditCode } from './credit-code.js';
import { nameKey, pinyinOf } from './dedupe.js';
import { activities, contacts, customers, leads } from './schema.js';

let t: TestApp;
let admin: Client;
let rep01: Client;
let rep07: Client;
let manager02: Client;

const customerCount = async () => (await t.database.db.select({ n: count() }).from(customers))[0]!.n;
const auditCount = async () => (await t.database.db.select({ n: count() }).from(auditLog))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  manager02 = await as(t.app, 'manager02');
});
afterAll(() => t.close());

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts real registered codes and rejects a wrong check character', () => {
    // Tencent (Shenzhen), Huawei, Alibaba (Hangzhou), Xiaomi (Beijing).
    for (const code of [
      '9144030071526726XG',
      '914403001922038216',
      '91330100716105852F',
      '91110108551385082Q',
    ]) {
      expect(isValidCreditCode(code)).toBe(true);
    }
    expect(isValidCreditCode('9144030071526726XA')).toBe(false);
    expect(isValidCreditCode('91110108551385082')).toBe(false);
    // I, O, Z, S and V are not in the alphabet.
    expect(isValidCreditCode('9144030071526726IG')).toBe(false);
    expect(creditCodeCheckChar('91110108551385082')).toBe('Q');
  });
});

describe('name keys and pinyin', () => {
  it('drops spaces, punctuation, "(中国)" and company suffixes', () => {
    expect(nameKey('上海申华贸易有限公司')).toBe('上海申华贸易');
    expect(nameKey(' 上海 申华贸易（中国）股份有限公司 ')).toBe('上海申华贸易');
    expect(nameKey('Acme Co., Ltd.')).toBe('acme');
    expect(nameKey('Tesco')).toBe('tesco');
    expect(pinyinOf('上海申华有限公司')).toEqual({ full: 'shanghaishenhua', initials: 'shsh' });
  });
});

describe('customers', () => {
  let shenhua: { id: string; version: number };

  it('a rep creates a company customer and owns it; the write is audited', async () => {
    const before = await auditCount();
    const res = await rep01.post('/customers', {
      name: '上海申华贸易有限公司',
      creditCode: '91110108551385082Q',
      provinceCode: '31',
      cityCode: '310115',
      phone: '021-68881234',
      grade: 'A',
      lifecycle: 'active',
      creditLimit: 50_000_000,
      tags: ['重点'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      name: '上海申华贸易有限公司',
      namePinyin: 'shanghaishenhuamaoyi',
      nameInitials: 'shshmy',
      ownerName: expect.any(String),
      grade: 'A',
      creditLimit: 50_000_000,
      version: 1,
    });
    // An A customer is due for a follow-up within 7 days (seed 002).
    const dueInDays = (Date.parse(res.body.followUpDueAt) - Date.now()) / 86_400_000;
    expect(dueInDays).toBeGreaterThan(6.9);
    expect(dueInDays).toBeLessThanOrEqual(7);
    shenhua = res.body;
    expect(await auditCount()).toBe(before + 1);
  });

  it('the same credit code is refused even from another region, whatever the caller confirms', async () => {
    const before = await customerCount();
    const res = await rep07.post('/customers', {
      name: '申华商贸',
      creditCode: '91110108 551385082q',
      confirmDuplicate: true,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('duplicate_credit_code');
    expect(res.body.detail).toContain('上海申华贸易有限公司');
    expect(await customerCount()).toBe(before);
  });

  it('a same-named customer, or one that sounds the same, is a possible duplicate until confirmed', async () => {
    const before = await customerCount();
    const sameName = await rep07.post('/customers', { name: '上海申华贸易（中国）有限公司' });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.body.code).toBe('possible_duplicate');
    // rep07 (华南) cannot open rep01's customer but learns it exists and whose it is.
    expect(sameName.body.candidates).toEqual([
      {
        id: shenhua.id,
        name: '上海申华贸易有限公司',
        ownerName: expect.any(String),
        reasons: ['name'],
        visible: false,
      },
    ]);
    const soundAlike = await rep01.post('/customers', { name: '上海深华贸易有限公司' });
    expect(soundAlike.statusCode).toBe(409);
    expect(soundAlike.body.candidates[0]).toMatchObject({
      id: shenhua.id,
      reasons: ['pinyin'],
      visible: true,
    });
    const samePhone = await rep01.post('/customers', { name: '浦东某商行', phone: '02168881234' });
    expect(samePhone.body.candidates[0]).toMatchObject({ id: shenhua.id, reasons: ['phone'] });
    expect(await customerCount()).toBe(before);

    const confirmed = await rep01.post('/customers', {
      name: '上海深华贸易有限公司',
      confirmDuplicate: true,
    });
    expect(confirmed.statusCode).toBe(201);
  });

  it('shows probable duplicates while the name is typed', async () => {
    const res = await rep01.get(`/customers/duplicates?name=${encodeURIComponent('上海申华贸易')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body.items[0]).toMatchObject({ id: shenhua.id, reasons: ['name'] });
    expect((await rep01.get('/customers/duplicates?name=')).body.items).toEqual([]);
  });

  it('an invalid credit code, phone or city answers 400 with the fields, and nothing is written', async () => {
    const before = await customerCount();
    const badCode = await rep01.post('/customers', {
      name: '杭州某某科技有限公司',
      creditCode: '91330100716105852A',
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.body.errors).toEqual([
      { path: 'creditCode', message: expect.stringContaining('统一社会信用代码') },
    ]);
    const badPhone = await rep01.post('/customers', { name: '杭州某某科技有限公司', phone: '12345' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.body.errors[0].path).toBe('phone');
    const badCity = await rep01.post('/customers', {
      name: '杭州某某科技有限公司',
      provinceCode: '33',
      cityCode: '310115',
    });
    expect(badCity.statusCode).toBe(400);
    expect(badCity.body.errors).toEqual([{ path: 'cityCode', message: expect.any(String) }]);
    rep01.locale = 'en';
    const en = await rep01.post('/customers', { name: 'X', creditCode: '9144030071526726XA' });
    expect(en.body.errors[0].message).toMatch(/unified social credit code/);
    rep01.locale = 'zh-CN';
    expect(await customerCount()).toBe(before);
  });

  it('finds customers by the start of the name, its pinyin or its initials', async () => {
    await rep01.post('/customers', { name: '北京华联商厦股份有限公司', confirmDuplicate: true });
    const search = async (q: string) =>
      ((await rep01.get(`/customers?q=${encodeURIComponent(q)}`)).body.items as { name: string }[]).map(
        (c) => c.name,
      );
    expect(await search('shsh')).toContain('上海申华贸易有限公司');
    expect(await search('shanghai')).toEqual(
      expect.arrayContaining(['上海申华贸易有限公司', '上海深华贸易有限公司']),
    );
    expect(await search('上海申')).toEqual(['上海申华贸易有限公司']);
    expect(await search('bjhl')).toEqual(['北京华联商厦股份有限公司']);
    expect(await search('hualian')).toEqual([]);
    // A phone finds its customer however it is written.
    expect(await search('02168881234')).toEqual(['上海申华贸易有限公司']);
  });

  it('filters by grade, lifecycle, tag and city, and pages by keyset sorted by name', async () => {
    const list = await rep01.get('/customers?grade=A&lifecycle=active&tag=重点&cityCode=310115');
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([shenhua.id]);
    const first = await rep01.get('/customers?sort=name&limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBe(3);
    const second = await rep01.get(`/customers?sort=name&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });

  it('updates with the current version only; a stale version is 409 and changes nothing', async () => {
    const ok = await rep01.patch(`/customers/${shenhua.id}`, {
      industry: '汽车零售',
      version: shenhua.version,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatchObject({ industry: '汽车零售', version: 2 });
    const stale = await rep01.patch(`/customers/${shenhua.id}`, { industry: '其他', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await rep01.get(`/customers/${shenhua.id}`)).body.industry).toBe('汽车零售');
    const history = await rep01.get(`/customers/${shenhua.id}/history`);
    expect(history.body.items[0]).toMatchObject({
      action: 'update',
      changes: { industry: { from: null, to: '汽车零售' } },
    });
    shenhua = ok.body;
  });

  it('a collaborator from another region sees the customer once added, and not after removal', async () => {
    const rep07User = (await admin.get('/users?q=rep07')).body.items[0];
    expect((await rep07.get(`/customers/${shenhua.id}`)).statusCode).toBe(404);
    const added = await rep01.post(`/customers/${shenhua.id}/collaborators`, { userId: rep07User.id });
    expect(added.body.collaborators).toEqual([{ userId: rep07User.id, name: rep07User.name }]);
    expect((await rep07.get(`/customers/${shenhua.id}`)).statusCode).toBe(200);
    expect((await rep07.get('/customers')).body.items.map((c: { id: string }) => c.id)).toContain(shenhua.id);
    await rep01.delete(`/customers/${shenhua.id}/collaborators/${rep07User.id}`);
    expect((await rep07.get(`/customers/${shenhua.id}`)).statusCode).toBe(404);
  });
});

describe('contacts', () => {
  let customerId: string;
  beforeAll(async () => {
    customerId = (await rep01.post('/customers', { name: '苏州恒远机械有限公司', provinceCode: '32' })).body
      .id;
  });

  it('the first contact becomes primary; making another primary clears the first in one step', async () => {
    const first = await rep01.post(`/customers/${customerId}/contacts`, {
      name: '王芳',
      title: '采购经理',
      mobile: '13912345678',
      decisionRole: 'decision_maker',
    });
    expect(first.statusCode).toBe(201);
    expect(first.body.isPrimary).toBe(true);
    const second = await rep01.post(`/customers/${customerId}/contacts`, { name: '李强', isPrimary: true });
    expect(second.body.isPrimary).toBe(true);
    const list = (await rep01.get(`/customers/${customerId}/contacts`)).body.items;
    expect(list.map((c: { name: string; isPrimary: boolean }) => [c.name, c.isPrimary])).toEqual([
      ['李强', true],
      ['王芳', false],
    ]);
  });

  it('a bad mobile is 400 on its field; a rep of another region cannot see or add contacts', async () => {
    const bad = await rep01.post(`/customers/${customerId}/contacts`, { name: '赵六', mobile: '1391234' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('mobile');
    expect((await rep07.get(`/customers/${customerId}/contacts`)).statusCode).toBe(404);
    expect((await rep07.post(`/customers/${customerId}/contacts`, { name: '赵六' })).statusCode).toBe(404);
  });

  it('archives instead of deleting; an archived contact is no longer primary', async () => {
    const list = (await rep01.get(`/customers/${customerId}/contacts`)).body.items;
    const primary = list.find((c: { isPrimary: boolean }) => c.isPrimary);
    const archived = await rep01.post(`/customers/${customerId}/contacts/${primary.id}/archive`);
    expect(archived.body).toMatchObject({ archived: true, isPrimary: false });
    expect((await rep01.get(`/customers/${customerId}/contacts`)).body.items).toHaveLength(1);
    expect(
      (await rep01.get(`/customers/${customerId}/contacts?includeArchived=true`)).body.items,
    ).toHaveLength(2);
  });

  it('a contact mobile makes a new customer with that phone a probable duplicate', async () => {
    const res = await rep01.get('/customers/duplicates?phone=13912345678');
    expect(res.body.items[0]).toMatchObject({ id: customerId, reasons: ['phone'] });
  });

  it('the contacts directory lists the live contacts of the customers one sees, searchable and exportable', async () => {
    const rep07Customer = (await rep07.post('/customers', { name: '佛山顺德电器城', provinceCode: '44' }))
      .body;
    await rep07.post(`/customers/${rep07Customer.id}/contacts`, { name: '陈志明', mobile: '13800138077' });

    const mine = (await rep01.get('/contacts')).body;
    // 李强 was archived above: the directory shows live contacts only.
    expect(mine.items.map((c: { name: string }) => c.name)).toEqual(['王芳']);
    expect(mine.items[0]).toMatchObject({ customerName: '苏州恒远机械有限公司', customerId });
    expect(mine.total).toBe(1);
    // The director sees both regions' contacts; search by customer name, mobile or role.
    const director = await as(t.app, 'director');
    const both = (await director.get('/contacts?limit=500')).body.items.map((c: { name: string }) => c.name);
    expect(both).toEqual(expect.arrayContaining(['王芳', '陈志明']));
    expect(both).not.toContain('李强');
    expect((await director.get('/contacts?q=顺德')).body.items.map((c: { name: string }) => c.name)).toEqual([
      '陈志明',
    ]);
    expect((await director.get('/contacts?q=138001380')).body.total).toBe(1);
    expect((await rep07.get(`/contacts?customerId=${customerId}`)).body.total).toBe(0);

    const exported = await director.get(`/contacts/export?format=xlsx&customerId=${rep07Customer.id}`);
    expect(exported.statusCode).toBe(200);
    const rows = await readWorkbook(exported.rawPayload);
    expect(rows[0]).toEqual(expect.arrayContaining(['客户', '姓名', '手机号']));
    expect(rows.slice(1)).toEqual([expect.arrayContaining(['佛山顺德电器城', '陈志明', '13800138077'])]);
  });
});

describe('merge', () => {
  it('moves contacts, activities, leads and collaborators to the survivor, and unmerge restores exactly', async () => {
    const db = t.database.db;
    const survivor = (
      await manager02.post('/customers', { name: '南京金陵汽车服务有限公司', provinceCode: '32' })
    ).body;
    const loser = (
      await manager02.post('/customers', { name: '南京金陵汽车服务公司', confirmDuplicate: true })
    ).body;
    const keep = (await manager02.post(`/customers/${survivor.id}/contacts`, { name: '陈总' })).body;
    const moved = (await manager02.post(`/customers/${loser.id}/contacts`, { name: '周经理' })).body;
    expect(moved.isPrimary).toBe(true);
    const [activity] = await db
      .insert(activities)
      .values({
        type: 'call',
        subject: '电话回访',
        customerId: loser.id,
        orgUnitId: loser.orgUnitId,
        ownerId: loser.ownerId,
      })
      .returning();
    const [lead] = await db
      .insert(leads)
      .values({
        personName: '周经理',
        mobile: '13812345678',
        orgUnitId: loser.orgUnitId,
        convertedCustomerId: loser.id,
        status: 'converted',
      })
      .returning();
    const rep01User = (await admin.get('/users?q=rep01')).body.items[0];
    await manager02.post(`/customers/${loser.id}/collaborators`, { userId: rep01User.id });

    expect((await manager02.post(`/customers/${loser.id}/merge`, { survivorId: loser.id })).statusCode).toBe(
      400,
    );
    expect((await rep01.post(`/customers/${loser.id}/merge`, { survivorId: survivor.id })).statusCode).toBe(
      403,
    );

    const merged = await manager02.post(`/customers/${loser.id}/merge`, { survivorId: survivor.id });
    expect(merged.statusCode).toBe(200);
    expect(merged.body.collaborators.map((c: { userId: string }) => c.userId)).toEqual([rep01User.id]);
    const onSurvivor = (await manager02.get(`/customers/${survivor.id}/contacts`)).body.items;
    expect(onSurvivor.map((c: { name: string; isPrimary: boolean }) => [c.name, c.isPrimary])).toEqual([
      ['陈总', true],
      ['周经理', false],
    ]);
    expect((await db.select().from(activities).where(eq(activities.id, activity!.id)))[0]!.customerId).toBe(
      survivor.id,
    );
    expect((await db.select().from(leads).where(eq(leads.id, lead!.id)))[0]!.convertedCustomerId).toBe(
      survivor.id,
    );
    expect((await manager02.get(`/customers/${loser.id}`)).body.mergedIntoId).toBe(survivor.id);
    expect((await manager02.get('/customers')).body.items.map((c: { id: string }) => c.id)).not.toContain(
      loser.id,
    );
    // Nothing more can be merged into a merged customer, nor can it be merged again.
    const intoMerged = await manager02.post(`/customers/${survivor.id}/merge`, { survivorId: loser.id });
    expect(intoMerged.statusCode).toBe(409);
    expect(intoMerged.body.code).toBe('customer_merged');

    // A contact added to the survivor after the merge stays there on unmerge.
    const later = (await manager02.post(`/customers/${survivor.id}/contacts`, { name: '新来的' })).body;
    const unmerged = await manager02.post(`/customers/${loser.id}/unmerge`);
    expect(unmerged.statusCode).toBe(200);
    expect(unmerged.body.mergedIntoId).toBeNull();
    expect(unmerged.body.collaborators.map((c: { userId: string }) => c.userId)).toEqual([rep01User.id]);
    const back = await db.select().from(contacts).where(eq(contacts.customerId, loser.id));
    expect(back.map((c) => [c.id, c.isPrimary])).toEqual([[moved.id, true]]);
    const stay = await db.select().from(contacts).where(eq(contacts.customerId, survivor.id));
    expect(stay.map((c) => c.id).sort()).toEqual([keep.id, later.id].sort());
    expect((await db.select().from(activities).where(eq(activities.id, activity!.id)))[0]!.customerId).toBe(
      loser.id,
    );
    expect((await db.select().from(leads).where(eq(leads.id, lead!.id)))[0]!.convertedCustomerId).toBe(
      loser.id,
    );
    expect((await manager02.get(`/customers/${survivor.id}`)).body.collaborators).toEqual([]);
    const history = (await manager02.get(`/customers/${loser.id}/history`)).body.items.map(
      (h: { action: string }) => h.action,
    );
    expect(history.slice(0, 2)).toEqual(['unmerge', 'merge']);
    expect((await manager02.post(`/customers/${loser.id}/unmerge`)).body.code).toBe('customer_not_merged');
  });

  it('takes complaints, visit stops and cards along, except a card the survivor has its own of', async () => {
    const rep02 = await as(t.app, 'rep02');
    const survivor = (await rep02.post('/customers', { name: '无锡锡山电器有限公司', provinceCode: '32' }))
      .body;
    const loser = (await rep02.post('/customers', { name: '无锡锡山电器公司', confirmDuplicate: true })).body;
    const complaint = (
      await rep02.post('/complaints', {
        customerId: loser.id,
        subject: '安装延期',
        category: 'delivery',
        severity: 'medium',
        channel: 'phone',
      })
    ).body;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const plan = (
      await rep02.post('/visit-plans', { day: tomorrow, stops: [{ customerId: loser.id, purpose: '巡店' }] })
    ).body;
    const month = new Date().toISOString().slice(0, 7);
    const scores = { enthusiasm: 4, sales: 3, payment: 5, priceDiscipline: 4, capability: 3 };
    await rep02.put(`/customers/${loser.id}/account-plan`, { strategy: '做大空调配件' });
    await rep02.put(`/customers/${survivor.id}/account-plan`, { strategy: '稳住主机销量' });
    const clash = (await rep02.post(`/customers/${loser.id}/account-reviews`, { month, scores })).body;
    await rep02.post(`/customers/${survivor.id}/account-reviews`, { month, scores });
    const earlier = (await rep02.post(`/customers/${loser.id}/account-reviews`, { month: '2026-01', scores }))
      .body;

    const manager = await as(t.app, 'manager02');
    expect((await manager.post(`/customers/${loser.id}/merge`, { survivorId: survivor.id })).statusCode).toBe(
      200,
    );
    expect((await rep02.get(`/complaints/${complaint.id}`)).body.customerId).toBe(survivor.id);
    expect((await rep02.get(`/visit-plans/${plan.id}`)).body.stops[0].customerId).toBe(survivor.id);
    expect((await rep02.get(`/customers/${survivor.id}/account-plan`)).body.plan.strategy).toBe(
      '稳住主机销量',
    );
    const reviews = (await rep02.get(`/customers/${survivor.id}/account-reviews`)).body.items;
    expect(reviews.map((r: { id: string }) => r.id)).toContain(earlier.id);
    expect(reviews.map((r: { id: string }) => r.id)).not.toContain(clash.id);

    expect((await manager.post(`/customers/${loser.id}/unmerge`)).statusCode).toBe(200);
    expect((await rep02.get(`/complaints/${complaint.id}`)).body.customerId).toBe(loser.id);
    expect((await rep02.get(`/visit-plans/${plan.id}`)).body.stops[0].customerId).toBe(loser.id);
    const loserReviews = (await rep02.get(`/customers/${loser.id}/account-reviews`)).body.items;
    expect(loserReviews.map((r: { id: string }) => r.id).sort()).toEqual([clash.id, earlier.id].sort());
    expect((await rep02.get(`/customers/${loser.id}/account-plan`)).body.plan.strategy).toBe('做大空调配件');
  });
});

describe('import and export', () => {
  async function importSheet(client: Client, entity: string, rows: unknown[][], duplicates = 'skip') {
    const { payload, headers } = multipartFile(`${entity}.xlsx`, await workbook(rows));
    const up = await client.request('POST', `/imports?entity=${entity}`, payload, headers);
    expect(up.statusCode, up.payload).toBe(201);
    const current = (await client.get(`/imports/${up.body.id}`)).body;
    const run = await client.post(`/imports/${up.body.id}/run`, {
      mode: 'batches',
      duplicates,
      version: current.version,
    });
    expect(run.statusCode, run.payload).toBe(200);
    await runDueJobs(t.database.db, { kinds: ['import.process'] });
    const done = (await client.get(`/imports/${up.body.id}`)).body;
    const errors = (await client.get(`/imports/${up.body.id}/errors?phase=run&limit=500`)).body.items;
    return { done, errors };
  }

  it('imports customers and their contacts through the same checks, then exports the filtered list', async () => {
    const { done, errors } = await importSheet(manager02, 'customers', [
      [
        '客户名称',
        '统一社会信用代码',
        '省份',
        '城市',
        '电话',
        '客户等级',
        '生命周期',
        '信用额度（元）',
        '标签',
        '负责人',
      ],
      [
        '杭州西湖电子有限公司',
        '91330100716105852F',
        '浙江',
        '杭州',
        '0571-88886666',
        'B',
        '活跃',
        '120,000.50',
        '新客户',
        'rep03',
      ],
      ['宁波港城物流有限公司', '', '浙江省', '宁波市', '', 'c', '潜在', '', '', ''],
      ['错误代码公司', '91330100716105852A', '', '', '', '', '', '', '', ''],
    ]);
    expect(errors.map((e: { row: number; column: string | null }) => [e.row, e.column])).toEqual([
      [4, '统一社会信用代码'],
    ]);
    expect(done.result).toMatchObject({ created: 2, failed: 1 });
    const xihu = (await manager02.get(`/customers?q=${encodeURIComponent('杭州西湖')}`)).body.items[0];
    expect(xihu).toMatchObject({
      grade: 'B',
      lifecycle: 'active',
      provinceCode: '33',
      cityCode: '3301',
      creditLimit: 12_000_050,
      tags: ['新客户'],
    });

    const contactsRun = await importSheet(manager02, 'contacts', [
      ['客户', '姓名', '职务', '手机号', '决策角色', '主要联系人'],
      ['91330100716105852F', '孙丽', '总经理', '13700001111', '决策者', '是'],
      ['宁波港城物流', '钱进', '采购', '13700002222', '', ''],
      ['不存在的客户', '某某', '', '', '', ''],
    ]);
    expect(contactsRun.errors.map((e: { row: number; column: string | null }) => [e.row, e.column])).toEqual([
      [4, '客户'],
    ]);
    const sun = (await manager02.get(`/customers/${xihu.id}/contacts`)).body.items;
    expect(sun).toMatchObject([{ name: '孙丽', isPrimary: true, decisionRole: 'decision_maker' }]);

    const exported = await manager02.get('/customers/export?format=xlsx&grade=B');
    expect(exported.statusCode).toBe(200);
    const rows = await readWorkbook(exported.rawPayload);
    expect(rows[0]).toContain('客户名称');
    expect(rows.slice(1).map((r) => r[0])).toEqual(['杭州西湖电子有限公司']);
  });
});
