import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, quantity, shortText, version } from './common.js';

// Sales orders (销售订单), their shipments (发货) and the production requests (生产/采购需求) a
// shortage raises. Money in fen, quantities as decimal strings.

export const salesOrderState = z.enum([
  'draft',
  'pending_credit',
  'confirmed',
  'partially_shipped',
  'shipped',
  'completed',
  'cancelled',
]);
export type SalesOrderStateValue = z.infer<typeof salesOrderState>;
export const salesOrderChannel = z.enum(['direct', 'store', 'online', 'partner']);
export type SalesOrderChannelValue = z.infer<typeof salesOrderChannel>;
export const salesOrderAction = z.enum(['edit', 'confirm', 'cancel', 'ship']);
export type SalesOrderActionValue = z.infer<typeof salesOrderAction>;
export const shipmentState = z.enum(['draft', 'posted', 'delivered']);
export type ShipmentStateValue = z.infer<typeof shipmentState>;
export const productionRequestStatus = z.enum(['open', 'fulfilled', 'cancelled']);
export type ProductionRequestStatusValue = z.infer<typeof productionRequestStatus>;

/** A rate as a fraction, e.g. "0.13". */
const taxRate = z
  .string()
  .trim()
  .regex(/^0(\.\d{1,4})?$/, { message: 'format' });
const percent = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'format' })
  .refine((v) => Number(v) <= 100, { message: 'format' });

export const salesOrderLineInput = z
  .object({
    productId: id,
    quantity,
    /** Line discount in percent off the resolved price; ignored when unitPrice is given. */
    discountPercent: percent.optional(),
    /** A price of one's own (fen, tax-inclusive); refused below the price list's floor. */
    unitPrice: fen.optional(),
    /** Default: the product's VAT rate. */
    taxRate: taxRate.optional(),
    /** Default: the order's warehouse, else the first active warehouse. */
    warehouseId: id.optional(),
  })
  .strict();

export const salesOrderCreate = z
  .object({
    customerId: id,
    contactId: id.optional(),
    channel: salesOrderChannel.default('direct'),
    /** An active contract of the same customer. */
    contractId: id.optional(),
    /** An accepted quote of the same customer: its lines and prices are copied. */
    quoteId: id.optional(),
    warehouseId: id.optional(),
    notes: shortText(1000).optional(),
    /** Required unless the order comes from a quote. */
    lines: z.array(salesOrderLineInput).max(500).optional(),
  })
  .strict();
export type SalesOrderCreate = z.infer<typeof salesOrderCreate>;

export const salesOrderUpdate = z
  .object({
    contactId: id.nullable().optional(),
    channel: salesOrderChannel.optional(),
    warehouseId: id.optional(),
    notes: shortText(1000).nullable().optional(),
    /** Replaces the lines (not on an order copied from a quote). */
    lines: z.array(salesOrderLineInput).min(1).max(500).optional(),
    version,
  })
  .strict();
export type SalesOrderUpdate = z.infer<typeof salesOrderUpdate>;

export const salesOrderVersion = z.object({ version }).strict();
export const salesOrderCancel = z.object({ reason: shortText(500).optional(), version }).strict();

/**
 * Prices are a sensitive action (`sales-orders.prices`; by default every role reading orders but
 * the warehouse): without it the money keys marked "priced" below are absent from the answer.
 */
const priced = <T extends z.ZodType>(schema: T) =>
  schema.optional().describe('absent without sales-orders.prices');

export const salesOrderLine = z.object({
  id,
  seq: z.number().int(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  trackingMode: z.enum(['none', 'batch', 'serial']),
  quantity: z.string(),
  listPrice: priced(fen),
  discountPercent: priced(z.string()),
  unitPrice: priced(fen),
  priceSource: z.enum(['resolved', 'entered', 'quote']),
  floorPrice: priced(fen.nullable()),
  taxRate: z.string(),
  amount: priced(fen),
  tax: priced(fen),
  warehouseId: id,
  warehouseName: z.string(),
  reservedQuantity: z.string(),
  shippedQuantity: z.string(),
  /** Ordered − shipped. */
  openQuantity: z.string(),
  shortQuantity: z.string(),
});

export const shipmentLine = z.object({
  id,
  orderLineId: id,
  productId: id,
  sku: z.string(),
  productName: z.string(),
  quantity: z.string(),
  amount: priced(fen),
  batchNo: z.string().nullable(),
  serialNos: z.array(z.string()),
});

export const shipment = z.object({
  id,
  number: z.string(),
  orderId: id,
  orderNumber: z.string(),
  customerName: z.string(),
  warehouseId: id,
  warehouseName: z.string(),
  state: shipmentState,
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  postedAt: isoDateTime.nullable(),
  deliveredAt: isoDateTime.nullable(),
  signedBy: z.string().nullable(),
  amount: priced(fen),
  lines: z.array(shipmentLine),
  createdAt: isoDateTime,
  version,
});
export type Shipment = z.infer<typeof shipment>;

export const productionRequest = z.object({
  id,
  number: z.string(),
  orderId: id,
  orderNumber: z.string(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  warehouseId: id,
  warehouseName: z.string(),
  quantity: z.string(),
  status: productionRequestStatus,
  note: z.string().nullable(),
  createdAt: isoDateTime,
  closedAt: isoDateTime.nullable(),
  version,
});
export type ProductionRequest = z.infer<typeof productionRequest>;

export const salesOrderSummary = z.object({
  id,
  number: z.string(),
  customerId: id,
  customerName: z.string(),
  channel: salesOrderChannel,
  state: salesOrderState,
  shortage: z.boolean(),
  total: priced(fen),
  currency: z.string(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitName: z.string(),
  orderDate: z.string(),
  createdAt: isoDateTime,
});
export type SalesOrderSummary = z.infer<typeof salesOrderSummary>;

export const salesOrder = salesOrderSummary.extend({
  contactId: id.nullable(),
  contactName: z.string().nullable(),
  contractId: id.nullable(),
  contractNumber: z.string().nullable(),
  quoteId: id.nullable(),
  quoteNumber: z.string().nullable(),
  notes: z.string().nullable(),
  tax: priced(fen),
  totalExclTax: priced(fen),
  invoicedAmount: priced(fen),
  orgUnitId: id,
  approvalRequestId: id.nullable(),
  confirmedAt: isoDateTime.nullable(),
  cancelledAt: isoDateTime.nullable(),
  cancelReason: z.string().nullable(),
  lines: z.array(salesOrderLine),
  shipments: z.array(shipment),
  productionRequests: z.array(productionRequest),
  actions: z.array(salesOrderAction),
  updatedAt: isoDateTime,
  version,
});
export type SalesOrder = z.infer<typeof salesOrder>;

/** The answer to a create: `replayed` when the Idempotency-Key named an order made before. */
export const salesOrderCreated = salesOrder.extend({ replayed: z.boolean() });

export const salesOrderListQuery = listQuery
  .extend({
    state: salesOrderState.optional(),
    customerId: id.optional(),
    channel: salesOrderChannel.optional(),
    ownerId: id.optional(),
    contractId: id.optional(),
    /** mine: orders I own; team (default): every order I can see. */
    who: z.enum(['mine', 'team']).optional(),
    /** Order date range (YYYY-MM-DD, inclusive). */
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .strict();

export const shipmentLineInput = z
  .object({
    orderLineId: id,
    quantity,
    batchNo: shortText(100).optional(),
    /** Serial-tracked products: one serial number per unit shipped. */
    serialNos: z.array(shortText(100).min(1)).max(500).optional(),
  })
  .strict();

export const shipmentCreate = z
  .object({
    warehouseId: id,
    carrier: shortText(100).optional(),
    trackingNo: shortText(100).optional(),
    lines: z.array(shipmentLineInput).min(1).max(500),
    /** Post at once (stock leaves the warehouse, the customer is told). */
    post: z.boolean().default(false),
  })
  .strict();
export type ShipmentCreate = z.infer<typeof shipmentCreate>;

export const shipmentPost = z
  .object({ carrier: shortText(100).optional(), trackingNo: shortText(100).optional(), version })
  .strict();
export const shipmentDeliver = z
  .object({ deliveredAt: isoDateTime.optional(), signedBy: shortText(100).min(1), version })
  .strict();

export const productionRequestListQuery = listQuery
  .extend({
    status: productionRequestStatus.optional(),
    warehouseId: id.optional(),
    productId: id.optional(),
  })
  .strict();
export const productionRequestClose = z.object({ note: shortText(500).optional(), version }).strict();

/** What the order form shows while typing: each line priced by the server, and the totals. */
export const salesOrderPreview = z.object({
  lines: z.array(
    z.object({
      productId: id,
      listPrice: fen,
      floorPrice: fen.nullable(),
      unitPrice: fen,
      discountPercent: z.string(),
      taxRate: z.string(),
      amount: fen,
      tax: fen,
      belowFloor: z.boolean(),
    }),
  ),
  total: fen,
  tax: fen,
  totalExclTax: fen,
});
export type SalesOrderPreview = z.infer<typeof salesOrderPreview>;
