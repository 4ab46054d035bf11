import type { Readable } from 'node:stream';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { attachmentListQuery } from '../../../contracts/files.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, invalidField, notFound } from '../errors.js';
import { keyset, whereAll } from '../http/pagination.js';
import { type Attachable, attachableEntities, attachableOf } from './attachables.js';
import { ALLOWED_EXTENSIONS, classifyUpload, cleanFileName } from './file-types.js';
import { attachments } from './schema.js';
import { type FileStore, FileTooLargeError, type ReceivedFile } from './storage.js';

export type AttachmentRow = typeof attachments.$inferSelect;

export interface FileLimits {
  maxBytes: number;
}

/** "25 MB", "512 KB": the size limit as people read it. */
export function formatBytes(n: number): string {
  const mb = 1024 * 1024;
  if (n >= mb) return `${Number((n / mb).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} B`;
}

function attachableFor(entity: string): Attachable {
  const def = attachableOf(entity);
  if (!def) throw invalidField('entity', 'oneOf', { values: attachableEntities().join(', ') });
  return def;
}

/**
 * The record lends its permissions to its files: seeing the record's type needs its read
 * permission (403), the record itself must be in the actor's data scope (404, so ids cannot be
 * probed), and adding or removing files needs its write permission and a record open to change
 * (403).
 */
async function authorize(db: Db, ctx: Ctx, entity: string, entityId: string, need: 'read' | 'write') {
  const def = attachableFor(entity);
  const actor = ctx.actor;
  if (actor && !actor.permissions.has(def.readPermission))
    throw new AppError('forbidden', { permission: def.readPermission });
  if (!(await def.canRead(db, ctx, entityId))) throw notFound();
  if (need === 'read') return;
  if (actor && !actor.permissions.has(def.writePermission))
    throw new AppError('forbidden', { permission: def.writePermission });
  if (def.canWrite && !(await def.canWrite(db, ctx, entityId))) throw new AppError('record_read_only');
}

async function mayWrite(db: Db, ctx: Ctx, entity: string, entityId: string): Promise<boolean> {
  try {
    await authorize(db, ctx, entity, entityId, 'write');
    return true;
  } catch (err) {
    if (err instanceof AppError && err.status === 403) return false;
    throw err;
  }
}

const presentColumns = { attachment: attachments, uploadedByName: users.name };

function present({
  attachment: a,
  uploadedByName,
}: {
  attachment: AttachmentRow;
  uploadedByName: string | null;
}) {
  return {
    id: a.id,
    entity: a.entity,
    entityId: a.entityId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    uploadedByName,
    uploadedAt: a.uploadedAt.toISOString(),
  };
}

/** What the audit log keeps about a file (the record's history shows it). */
const auditFacts = (a: AttachmentRow) => ({
  attachmentId: a.id,
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
});

/** A record's attachments, newest first, with whether the actor may add or remove files. */
export async function listAttachments(
  db: Db,
  ctx: Ctx,
  query: z.infer<typeof attachmentListQuery>,
  limits: FileLimits,
) {
  await authorize(db, ctx, query.entity, query.entityId, 'read');
  const page = keyset(query, { uploadedAt: attachments.uploadedAt }, attachments.id, '-uploadedAt');
  const filter = and(
    eq(attachments.entity, query.entity),
    eq(attachments.entityId, query.entityId),
    isNull(attachments.deletedAt),
  );
  const rows = await db
    .select(presentColumns)
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedBy))
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(attachments).where(filter);
  const result = page.page(rows, n, (r) => [r.attachment.uploadedAt, r.attachment.id]);
  return {
    ...result,
    items: result.items.map(present),
    canWrite: await mayWrite(db, ctx, query.entity, query.entityId),
    maxBytes: limits.maxBytes,
    allowedExtensions: ALLOWED_EXTENSIONS,
  };
}

export interface Upload {
  entity: string;
  entityId: string;
  fileName: string | undefined;
  declaredType: string | undefined;
  content: Readable;
}

/**
 * Attaches an uploaded file to a record. The actor's right to change the record is checked
 * before a byte is read; the bytes are streamed to disk under the size limit, their type is
 * sniffed and must agree with the name, and only then is the file kept and the row written
 * (with its audit entry) in one transaction. Any refusal leaves no row and no file.
 */
export async function uploadAttachment(
  db: Db,
  store: FileStore,
  ctx: Ctx,
  upload: Upload,
  limits: FileLimits,
) {
  await authorize(db, ctx, upload.entity, upload.entityId, 'write');
  const fileName = cleanFileName(upload.fileName);
  if (!fileName) throw new AppError('file_required');
  let received: ReceivedFile;
  try {
    received = await store.receive(upload.content, limits.maxBytes);
  } catch (err) {
    if (err instanceof FileTooLargeError)
      throw new AppError('file_too_large', { limit: formatBytes(err.limit) });
    throw err;
  }
  let contentType: string;
  try {
    if (received.size === 0) throw new AppError('file_required');
    ({ contentType } = await classifyUpload({
      fileName,
      declaredType: upload.declaredType,
      head: received.head,
    }));
    await store.keep(received);
  } catch (err) {
    await store.discard(received);
    throw err;
  }
  // A row that fails to commit leaves its file behind: harmless, as identical bytes share it.
  const row = await withTx(db, async (tx) => {
    await authorize(tx, ctx, upload.entity, upload.entityId, 'write');
    const [inserted] = await tx
      .insert(attachments)
      .values({
        entity: upload.entity,
        entityId: upload.entityId,
        fileName,
        contentType,
        size: received.size,
        sha256: received.sha256,
        uploadedBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'attachment_upload',
      entity: upload.entity,
      entityId: upload.entityId,
      after: auditFacts(inserted!),
    });
    return inserted!;
  });
  return getAttachment(db, row.id);
}

async function getAttachment(db: Db, id: string) {
  const [row] = await db
    .select(presentColumns)
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedBy))
    .where(eq(attachments.id, id));
  if (!row) throw notFound();
  return present(row);
}

async function findLive(db: Db, id: string): Promise<AttachmentRow> {
  const [row] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), isNull(attachments.deletedAt)));
  if (!row) throw notFound();
  return row;
}

/**
 * Opens an attachment for download if the actor may see its record; each download is audited,
 * since who took a copy of a customer's documents matters.
 */
export async function downloadAttachment(db: Db, store: FileStore, ctx: Ctx, id: string) {
  const row = await findLive(db, id);
  await authorize(db, ctx, row.entity, row.entityId, 'read');
  const file = await store.open(row.sha256);
  if (!file) throw new AppError('file_content_missing');
  try {
    await withTx(db, (tx) =>
      recordAudit(tx, ctx, {
        action: 'attachment_download',
        entity: row.entity,
        entityId: row.entityId,
        after: { attachmentId: row.id, fileName: row.fileName },
      }),
    );
  } catch (err) {
    file.stream.destroy();
    throw err;
  }
  return { attachment: row, stream: file.stream, size: file.size };
}

/** Removes an attachment from its record; the row and the bytes stay, for the audit trail. */
export async function deleteAttachment(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const row = await findLive(tx, id);
    await authorize(tx, ctx, row.entity, row.entityId, 'write');
    const [after] = await tx
      .update(attachments)
      .set({ deletedAt: sql`now()`, deletedBy: ctx.actor?.userId ?? null })
      .where(and(eq(attachments.id, id), isNull(attachments.deletedAt)))
      .returning();
    if (!after) throw notFound();
    await recordAudit(tx, ctx, {
      action: 'attachment_delete',
      entity: row.entity,
      entityId: row.entityId,
      before: auditFacts(row),
      after: null,
    });
  });
}

/** RFC 6266 / 5987 Content-Disposition: an ASCII fallback plus the exact UTF-8 name (Chinese names). */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment') {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
