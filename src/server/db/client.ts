import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A Drizzle handle: the database itself or an open transaction (both run the same queries). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** The embedded engine, when there is one (dump/load of data folders, tests). */
  readonly pglite?: PGlite;
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

// int8 (bigint) comes back as a string from node-postgres; money columns use bigint and are
// read as strings and converted explicitly, never through a float.

export function fromPglite(pglite: PGlite): Database {
  return {
    kind: 'pglite',
    pglite,
    db: drizzlePglite(pglite, { schema }) as unknown as Db,
    close: () => pglite.close(),
  };
}

export function fromPool(pool: pg.Pool): Database {
  // An idle connection can be closed by the server (restart, failover, a dropped database);
  // the pool discards it. Without a listener the 'error' event would end the process.
  pool.on('error', (err) => console.warn(`PostgreSQL closed an idle connection: ${err.message}`));
  return {
    kind: 'postgres',
    pool,
    db: drizzlePg(pool, { schema }) as unknown as Db,
    close: () => pool.end(),
  };
}

export async function openDatabase(config: Pick<Config, 'database'>): Promise<Database> {
  const c = config.database;
  if (c.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: c.url, max: c.poolMax, application_name: 'xiaoguan' });
    // Fail fast with a clear message if the server is unreachable.
    const client = await pool.connect();
    client.release();
    return fromPool(pool);
  }
  mkdirSync(c.dataDir, { recursive: true });
  return fromPglite(await PGlite.create({ dataDir: c.dataDir }));
}

/** Plain SQL for the few queries Drizzle's builder does not express; both drivers return `rows`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
