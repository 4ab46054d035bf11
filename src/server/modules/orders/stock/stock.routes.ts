import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, page } from '../../../../contracts/common.js';
import {
  availabilityRequest,
  availabilityResult,
  movementList,
  movementReverse,
  productStock,
  productStockQuery,
  reorderParams,
  reorderUpdate,
  reservation,
  reservationCreate,
  reservationKeyParams,
  reservationListQuery,
  reservationRelease,
  serialLocation,
  serialLookupQuery,
  stockAdjustment,
  stockLevel,
  stockLevelQuery,
  stockMovement,
  stockMovementQuery,
  stockTransfer,
} from '../../../../contracts/stock.js';
import { responses } from '../../../platform/http/responses.js';
import {
  findSerial,
  getReservation,
  getStockLevel,
  listMovements,
  listReservations,
  listStockLevels,
  productStock as readProductStock,
} from './stock.queries.js';
import {
  adjustStock,
  moveStock,
  orderAvailability,
  releaseByHand,
  reserveByHand,
  reverseStockMovement,
} from './stock.service.js';
import { setReorderPoint } from './warehouses.service.js';

const tags = ['stock'];

/** The Idempotency-Key header of a write that must not post twice. */
function idempotencyKey(headers: Record<string, unknown>): string | undefined {
  const value = headers['idempotency-key'];
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

/** Stock levels, the movement ledger, reservations and availability (locations: warehouses.routes.ts). */
export const stockRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- Levels ----------------------------------------------------------------------------------
  app.get(
    '/stock/levels',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'On hand, reserved and available by location and product; low stock only on request',
        querystring: stockLevelQuery,
        response: responses(page(stockLevel)),
      },
    },
    async (request) => listStockLevels(app.db, request.query),
  );

  app.put(
    '/stock/levels/:warehouseId/:productId/reorder',
    {
      config: { permission: 'stock.manage' },
      schema: {
        tags,
        summary: 'Set the reorder point and quantity of a product at a location (null clears them)',
        params: reorderParams,
        body: reorderUpdate,
        response: responses(stockLevel),
      },
    },
    async (request) => {
      await setReorderPoint(app.db, request.ctx, request.params, request.body);
      return (await getStockLevel(app.db, request.params.warehouseId, request.params.productId))!;
    },
  );

  app.get(
    '/stock/products/:id',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: "A product's stock by location, with its batches and serials (where each serial is now)",
        params: idParams,
        querystring: productStockQuery,
        response: responses(productStock),
      },
    },
    async (request) =>
      readProductStock(app.db, request.params.id, { includeIssued: request.query.includeIssued ?? false }),
  );

  app.get(
    '/stock/serials',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'Where a serial number (VIN) is now, and its last movement',
        querystring: serialLookupQuery,
        response: responses(z.object({ items: z.array(serialLocation) })),
      },
    },
    async (request) => ({ items: await findSerial(app.db, request.ctx, request.query.serialNo) }),
  );

  // --- Movements -------------------------------------------------------------------------------
  app.get(
    '/stock/movements',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'The movement ledger, newest first (unit cost only with products.cost)',
        querystring: stockMovementQuery,
        response: responses(page(stockMovement)),
      },
    },
    async (request) => listMovements(app.db, request.ctx, request.query),
  );

  app.post(
    '/stock/adjustments',
    {
      config: { permission: 'stock.move' },
      schema: {
        tags,
        summary: 'Adjust stock with a reason (盘盈 / 盘亏 / 报损 / 其他); Idempotency-Key posts once',
        body: stockAdjustment,
        response: responses(movementList, 201),
      },
    },
    async (request, reply) => {
      const items = await adjustStock(app.db, request.ctx, request.body, idempotencyKey(request.headers));
      reply.code(201);
      return { items };
    },
  );

  app.post(
    '/stock/transfers',
    {
      config: { permission: 'stock.move' },
      schema: {
        tags,
        summary: 'Move stock between two locations (both legs posted together); Idempotency-Key posts once',
        body: stockTransfer,
        response: responses(movementList, 201),
      },
    },
    async (request, reply) => {
      const items = await moveStock(app.db, request.ctx, request.body, idempotencyKey(request.headers));
      reply.code(201);
      return { items };
    },
  );

  app.post(
    '/stock/movements/:id/reverse',
    {
      config: { permission: 'stock.move' },
      schema: {
        tags,
        summary: 'Correct a posted movement by a reversing one (both legs of a transfer), with a reason',
        params: idParams,
        body: movementReverse,
        response: responses(movementList, 201),
      },
    },
    async (request, reply) => {
      const items = await reverseStockMovement(app.db, request.ctx, request.params.id, request.body.reason);
      reply.code(201);
      return { items };
    },
  );

  // --- Reservations ----------------------------------------------------------------------------
  app.get(
    '/stock/reservations',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'Reservations by location, product, status and source, newest first',
        querystring: reservationListQuery,
        response: responses(page(reservation)),
      },
    },
    async (request) => listReservations(app.db, request.query),
  );

  app.get(
    '/stock/reservations/:key',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'One reservation by its key',
        params: reservationKeyParams,
        response: responses(reservation),
      },
    },
    async (request) => getReservation(app.db, request.params.key),
  );

  app.post(
    '/stock/reservations',
    {
      config: { permission: 'stock.reserve' },
      schema: {
        tags,
        summary:
          'Reserve stock under a key (body or Idempotency-Key header): the same key again returns the first result',
        body: reservationCreate,
        response: responses(reservation, 201),
      },
    },
    async (request, reply) => {
      const result = await reserveByHand(app.db, request.ctx, request.body, idempotencyKey(request.headers));
      reply.code(201);
      return result;
    },
  );

  app.post(
    '/stock/reservations/:key/release',
    {
      config: { permission: 'stock.reserve' },
      schema: {
        tags,
        summary: 'Release what is left of a reservation, or part of it',
        params: reservationKeyParams,
        body: reservationRelease,
        response: responses(reservation),
      },
    },
    async (request) => releaseByHand(app.db, request.ctx, request.params.key, request.body.quantity),
  );

  app.post(
    '/stock/availability',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: "An order's lines → what each location has available, and the shortfall per line",
        body: availabilityRequest,
        response: responses(availabilityResult),
      },
    },
    async (request) => orderAvailability(app.db, request.body),
  );
};
