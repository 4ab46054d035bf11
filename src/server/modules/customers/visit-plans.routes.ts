import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  calendar,
  calendarQuery,
  idParams,
  myDay,
  page,
  stopCheckIn,
  stopCheckOut,
  stopParams,
  visitPlan,
  visitPlanComplete,
  visitPlanCreate,
  visitPlanListQuery,
  visitPlanSummary,
  visitPlanUpdate,
  visitPlanVersion,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import {
  calendarItems,
  checkIn,
  checkOut,
  completeVisitPlan,
  createVisitPlan,
  getVisitPlan,
  listVisitPlans,
  myDay as loadMyDay,
  submitVisitPlan,
  updateVisitPlan,
} from './visit-plans.service.js';

/** Visit plans with check-in / check-out, the calendar and "my day". */
export const visitPlansRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/visit-plans',
    {
      config: { permission: 'visit-plans.read' },
      schema: {
        tags: ['customers'],
        summary: 'Visit plans, newest day first: mine, or the submitted plans of my team',
        querystring: visitPlanListQuery,
        response: responses(page(visitPlanSummary)),
      },
    },
    async (request) => listVisitPlans(app.db, request.ctx, request.query),
  );

  app.get(
    '/visit-plans/:id',
    {
      config: { permission: 'visit-plans.read' },
      schema: {
        tags: ['customers'],
        summary: 'One visit plan with its stops and plan vs actual',
        params: idParams,
        response: responses(visitPlan),
      },
    },
    async (request) => getVisitPlan(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/visit-plans',
    {
      config: { permission: 'visit-plans.create' },
      schema: {
        tags: ['customers'],
        summary: 'Plan a day: route, goals, focus products and stops (one plan per person per day)',
        body: visitPlanCreate,
        response: responses(visitPlan, 201),
      },
    },
    async (request, reply) => {
      const id = await createVisitPlan(app.db, request.ctx, request.body);
      reply.code(201);
      return getVisitPlan(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/visit-plans/:id',
    {
      config: { permission: 'visit-plans.update' },
      schema: {
        tags: ['customers'],
        summary: 'Change my plan: goals, route, stops (checked-in stops stay)',
        params: idParams,
        body: visitPlanUpdate,
        response: responses(visitPlan),
      },
    },
    async (request) => {
      await updateVisitPlan(app.db, request.ctx, request.params.id, request.body);
      return getVisitPlan(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/visit-plans/:id/submit',
    {
      config: { permission: 'visit-plans.update' },
      schema: {
        tags: ['customers'],
        summary: 'Submit my plan: my managers see it from now on',
        params: idParams,
        body: visitPlanVersion,
        response: responses(visitPlan),
      },
    },
    async (request) => {
      await submitVisitPlan(app.db, request.ctx, request.params.id, request.body.version);
      return getVisitPlan(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/visit-plans/:id/complete',
    {
      config: { permission: 'visit-plans.update' },
      schema: {
        tags: ['customers'],
        summary: "Write the day's summary; the plan is done",
        params: idParams,
        body: visitPlanComplete,
        response: responses(visitPlan),
      },
    },
    async (request) => {
      await completeVisitPlan(app.db, request.ctx, request.params.id, request.body);
      return getVisitPlan(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/visit-plans/:id/stops/:stopId/check-in',
    {
      config: { permission: 'visit-plans.update' },
      schema: {
        tags: ['customers'],
        summary: "Check in at a stop of my today's plan (server time, the browser's location if given)",
        params: stopParams,
        body: stopCheckIn,
        response: responses(visitPlan),
      },
    },
    async (request) => {
      const { id, stopId } = request.params;
      await checkIn(app.db, request.ctx, id, stopId, request.body);
      return getVisitPlan(app.db, request.ctx, id);
    },
  );

  app.post(
    '/visit-plans/:id/stops/:stopId/check-out',
    {
      config: { permission: 'visit-plans.update' },
      schema: {
        tags: ['customers'],
        summary: 'Check out with the visit checklist; logs the visit activity (a follow-up)',
        params: stopParams,
        body: stopCheckOut,
        response: responses(visitPlan),
      },
    },
    async (request) => {
      const { id, stopId } = request.params;
      await checkOut(app.db, request.ctx, id, stopId, request.body);
      return getVisitPlan(app.db, request.ctx, id);
    },
  );

  app.get(
    '/calendar',
    {
      config: { permission: 'activities.read' },
      schema: {
        tags: ['customers'],
        summary: 'Activities, next steps and plan stops between two dates: mine or my team’s',
        querystring: calendarQuery,
        response: responses(calendar),
      },
    },
    async (request) => calendarItems(app.db, request.ctx, request.query),
  );

  app.get(
    '/my-day',
    {
      config: { permission: 'visit-plans.read' },
      schema: {
        tags: ['customers'],
        summary: "Today's plan and my open tasks due today (company time)",
        response: responses(myDay),
      },
    },
    async (request) => loadMyDay(app.db, request.ctx),
  );
};
