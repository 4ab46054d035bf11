import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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
import { productCategories, products } from '../catalog/schema.js';
import { stockLots, warehouses } from './schema.js';

// Cycle counts (盘点): a count of one location (optionally one category or a list of products).
// Creating it snapshots what the books expect; counters enter what they find; posting adjusts
// the books to the count in ONE posting (盘盈 / 盘亏). The count is the truth at posting time:
// the difference posted is counted − on hand at posting (stock may have moved since the snapshot).

export const COUNT_STATUSES = ['draft', 'counting', 'posted', 'cancelled'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

const quantity = (name: string) => numeric(name, { precision: 16, scale: 3 });

export const cycleCounts = pgTable(
  'cycle_counts',
  {
    id: idColumn(),
    /** CC-2026-000001 */
    number: text('number').notNull(),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    categoryId: uuid('category_id').references(() => productCategories.id),
    /** Blind count: counters do not see the expected quantities. */
    blind: boolean('blind').notNull().default(false),
    status: text('status').$type<CountStatus>().notNull().default('draft'),
    note: text('note'),
    snapshotAt: timestamp('snapshot_at', { withTimezone: true }).notNull().defaultNow(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    postedBy: uuid('posted_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('cycle_counts_number_idx').on(t.number),
    index('cycle_counts_created_idx').on(t.createdAt, t.id),
    index('cycle_counts_warehouse_idx').on(t.warehouseId, t.status),
    check('cycle_counts_status_check', sql`${t.status} in ('draft', 'counting', 'posted', 'cancelled')`),
  ],
);

/** One product (untracked) or one lot (batch / serial) of the count. */
export const cycleCountLines = pgTable(
  'cycle_count_lines',
  {
    id: idColumn(),
    countId: uuid('count_id')
      .notNull()
      .references(() => cycleCounts.id),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lotId: uuid('lot_id').references(() => stockLots.id),
    batchNo: text('batch_no'),
    serialNo: text('serial_no'),
    /** On hand at the snapshot (0 for a line added because it was found). */
    expected: quantity('expected').notNull(),
    counted: quantity('counted'),
    /** Filled at posting: on hand then, and counted − that. */
    onHandAtPosting: quantity('on_hand_at_posting'),
    difference: quantity('difference'),
    /** Added by the counters (found, not on the books). */
    added: boolean('added').notNull().default(false),
    countedAt: timestamp('counted_at', { withTimezone: true }),
    countedBy: uuid('counted_by'),
  },
  (t) => [
    uniqueIndex('cycle_count_lines_no_idx').on(t.countId, t.lineNo),
    index('cycle_count_lines_product_idx').on(t.productId),
    check('cycle_count_lines_counted_check', sql`${t.counted} >= 0`),
  ],
);
