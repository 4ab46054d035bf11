import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountPlan,
  accountPlanResult,
  accountPlanSave,
  accountReview,
  accountReviewComment,
  accountReviewCreate,
  accountReviewParams,
  accountReviewUpdate,
  idParams,
  missingReviewPage,
  missingReviewQuery,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import {
  commentAccountReview,
  createAccountReview,
  getAccountPlan,
  listAccountReviews,
  listMissingReviews,
  saveAccountPlan,
  updateAccountReview,
} from './account-cards.service.js';

const tags = ['customers'];

/** Account plan (客户策略卡) and monthly reviews (客户月评卡): the customer's permissions and scope apply. */
export const accountCardsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/account-plan',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "The customer's account plan, or null when it has none",
        params: idParams,
        response: responses(accountPlanResult),
      },
    },
    async (request) => getAccountPlan(app.db, request.ctx, request.params.id),
  );

  app.put(
    '/customers/:id/account-plan',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: 'Create the account plan (no version) or update it (its current version)',
        params: idParams,
        body: accountPlanSave,
        response: responses(accountPlan),
      },
    },
    async (request) => saveAccountPlan(app.db, request.ctx, request.params.id, request.body),
  );

  app.get(
    '/customers/:id/account-reviews',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "The customer's monthly reviews, latest month first",
        params: idParams,
        response: responses(z.object({ items: z.array(accountReview) })),
      },
    },
    async (request) => listAccountReviews(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/customers/:id/account-reviews',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: "Write the month's review (one per customer and month)",
        params: idParams,
        body: accountReviewCreate,
        response: responses(accountReview, 201),
      },
    },
    async (request, reply) => {
      const review = await createAccountReview(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return review;
    },
  );

  app.patch(
    '/customers/:id/account-reviews/:reviewId',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: "Correct a review's scores or texts",
        params: accountReviewParams,
        body: accountReviewUpdate,
        response: responses(accountReview),
      },
    },
    async (request) =>
      updateAccountReview(app.db, request.ctx, request.params.id, request.params.reviewId, request.body),
  );

  app.post(
    '/customers/:id/account-reviews/:reviewId/comment',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: "The manager's comment on a review (managers whose team covers the customer)",
        params: accountReviewParams,
        body: accountReviewComment,
        response: responses(accountReview),
      },
    },
    async (request) =>
      commentAccountReview(app.db, request.ctx, request.params.id, request.params.reviewId, request.body),
  );

  app.get(
    '/account-reviews/missing',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'A and B customers in my scope without a review for the month (default this month)',
        querystring: missingReviewQuery,
        response: responses(missingReviewPage),
      },
    },
    async (request) => listMissingReviews(app.db, request.ctx, request.query),
  );
};
