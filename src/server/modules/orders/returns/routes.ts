import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  history,
  idParams,
  page,
  refundCreate,
  returnable,
  returnableQuery,
  returnCreate,
  returnDecision,
  returnDetail,
  returnListQuery,
  returnReceive,
  returnSummary,
} from '../../../../contracts/index.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import { responses } from '../../../platform/http/responses.js';
import { recordRefund } from './refunds.service.js';
import {
  createReturn,
  decideReturn,
  getReturn,
  listReturns,
  receiveReturn,
  returnableLines,
} from './returns.service.js';

const tags = ['orders'];

function idempotencyKey(headers: Record<string, unknown>): string | undefined {
  const value = headers['idempotency-key'];
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

/** Returns and exchanges (退换货). */
export const returnsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/returns',
    {
      config: { permission: 'returns.read' },
      schema: {
        tags,
        summary: 'Returns I can see: by state, type, order, customer; q on number, order number or customer',
        querystring: returnListQuery,
        response: responses(page(returnSummary)),
      },
    },
    async (request) => listReturns(app.db, request.ctx, request.query),
  );

  app.get(
    '/returns/returnable',
    {
      config: { permission: 'returns.create' },
      schema: {
        tags,
        summary: "An order's lines: shipped, already returned, still returnable",
        querystring: returnableQuery,
        response: responses(returnable),
      },
    },
    async (request) => returnableLines(app.db, request.ctx, request.query.orderId),
  );

  app.get(
    '/returns/:id',
    {
      config: { permission: 'returns.read' },
      schema: {
        tags,
        summary: 'One return with lines and credit notes',
        params: idParams,
        response: responses(returnDetail),
      },
    },
    async (request) => getReturn(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/returns/:id/history',
    {
      config: { permission: 'returns.read' },
      schema: { tags, summary: "A return's history", params: idParams, response: responses(history) },
    },
    async (request) => {
      await getReturn(app.db, request.ctx, request.params.id);
      return recordHistory(app.db, 'sales_return', request.params.id);
    },
  );

  app.post(
    '/returns',
    {
      config: { permission: 'returns.create' },
      schema: {
        tags,
        summary: 'Request a return or exchange of shipped goods (each line ≤ shipped − returned)',
        body: returnCreate,
        response: responses(returnDetail, 201),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createReturn(app.db, request.ctx, request.body);
    },
  );

  for (const [event, permission, summary] of [
    ['approve', 'returns.approve', 'Approve a requested return'],
    ['reject', 'returns.approve', 'Reject a requested return'],
    ['close', 'returns.approve', 'Close a received return'],
    ['cancel', 'returns.create', 'Cancel a return not yet received'],
  ] as const) {
    app.post(
      `/returns/:id/${event}`,
      {
        config: { permission },
        schema: { tags, summary, params: idParams, body: returnDecision, response: responses(returnDetail) },
      },
      async (request) => decideReturn(app.db, request.ctx, request.params.id, event, request.body),
    );
  }

  app.post(
    '/returns/:id/receive',
    {
      config: { permission: 'returns.receive' },
      schema: {
        tags,
        summary: 'Receive the goods back into stock; credits what was invoiced (receiving twice posts once)',
        params: idParams,
        body: returnReceive,
        response: responses(returnDetail),
      },
    },
    async (request) => receiveReturn(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/returns/:id/refunds',
    {
      config: { permission: 'returns.refund' },
      schema: {
        tags,
        summary:
          'Refund (退款) returned value no invoice could credit: amount ≤ what is still due; Idempotency-Key required (a retry answers the first refund)',
        params: idParams,
        body: refundCreate,
        response: responses(returnDetail, 201),
      },
    },
    async (request, reply) => {
      const { replayed } = await recordRefund(
        app.db,
        request.ctx,
        request.params.id,
        request.body,
        idempotencyKey(request.headers),
      );
      reply.code(replayed ? 200 : 201);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return getReturn(app.db, request.ctx, request.params.id);
    },
  );
};
