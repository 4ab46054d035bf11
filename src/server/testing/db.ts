import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, fromPglite, fromPool } from '../db/client.js';
import { adminUrl, testEngine } from './engine.js';

/** A fresh, migrated database of the engine under test, cloned from the run's template. */
export async function createTestDatabase(): Promise<Database> {
  if (testEngine() === 'pglite') {
    const dump = readFileSync(inject('pgliteTemplate'));
    return fromPglite(await PGlite.create({ loadDataDir: new Blob([dump]) }));
  }
  const name = `xg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const database = fromPool(new pg.Pool({ connectionString: url.toString(), max: 10 }));
  return {
    ...database,
    async close() {
      await database.close();
      const a = new pg.Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`).finally(() => a.end());
    },
  };
}
