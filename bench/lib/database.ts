import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Db } from '../../src/server/db/client.js';
import { migrateDatabase } from '../../src/server/db/migrate.js';
import * as schema from '../../src/server/db/schema.js';

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/** Records the SQL the app sends while `start()`…`stop()` is open (for the raw-driver baseline). */
export class QueryRecorder implements Logger {
  private captured: CapturedQuery[] | null = null;

  logQuery(query: string, params: unknown[]): void {
    this.captured?.push({ sql: query, params: [...params] });
  }

  start() {
    this.captured = [];
  }

  stop(): CapturedQuery[] {
    const queries = this.captured ?? [];
    this.captured = null;
    return queries;
  }
}

/** One connection of the raw driver, without Drizzle: what the SQL costs on its own. */
export interface RawSession {
  query(sql: string, params: unknown[]): Promise<unknown>;
  release(): void;
}

export interface BenchDatabase {
  kind: 'pglite' | 'postgres';
  /** A human description for the report (no password). */
  label: string;
  db: Db;
  recorder: QueryRecorder;
  raw(): Promise<RawSession>;
  /** Applies the committed migrations, as the app does at start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Embedded engine in memory: nothing on disk, gone when the process ends. */
export async function openPglite(): Promise<BenchDatabase> {
  const pglite = await PGlite.create();
  const recorder = new QueryRecorder();
  const db = drizzlePglite(pglite, { schema, logger: recorder }) as unknown as Db;
  return {
    kind: 'pglite',
    label: 'PGlite (in memory)',
    db,
    recorder,
    migrate: () => migrateDatabase({ kind: 'pglite', db, pglite, close: async () => {} }),
    // PGlite is one connection; the app is idle while the baseline runs, so it is ours.
    raw: async () => ({ query: (text, params) => pglite.query(text, params), release: () => {} }),
    close: () => pglite.close(),
  };
}

/**
 * A fresh database on the given PostgreSQL server, dropped on close unless `keep`: the run
 * never touches existing data and always starts from the same state.
 */
export async function openPostgres(serverUrl: string, keep: boolean): Promise<BenchDatabase> {
  const name = `xg_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10, application_name: 'xiaoguan-bench' });
  const recorder = new QueryRecorder();
  const db = drizzlePg(pool, { schema, logger: recorder }) as unknown as Db;
  return {
    kind: 'postgres',
    label: `PostgreSQL ${url.host}/${name}${keep ? ' (kept)' : ''}`,
    db,
    recorder,
    migrate: () => migrateDatabase({ kind: 'postgres', db, pool, close: async () => {} }),
    async raw() {
      const client = await pool.connect();
      return { query: (text, params) => client.query(text, params), release: () => client.release() };
    },
    async close() {
      await pool.end();
      if (keep) return;
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
