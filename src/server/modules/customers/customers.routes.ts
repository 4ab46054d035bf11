import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, ok, problem } from '../../../contracts/common.js';
import {
  collaboratorBody,
  collaboratorParams,
  contact,
  contactCreate,
  contactDirectoryQuery,
  contactListItem,
  contactListQuery,
  contactParams,
  contactUpdate,
  customer,
  customerCreate,
  customerListQuery,
  customerUpdate,
  duplicateCandidate,
  duplicateList,
  duplicateQuery,
  history,
  mergeBody,
  page,
} from '../../../contracts/index.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import { problemBody } from '../../platform/http/problem.js';
import { responses } from '../../platform/http/responses.js';
import './attachables.js';
import {
  createContact,
  getContact,
  listContactDirectory,
  listContacts,
  presentContact,
  setContactArchived,
  updateContact,
} from './contacts.service.js';
import {
  addCollaborator,
  createCustomer,
  getCustomer,
  listCustomers,
  mergeCustomer,
  PossibleDuplicateError,
  removeCollaborator,
  unmergeCustomer,
  updateCustomer,
} from './customers.service.js';
import { findDuplicateCustomers } from './dedupe.js';
import './import-export.js';

const tags = ['customers'];

/** 409 possible_duplicate carries the candidates, so the form can show them and ask to confirm. */
const duplicateProblem = problem.extend({ candidates: z.array(duplicateCandidate).optional() });

export const customersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Customers within my data scope: search by name, pinyin or initials; filters; keyset pages',
        querystring: customerListQuery,
        response: responses(page(customer)),
      },
    },
    async (request) => listCustomers(app.db, request.ctx, request.query),
  );

  app.get(
    '/customers/duplicates',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Probable duplicates of a name, phone or credit code, across all customers',
        querystring: duplicateQuery,
        response: responses(duplicateList),
      },
    },
    async (request) => ({ items: await findDuplicateCustomers(app.db, request.ctx, request.query) }),
  );

  app.get(
    '/customers/:id',
    {
      config: { permission: 'customers.read' },
      schema: { tags, summary: 'One customer', params: idParams, response: responses(customer) },
    },
    async (request) => getCustomer(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/customers',
    {
      config: { permission: 'customers.create' },
      schema: {
        tags,
        summary: 'Create a customer (409 possible_duplicate lists candidates unless confirmDuplicate)',
        body: customerCreate,
        response: { ...responses(customer, 201), 409: duplicateProblem },
      },
    },
    async (request, reply) => {
      try {
        const created = await createCustomer(app.db, request.ctx, request.body);
        reply.code(201);
        return getCustomer(app.db, request.ctx, created.id);
      } catch (err) {
        if (!(err instanceof PossibleDuplicateError)) throw err;
        return reply
          .code(409)
          .header('content-type', 'application/problem+json; charset=utf-8')
          .header('content-language', request.locale)
          .send({ ...problemBody(err, request.locale, request), candidates: err.candidates });
      }
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: "Change a customer's fields (the owner changes through the pool and assignment)",
        params: idParams,
        body: customerUpdate,
        response: responses(customer),
      },
    },
    async (request) => {
      await updateCustomer(app.db, request.ctx, request.params.id, request.body);
      return getCustomer(app.db, request.ctx, request.params.id);
    },
  );

  app.get(
    '/customers/:id/history',
    {
      config: { permission: 'customers.read' },
      schema: { tags, summary: "A customer's history", params: idParams, response: responses(history) },
    },
    async (request) => {
      await getCustomer(app.db, request.ctx, request.params.id);
      return recordHistory(app.db, 'customer', request.params.id);
    },
  );

  app.post(
    '/customers/:id/merge',
    {
      config: { permission: 'customers.merge' },
      schema: {
        tags,
        summary: 'Merge this customer into the survivor: contacts, activities, leads, files move; reversible',
        params: idParams,
        body: mergeBody,
        response: responses(customer),
      },
    },
    async (request) => {
      await mergeCustomer(app.db, request.ctx, request.params.id, request.body.survivorId);
      return getCustomer(app.db, request.ctx, request.body.survivorId);
    },
  );

  app.post(
    '/customers/:id/unmerge',
    {
      config: { permission: 'customers.merge' },
      schema: {
        tags,
        summary: 'Undo the merge of this customer, moving back exactly what the merge moved',
        params: idParams,
        response: responses(customer),
      },
    },
    async (request) => {
      await unmergeCustomer(app.db, request.ctx, request.params.id);
      return getCustomer(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/customers/:id/collaborators',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: 'Add a collaborator (they see the customer and work it with the owner)',
        params: idParams,
        body: collaboratorBody,
        response: responses(customer),
      },
    },
    async (request) => {
      await addCollaborator(app.db, request.ctx, request.params.id, request.body.userId);
      return getCustomer(app.db, request.ctx, request.params.id);
    },
  );

  app.delete(
    '/customers/:id/collaborators/:userId',
    {
      config: { permission: 'customers.update' },
      schema: { tags, summary: 'Remove a collaborator', params: collaboratorParams, response: responses(ok) },
    },
    async (request) => {
      await removeCollaborator(app.db, request.ctx, request.params.id, request.params.userId);
      return { ok: true as const };
    },
  );

  // Contacts: the customer's permissions and scope apply.

  app.get(
    '/contacts',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'The contacts directory: contacts of every customer one can see',
        querystring: contactDirectoryQuery,
        response: responses(page(contactListItem)),
      },
    },
    async (request) => listContactDirectory(app.db, request.ctx, request.query),
  );

  app.get(
    '/customers/:id/contacts',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "A customer's contacts, primary first",
        params: idParams,
        querystring: contactListQuery,
        response: responses(z.object({ items: z.array(contact) })),
      },
    },
    async (request) =>
      listContacts(app.db, request.ctx, request.params.id, {
        includeArchived: request.query.includeArchived ?? false,
      }),
  );

  app.get(
    '/customers/:id/contacts/:contactId',
    {
      config: { permission: 'customers.read' },
      schema: { tags, summary: 'One contact', params: contactParams, response: responses(contact) },
    },
    async (request) => getContact(app.db, request.ctx, request.params.id, request.params.contactId),
  );

  app.post(
    '/customers/:id/contacts',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: 'Add a contact (the first one, or one marked primary, becomes the primary contact)',
        params: idParams,
        body: contactCreate,
        response: responses(contact, 201),
      },
    },
    async (request, reply) => {
      const created = await createContact(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return presentContact(created);
    },
  );

  app.patch(
    '/customers/:id/contacts/:contactId',
    {
      config: { permission: 'customers.update' },
      schema: {
        tags,
        summary: 'Change a contact',
        params: contactParams,
        body: contactUpdate,
        response: responses(contact),
      },
    },
    async (request) =>
      presentContact(
        await updateContact(app.db, request.ctx, request.params.id, request.params.contactId, request.body),
      ),
  );

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    app.post(
      `/customers/:id/contacts/:contactId/${action}`,
      {
        config: { permission: 'customers.update' },
        schema: {
          tags,
          summary: archived
            ? 'Archive a contact (contacts are never deleted)'
            : 'Restore an archived contact',
          params: contactParams,
          response: responses(contact),
        },
      },
      async (request) =>
        presentContact(
          await setContactArchived(
            app.db,
            request.ctx,
            request.params.id,
            request.params.contactId,
            archived,
          ),
        ),
    );
  }
};
