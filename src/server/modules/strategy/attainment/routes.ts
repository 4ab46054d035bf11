import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  attainmentThresholds,
  attainmentThresholdsUpdate,
  idParams,
  nodeAttainment,
  planAttainment,
  planAttainmentQuery,
} from '../../../../contracts/index.js';
import { responses } from '../../../platform/http/responses.js';
import {
  getThresholds,
  nodeAttainment as readNode,
  planAttainment as readPlan,
  updateThresholds,
} from './attainment.service.js';

const tags = ['strategy'];

/** Live attainment of targets: actual, %, gap, run-rate, required daily rate, traffic light. */
export const attainmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/target-nodes/:id/attainment',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: 'Attainment of one target',
        params: idParams,
        response: responses(nodeAttainment),
      },
    },
    async (request) => readNode(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/target-plans/:id/attainment',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: 'Attainment of the targets of a plan I can see (a node and its children with parentId)',
        params: idParams,
        querystring: planAttainmentQuery,
        response: responses(planAttainment),
      },
    },
    async (request) => readPlan(app.db, request.ctx, request.params.id, request.query.parentId),
  );

  app.get(
    '/attainment/settings',
    {
      config: { permission: 'targets.read' },
      schema: { tags, summary: 'Traffic-light thresholds', response: responses(attainmentThresholds) },
    },
    async () => getThresholds(app.db),
  );

  app.put(
    '/attainment/settings',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary: 'Set the traffic-light thresholds (percent of the time-elapsed pace)',
        body: attainmentThresholdsUpdate,
        response: responses(attainmentThresholds),
      },
    },
    async (request) => updateThresholds(app.db, request.ctx, request.body),
  );
};
