import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  idParams,
  ok,
  savedView,
  savedViewCreate,
  savedViewDefault,
  savedViewList,
  savedViewListQuery,
  savedViewUpdate,
} from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import { createView, deleteView, getView, listViews, setDefaultView, updateView } from './views.service.js';

const tags = ['views'];

/**
 * Saved views of lists. Every signed-in user keeps their own ('self'); the service checks that
 * the list is readable, `views.share` to share, and authorship (or `views.manage`) to change.
 */
export const viewsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/views',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'My views and the shared views of a list, with my default',
        querystring: savedViewListQuery,
        response: responses(savedViewList),
      },
    },
    async (request) => listViews(app.db, request.ctx, request.query.listKey),
  );

  app.get(
    '/views/:id',
    {
      config: { permission: 'self' },
      schema: { tags, summary: 'One saved view', params: idParams, response: responses(savedView) },
    },
    async (request) => getView(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/views',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: "Save a list's filters, sort and columns under a name (shared needs views.share)",
        body: savedViewCreate,
        response: responses(savedView, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return createView(app.db, request.ctx, request.body);
    },
  );

  app.patch(
    '/views/:id',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'Rename a view, change its filters or share it',
        params: idParams,
        body: savedViewUpdate,
        response: responses(savedView),
      },
    },
    async (request) => updateView(app.db, request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/views/:id',
    {
      config: { permission: 'self' },
      schema: { tags, summary: 'Delete a view', params: idParams, response: responses(ok) },
    },
    async (request) => {
      await deleteView(app.db, request.ctx, request.params.id);
      return { ok: true as const };
    },
  );

  app.put(
    '/views/default',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'Make a view (or none) my default for its list',
        body: savedViewDefault,
        response: responses(savedViewList),
      },
    },
    async (request) => setDefaultView(app.db, request.ctx, request.body),
  );
};
