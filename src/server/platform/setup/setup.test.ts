import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../modules/org/schema.js';
import { Client, createTestApp, type TestApp } from '../../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('concurrent writes', () => {
  it('two people running setup at the same moment: one company, one administrator', async () => {
    const attempt = (username: string) =>
      new Client(t.app).post('/setup', {
        companyName: `公司 ${username}`,
        mode: 'empty',
        admin: { name: username, username, password: 'Parallel2026' },
      });
    const results = await Promise.all(['first', 'second', 'third'].map(attempt));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect((await t.database.db.select({ n: count() }).from(users))[0]!.n).toBe(1);
  });

  it('two editors saving the same version: one wins, the other gets 409 and nothing is lost', async () => {
    const admin = await new Client(t.app).login(
      (await t.database.db.select({ u: users.username }).from(users))[0]!.u,
      'Parallel2026',
    );
    const settings = (await admin.get('/settings')).body;
    const saves = await Promise.all(
      ['甲公司', '乙公司', '丙公司'].map((name) =>
        admin.patch('/settings', { name, version: settings.version }),
      ),
    );
    const statuses = saves.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = saves.find((r) => r.statusCode === 200)!.body.name;
    const now = (await admin.get('/settings')).body;
    expect(now).toMatchObject({ name: winner, version: settings.version + 1 });
  });
});
