import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../context.js';
import { AppError, type FieldError } from '../errors.js';
import { fieldErrorsFromIssue } from '../http/problem.js';
import type { Locale } from '../i18n/locale.js';
import type { DuplicatePolicy } from './schema.js';

export type Label = Record<Locale, string>;

/** One column an entity accepts: its key, its header names in both languages, and aliases. */
export interface ImportField {
  key: string;
  label: Label;
  /** Other header names people use for it (any language; matched case- and space-insensitively). */
  aliases?: string[];
  required?: boolean;
  /** A sample value for the template and the mapping screen. */
  example?: string;
  /** A sensitive field (a cost price): only holders of this permission see it or may map it. */
  permission?: string;
}

/** A data row after mapping: field key → trimmed text (null when the cell is empty). */
export type ImportRecord = Record<string, string | null>;

/** What a pass knows besides the row: the transaction, the importing user, and run options. */
export interface ImportRun {
  tx: Db;
  ctx: Ctx;
  duplicates: DuplicatePolicy;
  options: Record<string, unknown>;
  /** Per-pass cache the definition may use (e.g. roles by name), dropped after the pass. */
  cache: Map<string, unknown>;
}

/**
 * How a module makes an entity importable (registered once, at module load). create/update call
 * the module's own services, so an imported record is validated and audited exactly like one
 * entered in the UI. They throw the services' AppErrors (or a ZodError from the contract); the
 * import turns those into row errors.
 */
export interface ImporterDefinition<Existing = { id: string }> {
  entity: string;
  label: Label;
  /** Permission to create records, and to update existing ones (duplicates = update). */
  permissions: { create: string; update: string };
  fields: ImportField[];
  /** The field that identifies a row within the file and against existing records. */
  duplicateKey: string;
  /** Whether "create a new record anyway" makes sense for a duplicate (else such a row errors). */
  createDuplicates: boolean;
  /** Service input paths that are not field keys (orgUnitId → orgUnit), for error columns. */
  fieldOfPath?: Record<string, string>;
  /** Prepares per-pass state (hashing a shared initial password, loading lookups). */
  prepare?(run: ImportRun): Promise<void>;
  /** Run options given when the import starts, checked and turned into what is stored. */
  parseOptions?(input: Record<string, unknown>): Promise<Record<string, unknown>>;
  find(record: ImportRecord, run: ImportRun): Promise<Existing | null>;
  create(record: ImportRecord, run: ImportRun): Promise<void>;
  update(existing: Existing, record: ImportRecord, run: ImportRun): Promise<void>;
  /**
   * Optional fast path for many new records at once (set-wise checks, multi-row inserts). It
   * returns, per record, whether it created it; records it leaves (anything not plainly new and
   * valid) go through find/create/update one by one, so every error still comes from create.
   */
  createMany?(records: ImportRecord[], run: ImportRun): Promise<boolean[]>;
}

export type ExportValue = string | number | boolean | Date | null | undefined;

export interface ExportColumn<Row> {
  key: string;
  label: Label;
  value(row: Row, locale: Locale): ExportValue;
  /** A sensitive column (a cost price, a margin): left out for callers without this permission. */
  permission?: string;
}

/** The fields or columns a caller may see: those without a permission, and those they hold. */
export function permitted<T extends { permission?: string }>(items: T[], ctx: Ctx): T[] {
  return items.filter((i) => !i.permission || !ctx.actor || ctx.actor.permissions.has(i.permission));
}

/**
 * How a module makes a list view exportable: the same filters as its list route, the columns,
 * and the rows page by page through the list service (so the caller's data scope applies).
 */
export interface ExporterDefinition<Row = unknown, Q extends z.ZodObject = z.ZodObject> {
  entity: string;
  label: Label;
  /** The list route the export belongs to: `${path}/export` answers it. */
  path: string;
  permission: string;
  /** The list route's query schema (filters); format and paging are added by the platform. */
  query: Q;
  columns: ExportColumn<Row>[];
  rows(db: Db, ctx: Ctx, query: z.infer<Q>): AsyncIterable<Row[]>;
}

/**
 * An exporter's `rows` from a keyset-paged list service: every page of 500 of the list's filters,
 * in the list's order (so the caller's data scope applies).
 */
export function everyPage<Q, Row>(
  list: (
    db: Db,
    ctx: Ctx,
    query: Q & { limit: number; cursor?: string | undefined },
  ) => Promise<{
    items: Row[];
    nextCursor: string | null;
  }>,
) {
  return async function* rows(db: Db, ctx: Ctx, query: Q): AsyncIterable<Row[]> {
    let cursor: string | undefined;
    do {
      const page = await list(db, ctx, { ...query, limit: 500, cursor });
      yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}

const importers = new Map<string, ImporterDefinition<never>>();
const exporters = new Map<string, ExporterDefinition<never>>();

export function defineImporter<E>(def: ImporterDefinition<E>): ImporterDefinition<E> {
  importers.set(def.entity, def as unknown as ImporterDefinition<never>);
  return def;
}

export function defineExporter<Row, Q extends z.ZodObject>(
  def: ExporterDefinition<Row, Q>,
): ExporterDefinition<Row, Q> {
  exporters.set(def.entity, def as unknown as ExporterDefinition<never>);
  return def;
}

export const importerOf = (entity: string) =>
  importers.get(entity) as ImporterDefinition<unknown> | undefined;
export const allImporters = () => [...importers.values()] as unknown as ImporterDefinition<unknown>[];
export const exporterOf = (entity: string) => exporters.get(entity) as ExporterDefinition | undefined;
export const allExporters = () => [...exporters.values()] as unknown as ExporterDefinition[];

/**
 * Checks a row's service input against the module's API contract (the very schema its create
 * or update route uses), together with problems found while resolving references, and throws
 * them all at once so the row's report lists every problem.
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  found: FieldError[] = [],
): z.infer<S> {
  const parsed = schema.safeParse(input);
  const errors = [...found];
  if (!parsed.success) {
    const taken = new Set(found.map((f) => f.path.split('.')[0]));
    for (const issue of parsed.error.issues) {
      const converted = fieldErrorsFromIssue({
        keyword: issue.code,
        instancePath: `/${issue.path.join('/')}`,
        message: issue.message,
        params: { ...issue } as Record<string, unknown>,
      });
      for (const fe of converted) if (!taken.has(fe.path.split('.')[0])) errors.push(fe);
    }
  }
  if (errors.length) throw new AppError('validation_failed', {}, errors);
  return parsed.data as z.infer<S>;
}
