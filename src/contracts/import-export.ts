import { z } from 'zod';
import { id, isoDateTime, version } from './common.js';

export const importStatus = z.enum(['uploaded', 'checking', 'checked', 'importing', 'done', 'failed']);
export const importMode = z.enum(['all_or_nothing', 'batches']);
export const duplicatePolicy = z.enum(['skip', 'update', 'create']);
export const importPhase = z.enum(['dry_run', 'run']);
export const exportFormat = z.enum(['xlsx', 'csv']);

export const importCounts = z.object({
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});

export const importField = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
  example: z.string().nullable(),
});

/** An entity that can be imported, as the caller may use it. */
export const importEntity = z.object({
  entity: z.string(),
  label: z.string(),
  fields: z.array(importField),
  duplicateKey: z.string(),
  createDuplicates: z.boolean(),
  canCreate: z.boolean(),
  canUpdate: z.boolean(),
});

export const importColumn = z.object({
  index: z.number().int(),
  header: z.string(),
  field: z.string().nullable(),
});

export const importSummary = z.object({
  id,
  entity: z.string(),
  entityLabel: z.string(),
  fileName: z.string(),
  fileSize: z.number().int(),
  status: importStatus,
  phase: importPhase.nullable(),
  mode: importMode.nullable(),
  duplicates: duplicatePolicy.nullable(),
  totalRows: z.number().int().nullable(),
  processedRows: z.number().int(),
  dryRun: importCounts.nullable(),
  result: importCounts.nullable(),
  failure: z.object({ code: z.string(), title: z.string(), detail: z.string().nullable() }).nullable(),
  createdAt: isoDateTime,
  createdById: id.nullable(),
  createdByName: z.string().nullable(),
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  version,
});
export type ImportSummary = z.infer<typeof importSummary>;

export const importDetail = importSummary.extend({
  format: z.enum(['xlsx', 'csv']),
  encoding: z.string().nullable(),
  headerRow: z.number().int(),
  columns: z.array(importColumn),
  sample: z.array(z.array(z.string().nullable())),
  fields: z.array(importField),
  duplicateKey: z.string(),
  createDuplicates: z.boolean(),
  /** Earlier imports of the very same file (same SHA-256) into the same entity. */
  sameFileImports: z.array(
    z.object({ id, createdAt: isoDateTime, status: importStatus, createdByName: z.string().nullable() }),
  ),
});
export type ImportDetail = z.infer<typeof importDetail>;

export const importUploadQuery = z.object({ entity: z.string().min(1).max(50) }).strict();

export const importListQuery = z
  .object({
    entity: z.string().max(50).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(100).optional(),
  })
  .strict();

export const importMappingBody = z
  .object({ mapping: z.array(z.string().max(50).nullable()).max(1000), version })
  .strict();

/** Dry run: how existing records would be treated, and (users) the initial password to check. */
export const importDryRunBody = z
  .object({
    duplicates: duplicatePolicy,
    /** Users: the initial password of created users (they must change it at first sign-in). */
    initialPassword: z.string().min(1).max(200).optional(),
    version,
  })
  .strict();

export const importRunBody = importDryRunBody.extend({ mode: importMode }).strict();

export const importError = z.object({
  id,
  row: z.number().int(),
  column: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});
export type ImportError = z.infer<typeof importError>;

export const importErrorsQuery = z
  .object({
    phase: importPhase,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(100).optional(),
  })
  .strict();

export const importReportQuery = z.object({ phase: importPhase }).strict();
export const exportQuery = z.object({ format: exportFormat.default('xlsx') });
