import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, quantity, requiredText, shortText, version } from './common.js';

// Purchase receipts (采购入库), cycle counts (盘点) and low stock (补货提醒). Quantities are
// decimal strings; unit costs are fen and only travel to and from holders of products.cost.

const amount = z.string();
const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'format' });
const lotNo = requiredText(64);
/** A counted quantity may be zero ("none found"). */
const countedQuantity = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, { message: 'quantity' });

export const receiptStatus = z.enum(['draft', 'posted', 'reversed']);
export type ReceiptStatusValue = z.infer<typeof receiptStatus>;

export const receiptLineInput = z
  .object({
    productId: id,
    /** For serial-tracked products: the number of serials (may be left out). */
    quantity: quantity.optional(),
    /** Fen per unit, tax-inclusive; accepted only from holders of products.cost. */
    unitCost: fen.nullable().optional(),
    batchNo: lotNo.nullable().optional(),
    serialNos: z.array(lotNo).max(1000).optional(),
    producedOn: businessDate.nullable().optional(),
    expiresOn: businessDate.nullable().optional(),
  })
  .strict();

const receiptFields = {
  supplierName: requiredText(200),
  supplierNoteNo: shortText(64).nullable().optional(),
  warehouseId: id,
  receiptDate: businessDate.optional(),
  note: shortText(1000).nullable().optional(),
  lines: z.array(receiptLineInput).min(1).max(500),
};

export const receiptCreate = z.object(receiptFields).strict();
export const receiptUpdate = z
  .object({
    supplierName: receiptFields.supplierName.optional(),
    supplierNoteNo: receiptFields.supplierNoteNo,
    warehouseId: id.optional(),
    receiptDate: businessDate.optional(),
    note: receiptFields.note,
    lines: receiptFields.lines.optional(),
    version,
  })
  .strict();
export const receiptVersionBody = z.object({ version }).strict();
export const receiptReverse = z.object({ version, reason: requiredText(500) }).strict();

export const receiptLine = z.object({
  id,
  lineNo: z.number().int(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  specification: z.string().nullable(),
  uom: z.string(),
  trackingMode: z.enum(['none', 'batch', 'serial']),
  quantity: amount,
  /** Only for holders of products.cost; otherwise absent. */
  unitCost: fen.nullable().optional(),
  /** quantity × unit cost, rounded half-up to the fen. */
  lineCost: fen.nullable().optional(),
  batchNo: z.string().nullable(),
  serialNos: z.array(z.string()),
  producedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
});

export const receipt = z.object({
  id,
  number: z.string(),
  supplierName: z.string(),
  supplierNoteNo: z.string().nullable(),
  warehouseId: id,
  warehouseCode: z.string(),
  warehouseName: z.string(),
  receiptDate: z.string(),
  status: receiptStatus,
  note: z.string().nullable(),
  lineCount: z.number().int(),
  totalQuantity: amount,
  /** Sum of the lines' costs; only for holders of products.cost. */
  totalCost: fen.nullable().optional(),
  postedAt: isoDateTime.nullable(),
  postedByName: z.string().nullable(),
  reversedAt: isoDateTime.nullable(),
  reverseReason: z.string().nullable(),
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
  updatedAt: isoDateTime,
  version,
});
export type Receipt = z.infer<typeof receipt>;
export const receiptDetail = receipt.extend({ lines: z.array(receiptLine) });
export type ReceiptDetail = z.infer<typeof receiptDetail>;

export const receiptListQuery = listQuery
  .extend({
    status: receiptStatus.optional(),
    warehouseId: id.optional(),
    productId: id.optional(),
    from: businessDate.optional(),
    to: businessDate.optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Cycle counts

export const countStatus = z.enum(['draft', 'counting', 'posted', 'cancelled']);
export type CountStatusValue = z.infer<typeof countStatus>;

export const countCreate = z
  .object({
    warehouseId: id,
    /** Only this category (and its sub-categories). */
    categoryId: id.nullable().optional(),
    /** Only these products (with categoryId: both must hold). */
    productIds: z.array(id).max(2000).optional(),
    blind: z.boolean().default(false),
    note: shortText(1000).nullable().optional(),
  })
  .strict();

export const countEntry = z
  .object({
    /** Counted quantity of an existing line, or null to clear it. */
    lines: z
      .array(z.object({ lineId: id, counted: countedQuantity.nullable() }).strict())
      .max(5000)
      .default([]),
    /** Found on the shelf but not on the books (or not in the snapshot). */
    added: z
      .array(
        z
          .object({
            productId: id,
            batchNo: lotNo.nullable().optional(),
            serialNo: lotNo.nullable().optional(),
            counted: countedQuantity,
          })
          .strict(),
      )
      .max(500)
      .default([]),
    version,
  })
  .strict();
export const countVersionBody = z.object({ version }).strict();
export const countCancel = z.object({ version, reason: requiredText(500) }).strict();

export const countLine = z.object({
  id,
  lineNo: z.number().int(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  trackingMode: z.enum(['none', 'batch', 'serial']),
  batchNo: z.string().nullable(),
  serialNo: z.string().nullable(),
  /** Null in a blind count while it is open. */
  expected: amount.nullable(),
  counted: amount.nullable(),
  /** counted − expected (null until counted, or while blind). */
  variance: amount.nullable(),
  onHandAtPosting: amount.nullable(),
  /** What was posted: counted − on hand at posting. */
  difference: amount.nullable(),
  added: z.boolean(),
});

export const cycleCount = z.object({
  id,
  number: z.string(),
  warehouseId: id,
  warehouseCode: z.string(),
  warehouseName: z.string(),
  categoryId: id.nullable(),
  categoryName: z.string().nullable(),
  blind: z.boolean(),
  status: countStatus,
  note: z.string().nullable(),
  lineCount: z.number().int(),
  countedLines: z.number().int(),
  /** Lines whose count differs from the snapshot (after posting: from on hand at posting). */
  differingLines: z.number().int(),
  snapshotAt: isoDateTime,
  postedAt: isoDateTime.nullable(),
  cancelledAt: isoDateTime.nullable(),
  cancelReason: z.string().nullable(),
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
  updatedAt: isoDateTime,
  version,
});
export type CycleCount = z.infer<typeof cycleCount>;
export const cycleCountDetail = cycleCount.extend({ lines: z.array(countLine) });
export type CycleCountDetail = z.infer<typeof cycleCountDetail>;

export const countListQuery = listQuery
  .extend({ status: countStatus.optional(), warehouseId: id.optional() })
  .strict();

// ---------------------------------------------------------------------------------------------
// Low stock

export const lowStockRow = z.object({
  warehouseId: id,
  warehouseCode: z.string(),
  warehouseName: z.string(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  trackingMode: z.enum(['none', 'batch', 'serial']),
  onHand: amount,
  reserved: amount,
  available: amount,
  reorderPoint: amount,
  reorderQuantity: amount.nullable(),
  /** reorder quantity, or 2 × point − available when none is set. */
  suggestedQuantity: amount,
  notifiedAt: isoDateTime.nullable(),
});
export type LowStockRow = z.infer<typeof lowStockRow>;

export const lowStockQuery = listQuery.extend({ warehouseId: id.optional() }).strict();

/** Starts a receipt draft from low-stock rows of one location. */
export const receiptFromLowStock = z
  .object({
    warehouseId: id,
    productIds: z.array(id).min(1).max(500),
    supplierName: requiredText(200),
  })
  .strict();
