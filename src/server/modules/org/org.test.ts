import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { ADMIN, as, Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { users } from './schema.js';

let t: TestApp;
let admin: Client;
let units: { id: string; name: string; kind: string; version: number; parentId: string | null }[];
let roleIds: Record<string, string>;
const unit = (name: string) => units.find((u) => u.name === name)!;

const auditCount = async () => (await t.database.db.select({ n: count() }).from(auditLog))[0]!.n;
const userCount = async () => (await t.database.db.select({ n: count() }).from(users))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  units = (await admin.get('/org-units')).body.items;
  roleIds = Object.fromEntries(
    (await admin.get('/roles')).body.items.map((r: { key: string; id: string }) => [r.key, r.id]),
  );
});
afterAll(() => t.close());

describe('org units', () => {
  it('lists the demo tree: company, four regions with two teams each, head office departments', () => {
    const regions = units.filter((u) => u.kind === 'region').map((u) => u.name);
    expect(regions).toEqual(['华东', '华南', '华北', '西南']);
    expect(units.filter((u) => u.kind === 'team')).toHaveLength(8);
    expect(unit('华东一组').parentId).toBe(unit('华东').id);
    expect(unit('华东')).toMatchObject({
      headUserName: expect.any(String),
      territories: ['31', '32', '33', '34', '36', '37'],
    });
  });

  it('creates, moves with its subtree, refuses cycles, and archives only empty units — each write audited', async () => {
    const before = await auditCount();
    const created = await admin.post('/org-units', {
      parentId: unit('华东').id,
      name: '苏州办事处',
      kind: 'team',
    });
    expect(created.statusCode).toBe(201);
    const child = await admin.post('/org-units', {
      parentId: created.body.id,
      name: '苏州一组',
      kind: 'team',
    });
    expect(child.body.depth).toBe(3);
    expect(await auditCount()).toBe(before + 2);

    const moved = await admin.patch(`/org-units/${created.body.id}`, {
      parentId: unit('华南').id,
      version: created.body.version,
    });
    expect(moved.statusCode).toBe(200);
    const movedChild = (await admin.get(`/org-units/${child.body.id}`)).body;
    expect(movedChild.path.startsWith(moved.body.path)).toBe(true);
    expect(movedChild.path).toContain(unit('华南').id);

    const cycle = await admin.patch(`/org-units/${created.body.id}`, {
      parentId: child.body.id,
      version: moved.body.version,
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.body.code).toBe('org_cycle');

    const stale = await admin.patch(`/org-units/${created.body.id}`, {
      name: '旧版本',
      version: created.body.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect((await admin.get(`/org-units/${created.body.id}`)).body.name).toBe('苏州办事处');

    const busy = await admin.post(`/org-units/${created.body.id}/archive`);
    expect(busy.statusCode).toBe(409);
    expect(busy.body.code).toBe('org_unit_in_use');
    expect((await admin.post(`/org-units/${child.body.id}/archive`)).body.archived).toBe(true);
    expect((await admin.post(`/org-units/${created.body.id}/archive`)).body.archived).toBe(true);
    const active = (await admin.get('/org-units')).body.items.map((u: { name: string }) => u.name);
    expect(active).not.toContain('苏州办事处');
    const history = (await admin.get(`/org-units/${created.body.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['archive', 'update', 'create']);
  });

  it('assigns territories by GB/T 2260 code and rejects unknown codes', async () => {
    const ok = await admin.put(`/org-units/${unit('华北一组').id}/territories`, {
      codes: ['120101', '11', '11'],
    });
    expect(ok.body.codes).toEqual(['11', '120101']);
    const bad = await admin.put(`/org-units/${unit('华北一组').id}/territories`, { codes: ['11', '99'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('codes.1');
    expect((await admin.get(`/org-units/${unit('华北一组').id}`)).body.territories).toEqual(['11', '120101']);
    const cities = (await admin.get('/divisions?parent=32')).body.items;
    expect(cities).toContainEqual({ code: '3205', name: '苏州市', hasChildren: false });
  });
});

describe('users', () => {
  it('creates a user who can sign in, with every write in the audit log', async () => {
    const before = await auditCount();
    const res = await admin.post('/users', {
      username: 'zhang.wei',
      name: '张伟',
      phone: '13800138000',
      email: 'zhang.wei@example.com',
      position: '销售代表',
      orgUnitId: unit('华东一组').id,
      roleIds: [roleIds.rep],
      password: 'Welcome2026',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      name: '张伟',
      orgUnitName: '华东一组',
      status: 'active',
      roles: [{ key: 'rep' }],
    });
    expect(await auditCount()).toBe(before + 1);
    const zhang = await as(t.app, 'zhang.wei', 'Welcome2026');
    const teammates = (await zhang.get('/users?limit=100')).body;
    expect(teammates.items.map((u: { username: string }) => u.username)).toContain('rep01');
    expect(teammates.items.map((u: { username: string }) => u.username)).not.toContain('rep07');
  });

  it('rejects bad input naming each field, in the caller’s language, and writes nothing', async () => {
    const users0 = await userCount();
    const audit0 = await auditCount();
    const res = await admin.post('/users', {
      username: 'a',
      name: 'x'.repeat(51),
      phone: '12345',
      email: 'not-an-email',
      orgUnitId: 'not-a-uuid',
      roleIds: [],
      password: 'Welcome2026',
      salary: 1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['email', 'name', 'orgUnitId', 'phone', 'roleIds', 'salary', 'username'].sort());
    expect(res.body.errors.find((e: { path: string }) => e.path === 'phone').message).toMatch(/手机/);

    const english = new Client(t.app);
    Object.assign(english, { cookie: admin.cookie, csrf: admin.csrf, locale: 'en' });
    const en = await english.post('/users', {
      username: 'ok.name',
      name: '李娜',
      orgUnitId: unit('华东一组').id,
      roleIds: [roleIds.rep],
      password: 'short',
    });
    expect(en.statusCode).toBe(400);
    expect(en.body.errors).toEqual([{ path: 'password', message: expect.stringMatching(/at least 8/i) }]);

    const dup = await admin.post('/users', {
      username: 'REP01',
      name: '重复',
      orgUnitId: unit('华东一组').id,
      roleIds: [roleIds.rep],
      password: 'Welcome2026',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body.errors[0].path).toBe('username');

    const badRef = await admin.post('/users', {
      username: 'ghost',
      name: '幽灵',
      orgUnitId: '0190c2f4-0000-7000-8000-000000000000',
      roleIds: [roleIds.rep],
      password: 'Welcome2026',
    });
    expect(badRef.statusCode).toBe(400);
    expect(badRef.body.errors[0].path).toBe('orgUnitId');

    const huge = await admin.post('/users', { username: 'big', name: 'x'.repeat(2_000_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');

    expect(await userCount()).toBe(users0);
    expect(await auditCount()).toBe(audit0);
  });

  it('answers 409 to a stale version and keeps the newer data', async () => {
    const rep = (await admin.get('/users?q=rep02')).body.items[0];
    const first = await admin.patch(`/users/${rep.id}`, { position: '高级销售代表', version: rep.version });
    expect(first.statusCode).toBe(200);
    const second = await admin.patch(`/users/${rep.id}`, { position: '销售代表', version: rep.version });
    expect(second.statusCode).toBe(409);
    expect((await admin.get(`/users/${rep.id}`)).body.position).toBe('高级销售代表');
  });

  it('pages with a keyset cursor, filters by unit subtree, role and status, and rejects bad cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null; total: number } } =
        await admin.get(`/users?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await userCount());

    const east = (await admin.get(`/users?orgUnitId=${unit('华东').id}&role=rep&limit=100`)).body;
    expect(east.total).toBe(7);
    const bad = await admin.get('/users?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('cursor');
    const badSort = await admin.get('/users?sort=password');
    expect(badSort.statusCode).toBe(400);
    expect((await admin.get('/users?limit=501')).statusCode).toBe(400);
    expect((await admin.get('/users/not-a-uuid')).statusCode).toBe(400);
  });

  it('disables a user, ending their sessions, and never the last administrator', async () => {
    const rep = await as(t.app, 'rep09');
    const id = (await rep.get('/auth/me')).body.user.id;
    expect((await admin.post(`/users/${id}/disable`)).body.status).toBe('disabled');
    expect((await rep.get('/auth/me')).statusCode).toBe(401);
    const again = await new Client(t.app).post('/auth/login', {
      username: 'rep09',
      password: 'Xiaoguan2026',
    });
    expect(again.body.code).toBe('account_disabled');
    expect((await admin.post(`/users/${id}/enable`)).body.status).toBe('active');

    const me = (await admin.get('/auth/me')).body.user;
    const self = await admin.post(`/users/${me.id}/disable`);
    expect(self.statusCode).toBe(409);
    expect(self.body.code).toBe('last_admin');
    const demote = await admin.patch(`/users/${me.id}`, { roleIds: [roleIds.rep], version: me.version });
    expect(demote.body.code).toBe('last_admin');
    expect((await admin.get('/auth/me')).body.roles[0].key).toBe('admin');
    expect(ADMIN.username).toBe('admin');
  });
});

describe('roles and settings', () => {
  it('edits a role’s permissions and scopes, which take effect at once', async () => {
    const rep = await as(t.app, 'rep01');
    const roles = (await admin.get('/roles')).body.items;
    const repRole = roles.find((r: { key: string }) => r.key === 'rep');
    expect(repRole.scopes.users).toBe('team');
    const narrowed = await admin.patch(`/roles/${repRole.id}`, {
      scopes: { users: 'own' },
      version: repRole.version,
    });
    expect(narrowed.statusCode).toBe(200);
    expect((await rep.get('/users')).body.total).toBe(1);
    const unknown = await admin.patch(`/roles/${repRole.id}`, {
      permissions: ['users.fly'],
      version: narrowed.body.version,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.code).toBe('unknown_permission');
    const builtin = await admin.delete(`/roles/${repRole.id}`);
    expect(builtin.body.code).toBe('builtin_role');

    const custom = await admin.post('/roles', {
      key: 'auditor',
      nameZh: '审计员',
      nameEn: 'Auditor',
      permissions: ['audit.read'],
    });
    expect(custom.statusCode).toBe(201);
    expect((await admin.delete(`/roles/${custom.body.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/roles/${custom.body.id}`)).statusCode).toBe(404);
  });

  it('lets the administrator change company settings; others may only read them', async () => {
    const settings = (await admin.get('/settings')).body;
    expect(settings).toMatchObject({ timeZone: 'Asia/Shanghai', currency: 'CNY', weekStart: 1 });
    const bad = await admin.patch('/settings', { timeZone: 'Mars/Base', version: settings.version });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('timeZone');
    const renamed = await admin.patch('/settings', { name: '星辰汽车集团', version: settings.version });
    expect(renamed.body.name).toBe('星辰汽车集团');
    expect((await admin.get('/org-units')).body.items[0].name).toBe('星辰汽车集团');
    const rep = await as(t.app, 'rep02');
    expect((await rep.get('/settings')).statusCode).toBe(200);
    const denied = await rep.patch('/settings', { name: 'x', version: renamed.body.version });
    expect(denied.statusCode).toBe(403);
    expect((await rep.get('/audit-log')).statusCode).toBe(403);
  });

  it('filters the audit log by actor, entity and time', async () => {
    const me = (await admin.get('/auth/me')).body.user;
    const mine = (await admin.get(`/audit-log?actorId=${me.id}&entity=role&limit=2`)).body;
    expect(mine.items).toHaveLength(2);
    expect(
      mine.items.every(
        (e: { actorName: string; entity: string }) => e.entity === 'role' && e.actorName === me.name,
      ),
    ).toBe(true);
    const next = (
      await admin.get(`/audit-log?actorId=${me.id}&entity=role&limit=2&cursor=${mine.nextCursor}`)
    ).body;
    expect(next.items[0].id < mine.items[1].id).toBe(true);
    const future = (
      await admin.get(`/audit-log?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
    ).body;
    expect(future.items).toEqual([]);
    const created = (await admin.get('/audit-log?entity=user&action=create&limit=1')).body.items[0];
    expect(created.changes.passwordHash).toBeUndefined();
    expect(JSON.stringify(created)).not.toMatch(/scrypt/);
  });
});
