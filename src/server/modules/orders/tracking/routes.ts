import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { trackingQuery, trackingResult } from '../../../../contracts/index.js';
import { AppError } from '../../../platform/errors.js';
import { responses } from '../../../platform/http/responses.js';
import { normaliseOrderNumber } from './rules.js';
import { trackOrder } from './tracking.service.js';

/** Lookups per minute from one address: a customer needs a few; a script guessing pairs is throttled (429). */
export const TRACKING_RATE_PER_MINUTE = 10;
/** Lookups per hour of one order number, from any address: guessing the phone of a known number is throttled too. */
export const TRACKING_RATE_PER_ORDER_PER_HOUR = 10;

/**
 * The public order tracking endpoint (no sign-in). POST, so the phone number stays out of URLs,
 * browser history and access logs. Every lookup is logged (order number and outcome, never the phone).
 */
export const trackingRoutes: FastifyPluginAsyncZod = async (app) => {
  const perOrder = app.createRateLimit({
    max: TRACKING_RATE_PER_ORDER_PER_HOUR,
    timeWindow: '1 hour',
    keyGenerator: (request) =>
      `order-tracking:${normaliseOrderNumber(String((request.body as { orderNumber?: unknown })?.orderNumber ?? ''))}`,
  });

  app.post(
    '/public/order-tracking',
    {
      config: { public: true, rateLimit: { max: TRACKING_RATE_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        security: [],
        tags: ['orders'],
        summary:
          'Public order tracking: order number + the customer’s phone → state and shipments (rate limited per address and per order)',
        body: trackingQuery,
        response: responses(trackingResult),
      },
    },
    async (request) => {
      const orderNumber = normaliseOrderNumber(request.body.orderNumber);
      const limit = await perOrder(request);
      if (!limit.isAllowed && limit.isExceeded) {
        request.log.warn({ orderNumber, outcome: 'throttled' }, 'order tracking lookup');
        throw new AppError('rate_limited');
      }
      try {
        const result = await trackOrder(app.db, request.body);
        request.log.info({ orderNumber, outcome: 'found' }, 'order tracking lookup');
        return result;
      } catch (err) {
        if (err instanceof AppError && err.code === 'tracking_not_found') {
          request.log.info({ orderNumber, outcome: 'not_found' }, 'order tracking lookup');
        }
        throw err;
      }
    },
  );
};
