import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  idParams,
  loyaltyAccount,
  loyaltyAdjust,
  loyaltyEntry,
  loyaltyEntryListQuery,
  loyaltyEntryParams,
  loyaltyMovement,
  loyaltyRedeem,
  loyaltyReverse,
  loyaltySettings,
  loyaltySettingsUpdate,
  page,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import {
  adjustLoyaltyPoints,
  getLoyaltyAccount,
  getLoyaltyRules,
  listLoyaltyEntries,
  presentLoyaltyRules,
  redeemLoyaltyPoints,
  reverseLoyaltyEntry,
  updateLoyaltyRules,
} from './loyalty.service.js';

const tags = ['customers'];

/** Loyalty: a customer's points account and ledger, redemption, adjustment, and the rules. */
export const loyaltyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/loyalty',
    {
      config: { permission: 'loyalty.read' },
      schema: {
        tags,
        summary: "The customer's points balance, lifetime points, member tier and the next tier",
        params: idParams,
        response: responses(loyaltyAccount),
      },
    },
    async (request) => getLoyaltyAccount(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/customers/:id/loyalty/entries',
    {
      config: { permission: 'loyalty.read' },
      schema: {
        tags,
        summary: "The customer's points ledger, newest first",
        params: idParams,
        querystring: loyaltyEntryListQuery,
        response: responses(page(loyaltyEntry)),
      },
    },
    async (request) => listLoyaltyEntries(app.db, request.ctx, request.params.id, request.query),
  );

  app.post(
    '/customers/:id/loyalty/redeem',
    {
      config: { permission: 'loyalty.redeem' },
      schema: {
        tags,
        summary: 'Redeem points for a gift or privilege; never below a zero balance',
        params: idParams,
        body: loyaltyRedeem,
        response: responses(loyaltyMovement, 201),
      },
    },
    async (request, reply) => {
      const result = await redeemLoyaltyPoints(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return result;
    },
  );

  app.post(
    '/customers/:id/loyalty/adjust',
    {
      config: { permission: 'loyalty.adjust' },
      schema: {
        tags,
        summary: 'Add or take away points by hand, with a reason',
        params: idParams,
        body: loyaltyAdjust,
        response: responses(loyaltyMovement, 201),
      },
    },
    async (request, reply) => {
      const result = await adjustLoyaltyPoints(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return result;
    },
  );

  app.post(
    '/customers/:id/loyalty/entries/:entryId/reverse',
    {
      config: { permission: 'loyalty.adjust' },
      schema: {
        tags,
        summary: 'Reverse one ledger entry (once), with a reason',
        params: loyaltyEntryParams,
        body: loyaltyReverse,
        response: responses(loyaltyMovement, 201),
      },
    },
    async (request, reply) => {
      const { id, entryId } = request.params;
      const result = await reverseLoyaltyEntry(app.db, request.ctx, id, entryId, request.body.reason);
      reply.code(201);
      return result;
    },
  );

  app.get(
    '/loyalty-settings',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'Loyalty rules: points per yuan paid and member tier thresholds',
        response: responses(loyaltySettings),
      },
    },
    async () => presentLoyaltyRules(await getLoyaltyRules(app.db)),
  );

  app.patch(
    '/loyalty-settings',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags,
        summary: 'Change the loyalty rules; tiers follow new thresholds at once',
        body: loyaltySettingsUpdate,
        response: responses(loyaltySettings),
      },
    },
    async (request) => updateLoyaltyRules(app.db, request.ctx, request.body),
  );
};
