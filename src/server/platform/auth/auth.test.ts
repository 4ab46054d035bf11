import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  as,
  Client,
  createTestApp,
  DEMO_PASSWORD,
  setupCompany,
  type TestApp,
} from '../../testing/app.js';
import { sessions } from './schema.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('first run', () => {
  it('offers setup, refuses login until then, and runs exactly once', async () => {
    const anonymous = new Client(t.app);
    expect((await anonymous.get('/setup')).body).toEqual({
      needed: true,
      companyName: null,
      demoAccounts: [],
    });
    const early = await anonymous.post('/auth/login', { username: 'admin', password: 'x' });
    expect(early.statusCode).toBe(503);
    expect(early.body.code).toBe('setup_required');

    const weak = await anonymous.post('/setup', {
      companyName: '星辰汽车',
      mode: 'demo',
      admin: { name: '管理员', username: 'admin', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body.errors[0].path).toBe('admin.password');
    expect((await anonymous.get('/setup')).body.needed).toBe(true);

    admin = await setupCompany(t.app);
    const me = await admin.get('/auth/me');
    expect(me.body.user.username).toBe(ADMIN.username);
    expect(me.body.roles.map((r: { key: string }) => r.key)).toEqual(['admin']);
    expect(me.body.company).toMatchObject({
      name: '星辰汽车销售有限公司',
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      weekStart: 1,
      demo: true,
    });

    const again = await new Client(t.app).post('/setup', {
      companyName: '另一家',
      mode: 'empty',
      admin: { name: 'X', username: 'other', password: 'Another2026' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('setup_done');

    const state = (await anonymous.get('/setup')).body;
    expect(state.needed).toBe(false);
    expect(state.demoAccounts).toContainEqual(
      expect.objectContaining({ username: 'rep01', role: 'rep', password: DEMO_PASSWORD }),
    );
  });
});

describe('sign-in', () => {
  it('signs in with username or email and out again', async () => {
    const rep = await as(t.app, 'rep01');
    expect((await rep.get('/auth/me')).body.user.username).toBe('rep01');
    const byEmail = await new Client(t.app).login('REP02@example.com');
    expect((await byEmail.get('/auth/me')).body.user.username).toBe('rep02');

    expect((await rep.post('/auth/logout')).statusCode).toBe(200);
    expect(rep.cookie).toBeUndefined();
    expect((await rep.get('/auth/me')).statusCode).toBe(401);
  });

  it('locks the account after five wrong passwords, even for the right one, with a localised message', async () => {
    const client = new Client(t.app);
    for (let i = 0; i < 4; i++) {
      const res = await client.post('/auth/login', { username: 'rep03', password: 'wrong-password1' });
      expect(res.statusCode).toBe(401);
      expect(res.body.code).toBe('invalid_credentials');
    }
    const fifth = await client.post('/auth/login', { username: 'rep03', password: 'wrong-password1' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.body.code).toBe('account_locked');
    expect(fifth.body.detail).toContain('15');

    const right = await client.post('/auth/login', { username: 'rep03', password: DEMO_PASSWORD });
    expect(right.statusCode).toBe(423);
    client.locale = 'en';
    const english = await client.post('/auth/login', { username: 'rep03', password: DEMO_PASSWORD });
    expect(english.body.title).toMatch(/locked/i);

    const log = await admin.get('/audit-log?entity=user&action=account_locked');
    expect(log.body.items).toHaveLength(1);
    const user = await admin.get(`/users/${log.body.items[0].entityId}`);
    expect(user.body.username).toBe('rep03');
    expect(user.body.lockedUntil).not.toBeNull();
  });

  it('does not tell unknown users from wrong passwords', async () => {
    const res = await new Client(t.app).post('/auth/login', { username: 'nobody', password: 'whatever1' });
    expect(res.statusCode).toBe(401);
    expect(res.body.code).toBe('invalid_credentials');
  });

  it('expires sessions that sit idle', async () => {
    const rep = await as(t.app, 'rep04');
    const id = (await rep.get('/auth/me')).body.user.id;
    // Two hours idle is past the default idle limit of 120 minutes.
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 121 * 60_000) })
      .where(eq(sessions.userId, id));
    expect((await rep.get('/auth/me')).statusCode).toBe(401);
    expect((await admin.get('/auth/me')).statusCode).toBe(200);
  });
});

describe('throttling', () => {
  it('answers 429 once one address tries to sign in too often', async () => {
    const throttled = await createTestApp({ XG_LOGIN_RATE_PER_MINUTE: '3' });
    try {
      const client = new Client(throttled.app);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await client.post('/auth/login', { username: 'x', password: 'y' })).statusCode);
      expect(statuses).toEqual([503, 503, 503, 429]);
      const res = await client.post('/auth/login', { username: 'x', password: 'y' });
      expect(res.body.code).toBe('rate_limited');
    } finally {
      await throttled.close();
    }
  });
});

describe('CSRF', () => {
  it('rejects cookie-authenticated writes without the token and changes nothing', async () => {
    const rep = await as(t.app, 'rep05');
    const me = (await rep.get('/auth/me')).body;
    const forged = await rep.patch(
      '/me',
      { name: '伪造', version: me.user.version },
      { 'x-csrf-token': 'forged' },
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    rep.csrf = undefined;
    expect((await rep.patch('/me', { name: '伪造', version: me.user.version })).statusCode).toBe(403);
    expect((await rep.get('/auth/me')).body.user.name).toBe(me.user.name);
  });
});

describe('passwords', () => {
  it('changes my password under the policy and signs out my other sessions', async () => {
    const laptop = await as(t.app, 'rep06');
    const phone = await as(t.app, 'rep06');
    const wrong = await laptop.post('/me/password', { currentPassword: 'nope', newPassword: 'Better2026x' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body.errors[0].path).toBe('currentPassword');
    const weak = await laptop.post('/me/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'abcdefgh',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body.errors[0].path).toBe('newPassword');

    expect(
      (await laptop.post('/me/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Better2026x' }))
        .statusCode,
    ).toBe(200);
    expect((await laptop.get('/auth/me')).statusCode).toBe(200);
    expect((await phone.get('/auth/me')).statusCode).toBe(401);
    await new Client(t.app).login('rep06', 'Better2026x');
  });

  it('lets an administrator reset a password, which the user must then change', async () => {
    const rep = await as(t.app, 'rep08');
    const id = (await rep.get('/auth/me')).body.user.id;
    expect(
      (await admin.post(`/users/${id}/reset-password`, { newPassword: 'Temp2026pass' })).statusCode,
    ).toBe(200);
    expect((await rep.get('/auth/me')).statusCode).toBe(401);
    const again = await new Client(t.app).login('rep08', 'Temp2026pass');
    expect((await again.get('/auth/me')).body.mustChangePassword).toBe(true);
    const blocked = await again.get('/users');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.body.code).toBe('password_change_required');
    await again.post('/me/password', { currentPassword: 'Temp2026pass', newPassword: 'Mine2026pass' });
    expect((await again.get('/auth/me')).body.mustChangePassword).toBe(false);
    expect((await again.get('/users')).statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  it('shows the secret once, acts with the owner’s scope, records use and can be revoked', async () => {
    const manager = await as(t.app, 'manager02');
    const created = await manager.post('/me/api-tokens', { name: 'CRM 同步' });
    expect(created.statusCode).toBe(201);
    expect(created.body.token).toMatch(/^xg_/);
    const listed = (await manager.get('/me/api-tokens')).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('token');
    expect(listed[0].lastUsedAt).toBeNull();

    const integration = new Client(t.app);
    integration.bearer = created.body.token;
    const users = await integration.get('/users?limit=500');
    expect(users.statusCode).toBe(200);
    // A team lead's token sees the team lead's team (lead, three reps, a dealer salesperson), not the company.
    expect(users.body.total).toBe(5);
    // Tokens need no CSRF token: they are not sent automatically by browsers.
    const me = (await integration.get('/auth/me')).body;
    expect((await integration.patch('/me', { position: 'x', version: me.user.version })).statusCode).toBe(
      400,
    );
    expect((await manager.get('/me/api-tokens')).body.items[0].lastUsedAt).not.toBeNull();

    const narrow = await manager.post('/me/api-tokens', { name: '只读', permissions: ['org.read'] });
    const narrowClient = new Client(t.app);
    narrowClient.bearer = narrow.body.token;
    expect((await narrowClient.get('/users')).statusCode).toBe(403);
    expect((await narrowClient.get('/org-units')).statusCode).toBe(200);
    const beyond = await manager.post('/me/api-tokens', { name: '越权', permissions: ['users.manage'] });
    expect(beyond.statusCode).toBe(403);

    expect((await manager.delete(`/me/api-tokens/${created.body.id}`)).statusCode).toBe(200);
    expect((await integration.get('/users')).statusCode).toBe(401);
    const all = (await admin.get('/api-tokens?q=CRM')).body;
    expect(all.items).toHaveLength(1);
    expect(all.items[0].revokedAt).not.toBeNull();
  });
});
