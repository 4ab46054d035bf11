import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  forecast,
  forecastDeals,
  forecastDealsQuery,
  forecastQuery,
  idParams,
  opportunityLinePrice,
  opportunityLinePriceQuery,
  opportunityLines,
  opportunityLinesPut,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import { forecastDeals as listForecastDeals, opportunityForecast } from './forecast.service.js';
import {
  getOpportunityLines,
  opportunityLinePrice as linePrice,
  replaceOpportunityLines,
} from './opportunity-lines.service.js';

const tags = ['sales'];

/** The forecast view and the product lines of an opportunity. */
export const forecastRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/opportunities/forecast',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary:
          'Forecast: expected-close month × forecast category, weighted and unweighted, by rep or team',
        querystring: forecastQuery,
        response: responses(forecast),
      },
    },
    async (request) => opportunityForecast(app.db, request.ctx, request.query),
  );

  app.get(
    '/opportunities/forecast/deals',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary: 'The opportunities behind a forecast figure (a month, a category, a rep or team)',
        querystring: forecastDealsQuery,
        response: responses(forecastDeals),
      },
    },
    async (request) => listForecastDeals(app.db, request.ctx, request.query),
  );

  app.get(
    '/opportunities/:id/lines',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary: "An opportunity's product lines (cost and margin for products.cost holders)",
        params: idParams,
        response: responses(opportunityLines),
      },
    },
    async (request) => getOpportunityLines(app.db, request.ctx, request.params.id),
  );

  app.put(
    '/opportunities/:id/lines',
    {
      config: { permission: 'opportunities.update' },
      schema: {
        tags,
        summary: 'Replace the product lines; the amount becomes their sum (an empty list: manual again)',
        params: idParams,
        body: opportunityLinesPut,
        response: responses(opportunityLines),
      },
    },
    async (request) => {
      await replaceOpportunityLines(app.db, request.ctx, request.params.id, request.body);
      return getOpportunityLines(app.db, request.ctx, request.params.id);
    },
  );

  app.get(
    '/opportunities/:id/lines/price',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags,
        summary: "The price this opportunity's customer gets for a product today (direct channel)",
        params: idParams,
        querystring: opportunityLinePriceQuery,
        response: responses(opportunityLinePrice),
      },
    },
    async (request) => linePrice(app.db, request.ctx, request.params.id, request.query),
  );
};
