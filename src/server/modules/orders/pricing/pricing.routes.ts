import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  history,
  idParams,
  page,
  priceList,
  priceListArchive,
  priceListCreate,
  priceListListQuery,
  priceListUpdate,
  priceResolution,
  priceResolveRequest,
  priceRule,
  priceRuleCreate,
  priceRuleListQuery,
  priceRuleParams,
  priceRuleUpdate,
  productPrices,
} from '../../../../contracts/index.js';
import { responses } from '../../../platform/http/responses.js';
import './pricing.import-export.js';
import {
  archivePriceRule,
  createPriceList,
  createPriceRule,
  getPriceList,
  getPriceRule,
  listPriceLists,
  listPriceRules,
  priceListHistory,
  productPricesFor,
  resolvePriceAsActor,
  setPriceListStatus,
  updatePriceList,
  updatePriceRule,
} from './pricing.service.js';

const tags = ['price-lists'];
const READ = 'price-lists.read';
const MANAGE = 'price-lists.manage';

/** Price lists, their rules (tiers), the price tester and a product's prices by list. */
export const pricingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/price-lists',
    {
      config: { permission: READ },
      schema: {
        tags,
        summary: 'Price lists, highest priority first; by status, channel, code or name',
        querystring: priceListListQuery,
        response: responses(page(priceList)),
      },
    },
    async (request) => listPriceLists(app.db, request.query),
  );

  app.post(
    '/price-lists/resolve',
    {
      config: { permission: READ },
      schema: {
        tags,
        summary: 'What price would this customer get: unit price, list used, floor and why',
        body: priceResolveRequest,
        response: responses(priceResolution),
      },
    },
    async (request) => resolvePriceAsActor(app.db, request.ctx, request.body),
  );

  app.get(
    '/price-lists/:id',
    {
      config: { permission: READ },
      schema: { tags, summary: 'One price list', params: idParams, response: responses(priceList) },
    },
    async (request) => getPriceList(app.db, request.params.id),
  );

  app.get(
    '/price-lists/:id/history',
    {
      config: { permission: READ },
      schema: { tags, summary: "A price list's history", params: idParams, response: responses(history) },
    },
    async (request) => priceListHistory(app.db, request.params.id),
  );

  app.post(
    '/price-lists',
    {
      config: { permission: MANAGE },
      schema: {
        tags,
        summary:
          'Create a price list: conditions (channel, region, grade, tier, customer), dates, priority, rounding',
        body: priceListCreate,
        response: responses(priceList, 201),
      },
    },
    async (request, reply) => {
      const id = await createPriceList(app.db, request.ctx, request.body);
      reply.code(201);
      return getPriceList(app.db, id);
    },
  );

  app.patch(
    '/price-lists/:id',
    {
      config: { permission: MANAGE },
      schema: {
        tags,
        summary: 'Change a price list (versioned)',
        params: idParams,
        body: priceListUpdate,
        response: responses(priceList),
      },
    },
    async (request) => {
      await updatePriceList(app.db, request.ctx, request.params.id, request.body);
      return getPriceList(app.db, request.params.id);
    },
  );

  for (const [action, status] of [
    ['archive', 'archived'],
    ['restore', 'active'],
  ] as const) {
    app.post(
      `/price-lists/:id/${action}`,
      {
        config: { permission: MANAGE },
        schema: {
          tags,
          summary:
            action === 'archive'
              ? 'Archive a price list: it stops applying'
              : 'Restore an archived price list',
          params: idParams,
          body: priceListArchive,
          response: responses(priceList),
        },
      },
      async (request) => {
        await setPriceListStatus(app.db, request.ctx, request.params.id, status, request.body.version);
        return getPriceList(app.db, request.params.id);
      },
    );
  }

  app.get(
    '/price-lists/:id/rules',
    {
      config: { permission: READ },
      schema: {
        tags,
        summary: 'Rules (one per tier) of a price list; search by SKU, product or category name',
        params: idParams,
        querystring: priceRuleListQuery,
        response: responses(page(priceRule)),
      },
    },
    async (request) => listPriceRules(app.db, request.params.id, request.query),
  );

  app.post(
    '/price-lists/:id/rules',
    {
      config: { permission: MANAGE },
      schema: {
        tags,
        summary:
          'Add a rule: a product or category, from a minimum quantity, a price or a percentage, a floor',
        params: idParams,
        body: priceRuleCreate,
        response: responses(priceRule, 201),
      },
    },
    async (request, reply) => {
      const ruleId = await createPriceRule(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return getPriceRule(app.db, request.params.id, ruleId);
    },
  );

  app.patch(
    '/price-lists/:id/rules/:ruleId',
    {
      config: { permission: MANAGE },
      schema: {
        tags,
        summary: 'Change a rule (versioned)',
        params: priceRuleParams,
        body: priceRuleUpdate,
        response: responses(priceRule),
      },
    },
    async (request) => {
      const { id, ruleId } = request.params;
      await updatePriceRule(app.db, request.ctx, id, ruleId, request.body);
      return getPriceRule(app.db, id, ruleId);
    },
  );

  app.post(
    '/price-lists/:id/rules/:ruleId/archive',
    {
      config: { permission: MANAGE },
      schema: {
        tags,
        summary: 'Archive a rule (rules are never deleted)',
        params: priceRuleParams,
        body: priceListArchive,
        response: responses(priceRule),
      },
    },
    async (request) => {
      const { id, ruleId } = request.params;
      await archivePriceRule(app.db, request.ctx, id, ruleId, request.body.version);
      return getPriceRule(app.db, id, ruleId);
    },
  );

  app.get(
    '/products/:id/prices',
    {
      config: { permission: READ },
      schema: {
        tags,
        summary: "A product's price in each active list (every tier), highest priority first",
        params: idParams,
        response: responses(productPrices),
      },
    },
    async (request) => productPricesFor(app.db, request.params.id),
  );
};
