import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { idColumn } from '../../db/columns.js';

/**
 * One file attached to one record (`entity` + `entity_id`, e.g. user / org_unit). The bytes live
 * on disk under their sha256, so several rows may share one stored file. Rows are never deleted:
 * removing an attachment sets `deleted_at`, and the audit log keeps who did it.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: idColumn(),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedBy: uuid('deleted_by'),
  },
  (t) => [
    index('attachments_record_idx').on(t.entity, t.entityId, t.uploadedAt),
    index('attachments_sha256_idx').on(t.sha256),
    check('attachments_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('attachments_size_check', sql`${t.size} >= 0`),
  ],
);
