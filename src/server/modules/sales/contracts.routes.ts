import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  contract,
  contractComplete,
  contractCreate,
  contractLedgerQuery,
  contractLedgerRow,
  contractListItem,
  contractListQuery,
  contractSign,
  contractSubmit,
  contractSubmitResult,
  contractTerminate,
  contractUpdate,
  history,
  idParams,
  page,
  splitQuery,
  splitResult,
} from '../../../contracts/index.js';
import { responses } from '../../platform/http/responses.js';
import { listContractLedger } from './contract-ledger.js';
import { splitEvenly } from './contracts.rules.js';
import {
  completeContract,
  contractHistory,
  createContract,
  getContract,
  listContracts,
  signContract,
  submitContract,
  terminateContract,
  updateContract,
} from './contracts.service.js';

const tags = ['sales'];

/** Contracts with their payment plan and review, and the contract ledger. */
export const contractsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/contracts',
    {
      config: { permission: 'contracts.read' },
      schema: {
        tags,
        summary: 'Contracts I can see: by state, customer, owner; search by number, title or customer',
        querystring: contractListQuery,
        response: responses(page(contractListItem)),
      },
    },
    async (request) => listContracts(app.db, request.ctx, request.query),
  );

  app.get(
    '/contracts/split',
    {
      config: { permission: 'contracts.read' },
      schema: {
        tags,
        summary: 'Split an amount (fen) evenly into n installments that sum exactly (remainder on the last)',
        querystring: splitQuery,
        response: responses(splitResult),
      },
    },
    async (request) => ({ amounts: splitEvenly(request.query.amount, request.query.n) }),
  );

  app.get(
    '/contracts/:id',
    {
      config: { permission: 'contracts.read' },
      schema: {
        tags,
        summary: 'One contract with its payment plan',
        params: idParams,
        response: responses(contract),
      },
    },
    async (request) => getContract(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/contracts/:id/history',
    {
      config: { permission: 'contracts.read' },
      schema: { tags, summary: "A contract's history", params: idParams, response: responses(history) },
    },
    async (request) => contractHistory(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/contracts',
    {
      config: { permission: 'contracts.create' },
      schema: {
        tags,
        summary: 'Draft a contract with its payment plan (installments must sum to the amount)',
        body: contractCreate,
        response: responses(contract, 201),
      },
    },
    async (request, reply) => {
      const id = await createContract(app.db, request.ctx, request.body);
      reply.code(201);
      return getContract(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/contracts/:id',
    {
      config: { permission: 'contracts.update' },
      schema: {
        tags,
        summary: 'Change a draft contract; installments, when given, replace the plan',
        params: idParams,
        body: contractUpdate,
        response: responses(contract),
      },
    },
    async (request) => {
      await updateContract(app.db, request.ctx, request.params.id, request.body);
      return getContract(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/contracts/:id/submit',
    {
      config: { permission: 'contracts.update' },
      schema: {
        tags,
        summary: 'Submit a draft for review (approvals engine: by amount and non-standard terms)',
        params: idParams,
        body: contractSubmit,
        response: responses(contractSubmitResult),
      },
    },
    async (request) => {
      const approval = await submitContract(app.db, request.ctx, request.params.id, request.body);
      return { contract: await getContract(app.db, request.ctx, request.params.id), approval };
    },
  );

  const transitions = [
    [
      'sign',
      'contracts.update',
      contractSign,
      signContract,
      'Mark an approved contract signed: it becomes active',
    ],
    ['complete', 'contracts.update', contractComplete, completeContract, 'Mark an active contract completed'],
    [
      'terminate',
      'contracts.terminate',
      contractTerminate,
      terminateContract,
      'Terminate a contract (draft, approved or active) with the reason',
    ],
  ] as const;
  for (const [action, permission, body, run, summary] of transitions) {
    app.post(
      `/contracts/:id/${action}`,
      {
        config: { permission },
        schema: { tags, summary, params: idParams, body, response: responses(contract) },
      },
      async (request) => {
        // biome-ignore lint/suspicious/noExplicitAny: each transition's body matches its own service
        await run(app.db, request.ctx, request.params.id, request.body as any);
        return getContract(app.db, request.ctx, request.params.id);
      },
    );
  }

  app.get(
    '/contract-ledger',
    {
      config: { permission: 'contracts.read' },
      schema: {
        tags,
        summary:
          'Contract ledger (合同管理台账): ordered, shipped, invoiced, collected and next installment due per contract',
        querystring: contractLedgerQuery,
        response: responses(page(contractLedgerRow)),
      },
    },
    async (request) => listContractLedger(app.db, request.ctx, request.query),
  );
};
