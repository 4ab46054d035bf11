import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  history,
  idParams,
  page,
  problem,
  quote,
  quoteCreate,
  quoteDetailQuery,
  quoteListItem,
  quoteListQuery,
  quotePdfQuery,
  quotePreview,
  quotePreviewResult,
  quoteReject,
  quoteSendRequest,
  quoteSubmitResult,
  quoteToContract,
  quoteUpdate,
  quoteVersion,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import { sendPdf } from '../../platform/pdf/index.js';
import {
  acceptQuote,
  convertQuoteToContract,
  createQuote,
  getQuote,
  listQuotes,
  previewQuote,
  quoteHistory,
  rejectQuote,
  renderQuotePdf,
  reviseQuote,
  sendQuote,
  submitQuote,
  updateQuote,
  withdrawQuote,
} from './quotes.service.js';

const tags = ['sales'];

/** Quotes: revisions, discount approval, PDF, e-mail, accept / reject, conversion to a contract. */
export const quotesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/quotes',
    {
      config: { permission: 'quotes.read' },
      schema: {
        tags,
        summary:
          'Quotes I can see: by state, customer, opportunity, owner, expiring soon; search number or customer',
        querystring: quoteListQuery,
        response: responses(page(quoteListItem)),
      },
    },
    async (request) => listQuotes(app.db, request.ctx, request.query),
  );

  app.post(
    '/quotes/preview',
    {
      config: { permission: 'quotes.read' },
      schema: {
        tags,
        summary: 'Price lines for a customer and compute the totals as saving would; nothing is written',
        body: quotePreview,
        response: responses(quotePreviewResult),
      },
    },
    async (request) => previewQuote(app.db, request.ctx, request.body),
  );

  app.get(
    '/quotes/:id',
    {
      config: { permission: 'quotes.read' },
      schema: {
        tags,
        summary:
          'One quote: a revision (default the latest) with lines and totals, all revisions, e-mails sent',
        params: idParams,
        querystring: quoteDetailQuery,
        response: responses(quote),
      },
    },
    async (request) => getQuote(app.db, request.ctx, request.params.id, request.query.revision),
  );

  app.get(
    '/quotes/:id/history',
    {
      config: { permission: 'quotes.read' },
      schema: { tags, summary: "A quote's history", params: idParams, response: responses(history) },
    },
    async (request) => quoteHistory(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/quotes/:id/pdf',
    {
      config: { permission: 'quotes.read' },
      schema: {
        tags,
        summary: 'The printable quote (PDF) in Chinese (amount in 大写) or English',
        params: idParams,
        querystring: quotePdfQuery,
        response: {
          200: z.unknown().meta({ description: 'The quote as application/pdf', format: 'binary' }),
          '4xx': problem,
          '5xx': problem,
        },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await renderQuotePdf(
        app.db,
        request.ctx,
        request.params.id,
        request.query.locale,
        request.query.revision,
      );
      return sendPdf(reply, pdf, fileName);
    },
  );

  app.post(
    '/quotes',
    {
      config: { permission: 'quotes.create' },
      schema: {
        tags,
        summary: 'Draft a quote (v1) for a customer or one of its opportunities; lines priced by resolution',
        body: quoteCreate,
        response: responses(quote, 201),
      },
    },
    async (request, reply) => {
      const id = await createQuote(app.db, request.ctx, request.body);
      reply.code(201);
      return getQuote(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/quotes/:id',
    {
      config: { permission: 'quotes.update' },
      schema: {
        tags,
        summary:
          'Change the latest revision while it is a draft (else 409 quote_not_editable: make a revision)',
        params: idParams,
        body: quoteUpdate,
        response: responses(quote),
      },
    },
    async (request) => {
      await updateQuote(app.db, request.ctx, request.params.id, request.body);
      return getQuote(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/quotes/:id/submit',
    {
      config: { permission: 'quotes.update' },
      schema: {
        tags,
        summary: 'Submit the draft for discount approval (approved at once when no rule applies)',
        params: idParams,
        body: quoteVersion,
        response: responses(quoteSubmitResult),
      },
    },
    async (request) => {
      const approval = await submitQuote(app.db, request.ctx, request.params.id, request.body);
      return { quote: await getQuote(app.db, request.ctx, request.params.id), approval };
    },
  );

  const simple = [
    ['withdraw', withdrawQuote, 'Take a quote pending approval back to draft'],
    ['revise', reviseQuote, 'Make the next revision: a draft copy of the latest, which is superseded'],
    ['accept', acceptQuote, 'The customer accepted the latest revision (not once expired)'],
  ] as const;
  for (const [action, run, summary] of simple) {
    app.post(
      `/quotes/:id/${action}`,
      {
        config: { permission: 'quotes.update' },
        schema: { tags, summary, params: idParams, body: quoteVersion, response: responses(quote) },
      },
      async (request) => {
        await run(app.db, request.ctx, request.params.id, request.body);
        return getQuote(app.db, request.ctx, request.params.id);
      },
    );
  }

  app.post(
    '/quotes/:id/reject',
    {
      config: { permission: 'quotes.update' },
      schema: {
        tags,
        summary: 'The customer rejected the quote, with the reason',
        params: idParams,
        body: quoteReject,
        response: responses(quote),
      },
    },
    async (request) => {
      await rejectQuote(app.db, request.ctx, request.params.id, request.body);
      return getQuote(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/quotes/:id/send',
    {
      config: { permission: 'quotes.update' },
      schema: {
        tags,
        summary: 'E-mail the quote with its PDF attached (company SMTP); records the send, state sent',
        params: idParams,
        body: quoteSendRequest,
        response: responses(quote),
      },
    },
    async (request) => {
      await sendQuote(app.db, request.ctx, request.params.id, request.body);
      return getQuote(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/quotes/:id/contract',
    {
      config: { permission: 'quotes.update' },
      schema: {
        tags,
        summary: 'Turn an accepted quote into a draft contract with its payment plan (once)',
        params: idParams,
        body: quoteToContract,
        response: responses(z.object({ contractId: z.uuid(), quote }), 201),
      },
    },
    async (request, reply) => {
      const contractId = await convertQuoteToContract(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return { contractId, quote: await getQuote(app.db, request.ctx, request.params.id) };
    },
  );
};
