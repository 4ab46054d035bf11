import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  idParams,
  pipelinePlaybooks,
  stageIdParams,
  stagePlaybook,
  stagePlaybookUpdate,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import { getStagePlaybook, listPipelinePlaybooks, updateStagePlaybook } from './playbooks.service.js';

const tags = ['sales'];

/** Playbooks (销售指南): guidance, talk tracks and document templates per pipeline stage. */
export const playbooksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/pipelines/:id/playbooks',
    {
      config: { permission: 'pipelines.read' },
      schema: {
        tags,
        summary: "Every stage's playbook of a pipeline, in stage order",
        params: idParams,
        response: responses(pipelinePlaybooks),
      },
    },
    async (request) => listPipelinePlaybooks(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/pipeline-stages/:stageId/playbook',
    {
      config: { permission: 'pipelines.read' },
      schema: {
        tags,
        summary: "A stage's playbook with the stage's exit checklist",
        params: stageIdParams,
        response: responses(stagePlaybook),
      },
    },
    async (request) => getStagePlaybook(app.db, request.ctx, request.params.stageId),
  );

  app.put(
    '/pipeline-stages/:stageId/playbook',
    {
      config: { permission: 'pipelines.manage' },
      schema: {
        tags,
        summary: "Rewrite a stage's playbook (guidance, talk tracks in order, recommended items)",
        params: stageIdParams,
        body: stagePlaybookUpdate,
        response: responses(stagePlaybook),
      },
    },
    async (request) => updateStagePlaybook(app.db, request.ctx, request.params.stageId, request.body),
  );
};
