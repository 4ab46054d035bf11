import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, quantity, shortText, version } from './common.js';

// Returns and exchanges (退换货, RMA `RA-…`) against a shipped sales order. Quantities are decimal
// strings, money in fen.

export const returnState = z.enum(['requested', 'approved', 'received', 'closed', 'rejected', 'cancelled']);
export type ReturnStateValue = z.infer<typeof returnState>;
export const returnType = z.enum(['return', 'exchange']);
export type ReturnTypeValue = z.infer<typeof returnType>;
export const returnReason = z.enum([
  'quality_defect',
  'wrong_item',
  'damaged_in_transit',
  'changed_mind',
  'other',
]);
export type ReturnReasonValue = z.infer<typeof returnReason>;
export const returnAction = z.enum(['approve', 'reject', 'cancel', 'receive', 'close', 'refund']);
/** How a refund (退款) is paid back: bank transfer 银行转账, cash 现金, online 线上支付. */
export const refundMethod = z.enum(['bank_transfer', 'cash', 'online']);
export type RefundMethodValue = z.infer<typeof refundMethod>;

const serialNo = z.string().trim().min(1).max(100);

export const returnLineInput = z
  .object({
    orderLineId: id,
    quantity,
    batchNo: shortText(100).optional(),
    serialNos: z.array(serialNo).max(1000).optional(),
  })
  .strict();

export const returnCreate = z
  .object({
    orderId: id,
    type: returnType.default('return'),
    reason: returnReason,
    /** Required when the reason is "other". */
    note: shortText(1000).optional(),
    lines: z.array(returnLineInput).min(1).max(200),
  })
  .strict()
  .refine((v) => v.reason !== 'other' || !!v.note?.trim(), { path: ['note'], message: 'required' });
export type ReturnCreate = z.input<typeof returnCreate>;

export const returnDecision = z.object({ version, comment: shortText(500).optional() }).strict();
export const returnReceive = z
  .object({
    version,
    /** Where the goods go back into stock; default the order line's warehouse. */
    warehouseId: id.optional(),
  })
  .strict();

export const returnListQuery = listQuery
  .extend({
    state: returnState.optional(),
    type: returnType.optional(),
    orderId: id.optional(),
    customerId: id.optional(),
  })
  .strict();

/** Return values follow the order's prices: absent without `sales-orders.prices` (the warehouse by default). */
const priced = <T extends z.ZodType>(schema: T) =>
  schema.optional().describe('absent without sales-orders.prices');

export const returnLine = z.object({
  id,
  orderLineId: id,
  productId: id,
  sku: z.string(),
  productName: z.string(),
  quantity: z.string(),
  unitPrice: priced(fen),
  batchNo: z.string().nullable(),
  serialNos: z.array(z.string()),
  /** What credit notes gave back for this line (fen). */
  creditedAmount: priced(fen),
});

export const returnSummary = z.object({
  id,
  number: z.string(),
  orderId: id,
  orderNumber: z.string(),
  customerId: id,
  customerName: z.string(),
  type: returnType,
  reason: returnReason,
  state: returnState,
  /** Σ quantity × the order line's unit price (fen). */
  amount: priced(fen),
  ownerId: id,
  ownerName: z.string().nullable(),
  createdAt: isoDateTime,
});

/** A refund (退款, `RF-…`) of a return's uncredited value, recorded by finance with an Idempotency-Key. */
export const refundCreate = z
  .object({
    amount: fen.min(1),
    method: refundMethod,
    refundDate: z.iso.date(),
    /** Bank slip or transaction number. */
    reference: shortText(100).optional(),
    note: shortText(500).optional(),
  })
  .strict();
export type RefundCreate = z.input<typeof refundCreate>;

export const returnRefund = z.object({
  id,
  number: z.string(),
  amount: priced(fen),
  method: refundMethod,
  refundDate: z.string(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
});

export const returnDetail = returnSummary.extend({
  note: z.string().nullable(),
  warehouseId: id.nullable(),
  decisionComment: z.string().nullable(),
  approvedAt: isoDateTime.nullable(),
  receivedAt: isoDateTime.nullable(),
  /** Returned value not credited because the invoice had nothing open left (a refund is due). */
  uncreditedAmount: priced(fen),
  /** Σ refunds so far and what is still to refund (uncreditedAmount − refundedAmount), fen. */
  refundedAmount: priced(fen),
  refundDue: priced(fen),
  refunds: z.array(returnRefund),
  lines: z.array(returnLine),
  creditNotes: z.array(z.object({ id, number: z.string(), invoiceId: id, total: priced(fen) })),
  actions: z.array(returnAction),
  version,
});
export type ReturnDetail = z.infer<typeof returnDetail>;

/** Per order line: what may still be returned (shipped − already returned or requested). */
export const returnableQuery = z.object({ orderId: id }).strict();
export const returnableLine = z.object({
  orderLineId: id,
  productId: id,
  sku: z.string(),
  productName: z.string(),
  trackingMode: z.enum(['none', 'batch', 'serial']),
  shipped: z.string(),
  returned: z.string(),
  returnable: z.string(),
  unitPrice: priced(fen),
});
export const returnable = z.object({ orderId: id, orderNumber: z.string(), lines: z.array(returnableLine) });
