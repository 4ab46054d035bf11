import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { products } from '../catalog/schema.js';

/** Quantities: numeric with three decimals (tonnes of fertiliser, metres of cable, units). */
const quantity = (name: string) => numeric(name, { precision: 16, scale: 3 });

export const LOCATION_KINDS = ['warehouse', 'store'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** Stock locations: warehouses and stores (门店). Archived, never deleted. */
export const warehouses = pgTable(
  'warehouses',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<LocationKind>().notNull().default('warehouse'),
    /** The org unit (region or store team) the location serves; null = company-wide. */
    orgUnitId: uuid('org_unit_id'),
    provinceCode: text('province_code'),
    cityCode: text('city_code'),
    address: text('address'),
    managerId: uuid('manager_id'),
    status: text('status').$type<'active' | 'archived'>().notNull().default('active'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('warehouses_code_idx').on(t.code),
    check('warehouses_kind_check', sql`${t.kind} in ('warehouse', 'store')`),
    check('warehouses_status_check', sql`${t.status} in ('active', 'archived')`),
  ],
);

/**
 * A batch (批次) or a serial number (a VIN, a compressor's serial) of a tracked product. A serial
 * is one lot for its whole life, so returning it reuses the lot and history follows it.
 */
export const stockLots = pgTable(
  'stock_lots',
  {
    id: idColumn(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    batchNo: text('batch_no'),
    serialNo: text('serial_no'),
    producedOn: date('produced_on'),
    expiresOn: date('expires_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stock_lots_batch_idx').on(t.productId, t.batchNo).where(sql`${t.batchNo} is not null`),
    uniqueIndex('stock_lots_serial_idx').on(t.productId, t.serialNo).where(sql`${t.serialNo} is not null`),
    index('stock_lots_serial_lookup_idx').on(t.serialNo).where(sql`${t.serialNo} is not null`),
    check('stock_lots_one_key_check', sql`(${t.batchNo} is null) <> (${t.serialNo} is null)`),
  ],
);

export const MOVEMENT_KINDS = [
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'adjustment',
  'return_in',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * The stock ledger. Append-only: a posted movement is never edited or deleted; a mistake is
 * corrected by a reversing movement (reverses_id). Quantity is signed: in > 0, out < 0.
 * `posting_key` makes a posting idempotent (a retried receipt or shipment posts once).
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: idColumn(),
    kind: text('kind').$type<MovementKind>().notNull(),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lotId: uuid('lot_id').references(() => stockLots.id),
    quantity: quantity('quantity').notNull(),
    /** Unit cost in fen for receipts (sensitive: products.cost). */
    unitCost: bigint('unit_cost', { mode: 'number' }),
    /** What caused it: purchase_receipt, sales_order, shipment, cycle_count, manual, opening, … */
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id'),
    /** Both legs of a transfer share it. */
    transferId: uuid('transfer_id'),
    reason: text('reason'),
    reversesId: uuid('reverses_id').references((): AnyPgColumn => stockMovements.id),
    postingKey: text('posting_key'),
    /** The business date of the movement (company time zone). */
    movementDate: date('movement_date').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
    postedBy: uuid('posted_by'),
  },
  (t) => [
    index('stock_movements_product_idx').on(t.productId, t.postedAt, t.id),
    index('stock_movements_warehouse_idx').on(t.warehouseId, t.postedAt, t.id),
    index('stock_movements_posted_idx').on(t.postedAt, t.id),
    index('stock_movements_source_idx').on(t.sourceType, t.sourceId),
    index('stock_movements_lot_idx').on(t.lotId).where(sql`${t.lotId} is not null`),
    uniqueIndex('stock_movements_reverses_idx').on(t.reversesId).where(sql`${t.reversesId} is not null`),
    uniqueIndex('stock_movements_posting_key_idx').on(t.postingKey).where(sql`${t.postingKey} is not null`),
    check('stock_movements_quantity_check', sql`${t.quantity} <> 0`),
    check(
      'stock_movements_kind_check',
      sql`${t.kind} in ('receipt', 'issue', 'transfer_out', 'transfer_in', 'adjustment', 'return_in')`,
    ),
    // In-kinds add, out-kinds take away; a reversal flips the sign of what it reverses.
    check(
      'stock_movements_sign_check',
      sql`${t.reversesId} is not null or ${t.kind} = 'adjustment'
        or (${t.kind} in ('receipt', 'transfer_in', 'return_in') and ${t.quantity} > 0)
        or (${t.kind} in ('issue', 'transfer_out') and ${t.quantity} < 0)`,
    ),
  ],
);

/**
 * On hand and reserved per location and product: a projection of the ledger kept in the same
 * transaction as each movement and reservation. The checks make "never negative" and
 * "reserved ≤ on hand" the database's promise, whatever runs concurrently.
 */
export const stockLevels = pgTable(
  'stock_levels',
  {
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    onHand: quantity('on_hand').notNull().default('0'),
    reserved: quantity('reserved').notNull().default('0'),
    /** Low-stock alert when available falls to or below it; null = no alert. */
    reorderPoint: quantity('reorder_point'),
    /** Suggested quantity to order when the alert fires. */
    reorderQuantity: quantity('reorder_quantity'),
    /** Set when the low-stock alert went out; cleared when stock is back above the point. */
    lowStockNotifiedAt: timestamp('low_stock_notified_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.warehouseId, t.productId] }),
    index('stock_levels_product_idx').on(t.productId),
    check('stock_levels_on_hand_check', sql`${t.onHand} >= 0`),
    check('stock_levels_reserved_check', sql`${t.reserved} >= 0 and ${t.reserved} <= ${t.onHand}`),
    check('stock_levels_reorder_check', sql`${t.reorderPoint} >= 0 and ${t.reorderQuantity} > 0`),
  ],
);

/** On hand per location and lot, for batch- and serial-tracked products. */
export const stockLotLevels = pgTable(
  'stock_lot_levels',
  {
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => stockLots.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    onHand: quantity('on_hand').notNull().default('0'),
  },
  (t) => [
    primaryKey({ columns: [t.warehouseId, t.lotId] }),
    index('stock_lot_levels_product_idx').on(t.productId, t.warehouseId),
    check('stock_lot_levels_on_hand_check', sql`${t.onHand} >= 0`),
  ],
);

export const RESERVATION_STATUSES = ['active', 'released', 'consumed'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * Stock promised to an order line. The key (e.g. `SO-2026-000123:line-2`) makes reserve
 * idempotent; what is left = quantity − consumed − released, and that is what counts in
 * stock_levels.reserved while the reservation is active.
 */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: idColumn(),
    key: text('key').notNull(),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: quantity('quantity').notNull(),
    consumed: quantity('consumed').notNull().default('0'),
    released: quantity('released').notNull().default('0'),
    status: text('status').$type<ReservationStatus>().notNull().default('active'),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id'),
    note: text('note'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('stock_reservations_key_idx').on(t.key),
    index('stock_reservations_level_idx').on(t.warehouseId, t.productId).where(sql`${t.status} = 'active'`),
    index('stock_reservations_source_idx').on(t.sourceType, t.sourceId),
    index('stock_reservations_created_idx').on(t.createdAt, t.id),
    check('stock_reservations_quantity_check', sql`${t.quantity} > 0`),
    check(
      'stock_reservations_remaining_check',
      sql`${t.consumed} >= 0 and ${t.released} >= 0 and ${t.consumed} + ${t.released} <= ${t.quantity}`,
    ),
    check('stock_reservations_status_check', sql`${t.status} in ('active', 'released', 'consumed')`),
  ],
);
