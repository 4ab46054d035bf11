import { sql } from 'drizzle-orm';
import {
  bigint,
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
import { idColumn, rowColumns } from '../../../db/columns.js';
import { products } from '../catalog/schema.js';
import { warehouses } from './schema.js';

// Purchase receipts (采购入库, seed 003 化肥: 采购、入库、编号、规格和数量登记). There is no supplier
// master: the supplier is free text with their delivery note number, and the scan of that note
// is an attachment. A draft is edited freely (versioned); posting puts the lines on the ledger
// once; a posted receipt is corrected only by reversing it whole.

export const RECEIPT_STATUSES = ['draft', 'posted', 'reversed'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export const purchaseReceipts = pgTable(
  'purchase_receipts',
  {
    id: idColumn(),
    /** PR-2026-000001, given when the draft is created. */
    number: text('number').notNull(),
    supplierName: text('supplier_name').notNull(),
    /** The supplier's delivery note (送货单) number. */
    supplierNoteNo: text('supplier_note_no'),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    receiptDate: date('receipt_date').notNull(),
    status: text('status').$type<ReceiptStatus>().notNull().default('draft'),
    note: text('note'),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    postedBy: uuid('posted_by'),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversedBy: uuid('reversed_by'),
    reverseReason: text('reverse_reason'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('purchase_receipts_number_idx').on(t.number),
    index('purchase_receipts_created_idx').on(t.createdAt, t.id),
    index('purchase_receipts_date_idx').on(t.receiptDate, t.id),
    index('purchase_receipts_warehouse_idx').on(t.warehouseId, t.status),
    check('purchase_receipts_status_check', sql`${t.status} in ('draft', 'posted', 'reversed')`),
  ],
);

/**
 * A line: a product and quantity, the unit cost (fen, tax-inclusive; sensitive), and the batch
 * (batch-tracked) or the serial numbers (serial-tracked: quantity = number of serials, one
 * movement each).
 */
export const purchaseReceiptLines = pgTable(
  'purchase_receipt_lines',
  {
    id: idColumn(),
    receiptId: uuid('receipt_id')
      .notNull()
      .references(() => purchaseReceipts.id),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: numeric('quantity', { precision: 16, scale: 3 }).notNull(),
    unitCost: bigint('unit_cost', { mode: 'number' }),
    batchNo: text('batch_no'),
    serialNos: text('serial_nos').array().notNull().default(sql`'{}'::text[]`),
    producedOn: date('produced_on'),
    expiresOn: date('expires_on'),
  },
  (t) => [
    uniqueIndex('purchase_receipt_lines_no_idx').on(t.receiptId, t.lineNo),
    index('purchase_receipt_lines_product_idx').on(t.productId),
    check('purchase_receipt_lines_quantity_check', sql`${t.quantity} > 0`),
    check('purchase_receipt_lines_cost_check', sql`${t.unitCost} >= 0`),
  ],
);
