import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../../../contracts/common.js';
import {
  attachment,
  attachmentList,
  attachmentListQuery,
  attachmentRecord,
  idParams,
  ok,
} from '../../../contracts/index.js';
import { AppError } from '../errors.js';
import { responses } from '../http/responses.js';
import {
  contentDisposition,
  deleteAttachment,
  downloadAttachment,
  formatBytes,
  listAttachments,
  uploadAttachment,
} from './files.service.js';
import { FileStore } from './storage.js';

/** Room for the multipart boundaries and headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  const limits = { maxBytes: app.config.files.maxBytes };
  const store = new FileStore(app.config.files.dir);
  await store.sweepTemp();

  // Only this plugin parses multipart bodies; the rest of the API stays JSON-only.
  await app.register(multipart, {
    // One byte over the limit is enough for the service to refuse; busboy stops reading there.
    limits: { files: 1, fileSize: limits.maxBytes + 1, fields: 10, parts: 20, headerPairs: 100 },
    throwFileSizeLimit: false,
  });

  app.get(
    '/attachments',
    {
      config: { permission: 'attachments.read' },
      schema: {
        tags: ['attachments'],
        summary: "A record's attachments, newest first",
        querystring: attachmentListQuery,
        response: responses(attachmentList),
      },
    },
    async (request) => listAttachments(app.db, request.ctx, request.query, limits),
  );

  app.post(
    '/attachments',
    {
      config: { permission: 'attachments.write' },
      schema: {
        tags: ['attachments'],
        summary: 'Attach a file to a record (multipart/form-data, one part named "file")',
        description:
          'The file is checked while it streams in: at most the configured size (413), and a type on the ' +
          'allow-list whose content agrees with its extension and declared type (415). Identical bytes are ' +
          'stored once.',
        consumes: ['multipart/form-data'],
        querystring: attachmentRecord,
        response: responses(attachment, 201),
      },
    },
    async (request, reply) => {
      // A body announced bigger than the limit is refused before it is read.
      const declaredLength = Number(request.headers['content-length'] ?? 0);
      if (declaredLength > limits.maxBytes + MULTIPART_OVERHEAD)
        throw new AppError('file_too_large', { limit: formatBytes(limits.maxBytes) });
      if (!request.isMultipart()) throw new AppError('file_required');
      const part = await request.file();
      if (part?.fieldname !== 'file') throw new AppError('file_required');
      const created = await uploadAttachment(
        app.db,
        store,
        request.ctx,
        {
          entity: request.query.entity,
          entityId: request.query.entityId,
          fileName: part.filename,
          declaredType: part.mimetype,
          content: part.file,
        },
        limits,
      );
      reply.code(201);
      return created;
    },
  );

  app.get(
    '/attachments/:id/content',
    {
      config: { permission: 'attachments.read' },
      schema: {
        tags: ['attachments'],
        summary: "Download an attachment's file (audited)",
        params: idParams,
        response: {
          // Bytes, not JSON: Fastify streams them without the serializer.
          200: z.unknown().meta({ description: 'The file, with its stored content type', format: 'binary' }),
          '4xx': problem,
          '5xx': problem,
        },
      },
    },
    async (request, reply) => {
      const file = await downloadAttachment(app.db, store, request.ctx, request.params.id);
      return reply
        .header('content-type', file.attachment.contentType)
        .header('content-length', file.size)
        .header('content-disposition', contentDisposition(file.attachment.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.stream);
    },
  );

  app.delete(
    '/attachments/:id',
    {
      config: { permission: 'attachments.write' },
      schema: {
        tags: ['attachments'],
        summary: 'Remove an attachment from its record (kept in the audit log)',
        params: idParams,
        response: responses(ok),
      },
    },
    async (request) => {
      await deleteAttachment(app.db, request.ctx, request.params.id);
      return { ok: true as const };
    },
  );
};
