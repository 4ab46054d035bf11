import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  history,
  idParams,
  kanban,
  kanbanQuery,
  opportunity,
  opportunityCreate,
  opportunityDetail,
  opportunityListQuery,
  opportunityLose,
  opportunityMove,
  opportunityReopen,
  opportunityUpdate,
  opportunityWin,
  page,
  pipeline,
  pipelineCreate,
  pipelineUpdate,
  salesSettings,
  salesSettingsUpdate,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import './opportunities.conversion.js';
import './opportunities.jobs.js';
import {
  createOpportunity,
  getOpportunity,
  listOpportunities,
  loseOpportunity,
  moveOpportunity,
  opportunityHistory,
  opportunityKanban,
  reopenOpportunity,
  updateOpportunity,
  winOpportunity,
} from './opportunities.service.js';
import {
  createPipeline,
  getPipeline,
  getSalesSettings,
  listPipelines,
  presentSalesSettings,
  updatePipeline,
  updateSalesSettings,
} from './pipelines.service.js';

const tags = ['sales'];

/** Pipelines and their stages, the sales settings, and opportunities with their stage moves. */
export const opportunitiesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/pipelines',
    {
      config: { permission: 'pipelines.read' },
      schema: {
        tags,
        summary: 'Pipelines with their ordered stages (the default one is created on first use)',
        querystring: z.object({ archived: z.stringbool().optional() }).strict(),
        response: responses(z.object({ items: z.array(pipeline) })),
      },
    },
    async (request) => ({ items: await listPipelines(app.db, request.ctx, request.query.archived ?? false) }),
  );

  app.get(
    '/pipelines/:id',
    {
      config: { permission: 'pipelines.read' },
      schema: { tags, summary: 'One pipeline', params: idParams, response: responses(pipeline) },
    },
    async (request) => getPipeline(app.db, request.params.id),
  );

  app.post(
    '/pipelines',
    {
      config: { permission: 'pipelines.manage' },
      schema: {
        tags,
        summary: 'Create a pipeline (one won and one lost stage)',
        body: pipelineCreate,
        response: responses(pipeline, 201),
      },
    },
    async (request, reply) => {
      const id = await createPipeline(app.db, request.ctx, request.body);
      reply.code(201);
      return getPipeline(app.db, id);
    },
  );

  app.patch(
    '/pipelines/:id',
    {
      config: { permission: 'pipelines.manage' },
      schema: {
        tags,
        summary: 'Rename, archive, make default, or edit the stages of a pipeline',
        params: idParams,
        body: pipelineUpdate,
        response: responses(pipeline),
      },
    },
    async (request) => {
      await updatePipeline(app.db, request.ctx, request.params.id, request.body);
      return getPipeline(app.db, request.params.id);
    },
  );

  app.get(
    '/sales-settings',
    {
      config: { permission: 'pipelines.read' },
      schema: { tags, summary: 'Loss reasons and stall days', response: responses(salesSettings) },
    },
    async () => presentSalesSettings(await getSalesSettings(app.db)),
  );

  app.patch(
    '/sales-settings',
    {
      config: { permission: 'pipelines.manage' },
      schema: {
        tags,
        summary: 'Change the loss reasons or the days without activity before a stall alert',
        body: salesSettingsUpdate,
        response: responses(salesSettings),
      },
    },
    async (request) => updateSalesSettings(app.db, request.ctx, request.body),
  );

  app.get(
    '/opportunities',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary: 'Opportunities I can see: by pipeline, stage, owner, mine/team, status, close dates, search',
        querystring: opportunityListQuery,
        response: responses(page(opportunity)),
      },
    },
    async (request) => listOpportunities(app.db, request.ctx, request.query),
  );

  app.get(
    '/opportunities/kanban',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary: 'The board of a pipeline: per stage the count, the amounts and the latest cards',
        querystring: kanbanQuery,
        response: responses(kanban),
      },
    },
    async (request) => opportunityKanban(app.db, request.ctx, request.query),
  );

  app.get(
    '/opportunities/:id',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary: 'One opportunity with competitors, stage history and ticked checklist items',
        params: idParams,
        response: responses(opportunityDetail),
      },
    },
    async (request) => getOpportunity(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/opportunities/:id/history',
    {
      config: { permission: 'opportunities.read' },
      schema: { tags, summary: "An opportunity's history", params: idParams, response: responses(history) },
    },
    async (request) => opportunityHistory(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/opportunities',
    {
      config: { permission: 'opportunities.create' },
      schema: {
        tags,
        summary: 'Open an opportunity for a customer I can see',
        body: opportunityCreate,
        response: responses(opportunityDetail, 201),
      },
    },
    async (request, reply) => {
      const id = await createOpportunity(app.db, request.ctx, request.body);
      reply.code(201);
      return getOpportunity(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/opportunities/:id',
    {
      config: { permission: 'opportunities.update' },
      schema: {
        tags,
        summary: 'Change an opportunity (amount, dates, probability, forecast, competitors…)',
        params: idParams,
        body: opportunityUpdate,
        response: responses(opportunityDetail),
      },
    },
    async (request) => {
      await updateOpportunity(app.db, request.ctx, request.params.id, request.body);
      return getOpportunity(app.db, request.ctx, request.params.id);
    },
  );

  const actions = [
    [
      'move',
      'opportunities.update',
      opportunityMove,
      'Move to another stage (exit checklist and required fields enforced)',
      moveOpportunity,
    ],
    [
      'win',
      'opportunities.update',
      opportunityWin,
      'Mark won (exit checks of the current stage apply)',
      winOpportunity,
    ],
    [
      'lose',
      'opportunities.update',
      opportunityLose,
      'Mark lost with a reason from the list',
      loseOpportunity,
    ],
    [
      'reopen',
      'opportunities.assign',
      opportunityReopen,
      'Reopen a won or lost opportunity (managers)',
      reopenOpportunity,
    ],
  ] as const;
  for (const [action, permission, body, summary, run] of actions) {
    app.post(
      `/opportunities/:id/${action}`,
      {
        config: { permission },
        schema: { tags, summary, params: idParams, body, response: responses(opportunityDetail) },
      },
      async (request) => {
        // Each action's body was validated against its own schema above.
        await (
          run as (db: typeof app.db, ctx: typeof request.ctx, id: string, input: never) => Promise<string>
        )(app.db, request.ctx, request.params.id, request.body as never);
        return getOpportunity(app.db, request.ctx, request.params.id);
      },
    );
  }
};
