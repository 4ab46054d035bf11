import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  activity,
  activityCreate,
  activityListQuery,
  activityUpdate,
  customerSettings,
  customerSettingsUpdate,
  dueFollowUp,
  dueFollowUpQuery,
  idParams,
  ok,
  page,
  poolClaimResult,
  poolItem,
  poolQuery,
  poolRelease,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import {
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  listDueFollowUps,
  updateActivity,
} from './activities.service.js';
import './follow-up.jobs.js';
import { claim, listPool, release } from './pool.service.js';
import { getCustomerSettings, presentCustomerSettings, updateCustomerSettings } from './settings.service.js';

/** Activities, due follow-ups, the public pool and the module's settings. */
export const activitiesRoutes: FastifyPluginAsyncZod = async (app) => {
  // Activities

  app.get(
    '/activities',
    {
      config: { permission: 'activities.read' },
      schema: {
        tags: ['customers'],
        summary: 'Activities (follow-ups) by customer, lead or owner, newest first',
        querystring: activityListQuery,
        response: responses(page(activity)),
      },
    },
    async (request) => listActivities(app.db, request.ctx, request.query),
  );

  app.get(
    '/activities/:id',
    {
      config: { permission: 'activities.read' },
      schema: {
        tags: ['customers'],
        summary: 'One activity',
        params: idParams,
        response: responses(activity),
      },
    },
    async (request) => getActivity(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/activities',
    {
      config: { permission: 'activities.create' },
      schema: {
        tags: ['customers'],
        summary:
          "Log an activity on a customer (optionally one of its contacts) or a lead; updates the record's follow-up dates",
        body: activityCreate,
        response: responses(activity, 201),
      },
    },
    async (request, reply) => {
      const id = await createActivity(app.db, request.ctx, request.body);
      reply.code(201);
      return getActivity(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/activities/:id',
    {
      config: { permission: 'activities.update' },
      schema: {
        tags: ['customers'],
        summary: 'Change an activity',
        params: idParams,
        body: activityUpdate,
        response: responses(activity),
      },
    },
    async (request) => {
      await updateActivity(app.db, request.ctx, request.params.id, request.body);
      return getActivity(app.db, request.ctx, request.params.id);
    },
  );

  app.delete(
    '/activities/:id',
    {
      config: { permission: 'activities.delete' },
      schema: {
        tags: ['customers'],
        summary: 'Delete an activity',
        params: idParams,
        response: responses(ok),
      },
    },
    async (request) => {
      await deleteActivity(app.db, request.ctx, request.params.id);
      return { ok: true as const };
    },
  );

  // Due follow-ups

  app.get(
    '/follow-ups/due',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: "Customers due for a follow-up today or overdue: mine, or my team's",
        querystring: dueFollowUpQuery,
        response: responses(page(dueFollowUp)),
      },
    },
    async (request) => listDueFollowUps(app.db, request.ctx, request.query),
  );

  // Public pool

  app.get(
    '/pool',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['customers'],
        summary: 'Unowned leads and customers in my part of the organisation (公海)',
        querystring: poolQuery,
        response: responses(page(poolItem)),
      },
    },
    async (request) => listPool(app.db, request.ctx, request.query),
  );

  for (const [entity, path, resource] of [
    ['customer', 'customers', 'customers'],
    ['lead', 'leads', 'leads'],
  ] as const) {
    app.post(
      `/pool/${path}/:id/claim`,
      {
        config: { permission: `${resource}.claim` },
        schema: {
          tags: ['customers'],
          summary: `Claim a ${entity} from the pool (within the holding and daily limits)`,
          params: idParams,
          response: responses(poolClaimResult),
        },
      },
      async (request) => claim(app.db, request.ctx, entity, request.params.id),
    );
    app.post(
      `/pool/${path}/:id/release`,
      {
        config: { permission: `${resource}.claim` },
        schema: {
          tags: ['customers'],
          summary: `Release a held ${entity} to the pool, with a reason`,
          params: idParams,
          body: poolRelease,
          response: responses(ok),
        },
      },
      async (request) => release(app.db, request.ctx, entity, request.params.id, request.body.reason),
    );
  }

  // Settings

  app.get(
    '/customer-settings',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['customers'],
        summary: 'Cadence by grade, pool rules, limits and lead sources',
        response: responses(customerSettings),
      },
    },
    async () => presentCustomerSettings(await getCustomerSettings(app.db)),
  );

  app.patch(
    '/customer-settings',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags: ['customers'],
        summary: 'Change the customers module settings',
        body: customerSettingsUpdate,
        response: responses(customerSettings),
      },
    },
    async (request) => updateCustomerSettings(app.db, request.ctx, request.body),
  );
};
