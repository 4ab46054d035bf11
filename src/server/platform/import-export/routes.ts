import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  exportFormat,
  exportQuery,
  idParams,
  importDetail,
  importDryRunBody,
  importEntity,
  importError,
  importErrorsQuery,
  importListQuery,
  importMappingBody,
  importReportQuery,
  importRunBody,
  importSummary,
  importUploadQuery,
  page,
  problem,
} from '../../../contracts/index.js';
import { AppError } from '../errors.js';
import { responses } from '../http/responses.js';
import { allExporters } from './definitions.js';
import { attachmentHeader, exportList } from './export.js';
import {
  errorReport,
  getImport,
  importableEntities,
  listImportErrors,
  listImports,
  setMapping,
  startDryRun,
  startRun,
  uploadImport,
} from './import.service.js';

const fileResponses = {
  200: z.string().meta({ description: 'The spreadsheet (xlsx, or CSV in UTF-8 with BOM)' }),
  '4xx': problem,
  '5xx': problem,
};

/**
 * Spreadsheet import (upload → mapping → dry run → run in the background) and the export of
 * every registered list view at `<list path>/export`.
 */
export const importExportRoutes: FastifyPluginAsyncZod = async (app) => {
  const maxBytes = app.config.imports.maxBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } });

  app.get(
    '/imports/entities',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'What I may import, with each entity’s fields',
        response: responses(z.object({ items: z.array(importEntity) })),
      },
    },
    async (request) => ({ items: importableEntities(request.ctx) }),
  );

  app.post(
    '/imports',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'Upload an .xlsx or CSV file (multipart, part "file") to import into an entity',
        description:
          'Reads the file once: header row, row count, a sample and a proposed column mapping. ' +
          'Needs the entity’s create (or update) permission.',
        querystring: importUploadQuery,
        consumes: ['multipart/form-data'],
        response: responses(importDetail, 201),
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('file_required');
      let part: Awaited<ReturnType<typeof request.file>>;
      let content: Buffer;
      try {
        part = await request.file();
        if (!part) throw new AppError('file_required');
        content = await part.toBuffer();
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('import_file_too_large', {
            limitMb: Math.round((maxBytes / 1024 / 1024) * 10) / 10,
          });
        throw new AppError('bad_request');
      }
      const detail = await uploadImport(
        app.db,
        request.ctx,
        { entity: request.query.entity, fileName: part.filename || 'upload', content },
        { maxRows: app.config.imports.maxRows },
      );
      reply.code(201);
      return detail;
    },
  );

  app.get(
    '/imports',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'Import history: mine, or everyone’s with imports.read',
        querystring: importListQuery,
        response: responses(page(importSummary)),
      },
    },
    async (request) => listImports(app.db, request.ctx, request.query),
  );

  app.get(
    '/imports/:id',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'One import with its mapping and progress (poll while it runs)',
        params: idParams,
        response: responses(importDetail),
      },
    },
    async (request) => getImport(app.db, request.ctx, request.params.id),
  );

  app.put(
    '/imports/:id/mapping',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'Choose which column feeds which field (null = ignore the column)',
        params: idParams,
        body: importMappingBody,
        response: responses(importDetail),
      },
    },
    async (request) => setMapping(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/imports/:id/dry-run',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'Check every row exactly as the import would, writing nothing (background)',
        params: idParams,
        body: importDryRunBody,
        response: responses(importDetail),
      },
    },
    async (request) => startDryRun(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/imports/:id/run',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'Import in the background: all or nothing, or the valid rows in batches',
        params: idParams,
        body: importRunBody,
        response: responses(importDetail),
      },
    },
    async (request) => startRun(app.db, request.ctx, request.params.id, request.body),
  );

  app.get(
    '/imports/:id/errors',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'The row errors of a dry run or an import, in row order',
        params: idParams,
        querystring: importErrorsQuery,
        response: responses(page(importError)),
      },
    },
    async (request) => listImportErrors(app.db, request.ctx, request.params.id, request.query),
  );

  app.get(
    '/imports/:id/report',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['imports'],
        summary: 'Download the row errors as a spreadsheet',
        params: idParams,
        querystring: importReportQuery.extend({ format: exportFormat.default('xlsx') }),
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
        response: fileResponses,
      },
    },
    async (request, reply) => {
      const file = await errorReport(
        app.db,
        request.ctx,
        request.params.id,
        request.query.phase,
        request.query.format,
      );
      return reply
        .type(file.contentType)
        .header('content-disposition', attachmentHeader(file.fileName))
        .send(file.stream as never);
    },
  );

  for (const def of allExporters()) {
    app.get(
      `${def.path}/export`,
      {
        config: { permission: def.permission },
        schema: {
          tags: ['exports'],
          summary: `Export ${def.label.en.toLowerCase()} with the list's filters (xlsx or CSV)`,
          querystring: def.query.extend(exportQuery.shape),
          produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
          response: fileResponses,
        },
      },
      async (request, reply) => {
        const query = request.query as Record<string, unknown> & { format: 'xlsx' | 'csv' };
        const file = await exportList(app.db, request.ctx, def.entity, query);
        return reply
          .type(file.contentType)
          .header('content-disposition', attachmentHeader(file.fileName))
          .send(file.stream as never);
      },
    );
  }
};
