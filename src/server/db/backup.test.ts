import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupCompany, type TestApp } from '../testing/app.js';
import { createTestDatabase } from '../testing/db.js';
import { backupDatabase, isDatabaseEmpty, readBackupHeader, restoreDatabase } from './backup.js';
import { type Database, queryRows } from './client.js';

let source: TestApp;
let dir: string;

/** Every row of every table, in primary-key order, as PostgreSQL renders it. */
async function snapshot(database: Database) {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await queryRows<{ j: string }>(
      database.db,
      sql.raw(`select row_to_json(t)::text as j from "${name}" t order by 1`),
    );
    out[name] = rows.map((r) => r.j).sort();
  }
  return out;
}

beforeAll(async () => {
  source = await createTestApp();
  const admin = await setupCompany(source.app, 'demo');
  // Some history and secrets worth keeping: a token, a session, audit rows, a moved unit.
  await admin.post('/me/api-tokens', { name: '备份测试' });
  const units = (await admin.get('/org-units')).body.items;
  const team = units.find((u: { name: string }) => u.name === '华东二组');
  await admin.patch(`/org-units/${team.id}`, {
    parentId: units.find((u: { name: string }) => u.name === '华南').id,
    version: team.version,
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'xg-backup-'));
});
afterAll(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores into an empty database exactly what was backed up', async () => {
    const file = path.join(dir, 'full.jsonl.gz');
    const result = await backupDatabase(source.database.db, file);
    expect(result.tables).toBeGreaterThanOrEqual(10);
    expect(result.rows).toBeGreaterThan(100);
    const header = await readBackupHeader(file);
    expect(header.tables.find((t) => t.name === 'users')?.rows).toBe(43);

    const target = await createTestDatabase();
    try {
      expect(await isDatabaseEmpty(target.db)).toBe(true);
      const restored = await restoreDatabase(target, file);
      expect(restored.rows).toBe(result.rows);
      expect(await snapshot(target)).toEqual(await snapshot(source.database));
    } finally {
      await target.close();
    }
  });

  it('refuses a database that already holds data, and a file that is not a backup, changing nothing', async () => {
    const file = path.join(dir, 'again.jsonl.gz');
    await backupDatabase(source.database.db, file);
    const before = await snapshot(source.database);
    await expect(restoreDatabase(source.database, file)).rejects.toThrow(/not empty/);
    expect(await snapshot(source.database)).toEqual(before);

    const junk = path.join(dir, 'junk.jsonl.gz');
    writeFileSync(junk, gzipSync('hello\n'));
    const empty = await createTestDatabase();
    try {
      await expect(restoreDatabase(empty, junk)).rejects.toThrow(/not a Xiaoguan backup/);
      expect(await isDatabaseEmpty(empty.db)).toBe(true);
    } finally {
      await empty.close();
    }
  });
});
