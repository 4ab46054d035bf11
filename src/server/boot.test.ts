import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { bootDatabase } from './boot.js';
import { loadConfig } from './config.js';
import { appliedMigrations, migrateDatabaseTo, readBackupHeader } from './db/backup.js';
import { fromPglite, queryRows } from './db/client.js';
import { knownMigrations } from './db/migrate.js';
import { seedFirstReleaseCompany } from './testing/old-install.js';

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** An embedded install whose database is at the first migration, holding a company. */
async function installAtFirstMigration() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xg-boot-'));
  folders.push(dataDir);
  const config = loadConfig({ XG_DATA_DIR: dataDir });
  if (config.database.kind !== 'pglite') throw new Error('expected the embedded database');
  const old = fromPglite(await PGlite.create({ dataDir: config.database.dataDir }));
  await migrateDatabaseTo(old, 1);
  await seedFirstReleaseCompany(old.db, '升级测试公司', 'boss');
  return { config, old };
}

const quiet = { info: () => {}, warn: () => {} };

describe('starting on an embedded data folder', () => {
  it('backs up existing data before migrating it, and releases the folder when done', async () => {
    const { config, old } = await installAtFirstMigration();
    await old.close();
    const messages: string[] = [];
    const { database, release } = await bootDatabase(config, {
      info: (m) => messages.push(m),
      warn: quiet.warn,
    });
    try {
      const [backup, ...others] = readdirSync(config.backupDir);
      expect(others).toEqual([]);
      expect(backup).toMatch(/^xiaoguan-\d{8}T\d{9}Z-pre-migrate\.jsonl\.gz$/);
      const header = await readBackupHeader(path.join(config.backupDir, backup!));
      expect(header.migrations).toEqual(knownMigrations().slice(0, 1));
      expect(header.tables.find((t) => t.name === 'users')?.rows).toBe(1);
      expect(await appliedMigrations(database.db)).toEqual(knownMigrations());
      expect(messages.join('\n')).toMatch(/Backed up the data before migrating/);
      expect(existsSync(path.join(config.dataDir, 'xiaoguan.lock'))).toBe(true);
    } finally {
      await release();
      await release();
    }
    expect(existsSync(path.join(config.dataDir, 'xiaoguan.lock'))).toBe(false);
  });

  it('refuses a database migrated by a newer release, changing nothing and releasing the folder', async () => {
    const { config, old } = await installAtFirstMigration();
    await old.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('newer', 9999999999999)`,
    );
    await old.close();
    await expect(bootDatabase(config, quiet)).rejects.toThrow(/migrated by a newer or different version/);
    expect(existsSync(path.join(config.dataDir, 'xiaoguan.lock'))).toBe(false);
    expect(existsSync(config.backupDir)).toBe(false);

    const check = await PGlite.create({ dataDir: path.join(config.dataDir, 'db') });
    const db = fromPglite(check).db;
    expect(await queryRows(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).toEqual([
      { n: 2 },
    ]);
    await check.close();
  });
});
