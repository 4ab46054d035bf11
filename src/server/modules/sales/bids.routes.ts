import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  bid,
  bidBondPayment,
  bidBondRefund,
  bidCreate,
  bidListQuery,
  bidResult,
  bidSubmit,
  bidUpdate,
  history,
  idParams,
  page,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import './bids.jobs.js';
import {
  bidHistory,
  createBid,
  getBid,
  listBids,
  recordBidResult,
  recordBondPayment,
  recordBondRefund,
  submitBid,
  updateBid,
} from './bids.service.js';

const tags = ['sales'];

/** Bids (投标): tenders we take part in, their dates, bond, competitors and result. */
export const bidsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/bids',
    {
      config: { permission: 'bids.read' },
      schema: {
        tags,
        summary:
          'Bids I can see: by state, submission deadline range, customer, opportunity, owner or mine, overdue bond; q on tender number or project',
        querystring: bidListQuery,
        response: responses(page(bid)),
      },
    },
    async (request) => listBids(app.db, request.ctx, request.query),
  );

  app.get(
    '/bids/:id',
    {
      config: { permission: 'bids.read' },
      schema: { tags, summary: 'One bid', params: idParams, response: responses(bid) },
    },
    async (request) => getBid(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/bids/:id/history',
    {
      config: { permission: 'bids.read' },
      schema: { tags, summary: "A bid's history", params: idParams, response: responses(history) },
    },
    async (request) => bidHistory(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/bids',
    {
      config: { permission: 'bids.create' },
      schema: {
        tags,
        summary: 'Record a tender we bid on; the tender number is unique per issuer',
        body: bidCreate,
        response: responses(bid, 201),
      },
    },
    async (request, reply) => {
      const id = await createBid(app.db, request.ctx, request.body);
      reply.code(201);
      return getBid(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/bids/:id',
    {
      config: { permission: 'bids.update' },
      schema: {
        tags,
        summary: 'Change a bid before its result (versioned)',
        params: idParams,
        body: bidUpdate,
        response: responses(bid),
      },
    },
    async (request) => {
      await updateBid(app.db, request.ctx, request.params.id, request.body);
      return getBid(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/bids/:id/submit',
    {
      config: { permission: 'bids.update' },
      schema: {
        tags,
        summary: 'Our bid went in (needs a bid price)',
        params: idParams,
        body: bidSubmit,
        response: responses(bid),
      },
    },
    async (request) => {
      await submitBid(app.db, request.ctx, request.params.id, request.body);
      return getBid(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/bids/:id/result',
    {
      config: { permission: 'bids.update' },
      schema: {
        tags,
        summary:
          'Record the result: won, lost (loss reason and winner required) or cancelled (流标/废标, reason required)',
        params: idParams,
        body: bidResult,
        response: responses(bid),
      },
    },
    async (request) => {
      await recordBidResult(app.db, request.ctx, request.params.id, request.body);
      return getBid(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/bids/:id/bond',
    {
      config: { permission: 'bids.bond' },
      schema: {
        tags,
        summary: 'Record the bid bond payment (投标保证金)',
        params: idParams,
        body: bidBondPayment,
        response: responses(bid),
      },
    },
    async (request) => {
      await recordBondPayment(app.db, request.ctx, request.params.id, request.body);
      return getBid(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/bids/:id/bond-refund',
    {
      config: { permission: 'bids.bond' },
      schema: {
        tags,
        summary: 'Record that the bid bond came back',
        params: idParams,
        body: bidBondRefund,
        response: responses(bid),
      },
    },
    async (request) => {
      await recordBondRefund(app.db, request.ctx, request.params.id, request.body);
      return getBid(app.db, request.ctx, request.params.id);
    },
  );
};
