import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  drillDownPage,
  drillDownQuery,
  factsRefresh,
  factsRefreshQueued,
  factsStatus,
  measureQuery,
  measureResult,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import './index.js';
import { drillDown } from './facts/drill-down.js';
import { measure } from './facts/measure.js';
import { factsStatus as readStatus, requestRefresh } from './facts/refresh.js';

const tags = ['analytics'];

/** Sales facts: figures, the records behind a figure, the roll-up's freshness and "refresh now". */
export const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/analytics/facts/measure',
    {
      config: { permission: 'sales-facts.read' },
      schema: {
        tags,
        summary: 'A metric over a date range, grouped by period and dimensions, within my data scope',
        querystring: measureQuery,
        response: responses(measureResult),
      },
    },
    async (request) => {
      const { metric, from, to, groupBy, ...filter } = request.query;
      return measure(app.db, request.ctx, { metric, from, to, groupBy, filter });
    },
  );

  app.get(
    '/analytics/facts/records',
    {
      config: { permission: 'sales-facts.read' },
      schema: {
        tags,
        summary: 'The orders, shipments, payments, customers, visits or opportunities behind one figure',
        querystring: drillDownQuery,
        response: responses(drillDownPage),
      },
    },
    async (request) => {
      const { metric, from, to, cell, limit, cursor, ...filter } = request.query;
      return drillDown(app.db, request.ctx, {
        metric,
        from,
        to,
        filter,
        keys: cell as Record<string, string>,
        limit,
        cursor,
      });
    },
  );

  app.get(
    '/analytics/facts/status',
    {
      config: { permission: 'sales-facts.read' },
      schema: {
        tags,
        summary: 'When the figures were last brought up to date',
        response: responses(factsStatus),
      },
    },
    async () => readStatus(app.db),
  );

  app.post(
    '/analytics/facts/refresh',
    {
      config: { permission: 'sales-facts.refresh' },
      schema: {
        tags,
        summary: 'Refresh the figures now (queues the refresh job; `full` rebuilds every day)',
        body: factsRefresh,
        response: responses(factsRefreshQueued),
      },
    },
    async (request) => requestRefresh(app.db, request.ctx, request.body.full),
  );
};
