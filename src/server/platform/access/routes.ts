import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, ok, permissionCatalog, role, roleCreate, roleUpdate } from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import {
  permissionCatalog as catalog,
  createRole,
  deleteRole,
  getRoleView,
  listRoles,
  updateRole,
} from './roles.service.js';

export const accessRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/permissions',
    {
      config: { permission: 'roles.read' },
      schema: {
        tags: ['access'],
        summary: 'Every permission, grouped by resource',
        response: responses(permissionCatalog),
      },
    },
    async () => catalog(),
  );

  app.get(
    '/roles',
    {
      config: { permission: 'roles.read' },
      schema: {
        tags: ['access'],
        summary: 'Roles with their permissions and data scopes',
        response: responses(z.object({ items: z.array(role) })),
      },
    },
    async () => ({ items: await listRoles(app.db) }),
  );

  app.get(
    '/roles/:id',
    {
      config: { permission: 'roles.read' },
      schema: { tags: ['access'], summary: 'One role', params: idParams, response: responses(role) },
    },
    async (request) => getRoleView(app.db, request.params.id),
  );

  app.post(
    '/roles',
    {
      config: { permission: 'roles.manage' },
      schema: {
        tags: ['access'],
        summary: 'Create a role',
        body: roleCreate,
        response: responses(role, 201),
      },
    },
    async (request, reply) => {
      const created = await createRole(app.db, request.ctx, request.body);
      reply.code(201);
      return getRoleView(app.db, created.id);
    },
  );

  app.patch(
    '/roles/:id',
    {
      config: { permission: 'roles.manage' },
      schema: {
        tags: ['access'],
        summary: 'Change a role',
        params: idParams,
        body: roleUpdate,
        response: responses(role),
      },
    },
    async (request) => {
      await updateRole(app.db, request.ctx, request.params.id, request.body);
      return getRoleView(app.db, request.params.id);
    },
  );

  app.delete(
    '/roles/:id',
    {
      config: { permission: 'roles.manage' },
      schema: {
        tags: ['access'],
        summary: 'Delete an unused custom role',
        params: idParams,
        response: responses(ok),
      },
    },
    async (request) => {
      await deleteRole(app.db, request.ctx, request.params.id);
      return { ok: true as const };
    },
  );
};
