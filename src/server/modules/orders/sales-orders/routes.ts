import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  history,
  idParams,
  page,
  problem,
  productionRequest,
  productionRequestClose,
  productionRequestListQuery,
  salesOrder,
  salesOrderCancel,
  salesOrderCreate,
  salesOrderCreated,
  salesOrderListQuery,
  salesOrderPreview,
  salesOrderSummary,
  salesOrderUpdate,
  salesOrderVersion,
  shipment,
  shipmentCreate,
  shipmentDeliver,
  shipmentPost,
} from '../../../../contracts/index.js';
import { responses } from '../../../platform/http/responses.js';
import './export.js';
import './invoiceable.js';
import {
  closeProductionRequest,
  getProductionRequest,
  listProductionRequests,
} from './production-requests.service.js';
import { getSalesOrder, listSalesOrders, salesOrderHistory } from './sales-orders.queries.js';
import {
  cancelSalesOrder,
  confirmSalesOrder,
  createSalesOrder,
  previewSalesOrder,
  updateSalesOrder,
} from './sales-orders.service.js';
import { createShipment, deliverShipment, getShipment, postShipment } from './shipments.service.js';

const tags = ['orders'];

/** The Idempotency-Key header of a write that must not happen twice. */
function idempotencyKey(headers: Record<string, unknown>): string | undefined {
  const value = headers['idempotency-key'];
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

/** A create that answers 201, or 200 with `replayed` when the Idempotency-Key was seen before. */
const created = <T extends typeof salesOrderCreated | typeof shipment>(body: T) => ({
  200: body,
  201: body,
  '4xx': problem,
  '5xx': problem,
});

/** Sales orders, their shipments, and the production requests of shortages. */
export const salesOrdersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sales-orders',
    {
      config: { permission: 'sales-orders.read' },
      schema: {
        tags,
        summary:
          'Orders I can see: by state, customer, channel, owner, contract, order date; q on number or customer',
        querystring: salesOrderListQuery,
        response: responses(page(salesOrderSummary)),
      },
    },
    async (request) => listSalesOrders(app.db, request.ctx, request.query),
  );

  app.get(
    '/sales-orders/:id',
    {
      config: { permission: 'sales-orders.read' },
      schema: {
        tags,
        summary: 'One order: lines with reserved and shipped quantities, shipments, production requests',
        params: idParams,
        response: responses(salesOrder),
      },
    },
    async (request) => getSalesOrder(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/sales-orders/:id/history',
    {
      config: { permission: 'sales-orders.read' },
      schema: { tags, summary: "An order's history", params: idParams, response: responses(history) },
    },
    async (request) => salesOrderHistory(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/sales-orders',
    {
      config: { permission: 'sales-orders.create' },
      schema: {
        tags,
        summary:
          'Create a draft order (priced by resolution, or copied from an accepted quote); Idempotency-Key: a retry answers the first order',
        body: salesOrderCreate,
        response: created(salesOrderCreated),
      },
    },
    async (request, reply) => {
      const result = await createSalesOrder(app.db, request.ctx, request.body, {
        idempotencyKey: idempotencyKey(request.headers),
      });
      reply.code(result.replayed ? 200 : 201);
      return { ...(await getSalesOrder(app.db, request.ctx, result.id)), replayed: result.replayed };
    },
  );

  app.post(
    '/sales-orders/preview',
    {
      config: { permission: 'sales-orders.create' },
      schema: {
        tags,
        summary: 'Price an order without saving it (the form shows each line and the totals)',
        body: salesOrderCreate,
        response: responses(salesOrderPreview),
      },
    },
    async (request) => previewSalesOrder(app.db, request.ctx, request.body),
  );

  app.patch(
    '/sales-orders/:id',
    {
      config: { permission: 'sales-orders.update' },
      schema: {
        tags,
        summary: 'Change a draft order (versioned); lines are priced again',
        params: idParams,
        body: salesOrderUpdate,
        response: responses(salesOrder),
      },
    },
    async (request) => {
      await updateSalesOrder(app.db, request.ctx, request.params.id, request.body);
      return getSalesOrder(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/sales-orders/:id/confirm',
    {
      config: { permission: 'sales-orders.confirm' },
      schema: {
        tags,
        summary:
          'Confirm: credit check (over the limit → pending_credit and an approval), then stock reserved per line; shortages raise production requests',
        params: idParams,
        body: salesOrderVersion,
        response: responses(salesOrder),
      },
    },
    async (request) => {
      await confirmSalesOrder(app.db, request.ctx, request.params.id, request.body);
      return getSalesOrder(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/sales-orders/:id/cancel',
    {
      config: { permission: 'sales-orders.cancel' },
      schema: {
        tags,
        summary: 'Cancel before anything shipped: reservations released, open production requests cancelled',
        params: idParams,
        body: salesOrderCancel,
        response: responses(salesOrder),
      },
    },
    async (request) => {
      await cancelSalesOrder(app.db, request.ctx, request.params.id, request.body);
      return getSalesOrder(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/sales-orders/:id/shipments',
    {
      config: { permission: 'sales-orders.ship' },
      schema: {
        tags,
        summary:
          'A shipment from one warehouse (post: true posts it at once); quantities within what is open; Idempotency-Key',
        params: idParams,
        body: shipmentCreate,
        response: created(shipment),
      },
    },
    async (request, reply) => {
      const result = await createShipment(
        app.db,
        request.ctx,
        request.params.id,
        request.body,
        idempotencyKey(request.headers),
      );
      reply.code(result.replayed ? 200 : 201);
      return getShipment(app.db, request.ctx, result.id);
    },
  );

  app.get(
    '/shipments/:id',
    {
      config: { permission: 'sales-orders.read' },
      schema: { tags, summary: 'One shipment', params: idParams, response: responses(shipment) },
    },
    async (request) => getShipment(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/shipments/:id/post',
    {
      config: { permission: 'sales-orders.ship' },
      schema: {
        tags,
        summary: 'Post a draft shipment: stock issued (consuming the reservation), the customer e-mailed',
        params: idParams,
        body: shipmentPost,
        response: responses(shipment),
      },
    },
    async (request) => {
      await postShipment(app.db, request.ctx, request.params.id, request.body);
      return getShipment(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/shipments/:id/deliver',
    {
      config: { permission: 'sales-orders.ship' },
      schema: {
        tags,
        summary: 'Record delivery (签收) with who signed',
        params: idParams,
        body: shipmentDeliver,
        response: responses(shipment),
      },
    },
    async (request) => {
      await deliverShipment(app.db, request.ctx, request.params.id, request.body);
      return getShipment(app.db, request.ctx, request.params.id);
    },
  );

  app.get(
    '/production-requests',
    {
      config: { permission: 'production-requests.read' },
      schema: {
        tags,
        summary:
          'Production / purchase requests: by status, warehouse, product; q on its or the order number',
        querystring: productionRequestListQuery,
        response: responses(page(productionRequest)),
      },
    },
    async (request) => listProductionRequests(app.db, request.ctx, request.query),
  );

  for (const [verb, status] of [
    ['fulfil', 'fulfilled'],
    ['cancel', 'cancelled'],
  ] as const) {
    app.post(
      `/production-requests/:id/${verb}`,
      {
        config: { permission: 'production-requests.manage' },
        schema: {
          tags,
          summary: verb === 'fulfil' ? 'Mark an open request fulfilled' : 'Cancel an open request',
          params: idParams,
          body: productionRequestClose,
          response: responses(productionRequest),
        },
      },
      async (request) => {
        await closeProductionRequest(app.db, request.ctx, request.params.id, status, request.body);
        return getProductionRequest(app.db, request.params.id);
      },
    );
  }
};
