import { customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export type ImportStatus = 'uploaded' | 'checking' | 'checked' | 'importing' | 'done' | 'failed';
export type ImportPhase = 'dry_run' | 'run';
export type ImportMode = 'all_or_nothing' | 'batches';
export type DuplicatePolicy = 'skip' | 'update' | 'create';

/** What one pass over the file did (or, for a dry run, would do). */
export interface ImportCounts {
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/**
 * One uploaded file being imported into one entity (users, org units, …). The row carries the
 * column mapping, the chosen mode, and the progress of the current pass: `processed_rows` is the
 * high-water mark committed in the same transaction as each batch, so a retried job resumes
 * after it and never writes a row twice (idempotent by file + row number).
 */
export const imports = pgTable(
  'imports',
  {
    id: idColumn(),
    entity: text('entity').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileSize: integer('file_size').notNull(),
    format: text('format').$type<'xlsx' | 'csv'>().notNull(),
    /** For CSV: the encoding detected (utf-8, or gb18030 for files saved by Chinese Excel). */
    encoding: text('encoding'),
    headerRow: integer('header_row').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    /** The first data rows as text, for the mapping screen. */
    sample: jsonb('sample').$type<(string | null)[][]>().notNull().default([]),
    /** The field each column feeds, by column position; null = ignored. */
    mapping: jsonb('mapping').$type<(string | null)[]>().notNull(),
    status: text('status').$type<ImportStatus>().notNull().default('uploaded'),
    phase: text('phase').$type<ImportPhase>(),
    mode: text('mode').$type<ImportMode>(),
    duplicates: text('duplicates').$type<DuplicatePolicy>(),
    /** Entity-specific run options (users: the hashed initial password). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    totalRows: integer('total_rows'),
    processedRows: integer('processed_rows').notNull().default(0),
    dryRun: jsonb('dry_run').$type<ImportCounts>(),
    result: jsonb('result').$type<ImportCounts>(),
    /** Why the whole file failed (unreadable, row limit, rows invalid in all-or-nothing mode). */
    failure: jsonb('failure').$type<{ code: string; params?: Record<string, unknown> }>(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    index('imports_created_idx').on(t.createdAt),
    index('imports_hash_idx').on(t.entity, t.fileSha256),
    index('imports_creator_idx').on(t.createdBy),
  ],
);

/** The uploaded bytes, kept in the database so any app process can run (or resume) the import. */
export const importFiles = pgTable('import_files', {
  importId: uuid('import_id')
    .primaryKey()
    .references(() => imports.id),
  content: bytea('content').notNull(),
});

/** One problem on one row (or a column) of a pass; messages are keys, localised when read. */
export const importErrors = pgTable(
  'import_errors',
  {
    id: idColumn(),
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id),
    phase: text('phase').$type<ImportPhase>().notNull(),
    rowNumber: integer('row_number').notNull(),
    field: text('field'),
    column: text('column'),
    code: text('code').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('import_errors_import_idx').on(t.importId, t.phase, t.rowNumber)],
);
