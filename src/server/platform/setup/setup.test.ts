import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../modules/org/schema.js';
import { Client, createTestApp, type TestApp } from '../../testing/app.js';
import { companyLetterhead } from '../pdf/letterhead.js';

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

describe('the company profile', () => {
  it('keeps the details printed on documents, and puts them on the letterhead', async () => {
    const admin = await new Client(t.app).login(
      (await t.database.db.select({ u: users.username }).from(users))[0]!.u,
      'Parallel2026',
    );
    const before = (await admin.get('/settings')).body;
    const bad = await admin.patch('/settings', { taxId: '91310000ABC', version: before.version });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'taxId' })]);
    const saved = await admin.patch('/settings', {
      address: '上海市嘉定区安亭镇墨玉南路 888 号',
      phone: '021-5555 0100',
      taxId: '91310114ma1gt2xq3k',
      bankName: '招商银行上海嘉定支行',
      bankAccount: '1219 0888 8810 001',
      version: before.version,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toMatchObject({ taxId: '91310114MA1GT2XQ3K', phone: '021-5555 0100' });
    expect(await companyLetterhead(t.database.db)).toEqual({
      companyName: saved.body.name,
      address: '上海市嘉定区安亭镇墨玉南路 888 号',
      phone: '021-5555 0100',
    });
    // Cleared in the form = absent again; /me carries the company basics only.
    const cleared = await admin.patch('/settings', { phone: '', version: saved.body.version });
    expect(cleared.body.phone).toBeNull();
    expect((await admin.get('/auth/me')).body.company).not.toHaveProperty('taxId');
  });
});
