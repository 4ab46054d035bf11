import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  forecastCommit,
  forecastCommitAdjust,
  forecastCommitList,
  forecastCommitSubmit,
  forecastCommitsQuery,
  forecastMonthParams,
  forecastVsTarget,
  forecastVsTargetQuery,
  history,
  idParams,
} from '../../../../contracts/index.js';
import { responses } from '../../../platform/http/responses.js';
import { adjustCommit, commitHistory, getCommit, listCommits, submitCommit } from './commits.service.js';
import { forecastVsTarget as readForecastVsTarget } from './vs-target.service.js';

const tags = ['strategy'];

/** Forecast commits (rep commit, manager adjustment) and the forecast against target. */
export const forecastCommitsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/forecast-commits',
    {
      config: { permission: 'forecast-commits.read' },
      schema: {
        tags,
        summary: "A month's commits I can see (mine or my team's), with their totals",
        querystring: forecastCommitsQuery,
        response: responses(forecastCommitList),
      },
    },
    async (request) => listCommits(app.db, request.ctx, request.query),
  );

  app.put(
    '/forecast-commits/mine/:month',
    {
      config: { permission: 'forecast-commits.submit' },
      schema: {
        tags,
        summary: 'Submit or revise my commit and best case for a month that has not ended',
        params: forecastMonthParams,
        body: forecastCommitSubmit,
        response: responses(forecastCommit),
      },
    },
    async (request) => submitCommit(app.db, request.ctx, request.params.month, request.body),
  );

  app.get(
    '/forecast-commits/:id',
    {
      config: { permission: 'forecast-commits.read' },
      schema: { tags, summary: 'One commit', params: idParams, response: responses(forecastCommit) },
    },
    async (request) => getCommit(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/forecast-commits/:id/adjust',
    {
      config: { permission: 'forecast-commits.adjust' },
      schema: {
        tags,
        summary: "A manager's adjustment: override a rep's commit with a reason (audited)",
        params: idParams,
        body: forecastCommitAdjust,
        response: responses(forecastCommit),
      },
    },
    async (request) => adjustCommit(app.db, request.ctx, request.params.id, request.body),
  );

  app.get(
    '/forecast-commits/:id/history',
    {
      config: { permission: 'forecast-commits.read' },
      schema: {
        tags,
        summary: "A commit's history: every submission and adjustment",
        params: idParams,
        response: responses(history),
      },
    },
    async (request) => commitHistory(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/forecast/vs-target',
    {
      config: { permission: 'forecast-commits.read' },
      schema: {
        tags,
        summary:
          'Per month: target, actual, weighted pipeline, commit, statistical baseline and pipeline coverage',
        querystring: forecastVsTargetQuery,
        response: responses(forecastVsTarget),
      },
    },
    async (request) => readForecastVsTarget(app.db, request.ctx, request.query),
  );
};
