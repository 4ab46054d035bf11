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
export const returnAction = z.enum(['approve', 'reject', 'cancel', 'receive', 'close']);

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

export const returnLine = z.object({
  id,
  orderLineId: id,
  productId: id,
  sku: z.string(),
  productName: z.string(),
  quantity: z.string(),
  unitPrice: fen,
  batchNo: z.string().nullable(),
  serialNos: z.array(z.string()),
  /** What credit notes gave back for this line (fen). */
  creditedAmount: fen,
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
  amount: fen,
  ownerId: id,
  ownerName: z.string().nullable(),
  createdAt: isoDateTime,
});

export const returnDetail = returnSummary.extend({
  note: z.string().nullable(),
  warehouseId: id.nullable(),
  decisionComment: z.string().nullable(),
  approvedAt: isoDateTime.nullable(),
  receivedAt: isoDateTime.nullable(),
  /** Returned value not credited because the invoice had nothing open left (a refund is due). */
  uncreditedAmount: fen,
  lines: z.array(returnLine),
  creditNotes: z.array(z.object({ id, number: z.string(), invoiceId: id, total: fen })),
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
  unitPrice: fen,
});
export const returnable = z.object({ orderId: id, orderNumber: z.string(), lines: z.array(returnableLine) });
