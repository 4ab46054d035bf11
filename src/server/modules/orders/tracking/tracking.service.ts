import { and, asc, eq, inArray } from 'drizzle-orm';
import type { TrackingQuery, TrackingResult } from '../../../../contracts/tracking.js';
import type { Db } from '../../../db/client.js';
import { AppError } from '../../../platform/errors.js';
import { contacts, customers } from '../../customers/schema.js';
import { products } from '../catalog/schema.js';
import { salesOrders, shipmentLines, shipments } from '../sales-orders/schema.js';
import { formatQuantity } from '../stock/ledger.js';
import { normaliseOrderNumber, phoneMatches, publicState } from './rules.js';

/** The one answer for an unknown order, a draft and a wrong phone alike: nothing is revealed. */
const notFound = () => new AppError('tracking_not_found');

/**
 * The public order lookup: the order with this number whose customer phone or order contact's
 * mobile/phone is the given number. Answers only the state, the order date and the shipments
 * (carrier, tracking number, dates, product names and quantities): no prices, names, addresses or ids.
 */
export async function trackOrder(db: Db, query: TrackingQuery): Promise<TrackingResult> {
  const [order] = await db
    .select({
      id: salesOrders.id,
      number: salesOrders.number,
      state: salesOrders.state,
      orderDate: salesOrders.orderDate,
      customerPhone: customers.phone,
      contactMobile: contacts.mobile,
      contactPhone: contacts.phone,
    })
    .from(salesOrders)
    .innerJoin(customers, eq(customers.id, salesOrders.customerId))
    .leftJoin(contacts, eq(contacts.id, salesOrders.contactId))
    .where(eq(salesOrders.number, normaliseOrderNumber(query.orderNumber)))
    .limit(1);
  if (!order) throw notFound();
  const state = publicState(order.state);
  if (!state) throw notFound();
  if (!phoneMatches(query.phone, [order.customerPhone, order.contactMobile, order.contactPhone])) {
    throw notFound();
  }

  const sent = await db
    .select({
      id: shipments.id,
      carrier: shipments.carrier,
      trackingNo: shipments.trackingNo,
      postedAt: shipments.postedAt,
      deliveredAt: shipments.deliveredAt,
    })
    .from(shipments)
    .where(and(eq(shipments.orderId, order.id), inArray(shipments.state, ['posted', 'delivered'])))
    .orderBy(asc(shipments.postedAt), asc(shipments.number));
  const lines = sent.length
    ? await db
        .select({
          shipmentId: shipmentLines.shipmentId,
          productName: products.name,
          quantity: shipmentLines.quantity,
        })
        .from(shipmentLines)
        .innerJoin(products, eq(products.id, shipmentLines.productId))
        .where(
          inArray(
            shipmentLines.shipmentId,
            sent.map((s) => s.id),
          ),
        )
        .orderBy(asc(shipmentLines.id))
    : [];

  return {
    orderNumber: order.number,
    state,
    orderDate: order.orderDate,
    shipments: sent.map((s) => ({
      carrier: s.carrier,
      trackingNo: s.trackingNo,
      shippedAt: (s.postedAt ?? new Date(0)).toISOString(),
      deliveredAt: s.deliveredAt?.toISOString() ?? null,
      lines: lines
        .filter((l) => l.shipmentId === s.id)
        .map((l) => ({ productName: l.productName, quantity: formatQuantity(l.quantity) })),
    })),
  };
}
