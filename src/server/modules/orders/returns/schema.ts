import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  RefundMethodValue,
  ReturnReasonValue,
  ReturnStateValue,
  ReturnTypeValue,
} from '../../../../contracts/returns.js';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { customers } from '../../customers/schema.js';
import { products } from '../catalog/schema.js';
import { salesOrderLines, salesOrders } from '../sales-orders/schema.js';
import { warehouses } from '../stock/schema.js';

const quantity = (name: string) => numeric(name, { precision: 16, scale: 3 });
const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * Returns and exchanges (退换货, RMA `RA-…`) against a shipped sales order. Owned like the order
 * (owner_id + org_unit_id copied from it).
 */
export const salesReturns = pgTable(
  'sales_returns',
  {
    id: idColumn(),
    number: text('number').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => salesOrders.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    type: text('type').$type<ReturnTypeValue>().notNull(),
    reason: text('reason').$type<ReturnReasonValue>().notNull(),
    note: text('note'),
    state: text('state').$type<ReturnStateValue>().notNull().default('requested'),
    /** Σ line quantity × the order line's unit price (fen). */
    amount: money('amount').notNull().default(0),
    /** Returned value the invoices had no open amount left to credit (a refund is due). */
    uncreditedAmount: money('uncredited_amount').notNull().default(0),
    warehouseId: uuid('warehouse_id').references(() => warehouses.id),
    decisionComment: text('decision_comment'),
    approvedBy: uuid('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    receivedBy: uuid('received_by'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('sales_returns_number_idx').on(t.number),
    index('sales_returns_created_idx').on(t.createdAt, t.id),
    index('sales_returns_order_idx').on(t.orderId),
    index('sales_returns_owner_idx').on(t.ownerId, t.createdAt),
    index('sales_returns_org_unit_idx').on(t.orgUnitId, t.createdAt),
    check(
      'sales_returns_state_check',
      sql`${t.state} in ('requested', 'approved', 'received', 'closed', 'rejected', 'cancelled')`,
    ),
    check('sales_returns_type_check', sql`${t.type} in ('return', 'exchange')`),
    check(
      'sales_returns_reason_check',
      sql`${t.reason} in ('quality_defect', 'wrong_item', 'damaged_in_transit', 'changed_mind', 'other')`,
    ),
    check('sales_returns_money_check', sql`${t.amount} >= 0 and ${t.uncreditedAmount} >= 0`),
  ],
);

export const salesReturnLines = pgTable(
  'sales_return_lines',
  {
    id: idColumn(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => salesReturns.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .references(() => salesOrderLines.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: quantity('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    batchNo: text('batch_no'),
    serialNos: text('serial_nos').array().notNull().default(sql`'{}'::text[]`),
    creditedAmount: money('credited_amount').notNull().default(0),
  },
  (t) => [
    index('sales_return_lines_return_idx').on(t.returnId),
    index('sales_return_lines_order_line_idx').on(t.orderLineId),
    check('sales_return_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/**
 * Refunds (退款, `RF-2026-000001`) of a return's uncredited value: money paid back to the customer
 * for returned goods whose invoice had nothing open left to credit. Money records: never edited or
 * deleted (a trigger refuses UPDATE and DELETE); Σ per return ≤ the return's uncredited amount.
 */
export const salesReturnRefunds = pgTable(
  'sales_return_refunds',
  {
    id: idColumn(),
    number: text('number').notNull(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => salesReturns.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    amount: money('amount').notNull(),
    currency: text('currency').notNull().default('CNY'),
    method: text('method').$type<RefundMethodValue>().notNull(),
    refundDate: date('refund_date').notNull(),
    reference: text('reference'),
    note: text('note'),
    /** Idempotency-Key of the request that recorded it and a hash of that request's body. */
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    uniqueIndex('sales_return_refunds_number_idx').on(t.number),
    uniqueIndex('sales_return_refunds_idempotency_idx').on(t.idempotencyKey),
    index('sales_return_refunds_return_idx').on(t.returnId),
    index('sales_return_refunds_customer_idx').on(t.customerId, t.refundDate),
    check('sales_return_refunds_amount_check', sql`${t.amount} > 0`),
    check('sales_return_refunds_currency_check', sql`${t.currency} = 'CNY'`),
    check('sales_return_refunds_method_check', sql`${t.method} in ('bank_transfer', 'cash', 'online')`),
  ],
);
