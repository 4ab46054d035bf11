import { once } from 'node:events';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database, Db } from './client.js';
import { queryRows } from './client.js';
import { knownMigrations, migrateDatabase, migrationsFolder } from './migrate.js';

/**
 * Logical backups: one gzip'd JSON-lines file holding every table and sequence of the `public`
 * schema, read in one REPEATABLE READ transaction (a consistent snapshot while the app keeps
 * running), that restores into an empty PGlite or PostgreSQL database. Row data is never
 * parsed in JavaScript: PostgreSQL renders each row with row_to_json and reads it back with
 * json_populate_recordset, so bigint money, numeric, jsonb, timestamptz and arrays come back
 * exactly (a JavaScript number would round bigints above 2^53).
 *
 * Line 1 is the header; every further line is one chunk `{"table":"…","rows":[…]}`.
 */
export const BACKUP_FORMAT = 'xiaoguan-backup';
const FORMAT_VERSION = 1;
const CHUNK_ROWS = 1000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  postgresVersion: string;
  /** Tags of the migrations applied to the database, oldest first. */
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
  sequences: { name: string; value: string; called: boolean }[];
}

/** An operator-facing problem with a backup file or a restore target; the message says what to do. */
export class BackupError extends Error {}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (name: string) => `"public".${ident(name)}`;

// ---- migrations ---------------------------------------------------------------------------

interface JournalEntry {
  tag: string;
  when: number;
}

function readJournal(): { entries: JournalEntry[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
}

/**
 * The migrations a database has applied, by tag. Drizzle records each one by its journal time
 * (that is also how it decides what is pending); a time this version does not know — a newer
 * release ran there — shows as `unknown-<time>`.
 */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const [table] = await queryRows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!table?.t) return [];
  const rows = await queryRows<{ at: string }>(
    db,
    sql`select created_at::text as at from drizzle.__drizzle_migrations order by created_at`,
  );
  const tags = new Map(readJournal().entries.map((e) => [String(e.when), e.tag]));
  return rows.map((r) => tags.get(r.at) ?? `unknown-${r.at}`);
}

/**
 * Applies the first `count` migrations of this release and no more (Drizzle's own migrator,
 * given a copy of the journal cut after `count` entries). Restore loads a backup at the
 * schema it was taken from, so that the newer migrations then run over the restored rows as
 * they would have in an upgrade.
 */
export async function migrateDatabaseTo(database: Database, count: number): Promise<void> {
  const journal = readJournal();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xg-migrations-'));
  try {
    mkdirSync(path.join(dir, 'meta'));
    const entries = journal.entries.slice(0, count);
    writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const e of entries)
      copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    if (database.pglite) await migratePglite(drizzlePglite(database.pglite), { migrationsFolder: dir });
    else await migratePg(drizzlePg(database.pool!), { migrationsFolder: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isPrefix = (short: string[], long: string[]) =>
  short.length <= long.length && short.every((m, i) => long[i] === m);

// ---- tables in foreign-key order ----------------------------------------------------------

interface TablePlan {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Foreign-key columns inserted as null and set once every row exists (self references, cycles). */
  deferred: string[];
}

/** The tables of `public`, parents before children; a cycle is broken on nullable foreign keys. */
async function planTables(db: Db): Promise<TablePlan[]> {
  const tables = await queryRows<{
    name: string;
    columns: string[];
    nullable: string[];
    pk: string[] | null;
  }>(
    db,
    sql`select c.relname as name,
          array(select a.attname from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                 order by a.attnum)::text[] as columns,
          array(select a.attname from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and not a.attnotnull)::text[] as nullable,
          (select array_agg(a.attname order by array_position(i.indkey::int2[], a.attnum))::text[]
             from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            where i.indrelid = c.oid and i.indisprimary) as pk
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
       order by c.relname`,
  );
  const edges = await queryRows<{ child: string; parent: string; columns: string[] }>(
    db,
    sql`select ch.relname as child, pa.relname as parent,
          array(select a.attname from pg_attribute a
                 where a.attrelid = c.conrelid and a.attnum = any(c.conkey))::text[] as columns
        from pg_constraint c
        join pg_class ch on ch.oid = c.conrelid
        join pg_namespace n on n.oid = ch.relnamespace
        join pg_class pa on pa.oid = c.confrelid
       where c.contype = 'f' and n.nspname = 'public'`,
  );
  const info = new Map(tables.map((t) => [t.name, t]));
  const remaining = new Map(
    tables.map((t) => [
      t.name,
      { name: t.name, columns: t.columns, primaryKey: t.pk ?? [], deferred: [] as string[] },
    ]),
  );
  const defer = (plan: TablePlan, columns: string[]) => {
    const t = info.get(plan.name)!;
    const required = columns.filter((c) => !t.nullable.includes(c));
    if (required.length || !plan.primaryKey.length) {
      throw new BackupError(
        `Table ${plan.name} has a required foreign key in a cycle (${columns.join(', ')}) or no primary key; it cannot be restored row by row.`,
      );
    }
    plan.deferred = [...new Set([...plan.deferred, ...columns])];
  };
  const ordered: TablePlan[] = [];
  while (remaining.size) {
    const blockers = (table: string) =>
      edges.filter((e) => e.child === table && e.parent !== table && remaining.has(e.parent));
    let next = [...remaining.keys()].find((t) => blockers(t).length === 0);
    if (!next) {
      // A cycle (org_units.head_user_id → users, users.org_unit_id → org_units): insert first a
      // table whose pending foreign keys are all nullable, and fill those in at the end.
      next = [...remaining.keys()].find((t) =>
        blockers(t).every((e) => e.columns.every((c) => info.get(t)!.nullable.includes(c))),
      );
      if (!next)
        throw new BackupError('The schema has a cycle of required foreign keys; it cannot be restored.');
      defer(
        remaining.get(next)!,
        blockers(next).flatMap((e) => e.columns),
      );
    }
    const plan = remaining.get(next)!;
    const selfReferences = edges
      .filter((e) => e.child === next && e.parent === next)
      .flatMap((e) => e.columns);
    if (selfReferences.length) defer(plan, selfReferences);
    ordered.push(plan);
    remaining.delete(next);
  }
  return ordered;
}

async function listSequences(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'S' order by c.relname`,
  );
  return rows.map((r) => r.name);
}

// ---- backup -------------------------------------------------------------------------------

/** fsync a file, or a folder so that a rename in it is durable (folders cannot be opened on Windows). */
function fsyncPath(target: string) {
  let fd: number;
  try {
    fd = openSync(target, 'r');
  } catch (err) {
    if (statSync(target).isDirectory()) return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!(code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL')) throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a consistent backup of the whole database to `file`, atomically: into `file.tmp`,
 * fsync'd, then renamed, so `file` is either absent or complete. Memory stays flat: rows are
 * read through a cursor, a chunk at a time.
 */
export async function backupDatabase(
  db: Db,
  file: string,
): Promise<{ tables: number; rows: number; bytes: number }> {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(tmp));
  written.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  const write = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await Promise.race([once(gzip, 'drain'), written]);
  };
  let rows = 0;
  let tables = 0;
  try {
    await db.transaction(
      async (transaction) => {
        const tx = transaction as unknown as Db;
        const plans = await planTables(tx);
        const [server] = await queryRows<{ version: string }>(
          tx,
          sql`select current_setting('server_version') as version`,
        );
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: FORMAT_VERSION,
          createdAt: new Date().toISOString(),
          postgresVersion: server!.version,
          migrations: await appliedMigrations(tx),
          tables: [],
          sequences: [],
        };
        for (const t of plans) {
          const [c] = await queryRows<{ n: number }>(
            tx,
            sql.raw(`select count(*)::int as n from ${qualified(t.name)}`),
          );
          header.tables.push({ name: t.name, columns: t.columns, rows: c!.n });
        }
        // Sequences are not transactional: a value read now may be ahead of the snapshot, never behind.
        for (const name of await listSequences(tx)) {
          const [s] = await queryRows<{ value: string; called: boolean }>(
            tx,
            sql.raw(`select last_value::text as value, is_called as called from ${qualified(name)}`),
          );
          header.sequences.push({ name, ...s! });
        }
        await write(JSON.stringify(header));
        for (const [i, t] of plans.entries()) {
          const order = t.primaryKey.length ? ` order by ${t.primaryKey.map(ident).join(', ')}` : '';
          await tx.execute(
            sql.raw(
              `declare xg_backup no scroll cursor for select row_to_json(t)::text as j from ${qualified(t.name)} t${order}`,
            ),
          );
          let dumped = 0;
          for (;;) {
            const chunk = await queryRows<{ j: string }>(tx, sql.raw(`fetch ${CHUNK_ROWS} from xg_backup`));
            if (!chunk.length) break;
            await write(`{"table":${JSON.stringify(t.name)},"rows":[${chunk.map((r) => r.j).join(',')}]}`);
            dumped += chunk.length;
          }
          await tx.execute(sql.raw('close xg_backup'));
          if (dumped !== header.tables[i]!.rows) {
            throw new Error(`Backup of ${t.name} read ${dumped} rows, expected ${header.tables[i]!.rows}.`);
          }
          rows += dumped;
          tables++;
        }
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    gzip.end();
    await written;
    fsyncPath(tmp);
    renameSync(tmp, file);
    fsyncPath(path.dirname(file));
  } catch (err) {
    gzip.destroy();
    await written.catch(() => {});
    rmSync(tmp, { force: true });
    throw err;
  }
  return { tables, rows, bytes: statSync(file).size };
}

// ---- reading a backup ---------------------------------------------------------------------

/** The lines of a gzip'd file, one at a time; a missing, foreign or cut-off file is a BackupError. */
async function* readLines(file: string): AsyncGenerator<string> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip).setEncoding('utf8');
  // A line can be megabytes (a chunk of rows with large JSON): collect its pieces, join once.
  let pieces: string[] = [];
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      let start = 0;
      for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
        pieces.push(chunk.slice(start, end));
        const line = pieces.join('');
        pieces = [];
        if (line) yield line;
        start = end + 1;
      }
      if (start < chunk.length) pieces.push(chunk.slice(start));
    }
    const last = pieces.join('');
    if (last) yield last;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') throw new BackupError(`${file} does not exist.`);
    if (code.startsWith('Z_')) {
      throw new BackupError(`${file} is not a Xiaoguan backup, or it is damaged or incomplete (${code}).`);
    }
    throw err;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of readLines(file)) {
    let header: Partial<BackupHeader> | undefined;
    try {
      header = JSON.parse(line) as Partial<BackupHeader>;
    } catch {}
    if (header?.format !== BACKUP_FORMAT) break;
    if (header.version! > FORMAT_VERSION) {
      throw new BackupError(
        `${file} was written by a newer Xiaoguan (backup format ${header.version}); upgrade first.`,
      );
    }
    return { sequences: [], ...header } as BackupHeader;
  }
  throw new BackupError(`${file} is not a Xiaoguan backup.`);
}

// The writer always puts `table` first, so the rows (often a megabyte) are never parsed in JavaScript.
const CHUNK_PREFIX = /^\{"table":("(?:[^"\\]|\\.)*"),"rows":\[/;

/** The row chunks of a backup, each with its table and the whole line (which PostgreSQL parses). */
async function* readChunks(file: string): AsyncGenerator<{ table: string; line: string }> {
  let n = 0;
  for await (const line of readLines(file)) {
    if (++n === 1) continue;
    const match = CHUNK_PREFIX.exec(line);
    if (!match) throw new BackupError(`${file} is damaged: line ${n} is not a chunk of rows.`);
    yield { table: JSON.parse(match[1]!) as string, line };
  }
}

// ---- restore ------------------------------------------------------------------------------

/** True when no table of the public schema holds a row. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  for (const t of await planTables(db)) {
    const [row] = await queryRows<{ any: boolean }>(
      db,
      sql.raw(`select exists(select 1 from ${qualified(t.name)}) as any`),
    );
    if (row?.any) return false;
  }
  return true;
}

/**
 * Restores a backup into an empty database: brings it to the backup's schema, inserts every
 * row in one transaction — all or nothing — checks each table's row count, sets the sequences,
 * then applies the migrations this release has beyond the backup. Returns what it restored
 * and the migrations applied afterwards.
 */
export async function restoreDatabase(
  database: Database,
  file: string,
): Promise<{ tables: number; rows: number; migrated: string[] }> {
  const header = await readBackupHeader(file);
  const known = knownMigrations();
  if (!isPrefix(header.migrations, known)) {
    throw new BackupError(
      `${file} comes from a newer or different version of Xiaoguan; upgrade before restoring it.`,
    );
  }
  if (!(await isDatabaseEmpty(database.db))) {
    throw new BackupError(
      'The target database is not empty. Restore into a new data folder (XG_DATA_DIR) or an empty PostgreSQL database (DATABASE_URL).',
    );
  }
  const applied = await appliedMigrations(database.db);
  if (!isPrefix(applied, header.migrations)) {
    throw new BackupError(
      `The target database is already migrated past this backup (${applied.length} migrations, the backup has ${header.migrations.length}), ` +
        'so the newer migrations could not run over the restored data. Restore into a new data folder or a new PostgreSQL database.',
    );
  }
  if (applied.length < header.migrations.length) await migrateDatabaseTo(database, header.migrations.length);

  const plans = new Map((await planTables(database.db)).map((p) => [p.name, p]));
  const saved = new Map(header.tables.map((t) => [t.name, t]));
  for (const t of header.tables) {
    const plan = plans.get(t.name);
    const missing = plan ? t.columns.filter((c) => !plan.columns.includes(c)) : [];
    if (!plan || missing.length) {
      throw new BackupError(
        `The backup's table ${t.name}${plan ? ` (columns ${missing.join(', ')})` : ''} does not exist in this database's schema.`,
      );
    }
  }
  const sequences = new Set(await listSequences(database.db));
  const unknownSequence = header.sequences.find((s) => !sequences.has(s.name));
  if (unknownSequence) {
    throw new BackupError(
      `The backup's sequence ${unknownSequence.name} does not exist in this database's schema.`,
    );
  }

  let rows = 0;
  await database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const source = (name: string, line: string) =>
      sql`json_populate_recordset(null::${sql.raw(qualified(name))}, ${line}::json -> 'rows')`;
    for await (const { table, line } of readChunks(file)) {
      const plan = plans.get(table);
      const columns = saved.get(table)?.columns;
      if (!plan || !columns)
        throw new BackupError(`${file} has rows for ${table}, which its header does not list.`);
      const values = columns.map((c) => (plan.deferred.includes(c) ? 'null' : `r.${ident(c)}`)).join(', ');
      await tx.execute(
        sql`insert into ${sql.raw(`${qualified(table)} (${columns.map(ident).join(', ')})`)}
            select ${sql.raw(values)} from ${source(table, line)} r`,
      );
    }
    // Second pass: the foreign keys left null above, now that every row they point to exists.
    for await (const { table, line } of readChunks(file)) {
      const plan = plans.get(table)!;
      if (!plan.deferred.length) continue;
      const sets = plan.deferred.map((c) => `${ident(c)} = r.${ident(c)}`).join(', ');
      const match = plan.primaryKey.map((c) => `t.${ident(c)} = r.${ident(c)}`).join(' and ');
      await tx.execute(
        sql`update ${sql.raw(`${qualified(table)} t set ${sets}`)} from ${source(table, line)} r
             where ${sql.raw(match)}`,
      );
    }
    for (const s of header.sequences) {
      await tx.execute(sql`select setval(${qualified(s.name)}::regclass, ${s.value}::bigint, ${s.called})`);
    }
    for (const t of header.tables) {
      const [c] = await queryRows<{ n: number }>(
        tx,
        sql.raw(`select count(*)::int as n from ${qualified(t.name)}`),
      );
      if (c!.n !== t.rows) {
        throw new BackupError(`Restore check failed: ${t.name} has ${c!.n} rows, the backup says ${t.rows}.`);
      }
      rows += t.rows;
    }
  });

  const migrated = known.slice(header.migrations.length);
  if (migrated.length) await migrateDatabase(database);
  return { tables: header.tables.length, rows, migrated };
}
