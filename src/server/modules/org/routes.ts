import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  division,
  divisionQuery,
  history,
  idParams,
  ok,
  orgUnit,
  orgUnitCreate,
  orgUnitUpdate,
  page,
  passwordReset,
  territoriesBody,
  user,
  userCreate,
  userListQuery,
  userUpdate,
} from '../../../contracts/index.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import { responses } from '../../platform/http/responses.js';
import { listDivisions } from './divisions.js';
import {
  archiveOrgUnit,
  createOrgUnit,
  getOrgUnit,
  listOrgUnits,
  setTerritories,
  updateOrgUnit,
} from './org-units.service.js';
import { createUser, getUser, listUsers, resetPassword, setUserStatus, updateUser } from './users.service.js';

const territories = z.object({ codes: z.array(z.string()) });

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/divisions',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['org'],
        summary: 'China administrative divisions (GB/T 2260): provinces, or the children of one',
        querystring: divisionQuery,
        response: responses(z.object({ items: z.array(division) })),
      },
    },
    async (request) => ({ items: listDivisions(request.query.parent) }),
  );

  // Org units

  app.get(
    '/org-units',
    {
      config: { permission: 'org.read' },
      schema: {
        tags: ['org'],
        summary: 'The org tree as a flat list in tree order',
        querystring: z.object({ includeArchived: z.stringbool().optional() }).strict(),
        response: responses(z.object({ items: z.array(orgUnit) })),
      },
    },
    async (request) => ({
      items: await listOrgUnits(app.db, { includeArchived: request.query.includeArchived ?? false }),
    }),
  );

  app.get(
    '/org-units/:id',
    {
      config: { permission: 'org.read' },
      schema: { tags: ['org'], summary: 'One org unit', params: idParams, response: responses(orgUnit) },
    },
    async (request) => getOrgUnit(app.db, request.params.id),
  );

  app.post(
    '/org-units',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: 'Create an org unit',
        body: orgUnitCreate,
        response: responses(orgUnit, 201),
      },
    },
    async (request, reply) => {
      const created = await createOrgUnit(app.db, request.ctx, request.body);
      reply.code(201);
      return getOrgUnit(app.db, created.id);
    },
  );

  app.patch(
    '/org-units/:id',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: 'Rename, move (with its subtree) or change the head of an org unit',
        params: idParams,
        body: orgUnitUpdate,
        response: responses(orgUnit),
      },
    },
    async (request) => {
      await updateOrgUnit(app.db, request.ctx, request.params.id, request.body);
      return getOrgUnit(app.db, request.params.id);
    },
  );

  app.post(
    '/org-units/:id/archive',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: 'Archive an empty org unit',
        params: idParams,
        response: responses(orgUnit),
      },
    },
    async (request) => {
      await archiveOrgUnit(app.db, request.ctx, request.params.id);
      return getOrgUnit(app.db, request.params.id);
    },
  );

  app.put(
    '/org-units/:id/territories',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: "Replace an org unit's territories (province/city codes)",
        params: idParams,
        body: territoriesBody,
        response: responses(territories),
      },
    },
    async (request) => {
      await getOrgUnit(app.db, request.params.id);
      return {
        codes: await setTerritories(
          app.db,
          request.ctx,
          { orgUnitId: request.params.id },
          request.body.codes,
        ),
      };
    },
  );

  app.get(
    '/org-units/:id/history',
    {
      config: { permission: 'org.read' },
      schema: {
        tags: ['org'],
        summary: "An org unit's history",
        params: idParams,
        response: responses(history),
      },
    },
    async (request) => {
      await getOrgUnit(app.db, request.params.id);
      return recordHistory(app.db, 'org_unit', request.params.id);
    },
  );

  // Users

  app.get(
    '/users',
    {
      config: { permission: 'users.read' },
      schema: {
        tags: ['org'],
        summary: 'Users within my data scope',
        querystring: userListQuery,
        response: responses(page(user)),
      },
    },
    async (request) => listUsers(app.db, request.ctx, request.query),
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'users.read' },
      schema: { tags: ['org'], summary: 'One user', params: idParams, response: responses(user) },
    },
    async (request) => getUser(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: { tags: ['org'], summary: 'Create a user', body: userCreate, response: responses(user, 201) },
    },
    async (request, reply) => {
      const created = await createUser(app.db, request.ctx, request.body);
      reply.code(201);
      return getUser(app.db, request.ctx, created.id);
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['org'],
        summary: 'Change a user',
        params: idParams,
        body: userUpdate,
        response: responses(user),
      },
    },
    async (request) => updateUser(app.db, request.ctx, request.params.id, request.body),
  );

  for (const [action, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    app.post(
      `/users/:id/${action}`,
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['org'],
          summary: action === 'disable' ? 'Disable a user (signs them out)' : 'Enable a user',
          params: idParams,
          response: responses(user),
        },
      },
      async (request) => setUserStatus(app.db, request.ctx, request.params.id, status),
    );
  }

  app.post(
    '/users/:id/reset-password',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['org'],
        summary: "Set a user's password; they must choose their own at next sign-in",
        params: idParams,
        body: passwordReset,
        response: responses(ok),
      },
    },
    async (request) => {
      await resetPassword(app.db, request.ctx, request.params.id, request.body.newPassword);
      return { ok: true as const };
    },
  );

  app.put(
    '/users/:id/territories',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['org'],
        summary: "Replace a user's territories",
        params: idParams,
        body: territoriesBody,
        response: responses(territories),
      },
    },
    async (request) => {
      await getUser(app.db, request.ctx, request.params.id);
      return {
        codes: await setTerritories(app.db, request.ctx, { userId: request.params.id }, request.body.codes),
      };
    },
  );

  app.get(
    '/users/:id/history',
    {
      config: { permission: 'users.read' },
      schema: { tags: ['org'], summary: "A user's history", params: idParams, response: responses(history) },
    },
    async (request) => {
      await getUser(app.db, request.ctx, request.params.id);
      return recordHistory(app.db, 'user', request.params.id);
    },
  );
};
