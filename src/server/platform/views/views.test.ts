import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedView } from '../../../contracts/views.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { auditLog } from '../audit/schema.js';
import { savedViews } from './schema.js';

let t: TestApp;
let director: Client;
let manager01: Client;
let rep01: Client;
let rep02: Client;
let warehouse01: Client;
const db = () => t.database.db;
const viewAudits = async (action: string) =>
  (
    await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'saved_view'), eq(auditLog.action, action)))
  )[0]!.n;
const names = (items: SavedView[]) => items.map((v) => v.name);

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  manager01 = await as(t.app, 'manager01');
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  warehouse01 = await as(t.app, 'warehouse01');
});
afterAll(() => t.close());

describe('a rep keeps private views of the opportunities list', () => {
  let mine: SavedView;

  it('rep01 saves "本月待签约" with its filters, sort and columns; the create is audited', async () => {
    const before = await viewAudits('create');
    const res = await rep01.post('/views', {
      listKey: 'opportunities',
      name: '本月待签约',
      filters: {
        status: 'open',
        stageId: ['s1', 's2'],
        sort: 'expectedCloseDate.asc',
        columns: ['name', 'amount'],
      },
    });
    expect(res.statusCode).toBe(201);
    mine = res.body;
    expect(mine).toMatchObject({ shared: false, mine: true, isDefault: false, listKey: 'opportunities' });
    expect(mine.filters.stageId).toEqual(['s1', 's2']);
    expect(await viewAudits('create')).toBe(before + 1);
  });

  it('another rep neither lists nor opens it (404), nor renames or deletes it', async () => {
    expect(names((await rep02.get('/views?listKey=opportunities')).body.items)).not.toContain('本月待签约');
    expect((await rep02.get(`/views/${mine.id}`)).statusCode).toBe(404);
    expect((await rep02.patch(`/views/${mine.id}`, { name: '偷改', version: mine.version })).statusCode).toBe(
      404,
    );
    expect((await rep02.delete(`/views/${mine.id}`)).statusCode).toBe(404);
  });

  it('the same name twice on one list is 409; a rep cannot share (403); nothing is written', async () => {
    const rows = async () => (await db().select({ n: count() }).from(savedViews))[0]!.n;
    const before = await rows();
    const dup = await rep01.post('/views', { listKey: 'opportunities', name: '本月待签约', filters: {} });
    expect(dup.statusCode).toBe(409);
    expect(dup.body.code).toBe('view_name_taken');
    const shared = await rep01.post('/views', {
      listKey: 'opportunities',
      name: '给大家',
      filters: {},
      shared: true,
    });
    expect(shared.statusCode).toBe(403);
    const share = await rep01.patch(`/views/${mine.id}`, { shared: true, version: mine.version });
    expect(share.statusCode).toBe(403);
    expect(await rows()).toBe(before);
  });

  it('bad filters are 400 with a localised message: nested objects, numbers, unknown lists', async () => {
    const nested = await rep01.post(
      '/views',
      { listKey: 'opportunities', name: '坏的', filters: { amount: { gt: 5 } } },
      { 'accept-language': 'en' },
    );
    expect(nested.statusCode).toBe(400);
    expect(nested.body.errors[0].path).toMatch(/^filters/);
    const number = await rep01.post('/views', {
      listKey: 'opportunities',
      name: '坏的',
      filters: { amount: 5 },
    });
    expect(number.statusCode).toBe(400);
    const notObject = await rep01.post('/views', { listKey: 'opportunities', name: '坏的', filters: ['a'] });
    expect(notObject.statusCode).toBe(400);
    const unknown = await rep01.post('/views', { listKey: 'nothing', name: '坏的', filters: {} });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.errors[0].path).toBe('listKey');
    const tooMany = await rep01.post('/views', {
      listKey: 'opportunities',
      name: '坏的',
      filters: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 'x'])),
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('a user who cannot read the list cannot keep views of it (403)', async () => {
    expect((await warehouse01.get('/views?listKey=opportunities')).statusCode).toBe(403);
    expect(
      (await warehouse01.post('/views', { listKey: 'opportunities', name: '仓库', filters: {} })).statusCode,
    ).toBe(403);
  });

  it('rep01 renames it (stale version → 409) and makes it the default', async () => {
    const renamed = await rep01.patch(`/views/${mine.id}`, { name: '本月重点', version: mine.version });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.body.name).toBe('本月重点');
    const stale = await rep01.patch(`/views/${mine.id}`, { name: '又改', version: mine.version });
    expect(stale.statusCode).toBe(409);
    mine = renamed.body;
    const def = await rep01.put('/views/default', { listKey: 'opportunities', viewId: mine.id });
    expect(def.statusCode).toBe(200);
    expect(def.body.defaultViewId).toBe(mine.id);
    expect(def.body.items.find((v: SavedView) => v.id === mine.id).isDefault).toBe(true);
  });
});

describe('a manager shares a view with everyone who reads the list', () => {
  let shared: SavedView;

  it('manager01 shares "大单跟进"; reps see it but cannot change or delete it (403)', async () => {
    const res = await manager01.post('/views', {
      listKey: 'opportunities',
      name: '大单跟进',
      filters: { minAmount: '1000000', sort: 'amount.desc' },
      shared: true,
    });
    expect(res.statusCode).toBe(201);
    shared = res.body;
    for (const rep of [rep01, rep02]) {
      const list = (await rep.get('/views?listKey=opportunities')).body;
      const seen = list.items.find((v: SavedView) => v.id === shared.id);
      expect(seen).toMatchObject({
        name: '大单跟进',
        shared: true,
        mine: false,
        ownerName: expect.any(String),
      });
    }
    expect(
      (await rep02.patch(`/views/${shared.id}`, { name: '改', version: shared.version })).statusCode,
    ).toBe(403);
    const del = await rep02.delete(`/views/${shared.id}`, { 'accept-language': 'zh-CN' });
    expect(del.statusCode).toBe(403);
    expect(del.body.code).toBe('view_not_yours');
  });

  it('it is not visible on another list, and users who cannot read opportunities do not see it', async () => {
    expect(names((await rep01.get('/views?listKey=customers')).body.items)).not.toContain('大单跟进');
    expect((await warehouse01.get(`/views/${shared.id}`)).statusCode).toBe(404);
  });

  it("rep02 makes the shared view their default; rep01's default is unchanged", async () => {
    const def = await rep02.put('/views/default', { listKey: 'opportunities', viewId: shared.id });
    expect(def.body.defaultViewId).toBe(shared.id);
    const r1 = (await rep01.get('/views?listKey=opportunities')).body;
    expect(r1.defaultViewId).not.toBe(shared.id);
    expect(r1.defaultViewId).not.toBeNull();
    const wrongList = await rep02.put('/views/default', { listKey: 'customers', viewId: shared.id });
    expect(wrongList.statusCode).toBe(400);
  });

  it('when the director deletes it, it disappears with the defaults pointing at it; the delete is audited', async () => {
    const before = await viewAudits('delete');
    const del = await director.delete(`/views/${shared.id}`);
    expect(del.statusCode).toBe(200);
    expect(await viewAudits('delete')).toBe(before + 1);
    const r2 = (await rep02.get('/views?listKey=opportunities')).body;
    expect(r2.defaultViewId).toBeNull();
    expect(names(r2.items)).not.toContain('大单跟进');
  });

  it('clearing a default with null works', async () => {
    const cleared = await rep01.put('/views/default', { listKey: 'opportunities', viewId: null });
    expect(cleared.body.defaultViewId).toBeNull();
  });
});
