import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Database, Db } from './client.js';
import { queryRows } from './client.js';
import { knownMigrations, migrateDatabase, pendingMigrations } from './migrate.js';

/**
 * Logical backups: one gzip'd text file holding every table of the `public` schema, taken in
 * one REPEATABLE READ transaction (a consistent snapshot while the app keeps running), that
 * restores into an empty PGlite or PostgreSQL database. Row data is never parsed in
 * JavaScript: PostgreSQL renders each row as JSON and reads it back with
 * json_populate_recordset, so every type (bigint, numeric, jsonb, timestamptz, arrays)
 * round-trips exactly.
 *
 * Format (one line each): a JSON header, then per chunk of rows `<table>\t<JSON array>`.
 */
export const BACKUP_FORMAT = 'xiaoguan-backup';
const FORMAT_VERSION = 1;
const CHUNK_ROWS = 1000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
}

export class BackupError extends Error {}

interface TablePlan {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Foreign-key columns inserted as null and set afterwards (self references and cycles). */
  deferred: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Tables in an order that satisfies foreign keys, breaking cycles with deferred columns. */
async function planTables(db: Db): Promise<TablePlan[]> {
  const tables = await queryRows<{
    name: string;
    columns: string[];
    required: string[];
    pk: string[] | null;
  }>(
    db,
    sql`select c.relname as name,
          array(select a.attname from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                 order by a.attnum)::text[] as columns,
          array(select a.attname from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attnotnull)::text[] as required,
          (select array_agg(a.attname order by array_position(i.indkey::int2[], a.attnum))::text[]
             from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            where i.indrelid = c.oid and i.indisprimary) as pk
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
       order by c.relname`,
  );
  const fks = await queryRows<{ child: string; parent: string; columns: string[] }>(
    db,
    sql`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
          array(select a.attname from pg_attribute a
                 where a.attrelid = c.conrelid and a.attnum = any(c.conkey))::text[] as columns
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const remaining = new Map(
    tables.map((t) => [
      t.name,
      { name: t.name, columns: t.columns, primaryKey: t.pk ?? [], deferred: [] as string[] },
    ]),
  );
  const edges = fks.map((f) => ({ child: unquote(f.child), parent: unquote(f.parent), columns: f.columns }));
  const ordered: TablePlan[] = [];
  while (remaining.size) {
    const blockers = (table: string) =>
      edges.filter((e) => e.child === table && e.parent !== table && remaining.has(e.parent));
    let next = [...remaining.keys()].find((t) => blockers(t).length === 0);
    if (!next) {
      // A cycle (e.g. org_units.head_user_id → users, users.org_unit_id → org_units): insert a
      // table whose pending foreign keys are all nullable first, and fill those in at the end.
      const required = (t: string) => tables.find((x) => x.name === t)!.required;
      next = [...remaining.keys()].find((t) =>
        blockers(t).every((e) => e.columns.every((c) => !required(t).includes(c))),
      );
      if (!next)
        throw new BackupError('The schema has a cycle of required foreign keys; it cannot be restored.');
      for (const e of blockers(next)) remaining.get(next)!.deferred.push(...e.columns);
    }
    const plan = remaining.get(next)!;
    for (const e of edges) if (e.child === next && e.parent === next) plan.deferred.push(...e.columns);
    plan.deferred = [...new Set(plan.deferred)];
    ordered.push(plan);
    remaining.delete(next);
  }
  return ordered;
}

function fsyncPath(file: string) {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a consistent backup of the whole database to `file` (atomically: temp file, fsync, rename). */
export async function backupDatabase(
  db: Db,
  file: string,
): Promise<{ tables: number; rows: number; bytes: number }> {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const gzip = createGzip();
  const out = createWriteStream(tmp);
  gzip.pipe(out);
  const write = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (gzip.write(`${line}\n`)) resolve();
      else gzip.once('drain', resolve).once('error', reject);
    });
  let rows = 0;
  let tableCount = 0;
  await db.transaction(
    async (transaction) => {
      const tx = transaction as unknown as Db;
      const plans = await planTables(tx);
      const counts: BackupHeader['tables'] = [];
      for (const t of plans) {
        const [c] = await queryRows<{ n: number }>(
          tx,
          sql.raw(`select count(*)::int as n from ${ident(t.name)}`),
        );
        counts.push({ name: t.name, columns: t.columns, rows: c?.n ?? 0 });
      }
      const applied = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        migrations: knownMigrations().slice(0, applied[0]?.n ?? 0),
        tables: counts,
      };
      await write(JSON.stringify(header));
      for (const t of plans) {
        const order = (t.primaryKey.length ? t.primaryKey : t.columns).map(ident).join(', ');
        await tx.execute(
          sql.raw(
            `declare xg_backup no scroll cursor for select row_to_json(t)::text as j from ${ident(t.name)} t order by ${order}`,
          ),
        );
        for (;;) {
          const chunk = await queryRows<{ j: string }>(tx, sql.raw(`fetch ${CHUNK_ROWS} from xg_backup`));
          if (!chunk.length) break;
          await write(`${t.name}\t[${chunk.map((r) => r.j).join(',')}]`);
          rows += chunk.length;
        }
        await tx.execute(sql.raw('close xg_backup'));
        tableCount++;
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  gzip.end();
  await finished(out);
  fsyncPath(tmp);
  renameSync(tmp, file);
  fsyncPath(path.dirname(file));
  return { tables: tableCount, rows, bytes: statSync(file).size };
}

async function* readLines(file: string) {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) if (line) yield line;
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of readLines(file)) {
    let header: BackupHeader;
    try {
      header = JSON.parse(line) as BackupHeader;
    } catch {
      break;
    }
    if (header.format !== BACKUP_FORMAT) break;
    if (header.version > FORMAT_VERSION) {
      throw new BackupError(
        `${file} was written by a newer Xiaoguan (backup format ${header.version}); upgrade first.`,
      );
    }
    return header;
  }
  throw new BackupError(`${file} is not a Xiaoguan backup.`);
}

/** True when no table of the public schema holds a row. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  for (const t of await planTables(db)) {
    const [row] = await queryRows<{ any: boolean }>(
      db,
      sql.raw(`select exists(select 1 from ${ident(t.name)}) as any`),
    );
    if (row?.any) return false;
  }
  return true;
}

/**
 * Restores a backup into an empty database: migrates it to the backup's schema (or newer),
 * inserts every row in one transaction — all or nothing — and checks the row counts.
 */
export async function restoreDatabase(
  database: Database,
  file: string,
): Promise<{ tables: number; rows: number }> {
  const header = await readBackupHeader(file);
  const known = knownMigrations();
  if (header.migrations.some((m, i) => known[i] !== m)) {
    throw new BackupError(
      `${file} comes from a newer or different version of Xiaoguan; upgrade before restoring it.`,
    );
  }
  if ((await pendingMigrations(database)).length) await migrateDatabase(database);
  if (!(await isDatabaseEmpty(database.db))) {
    throw new BackupError(
      'The target database is not empty. Restore into a new data folder or an empty PostgreSQL database.',
    );
  }
  const plans = new Map((await planTables(database.db)).map((p) => [p.name, p]));
  const expected = new Map(header.tables.map((t) => [t.name, t]));
  let rows = 0;
  await database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    // Chunks of tables with deferred foreign keys, replayed as updates once every row exists.
    const later: { table: TablePlan; json: string }[] = [];
    let first = true;
    for await (const line of readLines(file)) {
      if (first) {
        first = false;
        continue;
      }
      const tab = line.indexOf('\t');
      const name = line.slice(0, tab);
      const json = line.slice(tab + 1);
      const plan = plans.get(name);
      const saved = expected.get(name);
      if (!plan || !saved)
        throw new BackupError(`The backup has a table "${name}" this version does not know.`);
      const columns = saved.columns.filter((c) => plan.columns.includes(c));
      const target = columns.map(ident).join(', ');
      const source = columns.map((c) => (plan.deferred.includes(c) ? 'null' : `r.${ident(c)}`)).join(', ');
      await tx.execute(
        sql`${sql.raw(`insert into ${ident(name)} (${target}) select ${source} from json_populate_recordset(null::${ident(name)}, `)}${json}::json${sql.raw(') r')}`,
      );
      if (plan.deferred.length) later.push({ table: plan, json });
    }
    for (const { table, json } of later) {
      const sets = table.deferred.map((c) => `${ident(c)} = r.${ident(c)}`).join(', ');
      const match = table.primaryKey.map((c) => `t.${ident(c)} = r.${ident(c)}`).join(' and ');
      await tx.execute(
        sql`${sql.raw(`update ${ident(table.name)} t set ${sets} from json_populate_recordset(null::${ident(table.name)}, `)}${json}::json${sql.raw(`) r where ${match}`)}`,
      );
    }
    for (const t of header.tables) {
      const [c] = await queryRows<{ n: number }>(
        tx,
        sql.raw(`select count(*)::int as n from ${ident(t.name)}`),
      );
      if ((c?.n ?? 0) !== t.rows) {
        throw new BackupError(
          `Restore check failed: ${t.name} has ${c?.n ?? 0} rows, the backup says ${t.rows}.`,
        );
      }
      rows += t.rows;
    }
  });
  return { tables: header.tables.length, rows };
}
