import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  complaint,
  complaintAssign,
  complaintClose,
  complaintCreate,
  complaintListQuery,
  complaintReopen,
  complaintResolve,
  complaintSettings,
  complaintSettingsUpdate,
  complaintStart,
  complaintUpdate,
  customerHealth,
  history,
  idParams,
  page,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import './complaints.jobs.js';
import {
  assignComplaint,
  complaintHistory,
  createComplaint,
  getComplaint,
  getComplaintSettings,
  getCustomerHealth,
  listComplaints,
  presentComplaintSettings,
  transitionComplaint,
  updateComplaint,
  updateComplaintSettings,
} from './complaints.service.js';

const tags = ['customers'];

/** Complaints, their settings, and the customer health they count against. */
export const complaintsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/complaints',
    {
      config: { permission: 'complaints.read' },
      schema: {
        tags,
        summary: 'Complaints I can see: by status, severity, category, customer, mine or team, overdue only',
        querystring: complaintListQuery,
        response: responses(page(complaint)),
      },
    },
    async (request) => listComplaints(app.db, request.ctx, request.query),
  );

  app.get(
    '/complaints/:id',
    {
      config: { permission: 'complaints.read' },
      schema: { tags, summary: 'One complaint', params: idParams, response: responses(complaint) },
    },
    async (request) => getComplaint(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/complaints/:id/history',
    {
      config: { permission: 'complaints.read' },
      schema: { tags, summary: "A complaint's history", params: idParams, response: responses(history) },
    },
    async (request) => complaintHistory(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/complaints',
    {
      config: { permission: 'complaints.create' },
      schema: {
        tags,
        summary: "Record a customer's complaint; the SLA due time follows from its severity",
        body: complaintCreate,
        response: responses(complaint, 201),
      },
    },
    async (request, reply) => {
      const id = await createComplaint(app.db, request.ctx, request.body);
      reply.code(201);
      return getComplaint(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/complaints/:id',
    {
      config: { permission: 'complaints.update' },
      schema: {
        tags,
        summary: 'Correct a complaint (not once closed); a new severity re-times the SLA',
        params: idParams,
        body: complaintUpdate,
        response: responses(complaint),
      },
    },
    async (request) => {
      await updateComplaint(app.db, request.ctx, request.params.id, request.body);
      return getComplaint(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/complaints/:id/assign',
    {
      config: { permission: 'complaints.assign' },
      schema: {
        tags,
        summary: 'Hand the complaint to another handler (notified)',
        params: idParams,
        body: complaintAssign,
        response: responses(complaint),
      },
    },
    async (request) => {
      await assignComplaint(app.db, request.ctx, request.params.id, request.body);
      return getComplaint(app.db, request.ctx, request.params.id);
    },
  );

  const transitions = [
    ['start', 'complaints.update', complaintStart, 'Start handling an open complaint'],
    [
      'resolve',
      'complaints.update',
      complaintResolve,
      'Resolve a complaint in progress, with the resolution',
    ],
    ['reopen', 'complaints.update', complaintReopen, 'Reopen a resolved complaint (back to in progress)'],
    [
      'close',
      'complaints.close',
      complaintClose,
      "Close a resolved complaint with the customer's satisfaction",
    ],
  ] as const;
  for (const [action, permission, body, summary] of transitions) {
    app.post(
      `/complaints/:id/${action}`,
      {
        config: { permission },
        schema: { tags, summary, params: idParams, body, response: responses(complaint) },
      },
      async (request) => {
        await transitionComplaint(app.db, request.ctx, request.params.id, {
          action,
          body: request.body,
        } as Parameters<typeof transitionComplaint>[3]);
        return getComplaint(app.db, request.ctx, request.params.id);
      },
    );
  }

  app.get(
    '/customers/:id/health',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary:
          "A customer's health 0–100 with its reasons: open and overdue complaints, low satisfaction, overdue follow-up",
        params: idParams,
        response: responses(customerHealth),
      },
    },
    async (request) => getCustomerHealth(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/complaint-settings',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'Complaint categories and SLA hours per severity',
        response: responses(complaintSettings),
      },
    },
    async () => presentComplaintSettings(await getComplaintSettings(app.db)),
  );

  app.patch(
    '/complaint-settings',
    {
      config: { permission: 'customer-settings.manage' },
      schema: {
        tags,
        summary: 'Change the complaint categories or SLA hours (new complaints use them)',
        body: complaintSettingsUpdate,
        response: responses(complaintSettings),
      },
    },
    async (request) => updateComplaintSettings(app.db, request.ctx, request.body),
  );
};
