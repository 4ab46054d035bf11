import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  history,
  idParams,
  page,
  problem,
  targetAgreement,
  targetAgreementListQuery,
  targetAgreementReject,
  targetAllocate,
  targetAllocation,
  targetChangeCreate,
  targetChangeList,
  targetChangeRequest,
  targetNode,
  targetNodeUpdate,
  targetPeriodSet,
  targetPlan,
  targetPlanCreate,
  targetPlanDetail,
  targetPlanListQuery,
  targetPlanUpdate,
  targetPublish,
  targetPublishResult,
  targetRollUp,
} from '../../../../contracts/index.js';
import { responses } from '../../../platform/http/responses.js';
import '../index.js';
import { sendPdf } from '../../../platform/pdf/index.js';
import {
  agreementHistory,
  decideAgreement,
  getAgreement,
  listAgreements,
  renderAgreementPdf,
} from './agreements.service.js';
import { listChanges, requestChange } from './changes.service.js';
import {
  allocateNode,
  archivePlan,
  createPlan,
  getNode,
  getPlan,
  listPlans,
  nodeHistory,
  planHistory,
  publishNode,
  renamePlan,
  rollUpNode,
  setPeriodTarget,
  updateNode,
} from './targets.service.js';

const tags = ['targets'];

/** Target plans, their allocation tree, target agreements and changes after sign-off. */
export const targetsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/target-plans',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: 'Target plans with at least one target I can see',
        querystring: targetPlanListQuery,
        response: responses(page(targetPlan)),
      },
    },
    async (request) => listPlans(app.db, request.ctx, request.query),
  );

  app.post(
    '/target-plans',
    {
      config: { permission: 'targets.create' },
      schema: {
        tags,
        summary: "Set the company's annual target for a metric: a new plan",
        body: targetPlanCreate,
        response: responses(targetPlanDetail, 201),
      },
    },
    async (request, reply) => reply.code(201).send(await createPlan(app.db, request.ctx, request.body)),
  );

  app.get(
    '/target-plans/:id',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: 'A plan with every target I can see, parents before children',
        params: idParams,
        response: responses(targetPlanDetail),
      },
    },
    async (request) => getPlan(app.db, request.ctx, request.params.id),
  );

  app.patch(
    '/target-plans/:id',
    {
      config: { permission: 'targets.create' },
      schema: {
        tags,
        summary: 'Rename a plan',
        params: idParams,
        body: targetPlanUpdate,
        response: responses(targetPlanDetail),
      },
    },
    async (request) => renamePlan(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/target-plans/:id/archive',
    {
      config: { permission: 'targets.create' },
      schema: {
        tags,
        summary: 'Archive a plan: it leaves the default list and can no longer be allocated',
        params: idParams,
        body: targetPublish,
        response: responses(targetPlanDetail),
      },
    },
    async (request) => archivePlan(app.db, request.ctx, request.params.id, request.body),
  );

  app.get(
    '/target-plans/:id/history',
    {
      config: { permission: 'targets.read' },
      schema: { tags, summary: "A plan's history", params: idParams, response: responses(history) },
    },
    async (request) => planHistory(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/target-nodes/:id',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: 'One target of the allocation tree',
        params: idParams,
        response: responses(targetNode),
      },
    },
    async (request) => getNode(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/target-nodes/:id/history',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: "A target's history: every amount it had, who changed it",
        params: idParams,
        response: responses(history),
      },
    },
    async (request) => nodeHistory(app.db, request.ctx, request.params.id),
  );

  app.patch(
    '/target-nodes/:id',
    {
      config: { permission: 'targets.allocate' },
      schema: {
        tags,
        summary: "Change a target's amount (drafts; a signed target needs a change request)",
        params: idParams,
        body: targetNodeUpdate,
        response: responses(targetNode),
      },
    },
    async (request) => updateNode(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/target-nodes/:id/allocate',
    {
      config: { permission: 'targets.allocate' },
      schema: {
        tags,
        summary:
          'Split a target to units, reps, product categories, customers or periods: evenly, by last year’s seasonality or by weights',
        params: idParams,
        body: targetAllocate,
        response: responses(targetAllocation),
      },
    },
    async (request) => allocateNode(app.db, request.ctx, request.params.id, request.body),
  );

  app.put(
    '/target-nodes/:id/periods',
    {
      config: { permission: 'targets.allocate' },
      schema: {
        tags,
        summary: 'Set the target of one period below a target (a week or a day on demand)',
        params: idParams,
        body: targetPeriodSet,
        response: responses(targetNode),
      },
    },
    async (request) => setPeriodTarget(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/target-nodes/:id/roll-up',
    {
      config: { permission: 'targets.allocate' },
      schema: {
        tags,
        summary: 'Bottom-up: a draft target becomes the sum of its children',
        params: idParams,
        body: targetRollUp,
        response: responses(targetNode),
      },
    },
    async (request) => rollUpNode(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/target-nodes/:id/publish',
    {
      config: { permission: 'targets.allocate' },
      schema: {
        tags,
        summary: 'Publish the children of a target (they must sum to it) and send their agreements',
        params: idParams,
        body: targetPublish,
        response: responses(targetPublishResult),
      },
    },
    async (request) => publishNode(app.db, request.ctx, request.params.id, request.body),
  );

  app.get(
    '/target-nodes/:id/change-requests',
    {
      config: { permission: 'targets.read' },
      schema: {
        tags,
        summary: 'Change requests of a published level',
        params: idParams,
        response: responses(targetChangeList),
      },
    },
    async (request) => listChanges(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/target-nodes/:id/change-requests',
    {
      config: { permission: 'targets.allocate' },
      schema: {
        tags,
        summary: 'Request new amounts for published children of a target; applied once approved',
        params: idParams,
        body: targetChangeCreate,
        response: responses(targetChangeRequest, 201),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await requestChange(app.db, request.ctx, request.params.id, request.body)),
  );

  app.get(
    '/target-agreements',
    {
      config: { permission: 'target-agreements.read' },
      schema: {
        tags,
        summary: 'Target agreements I can see: mine, or my team’s with their status',
        querystring: targetAgreementListQuery,
        response: responses(page(targetAgreement)),
      },
    },
    async (request) => listAgreements(app.db, request.ctx, request.query),
  );

  app.get(
    '/target-agreements/:id',
    {
      config: { permission: 'target-agreements.read' },
      schema: {
        tags,
        summary: 'One target agreement',
        params: idParams,
        response: responses(targetAgreement),
      },
    },
    async (request) => getAgreement(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/target-agreements/:id/history',
    {
      config: { permission: 'target-agreements.read' },
      schema: { tags, summary: "An agreement's history", params: idParams, response: responses(history) },
    },
    async (request) => agreementHistory(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/target-agreements/:id/pdf',
    {
      config: { permission: 'target-agreements.read' },
      schema: {
        tags,
        summary: 'The printable target agreement (PDF) in Chinese or English',
        params: idParams,
        querystring: z.object({ locale: z.enum(['zh-CN', 'en']).default('zh-CN') }).strict(),
        response: {
          200: z.unknown().meta({ description: 'The agreement as application/pdf', format: 'binary' }),
          '4xx': problem,
          '5xx': problem,
        },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await renderAgreementPdf(
        app.db,
        request.ctx,
        request.params.id,
        request.query.locale,
      );
      return sendPdf(reply, pdf, fileName);
    },
  );

  app.post(
    '/target-agreements/:id/sign',
    {
      config: { permission: 'target-agreements.sign' },
      schema: {
        tags,
        summary: 'Sign my target agreement',
        params: idParams,
        body: z.object({}).strict().optional(),
        response: responses(targetAgreement),
      },
    },
    async (request) => decideAgreement(app.db, request.ctx, request.params.id, 'sign'),
  );

  app.post(
    '/target-agreements/:id/reject',
    {
      config: { permission: 'target-agreements.sign' },
      schema: {
        tags,
        summary: 'Reject my target agreement, saying why',
        params: idParams,
        body: targetAgreementReject,
        response: responses(targetAgreement),
      },
    },
    async (request) => decideAgreement(app.db, request.ctx, request.params.id, 'reject', request.body),
  );
};
