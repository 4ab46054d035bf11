import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  customField,
  customFieldCreate,
  customFieldListQuery,
  customFieldUpdate,
  idParams,
} from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import { createCustomField, listCustomFields, updateCustomField } from './custom-fields.js';

export const customFieldRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/custom-fields',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['custom-fields'],
        summary: 'Custom fields of record types (active ones unless includeArchived)',
        querystring: customFieldListQuery,
        response: responses(z.object({ items: z.array(customField) })),
      },
    },
    async (request) => listCustomFields(app.db, request.query),
  );

  app.post(
    '/custom-fields',
    {
      config: { permission: 'custom-fields.manage' },
      schema: {
        tags: ['custom-fields'],
        summary: 'Add a custom field to a record type',
        body: customFieldCreate,
        response: responses(customField, 201),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCustomField(app.db, request.ctx, request.body)),
  );

  app.patch(
    '/custom-fields/:id',
    {
      config: { permission: 'custom-fields.manage' },
      schema: {
        tags: ['custom-fields'],
        summary: 'Change a custom field’s labels, options, order, required flag; archive or restore it',
        params: idParams,
        body: customFieldUpdate,
        response: responses(customField),
      },
    },
    async (request) => updateCustomField(app.db, request.ctx, request.params.id, request.body),
  );
};
