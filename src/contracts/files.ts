import { z } from 'zod';
import { id, isoDateTime, listQuery, page } from './common.js';

/** The record type a file is attached to, as named in the audit log: 'user', 'org_unit', … */
export const attachmentEntity = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, { message: 'format' });

/** The record whose attachments are meant (query string of list and upload). */
export const attachmentRecord = z.object({ entity: attachmentEntity, entityId: id }).strict();

export const attachmentListQuery = listQuery
  .pick({ limit: true, cursor: true })
  .extend({ entity: attachmentEntity, entityId: id })
  .strict();

export const attachment = z
  .object({
    id,
    entity: z.string(),
    entityId: id,
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    uploadedBy: id.nullable(),
    uploadedByName: z.string().nullable(),
    uploadedAt: isoDateTime,
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachment>;

/** A record's attachments, newest first, with what the caller may do and what an upload may be. */
export const attachmentList = page(attachment).extend({
  canWrite: z.boolean(),
  maxBytes: z.number().int(),
  allowedExtensions: z.array(z.string()),
});
export type AttachmentList = z.infer<typeof attachmentList>;
