import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { diffRows } from './audit.js';
import { auditLog } from './schema.js';

describe('diffRows', () => {
  it('keeps changed fields only and masks secrets', () => {
    const at = new Date('2026-11-25T01:02:03Z');
    expect(
      diffRows(
        { name: '张伟', phone: '13800000000', passwordHash: 'scrypt$a', version: 1, updatedAt: at },
        { name: '张伟', phone: '13900000000', passwordHash: 'scrypt$b', version: 2, updatedAt: new Date() },
      ),
    ).toEqual({
      phone: { from: '13800000000', to: '13900000000' },
      passwordHash: { from: '***', to: '***' },
    });
    expect(diffRows(null, { createdAt: at, amount: 12n })).toEqual({
      createdAt: { from: null, to: '2026-11-25T01:02:03.000Z' },
      amount: { from: null, to: '12' },
    });
  });
});

describe('the audit log', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupCompany(t.app, 'empty');
  });
  afterAll(() => t.close());

  it('is append-only: rows cannot be changed or removed, even by SQL', async () => {
    const db = t.database.db;
    const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(auditLog);
    expect(n).toBeGreaterThan(0);
    await expect(db.update(auditLog).set({ actorName: 'someone else' })).rejects.toThrow();
    await expect(db.delete(auditLog)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
    expect((await db.select({ n: count() }).from(auditLog))[0]!.n).toBe(n);
  });

  it('ties each write to the request that made it, with actor and diff', async () => {
    const settings = (await admin.get('/settings')).body;
    const res = await admin.patch(
      '/settings',
      { currency: 'HKD', version: settings.version },
      { 'x-request-id': 'req-settings-1' },
    );
    expect(res.statusCode).toBe(200);
    const [entry] = (await admin.get('/audit-log?entity=company_settings&action=update')).body.items;
    expect(entry).toMatchObject({
      actorName: '管理员',
      requestId: 'req-settings-1',
      entityId: '1',
      changes: { currency: { from: 'CNY', to: 'HKD' } },
    });
  });

  it('writes nothing when the write fails', async () => {
    const before = (await admin.get('/audit-log?limit=1')).body.total;
    const settings = (await admin.get('/settings')).body;
    await admin.patch('/settings', { currency: 'USD', version: settings.version - 1 });
    expect((await admin.get('/audit-log?limit=1')).body.total).toBe(before);
  });
});
