import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, page } from '../../../../contracts/common.js';
import {
  warehouse,
  warehouseCreate,
  warehouseListQuery,
  warehouseUpdate,
  warehouseVersionBody,
} from '../../../../contracts/stock.js';
import { responses } from '../../../platform/http/responses.js';
import {
  archiveWarehouse,
  createWarehouse,
  getWarehouse,
  listWarehouses,
  restoreWarehouse,
  updateWarehouse,
} from './warehouses.service.js';

const tags = ['stock'];

/** Stock locations: warehouses and stores. Read with stock.read, kept with stock.manage. */
export const warehousesRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- Locations -------------------------------------------------------------------------------
  app.get(
    '/warehouses',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'Stock locations (warehouses and stores), active by default',
        querystring: warehouseListQuery,
        response: responses(page(warehouse)),
      },
    },
    async (request) => listWarehouses(app.db, request.query),
  );

  app.get(
    '/warehouses/:id',
    {
      config: { permission: 'stock.read' },
      schema: { tags, summary: 'One stock location', params: idParams, response: responses(warehouse) },
    },
    async (request) => getWarehouse(app.db, request.params.id),
  );

  app.post(
    '/warehouses',
    {
      config: { permission: 'stock.manage' },
      schema: {
        tags,
        summary: 'Add a warehouse or store (code unique)',
        body: warehouseCreate,
        response: responses(warehouse, 201),
      },
    },
    async (request, reply) => {
      const id = await createWarehouse(app.db, request.ctx, request.body);
      reply.code(201);
      return getWarehouse(app.db, id);
    },
  );

  app.patch(
    '/warehouses/:id',
    {
      config: { permission: 'stock.manage' },
      schema: {
        tags,
        summary: 'Change a location (versioned)',
        params: idParams,
        body: warehouseUpdate,
        response: responses(warehouse),
      },
    },
    async (request) => {
      await updateWarehouse(app.db, request.ctx, request.params.id, request.body);
      return getWarehouse(app.db, request.params.id);
    },
  );

  app.post(
    '/warehouses/:id/archive',
    {
      config: { permission: 'stock.manage' },
      schema: {
        tags,
        summary: 'Archive a location that holds no stock (409 while it does)',
        params: idParams,
        body: warehouseVersionBody,
        response: responses(warehouse),
      },
    },
    async (request) => {
      await archiveWarehouse(app.db, request.ctx, request.params.id, request.body.version);
      return getWarehouse(app.db, request.params.id);
    },
  );

  app.post(
    '/warehouses/:id/restore',
    {
      config: { permission: 'stock.manage' },
      schema: {
        tags,
        summary: 'Bring an archived location back into use',
        params: idParams,
        body: warehouseVersionBody,
        response: responses(warehouse),
      },
    },
    async (request) => {
      await restoreWarehouse(app.db, request.ctx, request.params.id, request.body.version);
      return getWarehouse(app.db, request.params.id);
    },
  );
};
