import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, page, problem } from '../../../../contracts/common.js';
import {
  agingQuery,
  agingReport as agingReportSchema,
  collectionNote,
  collectionNoteCreate,
  collectionTask,
  collectionTaskDone,
  collectionTaskQuery,
  dueReceivables,
  dueReceivablesQuery,
  openItems,
  openItemsQuery,
  payment,
  paymentAllocate,
  paymentCreate,
  paymentListItem,
  paymentListQuery,
  paymentReverse,
  statementQuery,
} from '../../../../contracts/payments.js';
import { responses } from '../../../platform/http/responses.js';
import { sendPdf } from '../../../platform/pdf/index.js';
import './receivables.jobs.js';
import './receivables.export.js';
import {
  allocatePayment,
  getPayment,
  listPayments,
  postPayment,
  reversePayment,
} from './payments.service.js';
import {
  addCollectionNote,
  agingReport,
  completeCollectionTask,
  customerOpenItems,
  dueReceivablesReport,
  listCollectionNotes,
  listCollectionTasks,
} from './receivables.service.js';
import { renderStatementPdf } from './statement.js';

const tags = ['payments'];

function idempotencyKey(headers: Record<string, unknown>): string | undefined {
  const value = headers['idempotency-key'];
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

/** Payments (回款), receivables (应收), collection notes and tasks. */
export const receivablesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/payments',
    {
      config: { permission: 'payments.read' },
      schema: {
        tags,
        summary: 'Payments I can see',
        querystring: paymentListQuery,
        response: responses(page(paymentListItem)),
      },
    },
    async (request) => listPayments(app.db, request.ctx, request.query),
  );
  app.get(
    '/payments/:id',
    {
      config: { permission: 'payments.read' },
      schema: {
        tags,
        summary: 'One payment with its allocations',
        params: idParams,
        response: responses(payment),
      },
    },
    async (request) => getPayment(app.db, request.ctx, request.params.id),
  );
  app.post(
    '/payments',
    {
      config: { permission: 'payments.post' },
      schema: {
        tags,
        summary:
          'Post a payment (Idempotency-Key required: a retry answers the first payment); allocated oldest first or by hand, the rest unapplied',
        body: paymentCreate,
        response: responses(payment, 201),
      },
    },
    async (request, reply) => {
      const { id, replayed } = await postPayment(
        app.db,
        request.ctx,
        request.body,
        idempotencyKey(request.headers),
      );
      reply.code(replayed ? 200 : 201);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return getPayment(app.db, request.ctx, id);
    },
  );
  app.post(
    '/payments/:id/allocate',
    {
      config: { permission: 'payments.post' },
      schema: {
        tags,
        summary: "Apply a payment's unapplied part to open invoices and installments",
        params: idParams,
        body: paymentAllocate,
        response: responses(payment),
      },
    },
    async (request) => {
      await allocatePayment(app.db, request.ctx, request.params.id, request.body);
      return getPayment(app.db, request.ctx, request.params.id);
    },
  );
  app.post(
    '/payments/:id/reverse',
    {
      config: { permission: 'payments.reverse' },
      schema: {
        tags,
        summary: 'Reverse a payment: a reversing entry undoes its allocations and loyalty points',
        params: idParams,
        body: paymentReverse,
        response: responses(payment, 201),
      },
    },
    async (request, reply) => {
      const id = await reversePayment(app.db, request.ctx, request.params.id, request.body.reason);
      reply.code(201);
      return getPayment(app.db, request.ctx, id);
    },
  );

  app.get(
    '/receivables/aging',
    {
      config: { permission: 'receivables.read' },
      schema: {
        tags,
        summary: 'Aging by days overdue (not due, 1–30, 31–60, 61–90, over 90) per customer, owner or team',
        querystring: agingQuery,
        response: responses(agingReportSchema),
      },
    },
    async (request) => agingReport(app.db, request.ctx, request.query),
  );
  app.get(
    '/receivables/due',
    {
      config: { permission: 'receivables.read' },
      schema: {
        tags,
        summary:
          '客户到期应收账款明细表: open items with collected, open, days overdue and the last collection note',
        querystring: dueReceivablesQuery,
        response: responses(dueReceivables),
      },
    },
    async (request) => dueReceivablesReport(app.db, request.ctx, request.query),
  );
  app.get(
    '/receivables/customers/:id',
    {
      config: { permission: 'receivables.read' },
      schema: {
        tags,
        summary:
          "A customer's open items (with the oldest-first split of `amount`), unapplied cash and balance",
        params: idParams,
        querystring: openItemsQuery,
        response: responses(openItems),
      },
    },
    async (request) => customerOpenItems(app.db, request.ctx, request.params.id, request.query.amount ?? 0),
  );
  app.get(
    '/receivables/customers/:id/statement',
    {
      config: { permission: 'receivables.read' },
      schema: {
        tags,
        summary:
          "A customer's statement (对账单, PDF): opening balance, invoices, credit notes, payments and reversals with the running balance",
        params: idParams,
        querystring: statementQuery,
        response: {
          200: z.unknown().meta({ description: 'The statement as application/pdf', format: 'binary' }),
          '4xx': problem,
          '5xx': problem,
        },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await renderStatementPdf(
        app.db,
        request.ctx,
        request.params.id,
        request.query,
      );
      return sendPdf(reply, pdf, fileName);
    },
  );
  app.get(
    '/receivables/customers/:id/notes',
    {
      config: { permission: 'receivables.read' },
      schema: {
        tags,
        summary: "A customer's collection notes",
        params: idParams,
        response: responses(z.array(collectionNote)),
      },
    },
    async (request) => listCollectionNotes(app.db, request.ctx, request.params.id),
  );
  app.post(
    '/collection-notes',
    {
      config: { permission: 'receivables.collect' },
      schema: {
        tags,
        summary: 'Record a collection call or visit (催收记录) with the promised payment date',
        body: collectionNoteCreate,
        response: responses(z.object({ id: z.uuid() }), 201),
      },
    },
    async (request, reply) => {
      const id = await addCollectionNote(app.db, request.ctx, request.body);
      reply.code(201);
      return { id };
    },
  );
  app.get(
    '/collection-tasks',
    {
      config: { permission: 'receivables.read' },
      schema: {
        tags,
        summary: 'Collection tasks',
        querystring: collectionTaskQuery,
        response: responses(z.array(collectionTask)),
      },
    },
    async (request) => listCollectionTasks(app.db, request.ctx, request.query),
  );
  app.post(
    '/collection-tasks/:id/done',
    {
      config: { permission: 'receivables.collect' },
      schema: {
        tags,
        summary: 'Close a collection task',
        params: idParams,
        body: collectionTaskDone,
        response: responses(z.object({ ok: z.literal(true) })),
      },
    },
    async (request) => {
      await completeCollectionTask(app.db, request.ctx, request.params.id, request.body.version);
      return { ok: true as const };
    },
  );
};
