import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  ProductionRequestStatusValue,
  SalesOrderChannelValue,
  SalesOrderStateValue,
  ShipmentStateValue,
} from '../../../../contracts/sales-orders.js';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { customers } from '../../customers/schema.js';
import { products } from '../catalog/schema.js';
import { warehouses } from '../stock/schema.js';

const quantity = (name: string) => numeric(name, { precision: 16, scale: 3 });
const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * Sales orders (销售订单). Owned records (owner_id + org_unit_id, normally the customer's owner and
 * unit). `idempotency_key` + `request_hash`: a retried creation answers the first order.
 */
export const salesOrders = pgTable(
  'sales_orders',
  {
    id: idColumn(),
    number: text('number').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    contactId: uuid('contact_id'),
    channel: text('channel').$type<SalesOrderChannelValue>().notNull().default('direct'),
    contractId: uuid('contract_id'),
    quoteId: uuid('quote_id'),
    orderDate: date('order_date').notNull(),
    currency: text('currency').notNull().default('CNY'),
    state: text('state').$type<SalesOrderStateValue>().notNull().default('draft'),
    /** Confirmed with some line not fully reserved: a production request covers the rest. */
    shortage: boolean('shortage').notNull().default(false),
    total: money('total').notNull().default(0),
    tax: money('tax').notNull().default(0),
    /** What invoices cover so far (kept by the invoicing service through recordOrderInvoiced). */
    invoicedAmount: money('invoiced_amount').notNull().default(0),
    notes: text('notes'),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    approvalRequestId: uuid('approval_request_id'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('sales_orders_number_idx').on(t.number),
    uniqueIndex('sales_orders_idempotency_idx')
      .on(t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('sales_orders_created_idx').on(t.createdAt, t.id),
    index('sales_orders_customer_idx').on(t.customerId, t.state),
    index('sales_orders_owner_idx').on(t.ownerId, t.createdAt),
    index('sales_orders_org_unit_idx').on(t.orgUnitId, t.createdAt),
    index('sales_orders_contract_idx').on(t.contractId).where(sql`${t.contractId} is not null`),
    // The sales facts refresh: orders changed since its watermark, and the orders booked on the
    // days it recomputes (analytics/facts/refresh.ts).
    index('sales_orders_updated_idx').on(t.updatedAt),
    index('sales_orders_confirmed_idx').on(t.confirmedAt).where(sql`${t.confirmedAt} is not null`),
    check(
      'sales_orders_state_check',
      sql`${t.state} in ('draft', 'pending_credit', 'confirmed', 'partially_shipped', 'shipped', 'completed', 'cancelled')`,
    ),
    check('sales_orders_channel_check', sql`${t.channel} in ('direct', 'store', 'online', 'partner')`),
    check('sales_orders_money_check', sql`${t.total} >= 0 and ${t.tax} >= 0 and ${t.invoicedAmount} >= 0`),
  ],
);

/** Order lines: the price as decided at ordering, the warehouse it ships from, what is reserved and shipped. */
export const salesOrderLines = pgTable(
  'sales_order_lines',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => salesOrders.id),
    seq: integer('seq').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: quantity('quantity').notNull(),
    listPrice: money('list_price').notNull(),
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2 }).notNull().default('0'),
    unitPrice: money('unit_price').notNull(),
    priceSource: text('price_source').$type<'resolved' | 'entered' | 'quote'>().notNull(),
    floorPrice: money('floor_price'),
    taxRate: numeric('tax_rate', { precision: 5, scale: 4 }).notNull(),
    amount: money('amount').notNull(),
    tax: money('tax').notNull(),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    reservedQuantity: quantity('reserved_quantity').notNull().default('0'),
    shippedQuantity: quantity('shipped_quantity').notNull().default('0'),
  },
  (t) => [
    uniqueIndex('sales_order_lines_seq_idx').on(t.orderId, t.seq),
    index('sales_order_lines_product_idx').on(t.productId),
    check('sales_order_lines_quantity_check', sql`${t.quantity} > 0`),
    check(
      'sales_order_lines_shipped_check',
      sql`${t.shippedQuantity} >= 0 and ${t.shippedQuantity} <= ${t.quantity}`,
    ),
    check('sales_order_lines_money_check', sql`${t.amount} >= 0 and ${t.tax} >= 0`),
  ],
);

/** Shipments (发货单): from one warehouse; posting issues the stock, delivery records the signature. */
export const shipments = pgTable(
  'shipments',
  {
    id: idColumn(),
    number: text('number').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => salesOrders.id),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    state: text('state').$type<ShipmentStateValue>().notNull().default('draft'),
    carrier: text('carrier'),
    trackingNo: text('tracking_no'),
    amount: money('amount').notNull().default(0),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    postedBy: uuid('posted_by'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    signedBy: text('signed_by'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('shipments_number_idx').on(t.number),
    uniqueIndex('shipments_idempotency_idx').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('shipments_order_idx').on(t.orderId, t.createdAt),
    // The sales facts refresh: shipments changed since its watermark, and those posted on its days.
    index('shipments_updated_idx').on(t.updatedAt),
    index('shipments_posted_idx').on(t.postedAt).where(sql`${t.postedAt} is not null`),
    check('shipments_state_check', sql`${t.state} in ('draft', 'posted', 'delivered')`),
  ],
);

export const shipmentLines = pgTable(
  'shipment_lines',
  {
    id: idColumn(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .references(() => salesOrderLines.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: quantity('quantity').notNull(),
    /** The order line's amount for this quantity (fen); set on posting, the last shipment takes the rest. */
    amount: money('amount').notNull().default(0),
    batchNo: text('batch_no'),
    serialNos: text('serial_nos').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    index('shipment_lines_shipment_idx').on(t.shipmentId),
    index('shipment_lines_order_line_idx').on(t.orderLineId),
    check('shipment_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/** Production / purchase requests (生产/采购需求): what a confirmed order could not reserve. */
export const productionRequests = pgTable(
  'production_requests',
  {
    id: idColumn(),
    number: text('number').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => salesOrders.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .references(() => salesOrderLines.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    quantity: quantity('quantity').notNull(),
    status: text('status').$type<ProductionRequestStatusValue>().notNull().default('open'),
    note: text('note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('production_requests_number_idx').on(t.number),
    index('production_requests_status_idx').on(t.status, t.createdAt, t.id),
    index('production_requests_order_idx').on(t.orderId),
    check('production_requests_status_check', sql`${t.status} in ('open', 'fulfilled', 'cancelled')`),
    check('production_requests_quantity_check', sql`${t.quantity} > 0`),
  ],
);
