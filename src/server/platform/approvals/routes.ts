import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  approvalAction,
  approvalCounts as approvalCountsSchema,
  approvalPolicy,
  approvalPolicyUpdate,
  approvalQuery,
  approvalRequestView,
  delegation,
  delegationCreate,
  docTypeParams,
  idParams,
  page,
  timelineQuery,
  withdrawInput,
} from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import {
  actOnApproval,
  approvalCounts,
  approvalTimeline,
  getApproval,
  listApprovals,
  withdrawApproval,
} from './approvals.service.js';
import { cancelDelegation, createDelegation, listDelegations } from './delegations.service.js';
import { listPolicies, savePolicy } from './policies.service.js';

export const approvalRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['approvals'];
  // Anyone signed in may use the inbox; what each person sees and may do is decided per request.
  const self = { permission: 'self' };

  app.get(
    '/approvals',
    {
      config: self,
      schema: {
        tags,
        summary: 'My approvals: waiting for me, decided by me, or submitted by me',
        querystring: approvalQuery,
        response: responses(page(approvalRequestView)),
      },
    },
    async (request) => listApprovals(app.db, request.ctx, request.query),
  );
  app.get(
    '/approvals/counts',
    {
      config: self,
      schema: { tags, summary: 'How many approvals wait for me', response: responses(approvalCountsSchema) },
    },
    async (request) => approvalCounts(app.db, request.ctx),
  );
  app.get(
    '/approvals/timeline',
    {
      config: self,
      schema: {
        tags,
        summary: "A document's approval rounds, newest first",
        querystring: timelineQuery,
        response: responses(z.object({ items: z.array(approvalRequestView) })),
      },
    },
    async (request) => approvalTimeline(app.db, request.ctx, request.query.docType, request.query.docId),
  );
  app.get(
    '/approvals/:id',
    {
      config: self,
      schema: {
        tags,
        summary: 'One approval request',
        params: idParams,
        response: responses(approvalRequestView),
      },
    },
    async (request) => getApproval(app.db, request.ctx, request.params.id),
  );
  for (const kind of ['approve', 'reject', 'return'] as const) {
    app.post(
      `/approvals/:id/${kind}`,
      {
        config: self,
        schema: {
          tags,
          summary: {
            approve: 'Approve my step',
            reject: 'Reject (comment required)',
            return: 'Return for changes (comment required)',
          }[kind],
          params: idParams,
          body: approvalAction,
          response: responses(approvalRequestView),
        },
      },
      async (request) => actOnApproval(app.db, request.ctx, request.params.id, kind, request.body),
    );
  }
  app.post(
    '/approvals/:id/withdraw',
    {
      config: self,
      schema: {
        tags,
        summary: 'Withdraw my pending submission',
        params: idParams,
        body: withdrawInput,
        response: responses(approvalRequestView),
      },
    },
    async (request) => withdrawApproval(app.db, request.ctx, request.params.id, request.body.comment),
  );

  app.get(
    '/approval-policies',
    {
      config: { permission: 'approvals.manage' },
      schema: {
        tags,
        summary: 'Approval policies of every document type',
        response: responses(z.object({ items: z.array(approvalPolicy) })),
      },
    },
    async () => listPolicies(app.db),
  );
  app.put(
    '/approval-policies/:docType',
    {
      config: { permission: 'approvals.manage' },
      schema: {
        tags,
        summary: "Replace a document type's approval policy",
        params: docTypeParams,
        body: approvalPolicyUpdate,
        response: responses(approvalPolicy),
      },
    },
    async (request) => savePolicy(app.db, request.ctx, request.params.docType, request.body),
  );

  app.get(
    '/approval-delegations',
    {
      config: self,
      schema: {
        tags,
        summary: 'Current delegations by me or to me',
        response: responses(z.object({ items: z.array(delegation) })),
      },
    },
    async (request) => listDelegations(app.db, request.ctx),
  );
  app.post(
    '/approval-delegations',
    {
      config: self,
      schema: {
        tags,
        summary: 'Let someone decide my approvals while I am away',
        body: delegationCreate,
        response: responses(delegation, 201),
      },
    },
    async (request, reply) => reply.code(201).send(await createDelegation(app.db, request.ctx, request.body)),
  );
  app.post(
    '/approval-delegations/:id/cancel',
    {
      config: self,
      schema: { tags, summary: 'End a delegation now', params: idParams, response: responses(delegation) },
    },
    async (request) => cancelDelegation(app.db, request.ctx, request.params.id),
  );
};
