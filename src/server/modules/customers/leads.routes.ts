import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  callLogCreate,
  history,
  idParams,
  lead,
  leadAssign,
  leadConvert,
  leadConvertConflict,
  leadConvertResult,
  leadCreate,
  leadDisqualify,
  leadForm,
  leadFormCreate,
  leadFormUpdate,
  leadListQuery,
  leadRules,
  leadRulesUpdate,
  leadUpdate,
  page,
  walkInCreate,
} from '../../../contracts/index.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import type { AppError } from '../../platform/errors.js';
import { problemBody } from '../../platform/http/problem.js';
import { responses } from '../../platform/http/responses.js';
import { convertLead, LeadDuplicatesError } from './conversion.js';
import './leads-import.js';
import {
  assignLead,
  capturedLead,
  createLead,
  createLeadForm,
  disqualifyLead,
  getLead,
  getLeadRules,
  leadSources,
  listLeadForms,
  listLeads,
  logInboundCall,
  logWalkIn,
  updateLead,
  updateLeadForm,
  updateLeadRules,
} from './leads.service.js';

const tags = ['leads'];

export const leadsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/leads',
    {
      config: { permission: 'leads.read' },
      schema: {
        tags,
        summary: 'Leads in my scope: filter by status, source, owner, score range, text',
        querystring: leadListQuery,
        response: responses(page(lead)),
      },
    },
    async (request) => listLeads(app.db, request.ctx, request.query),
  );

  app.get(
    '/lead-sources',
    {
      config: { permission: 'leads.read' },
      schema: {
        tags,
        summary: 'The configured lead sources (keys)',
        response: responses(z.object({ items: z.array(z.string()) })),
      },
    },
    async () => ({ items: await leadSources(app.db) }),
  );

  app.get(
    '/leads/:id',
    {
      config: { permission: 'leads.read' },
      schema: {
        tags,
        summary: 'One lead with its score and the reasons',
        params: idParams,
        response: responses(lead),
      },
    },
    async (request) => getLead(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/leads/:id/history',
    {
      config: { permission: 'leads.read' },
      schema: { tags, summary: "A lead's history", params: idParams, response: responses(history) },
    },
    async (request) => {
      await getLead(app.db, request.ctx, request.params.id);
      return recordHistory(app.db, 'lead', request.params.id);
    },
  );

  app.post(
    '/leads',
    {
      config: { permission: 'leads.create' },
      schema: {
        tags,
        summary: 'Capture a lead (form); it is scored and assigned by territory',
        body: leadCreate,
        response: responses(lead, 201),
      },
    },
    async (request, reply) => {
      const created = await createLead(app.db, request.ctx, request.body);
      reply.code(201);
      return capturedLead(app.db, created.id);
    },
  );

  app.post(
    '/leads/call-log',
    {
      config: { permission: 'leads.create' },
      schema: {
        tags,
        summary: 'Log an inbound call (来电登记表) as a lead',
        body: callLogCreate,
        response: responses(lead, 201),
      },
    },
    async (request, reply) => {
      const created = await logInboundCall(app.db, request.ctx, request.body);
      reply.code(201);
      return capturedLead(app.db, created.id);
    },
  );

  app.post(
    '/leads/walk-in',
    {
      config: { permission: 'leads.create' },
      schema: {
        tags,
        summary: 'Log a walk-in visitor (来访客户登记表) as a lead',
        body: walkInCreate,
        response: responses(lead, 201),
      },
    },
    async (request, reply) => {
      const created = await logWalkIn(app.db, request.ctx, request.body);
      reply.code(201);
      return capturedLead(app.db, created.id);
    },
  );

  app.patch(
    '/leads/:id',
    {
      config: { permission: 'leads.update' },
      schema: {
        tags,
        summary: 'Change a lead; it is scored again',
        params: idParams,
        body: leadUpdate,
        response: responses(lead),
      },
    },
    async (request) => updateLead(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/leads/:id/disqualify',
    {
      config: { permission: 'leads.update' },
      schema: {
        tags,
        summary: 'Disqualify a lead with a reason',
        params: idParams,
        body: leadDisqualify,
        response: responses(lead),
      },
    },
    async (request) => disqualifyLead(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/leads/:id/assign',
    {
      config: { permission: 'leads.assign' },
      schema: {
        tags,
        summary: 'Assign or reassign a lead; the new owner is notified',
        params: idParams,
        body: leadAssign,
        response: responses(lead),
      },
    },
    async (request) => assignLead(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/leads/:id/convert',
    {
      config: { permission: 'leads.convert' },
      schema: {
        tags,
        summary:
          'Convert a lead into a customer and a contact. With probable duplicate customers: 409 listing them, ' +
          'unless customerId (use that customer) or confirmNew is given',
        params: idParams,
        body: leadConvert,
        response: { ...responses(leadConvertResult), 409: leadConvertConflict },
      },
    },
    async (request, reply) => {
      try {
        return await convertLead(app.db, request.ctx, request.params.id, request.body);
      } catch (err) {
        if (!(err instanceof LeadDuplicatesError)) throw err;
        return reply
          .code(409)
          .header('content-type', 'application/problem+json; charset=utf-8')
          .header('content-language', request.locale)
          .send({ ...problemBody(err as AppError, request.locale, request), candidates: err.candidates });
      }
    },
  );

  // Administration: scoring rules, assignment cap, web-to-lead forms

  app.get(
    '/lead-rules',
    {
      config: { permission: 'customer-settings.manage' },
      schema: { tags, summary: 'Lead scoring rules and assignment settings', response: responses(leadRules) },
    },
    async () => getLeadRules(app.db),
  );

  app.patch(
    '/lead-rules',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags,
        summary: 'Change the scoring rules (open leads are scored again) or the assignment settings',
        body: leadRulesUpdate,
        response: responses(leadRules),
      },
    },
    async (request) => updateLeadRules(app.db, request.ctx, request.body),
  );

  app.get(
    '/lead-forms',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags,
        summary: 'Web-to-lead forms and their tokens',
        response: responses(z.object({ items: z.array(leadForm) })),
      },
    },
    async () => listLeadForms(app.db),
  );

  app.post(
    '/lead-forms',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags,
        summary: 'Create a web-to-lead form',
        body: leadFormCreate,
        response: responses(leadForm, 201),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createLeadForm(app.db, request.ctx, request.body);
    },
  );

  app.patch(
    '/lead-forms/:id',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags,
        summary: 'Change, deactivate or issue a new token for a web-to-lead form',
        params: idParams,
        body: leadFormUpdate,
        response: responses(leadForm),
      },
    },
    async (request) => updateLeadForm(app.db, request.ctx, request.params.id, request.body),
  );
};
