import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntry, auditQuery, history, idParams, page } from '../../../contracts/index.js';
import { getRoleView } from '../access/roles.service.js';
import { responses } from '../http/responses.js';
import { listAudit, recordHistory } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, filtered by who, what and when',
        querystring: auditQuery,
        response: responses(page(auditEntry)),
      },
    },
    async (request) => listAudit(app.db, request.query),
  );

  app.get(
    '/roles/:id/history',
    {
      config: { permission: 'roles.read' },
      schema: {
        tags: ['audit'],
        summary: "A role's history",
        params: idParams,
        response: responses(history),
      },
    },
    async (request) => {
      await getRoleView(app.db, request.params.id);
      return recordHistory(app.db, 'role', request.params.id);
    },
  );
};
