import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { webLeadAccepted, webLeadBody, webLeadParams } from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import { captureWebLead } from './leads.service.js';

/** Posts per minute from one address: a person sends one; a script sending more is throttled (429). */
export const WEB_LEAD_RATE_PER_MINUTE = 10;

/**
 * The public web-to-lead endpoint: no sign-in, the form's token in the path. Bots that fill the
 * honeypot get the same 201 as people, so they learn nothing.
 */
export const webToLeadRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/public/leads/:token',
    {
      config: { public: true, rateLimit: { max: WEB_LEAD_RATE_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        security: [],
        tags: ['leads'],
        summary:
          'Web-to-lead: a website form posts a lead (per-form token, rate limited, honeypot field `website`)',
        params: webLeadParams,
        body: webLeadBody,
        response: responses(webLeadAccepted, 201),
      },
    },
    async (request, reply) => {
      await captureWebLead(app.db, request.id, request.params.token, request.body, request.ip);
      reply.code(201);
      return { ok: true as const };
    },
  );
};
