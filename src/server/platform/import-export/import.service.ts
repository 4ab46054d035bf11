import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, asc, desc, eq, gt, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { ZodError } from 'zod';
import type { Db } from '../../db/client.js';
import { pgConstraint, pgErrorCode, withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { loadActor } from '../access/actor.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, type FieldError, notFound, versionConflict } from '../errors.js';
import { encodeCursor } from '../http/pagination.js';
import { fieldErrorsFromIssue } from '../http/problem.js';
import type { Locale } from '../i18n/locale.js';
import { type ErrorCode, errorMessages, interpolate, validationMessages } from '../i18n/messages.js';
import { defineJob, enqueueJob, type JobContext } from '../jobs/jobs.js';
import { companyTimeZone } from '../settings/settings.service.js';
import {
  allImporters,
  type ImporterDefinition,
  type ImportRecord,
  type ImportRun,
  importerOf,
  permitted,
} from './definitions.js';
import { CONTENT_TYPES, exportFileName, type SheetFormat, sheetStream } from './export.js';
import { mappingProblems, mapRow, proposeMapping } from './mapping.js';
import { FORMULA, readRows, summariseFile } from './read.js';
import {
  type DuplicatePolicy,
  type ImportCounts,
  type ImportMode,
  type ImportPhase,
  importErrors,
  importFiles,
  imports,
} from './schema.js';

type ImportRow = typeof imports.$inferSelect;

export const IMPORT_JOB = 'import.process';
const IMPORT_ATTEMPTS = 5;

/** Knobs the tests turn: a small batch, and a hook that simulates a crash after a batch commits. */
export const importTuning = {
  batchSize: 500,
  afterBatchCommit: undefined as ((importId: string, processed: number) => void) | undefined,
};

/** Progress of passes that run in one transaction, seen by this process before they commit. */
const liveProgress = new Map<string, number>();

const zeroCounts = (total = 0): ImportCounts => ({
  total,
  processed: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
});

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function requireImporter(entity: string) {
  const def = importerOf(entity);
  if (!def) throw new AppError('import_unknown_entity', { entity });
  return def;
}

function assertMay(ctx: Ctx, permission: string) {
  if (ctx.actor && !ctx.actor.permissions.has(permission)) throw new AppError('forbidden', { permission });
}

/** Starting an import needs the entity's create permission, and update when duplicates update. */
function assertMayRun(ctx: Ctx, def: ImporterDefinition<unknown>, duplicates: DuplicatePolicy) {
  assertMay(ctx, def.permissions.create);
  if (duplicates === 'update') assertMay(ctx, def.permissions.update);
}

// ---------------------------------------------------------------- presenting

const fieldsOf = (def: ImporterDefinition<unknown>, ctx: Ctx) =>
  permitted(def.fields, ctx).map((f) => ({
    key: f.key,
    label: f.label[ctx.locale],
    required: !!f.required,
    example: f.example ?? null,
  }));

/** The entities this caller may import, with their fields in the caller's language. */
export function importableEntities(ctx: Ctx) {
  const may = (p: string) => !ctx.actor || ctx.actor.permissions.has(p);
  return allImporters()
    .filter((def) => may(def.permissions.create) || may(def.permissions.update))
    .map((def) => ({
      entity: def.entity,
      label: def.label[ctx.locale],
      fields: fieldsOf(def, ctx),
      duplicateKey: def.duplicateKey,
      createDuplicates: def.createDuplicates,
      canCreate: may(def.permissions.create),
      canUpdate: may(def.permissions.update),
    }));
}

export function localiseProblem(code: string, params: Record<string, unknown>, locale: Locale): string {
  if (code in validationMessages) {
    return interpolate(validationMessages[code as keyof typeof validationMessages][locale], params);
  }
  const entry = errorMessages[code as ErrorCode];
  if (!entry) return code;
  const detail = 'detail' in entry ? interpolate(entry.detail[locale], params) : '';
  return detail
    ? `${entry.title[locale]}：${detail}`.replace('：', locale === 'en' ? ': ' : '：')
    : entry.title[locale];
}

function presentFailure(failure: ImportRow['failure'], locale: Locale) {
  if (!failure) return null;
  const entry = errorMessages[failure.code as ErrorCode];
  if (!entry) return { code: failure.code, title: failure.code, detail: null };
  return {
    code: failure.code,
    title: entry.title[locale],
    detail: 'detail' in entry ? interpolate(entry.detail[locale], failure.params ?? {}) : null,
  };
}

const creators = alias(users, 'creator');

function presentSummary(row: ImportRow, creatorName: string | null, locale: Locale) {
  const def = importerOf(row.entity);
  const live = liveProgress.get(row.id) ?? 0;
  return {
    id: row.id,
    entity: row.entity,
    entityLabel: def?.label[locale] ?? row.entity,
    fileName: row.fileName,
    fileSize: row.fileSize,
    status: row.status,
    phase: row.phase,
    mode: row.mode,
    duplicates: row.duplicates,
    totalRows: row.totalRows,
    processedRows: Math.max(row.processedRows, live),
    dryRun: row.dryRun,
    result: row.result,
    failure: presentFailure(row.failure, locale),
    createdAt: row.createdAt.toISOString(),
    createdById: row.createdBy,
    createdByName: creatorName,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    version: row.version,
  };
}

/** An import the caller may see: their own, or anyone's with imports.read; else "not found". */
async function findVisible(db: Db, ctx: Ctx, id: string) {
  const [found] = await db
    .select({ row: imports, creatorName: creators.name })
    .from(imports)
    .leftJoin(creators, eq(creators.id, imports.createdBy))
    .where(eq(imports.id, id));
  if (!found) throw notFound();
  const actor = ctx.actor;
  if (actor && found.row.createdBy !== actor.userId && !actor.permissions.has('imports.read'))
    throw notFound();
  return found;
}

/** An import the caller started and may change (mapping, dry run, run). */
async function findOwn(db: Db, ctx: Ctx, id: string) {
  const found = await findVisible(db, ctx, id);
  if (ctx.actor && found.row.createdBy !== ctx.actor.userId)
    throw new AppError('forbidden', { permission: 'owner' });
  return found.row;
}

export async function getImport(db: Db, ctx: Ctx, id: string) {
  const { row, creatorName } = await findVisible(db, ctx, id);
  const def = requireImporter(row.entity);
  const same = await db
    .select({ id: imports.id, createdAt: imports.createdAt, status: imports.status, name: creators.name })
    .from(imports)
    .leftJoin(creators, eq(creators.id, imports.createdBy))
    .where(
      and(
        eq(imports.entity, row.entity),
        eq(imports.fileSha256, row.fileSha256),
        ne(imports.id, row.id),
        lt(imports.createdAt, row.createdAt),
      ),
    )
    .orderBy(desc(imports.createdAt))
    .limit(5);
  return {
    ...presentSummary(row, creatorName, ctx.locale),
    format: row.format,
    encoding: row.encoding,
    headerRow: row.headerRow,
    columns: row.headers.map((header, index) => ({ index, header, field: row.mapping[index] ?? null })),
    sample: row.sample,
    fields: fieldsOf(def, ctx),
    duplicateKey: def.duplicateKey,
    createDuplicates: def.createDuplicates,
    sameFileImports: same.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      status: s.status,
      createdByName: s.name,
    })),
  };
}

/** Import history, newest first: the caller's own, or everyone's with imports.read. */
export async function listImports(
  db: Db,
  ctx: Ctx,
  query: { entity?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const actor = ctx.actor;
  const conds: (SQL | undefined)[] = [
    query.entity ? eq(imports.entity, query.entity) : undefined,
    actor && !actor.permissions.has('imports.read') ? eq(imports.createdBy, actor.userId) : undefined,
  ];
  if (query.cursor) {
    const [at, id] = decodeListCursor(query.cursor);
    conds.push(or(lt(imports.createdAt, at), and(eq(imports.createdAt, at), lt(imports.id, id))));
  }
  const where = and(...conds.filter((c): c is SQL => !!c));
  const rows = await db
    .select({ row: imports, creatorName: creators.name })
    .from(imports)
    .leftJoin(creators, eq(creators.id, imports.createdBy))
    .where(where)
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const [{ n } = { n: 0 }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(imports)
    .where(and(...conds.slice(0, 2).filter((c): c is SQL => !!c)));
  return {
    items: items.map((r) => presentSummary(r.row, r.creatorName, ctx.locale)),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.row.createdAt, last.row.id]) : null,
    total: n,
  };
}

function decodeListCursor(cursor: string): [Date, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (!Number.isNaN(date.getTime()) && /^[0-9a-f-]{36}$/i.test(id)) return [date, id];
  } catch {
    // fall through
  }
  throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
}

// ---------------------------------------------------------------- upload and set-up

/**
 * Takes an uploaded file: reads it once (format, encoding, header row, row count, sample),
 * proposes a column mapping from the header names, and keeps the bytes for the passes.
 */
export async function uploadImport(
  db: Db,
  ctx: Ctx,
  input: { entity: string; fileName: string; content: Buffer },
  limits: { maxRows: number },
) {
  const def = requireImporter(input.entity);
  if (
    ctx.actor &&
    !ctx.actor.permissions.has(def.permissions.create) &&
    !ctx.actor.permissions.has(def.permissions.update)
  )
    throw new AppError('forbidden', { permission: def.permissions.create });
  const summary = await summariseFile(input.content, input.fileName, limits.maxRows);
  const id = await withTx(db, async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({
        entity: def.entity,
        fileName: input.fileName.slice(0, 255),
        fileSha256: sha256(input.content),
        fileSize: input.content.length,
        format: summary.format,
        encoding: summary.encoding,
        headerRow: summary.headerRow,
        headers: summary.headers,
        sample: summary.sample,
        mapping: proposeMapping(summary.headers, permitted(def.fields, ctx)),
        totalRows: summary.dataRows,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await tx.insert(importFiles).values({ importId: row!.id, content: input.content });
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'import',
      entityId: row!.id,
      after: {
        entity: row!.entity,
        fileName: row!.fileName,
        fileSha256: row!.fileSha256,
        totalRows: row!.totalRows,
      },
    });
    return row!.id;
  });
  return getImport(db, ctx, id);
}

/** A mapping may only name fields the caller may see (a cost column needs the cost permission). */
function mappingError(
  ctx: Ctx,
  row: ImportRow,
  mapping: (string | null)[],
  def: ImporterDefinition<unknown>,
) {
  const problems = mappingProblems(mapping, row.headers, permitted(def.fields, ctx));
  if (!problems.length) return;
  const errors: FieldError[] = problems.map((p) =>
    p.kind === 'requiredMissing'
      ? { path: `mapping.${p.field}`, message: 'required' }
      : { path: p.field ? `mapping.${p.field}` : 'mapping', message: 'invalid' },
  );
  throw new AppError('import_mapping_invalid', {}, errors);
}

/** Changes which column feeds which field; a finished dry run no longer applies. */
export async function setMapping(
  db: Db,
  ctx: Ctx,
  id: string,
  input: { mapping: (string | null)[]; version: number },
) {
  await withTx(db, async (tx) => {
    const row = await findOwn(tx, ctx, id);
    if (row.version !== input.version) throw versionConflict();
    if (row.status !== 'uploaded' && row.status !== 'checked')
      throw new AppError('invalid_state', { state: row.status });
    const def = requireImporter(row.entity);
    mappingError(ctx, row, input.mapping, def);
    const updated = await tx
      .update(imports)
      .set({
        mapping: input.mapping,
        status: 'uploaded',
        dryRun: null,
        updatedAt: sql`now()`,
        version: sql`${imports.version} + 1`,
      })
      .where(and(eq(imports.id, id), eq(imports.version, input.version)))
      .returning({ id: imports.id });
    if (!updated.length) throw versionConflict();
    await tx
      .delete(importErrors)
      .where(and(eq(importErrors.importId, id), eq(importErrors.phase, 'dry_run')));
  });
  return getImport(db, ctx, id);
}

async function queuePass(
  db: Db,
  ctx: Ctx,
  id: string,
  phase: ImportPhase,
  input: {
    version: number;
    duplicates: DuplicatePolicy;
    mode?: ImportMode;
    initialPassword?: string | undefined;
  },
) {
  await withTx(db, async (tx) => {
    const row = await findOwn(tx, ctx, id);
    if (row.version !== input.version) throw versionConflict();
    if (row.status !== 'uploaded' && row.status !== 'checked')
      throw new AppError('invalid_state', { state: row.status });
    const def = requireImporter(row.entity);
    assertMayRun(ctx, def, input.duplicates);
    if (input.duplicates === 'create' && !def.createDuplicates)
      throw new AppError('validation_failed', {}, [
        { path: 'duplicates', message: 'oneOf', params: { values: 'skip, update' } },
      ]);
    mappingError(ctx, row, row.mapping, def);
    const options = def.parseOptions
      ? await def.parseOptions(input.initialPassword ? { initialPassword: input.initialPassword } : {})
      : {};
    const run = phase === 'run';
    const updated = await tx
      .update(imports)
      .set({
        status: run ? 'importing' : 'checking',
        phase,
        duplicates: input.duplicates,
        mode: run ? (input.mode ?? 'batches') : row.mode,
        options,
        processedRows: 0,
        ...(run ? { result: zeroCounts(row.totalRows ?? 0), startedAt: sql`now()` } : { dryRun: null }),
        failure: null,
        updatedAt: sql`now()`,
        version: sql`${imports.version} + 1`,
      })
      .where(and(eq(imports.id, id), eq(imports.version, input.version)))
      .returning();
    if (!updated.length) throw versionConflict();
    await tx.delete(importErrors).where(and(eq(importErrors.importId, id), eq(importErrors.phase, phase)));
    await enqueueJob(tx, IMPORT_JOB, { importId: id, phase }, { dedupeKey: `${id}:${phase}` });
    if (run) {
      await recordAudit(tx, ctx, {
        action: 'start',
        entity: 'import',
        entityId: id,
        before: { status: row.status },
        after: { status: 'importing', mode: input.mode, duplicates: input.duplicates },
      });
    }
  });
  return getImport(db, ctx, id);
}

/** Validates every row exactly as the import would, and writes nothing. */
export const startDryRun = (
  db: Db,
  ctx: Ctx,
  id: string,
  input: { version: number; duplicates: DuplicatePolicy; initialPassword?: string | undefined },
) => queuePass(db, ctx, id, 'dry_run', input);

/** Starts the import in the background: all or nothing, or valid rows in batches. */
export const startRun = (
  db: Db,
  ctx: Ctx,
  id: string,
  input: {
    version: number;
    duplicates: DuplicatePolicy;
    mode: ImportMode;
    initialPassword?: string | undefined;
  },
) => queuePass(db, ctx, id, 'run', input);

// ---------------------------------------------------------------- row errors

interface RowError {
  rowNumber: number;
  field: string | null;
  code: string;
  params: Record<string, unknown>;
}

function fieldForPath(def: ImporterDefinition<unknown>, path: string): string | null {
  const head = path.split('.')[0] ?? '';
  const mapped = def.fieldOfPath?.[head] ?? head;
  return def.fields.some((f) => f.key === mapped) ? mapped : null;
}

/** What went wrong on a row, in the words of the services' own errors; null = not a row problem. */
function rowErrorsOf(
  err: unknown,
  def: ImporterDefinition<unknown>,
  rowNumber: number,
  record: ImportRecord,
): RowError[] | null {
  if (err instanceof AppError) {
    if (!err.fieldErrors.length) return [{ rowNumber, field: null, code: err.code, params: err.params }];
    return err.fieldErrors.map((fe) => {
      const field = fieldForPath(def, fe.path);
      const value = field ? record[field] : null;
      if (err.code === 'duplicate') return { rowNumber, field, code: 'exists', params: {} };
      if (err.code === 'invalid_reference' && value)
        return { rowNumber, field, code: 'notFoundValue', params: { value } };
      return { rowNumber, field, code: fe.message, params: fe.params ?? {} };
    });
  }
  if (err instanceof ZodError) {
    return err.issues.flatMap((issue) =>
      fieldErrorsFromIssue({
        keyword: issue.code,
        instancePath: `/${issue.path.join('/')}`,
        message: issue.message,
        params: { ...issue } as Record<string, unknown>,
      }).map((fe) => ({
        rowNumber,
        field: fieldForPath(def, fe.path),
        code: fe.message,
        params: fe.params ?? {},
      })),
    );
  }
  // A race the services did not pre-check (a unique index): still the row's problem.
  if (pgErrorCode(err) === '23505') {
    const constraint = pgConstraint(err) ?? '';
    const field = def.fields.find((f) => constraint.includes(f.key))?.key ?? def.duplicateKey;
    return [{ rowNumber, field, code: 'exists', params: {} }];
  }
  return null;
}

// ---------------------------------------------------------------- passes

interface DataRow {
  number: number;
  record: ImportRecord;
  problems: RowError[];
}

async function* dataRows(content: Buffer, row: ImportRow): AsyncGenerator<DataRow> {
  for await (const sheetRow of readRows(content, row.format)) {
    if (sheetRow.number <= row.headerRow) continue;
    const problems: RowError[] = [];
    const cells = sheetRow.cells.map((c, i) => {
      if (c !== FORMULA) return c;
      const field = row.mapping[i];
      if (field) problems.push({ rowNumber: sheetRow.number, field, code: 'formula', params: {} });
      return null;
    });
    yield { number: sheetRow.number, record: mapRow(cells, row.mapping), problems };
  }
}

/** Rows that repeat an earlier row's key within the same file. */
function duplicateTracker(def: ImporterDefinition<unknown>) {
  const seen = new Map<string, number>();
  return (row: DataRow): RowError | null => {
    const key = row.record[def.duplicateKey]?.toLowerCase();
    if (!key) return null;
    const first = seen.get(key);
    if (first !== undefined)
      return {
        rowNumber: row.number,
        field: def.duplicateKey,
        code: 'duplicateInFile',
        params: { row: first },
      };
    seen.set(key, row.number);
    return null;
  };
}

type Outcome = 'created' | 'updated' | 'skipped';

/** One row through the entity's own services, in a savepoint so a failure undoes only this row. */
async function applyRow(
  def: ImporterDefinition<unknown>,
  run: ImportRun,
  row: DataRow,
): Promise<Outcome | RowError[]> {
  if (row.problems.length) return row.problems;
  try {
    return await withTx(run.tx, async (tx) => {
      const r = { ...run, tx };
      const existing = await def.find(row.record, r);
      if (existing) {
        if (run.duplicates === 'skip') return 'skipped';
        if (run.duplicates === 'update') {
          await def.update(existing, row.record, r);
          return 'updated';
        }
        if (!def.createDuplicates)
          throw new AppError('duplicate', {}, [{ path: def.duplicateKey, message: 'invalid' }]);
      }
      await def.create(row.record, r);
      return 'created';
    });
  } catch (err) {
    const errors = rowErrorsOf(err, def, row.number, row.record);
    if (!errors) throw err;
    return errors;
  }
}

/**
 * A chunk of rows: the definition's fast path first (new, valid records in one go, in a
 * savepoint — any surprise and the chunk simply takes the slow path), then every row it left,
 * in file order, one by one.
 */
async function applyChunk(
  def: ImporterDefinition<unknown>,
  run: ImportRun,
  rows: DataRow[],
): Promise<(Outcome | RowError[])[]> {
  const outcomes: (Outcome | RowError[] | undefined)[] = rows.map(() => undefined);
  if (def.createMany) {
    const clean = rows.flatMap((r, i) => (r.problems.length ? [] : [i]));
    if (clean.length) {
      try {
        const created = await withTx(run.tx, (tx) =>
          def.createMany!(
            clean.map((i) => rows[i]!.record),
            { ...run, tx },
          ),
        );
        created.forEach((done, k) => {
          if (done) outcomes[clean[k]!] = 'created';
        });
      } catch (err) {
        if (!rowErrorsOf(err, def, 0, {})) throw err;
      }
    }
  }
  for (const [i, row] of rows.entries()) outcomes[i] ??= await applyRow(def, run, row);
  return outcomes as (Outcome | RowError[])[];
}

function tally(counts: ImportCounts, outcome: Outcome | RowError[]) {
  counts.processed++;
  if (Array.isArray(outcome)) counts.failed++;
  else counts[outcome]++;
}

async function insertErrors(tx: Db, row: ImportRow, phase: ImportPhase, errors: RowError[]) {
  const columnOf = (field: string | null) => {
    if (!field) return null;
    const i = row.mapping.indexOf(field);
    return i >= 0 ? (row.headers[i] ?? null) : null;
  };
  for (let i = 0; i < errors.length; i += 1000) {
    await tx.insert(importErrors).values(
      errors.slice(i, i + 1000).map((e) => ({
        importId: row.id,
        phase,
        rowNumber: e.rowNumber,
        field: e.field,
        column: columnOf(e.field),
        code: e.code,
        params: e.params,
      })),
    );
  }
}

/**
 * Publishes the progress of a one-transaction pass: in memory for this process, and as a
 * guarded write on a separate connection where the engine has one (PostgreSQL). On the
 * embedded engine the write waits for the pass and is then a no-op (its guard fails).
 */
function progressPublisher(db: Db, id: string) {
  let writing = false;
  let latest = 0;
  const write = () => {
    writing = true;
    const n = latest;
    db.update(imports)
      .set({ processedRows: n })
      .where(
        and(
          eq(imports.id, id),
          inArray(imports.status, ['checking', 'importing']),
          lt(imports.processedRows, n),
        ),
      )
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        writing = false;
        if (latest > n && liveProgress.has(id)) write();
      });
  };
  return (n: number) => {
    liveProgress.set(id, n);
    latest = n;
    if (!writing) write();
  };
}

class Rollback extends Error {}

/**
 * A dry run, or an all-or-nothing import: every row in one transaction (so later rows see
 * earlier ones, exactly as the real import would), rolled back for a dry run or when any row
 * failed. A crash simply rolls it back and the retried job starts again.
 */
async function singlePass(
  db: Db,
  row: ImportRow,
  def: ImporterDefinition<unknown>,
  ctx: Ctx,
  content: Buffer,
) {
  const phase = row.phase!;
  const counts = zeroCounts(row.totalRows ?? 0);
  const errors: RowError[] = [];
  const publish = progressPublisher(db, row.id);
  const duplicateOf = duplicateTracker(def);
  let committed = false;
  try {
    await withTx(db, async (tx) => {
      const run: ImportRun = {
        tx,
        ctx,
        duplicates: row.duplicates ?? 'skip',
        options: row.options,
        cache: new Map(),
      };
      await def.prepare?.(run);
      let chunk: DataRow[] = [];
      const flush = async () => {
        for (const outcome of await applyChunk(def, run, chunk)) {
          tally(counts, outcome);
          if (Array.isArray(outcome)) errors.push(...outcome);
        }
        chunk = [];
        publish(counts.processed);
      };
      for await (const data of dataRows(content, row)) {
        const dup = duplicateOf(data);
        if (dup) data.problems.push(dup);
        chunk.push(data);
        if (chunk.length >= importTuning.batchSize) await flush();
      }
      if (chunk.length) await flush();
      counts.total = counts.processed;
      if (phase === 'dry_run' || counts.failed > 0) throw new Rollback();
      // All rows are in: the import's own record commits with them, or not at all.
      await finish(tx, row, ctx, { status: 'done', result: counts });
      committed = true;
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  } finally {
    liveProgress.delete(row.id);
  }
  if (committed) return;
  await withTx(db, async (tx) => {
    await insertErrors(tx, row, phase, errors);
    if (phase === 'dry_run') await finish(tx, row, ctx, { status: 'checked', dryRun: counts });
    else
      await finish(tx, row, ctx, {
        status: 'failed',
        result: { ...counts, created: 0, updated: 0 },
        failure: { code: 'import_rows_invalid', params: { failed: counts.failed } },
      });
  });
}

/**
 * Valid rows in batches: each batch commits its rows, its row errors and the high-water mark
 * together, so a retried job skips exactly the rows already done.
 */
async function batchedPass(
  db: Db,
  row: ImportRow,
  def: ImporterDefinition<unknown>,
  ctx: Ctx,
  content: Buffer,
) {
  let done = row.processedRows;
  const counts: ImportCounts = row.result ?? zeroCounts(row.totalRows ?? 0);
  const duplicateOf = duplicateTracker(def);
  const cache = new Map<string, unknown>();
  let prepared = false;
  let batch: DataRow[] = [];
  let seen = 0;

  const commit = async () => {
    const batchCounts = { ...counts };
    await withTx(db, async (tx) => {
      const run: ImportRun = { tx, ctx, duplicates: row.duplicates ?? 'skip', options: row.options, cache };
      if (!prepared) await def.prepare?.(run);
      const errors: RowError[] = [];
      for (const outcome of await applyChunk(def, run, batch)) {
        tally(batchCounts, outcome);
        if (Array.isArray(outcome)) errors.push(...outcome);
      }
      await insertErrors(tx, row, 'run', errors);
      const moved = await tx
        .update(imports)
        .set({ processedRows: done + batch.length, result: batchCounts, updatedAt: sql`now()` })
        .where(and(eq(imports.id, row.id), eq(imports.processedRows, done), eq(imports.status, 'importing')))
        .returning({ id: imports.id });
      // Someone else moved the mark (a second worker on the same import): this batch is theirs.
      if (!moved.length) throw new Error(`import ${row.id}: progress moved under this worker`);
    });
    prepared = true;
    Object.assign(counts, batchCounts);
    done += batch.length;
    batch = [];
    importTuning.afterBatchCommit?.(row.id, done);
  };

  for await (const data of dataRows(content, row)) {
    seen++;
    const dup = duplicateOf(data);
    if (seen <= done) continue;
    if (dup) data.problems.push(dup);
    batch.push(data);
    if (batch.length >= importTuning.batchSize) await commit();
  }
  if (batch.length) await commit();
  await withTx(db, async (tx) => {
    await finish(tx, row, ctx, { status: 'done', result: { ...counts, total: counts.processed } });
  });
}

async function finish(
  tx: Db,
  row: ImportRow,
  ctx: Ctx,
  outcome: {
    status: 'checked' | 'done' | 'failed';
    dryRun?: ImportCounts;
    result?: ImportCounts;
    failure?: { code: string; params?: Record<string, unknown> };
  },
) {
  const processed = (outcome.dryRun ?? outcome.result)?.processed ?? row.totalRows ?? 0;
  await tx
    .update(imports)
    .set({
      status: outcome.status,
      processedRows: processed,
      ...(outcome.dryRun ? { dryRun: outcome.dryRun } : {}),
      ...(outcome.result ? { result: outcome.result } : {}),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(outcome.status === 'checked' ? {} : { finishedAt: sql`now()` }),
      updatedAt: sql`now()`,
      version: sql`${imports.version} + 1`,
    })
    .where(eq(imports.id, row.id));
  if (outcome.status !== 'checked') {
    await recordAudit(tx, ctx, {
      action: outcome.status === 'done' ? 'finish' : 'fail',
      entity: 'import',
      entityId: row.id,
      before: { status: row.status },
      after: {
        status: outcome.status,
        ...(outcome.result ?? {}),
        ...(outcome.failure ? { failure: outcome.failure.code } : {}),
      },
    });
  }
}

async function failImport(db: Db, row: ImportRow, ctx: Ctx, err: AppError) {
  await withTx(db, async (tx) => {
    await finish(tx, row, ctx, { status: 'failed', failure: { code: err.code, params: err.params } });
  });
}

/** The background job: one pass (dry run or import) over one uploaded file. */
export async function processImport(
  db: Db,
  payload: { importId: string; phase: ImportPhase },
  job?: JobContext,
) {
  const [row] = await db.select().from(imports).where(eq(imports.id, payload.importId));
  const expected = payload.phase === 'dry_run' ? 'checking' : 'importing';
  // Finished already (or re-configured since): a duplicate delivery of the job does nothing.
  if (!row || row.status !== expected || row.phase !== payload.phase) return;
  const def = importerOf(row.entity);
  const actor = row.createdBy ? await loadActor(db, row.createdBy, { via: 'session' }) : null;
  const ctx: Ctx = { actor, requestId: `import:${row.id}`, locale: 'zh-CN' };
  try {
    if (!def) throw new AppError('import_unknown_entity', { entity: row.entity });
    if (row.createdBy && !actor) throw new AppError('forbidden', { permission: def.permissions.create });
    assertMayRun(ctx, def, row.duplicates ?? 'skip');
    const [file] = await db.select().from(importFiles).where(eq(importFiles.importId, row.id));
    if (!file) throw new AppError('import_file_unreadable', {});
    job?.log.info(`import ${row.id}: ${payload.phase} of ${row.totalRows} ${row.entity} rows`);
    if (payload.phase === 'dry_run' || row.mode === 'all_or_nothing')
      await singlePass(db, row, def, ctx, file.content);
    else await batchedPass(db, row, def, ctx, file.content);
  } catch (err) {
    // A problem with the file or the permission ends the import with a clear reason; anything
    // else (the database went away, a crash) is retried by the job queue.
    if (err instanceof AppError) return failImport(db, row, ctx, err);
    // The queue's last attempt: the import ends as failed (what was committed stays committed).
    if (job && job.attempt >= IMPORT_ATTEMPTS)
      await failImport(db, row, ctx, new AppError('internal', { requestId: job.jobId }));
    throw err;
  }
}

defineJob<{ importId: string; phase: ImportPhase }>(
  IMPORT_JOB,
  (payload, job) => processImport(job.db, payload, job),
  {
    maxAttempts: 5,
    backoffSeconds: 5,
  },
);

// ---------------------------------------------------------------- errors and report

export async function listImportErrors(
  db: Db,
  ctx: Ctx,
  id: string,
  query: { phase: ImportPhase; limit: number; cursor?: string | undefined },
) {
  await findVisible(db, ctx, id);
  const where = and(
    eq(importErrors.importId, id),
    eq(importErrors.phase, query.phase),
    query.cursor ? gt(importErrors.id, query.cursor) : undefined,
  );
  if (query.cursor && !/^[0-9a-f-]{36}$/i.test(query.cursor))
    throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
  const rows = await db
    .select()
    .from(importErrors)
    .where(where)
    .orderBy(asc(importErrors.id))
    .limit(query.limit + 1);
  const [{ n } = { n: 0 }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(importErrors)
    .where(and(eq(importErrors.importId, id), eq(importErrors.phase, query.phase)));
  const items = rows.slice(0, query.limit);
  return {
    items: items.map((e) => ({
      id: e.id,
      row: e.rowNumber,
      column: e.column,
      field: e.field,
      message: localiseProblem(e.code, e.params, ctx.locale),
    })),
    nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null,
    total: n,
  };
}

const REPORT_HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['行号', '列', '问题'],
  en: ['Row', 'Column', 'Problem'],
};
const REPORT_NAME: Record<Locale, Record<ImportPhase, string>> = {
  'zh-CN': { dry_run: '预检报告', run: '导入错误' },
  en: { dry_run: 'dry-run-report', run: 'import-errors' },
};

/** Every row error of a pass as a spreadsheet the user can work through. */
export async function errorReport(
  db: Db,
  ctx: Ctx,
  id: string,
  phase: ImportPhase,
  format: SheetFormat = 'xlsx',
): Promise<{ stream: Readable; fileName: string; contentType: string }> {
  const { row } = await findVisible(db, ctx, id);
  const timeZone = await companyTimeZone(db);
  async function* pages() {
    let after: string | undefined;
    for (;;) {
      const page = await db
        .select()
        .from(importErrors)
        .where(
          and(
            eq(importErrors.importId, id),
            eq(importErrors.phase, phase),
            after ? gt(importErrors.id, after) : undefined,
          ),
        )
        .orderBy(asc(importErrors.id))
        .limit(1000);
      if (!page.length) return;
      yield page.map((e) => [e.rowNumber, e.column ?? '', localiseProblem(e.code, e.params, ctx.locale)]);
      after = page.at(-1)!.id;
    }
  }
  const label = `${row.fileName.replace(/\.[^.]+$/, '')}-${REPORT_NAME[ctx.locale][phase]}`;
  const stream = await sheetStream(
    { format, sheetName: REPORT_NAME[ctx.locale][phase], header: REPORT_HEADERS[ctx.locale], timeZone },
    pages(),
  );
  return { stream, fileName: exportFileName(label, format, timeZone), contentType: CONTENT_TYPES[format] };
}
