import { z } from 'zod';
import {
  fen,
  id,
  isoDateTime,
  listQuery,
  quantity,
  requiredText,
  shortText,
  signedQuantity,
  version,
} from './common.js';
import { divisionCode } from './org.js';

// Stock (库存): locations, levels, the movement ledger, reservations and availability. Quantities
// travel as decimal strings; "available" = on hand − reserved.

export const locationKind = z.enum(['warehouse', 'store']);
export type LocationKindValue = z.infer<typeof locationKind>;
export const locationStatus = z.enum(['active', 'archived']);
export const movementKind = z.enum([
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'adjustment',
  'return_in',
]);
export type MovementKindValue = z.infer<typeof movementKind>;
export const reservationStatus = z.enum(['active', 'released', 'consumed']);
export type ReservationStatusValue = z.infer<typeof reservationStatus>;
export const stockTrackingMode = z.enum(['none', 'batch', 'serial']);

/** Why stock was adjusted by hand: 盘盈 / 盘亏 / 报损 / 其他. */
export const adjustmentReason = z.enum(['count_gain', 'count_loss', 'damage', 'other']);
export type AdjustmentReasonValue = z.infer<typeof adjustmentReason>;

/** A plain decimal string as stored (may be zero, never a float). */
const amount = z.string();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'format' });
/** A reorder point may be zero ("alert when it runs out"). */
const nonNegativeQuantity = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, { message: 'quantity' });

/** An idempotency key (a reservation's key, or a manual posting's): letters, digits and . : @ # - _ */
const reservationKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:@#-]+$/, { message: 'format' });

// ---------------------------------------------------------------------------------------------
// Locations

const locationCode = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'format' });

export const warehouse = z.object({
  id,
  code: z.string(),
  name: z.string(),
  kind: locationKind,
  orgUnitId: id.nullable(),
  orgUnitName: z.string().nullable(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  /** "江苏省 南京市", for display. */
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  managerId: id.nullable(),
  managerName: z.string().nullable(),
  status: locationStatus,
  /** How many products have stock on hand here. */
  productsInStock: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Warehouse = z.infer<typeof warehouse>;

export const warehouseCreate = z
  .object({
    code: locationCode,
    name: requiredText(100),
    kind: locationKind.default('warehouse'),
    orgUnitId: id.nullable().optional(),
    provinceCode: divisionCode.nullable().optional(),
    cityCode: divisionCode.nullable().optional(),
    address: shortText(300).nullable().optional(),
    managerId: id.nullable().optional(),
  })
  .strict();

export const warehouseUpdate = z
  .object({
    code: locationCode.optional(),
    name: requiredText(100).optional(),
    kind: locationKind.optional(),
    orgUnitId: id.nullable().optional(),
    provinceCode: divisionCode.nullable().optional(),
    cityCode: divisionCode.nullable().optional(),
    address: shortText(300).nullable().optional(),
    managerId: id.nullable().optional(),
    version,
  })
  .strict();

export const warehouseVersionBody = z.object({ version }).strict();

export const warehouseListQuery = listQuery
  .extend({
    kind: locationKind.optional(),
    /** Default: active locations only. */
    status: z.enum(['active', 'archived', 'all']).optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Levels

export const stockLevel = z.object({
  warehouseId: id,
  warehouseCode: z.string(),
  warehouseName: z.string(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  trackingMode: stockTrackingMode,
  onHand: amount,
  reserved: amount,
  available: amount,
  reorderPoint: amount.nullable(),
  reorderQuantity: amount.nullable(),
  /** Available at or below the reorder point. */
  low: z.boolean(),
  updatedAt: isoDateTime,
});
export type StockLevel = z.infer<typeof stockLevel>;

export const stockLevelQuery = listQuery
  .extend({
    warehouseId: id.optional(),
    productId: id.optional(),
    /** The category and its sub-categories. */
    categoryId: id.optional(),
    lowOnly: z.stringbool().optional(),
    /** Rows with nothing on hand and nothing reserved are hidden unless asked for. */
    includeEmpty: z.stringbool().optional(),
  })
  .strict();

export const reorderParams = z.object({ warehouseId: id, productId: id }).strict();
export const reorderUpdate = z
  .object({
    reorderPoint: nonNegativeQuantity.nullable(),
    reorderQuantity: quantity.nullable(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Movements

export const stockMovement = z.object({
  id,
  kind: movementKind,
  warehouseId: id,
  warehouseCode: z.string(),
  warehouseName: z.string(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  lotId: id.nullable(),
  batchNo: z.string().nullable(),
  serialNo: z.string().nullable(),
  /** Signed: in > 0, out < 0. */
  quantity: amount,
  /** Unit cost in fen; only for holders of products.cost (null otherwise). */
  unitCost: fen.nullable(),
  sourceType: z.string(),
  sourceId: id.nullable(),
  transferId: id.nullable(),
  reason: z.string().nullable(),
  reversesId: id.nullable(),
  /** The movement that reversed this one, if any. */
  reversedById: id.nullable(),
  movementDate: z.string(),
  postedAt: isoDateTime,
  postedById: id.nullable(),
  postedByName: z.string().nullable(),
});
export type StockMovement = z.infer<typeof stockMovement>;

export const stockMovementQuery = listQuery
  .extend({
    warehouseId: id.optional(),
    productId: id.optional(),
    kind: movementKind.optional(),
    sourceType: z.string().max(50).optional(),
    sourceId: id.optional(),
    transferId: id.optional(),
    from: date.optional(),
    to: date.optional(),
  })
  .strict();

/** Tracked products need the batch or serial the stock moves under. */
const lotFields = {
  /** Posts once per key (or send the Idempotency-Key header). */
  key: reservationKey.optional(),
  batchNo: shortText(64).min(1).optional(),
  serialNo: shortText(64).min(1).optional(),
};

export const stockAdjustment = z
  .object({
    warehouseId: id,
    productId: id,
    /** Signed: a gain (盘盈) adds, a loss or damage takes away. */
    quantity: signedQuantity,
    reason: adjustmentReason,
    note: shortText(500).optional(),
    movementDate: date.optional(),
    ...lotFields,
  })
  .strict();

export const stockTransfer = z
  .object({
    fromWarehouseId: id,
    toWarehouseId: id,
    productId: id,
    quantity,
    note: shortText(500).optional(),
    ...lotFields,
  })
  .strict();

export const movementReverse = z.object({ reason: requiredText(500) }).strict();

export const movementList = z.object({ items: z.array(stockMovement) });

// ---------------------------------------------------------------------------------------------
// A product's stock by location, with its lots and serials

export const stockLotRow = z.object({
  lotId: id,
  batchNo: z.string().nullable(),
  serialNo: z.string().nullable(),
  /** Where it is; null for a serial no longer in stock (issued). */
  warehouseId: id.nullable(),
  warehouseName: z.string().nullable(),
  onHand: amount,
});

export const productStock = z.object({
  productId: id,
  sku: z.string(),
  uom: z.string(),
  trackingMode: stockTrackingMode,
  levels: z.array(stockLevel),
  totals: z.object({ onHand: amount, reserved: amount, available: amount }),
  lots: z.array(stockLotRow),
});
export type ProductStock = z.infer<typeof productStock>;

export const productStockQuery = z
  .object({
    /** Also serials that have left stock. */
    includeIssued: z.stringbool().optional(),
  })
  .strict();

export const serialLookupQuery = z.object({ serialNo: requiredText(64) }).strict();
export const serialLocation = z.object({
  productId: id,
  sku: z.string(),
  productName: z.string(),
  lotId: id,
  serialNo: z.string(),
  warehouseId: id.nullable(),
  warehouseName: z.string().nullable(),
  lastMovement: stockMovement.nullable(),
});

// ---------------------------------------------------------------------------------------------
// Reservations

export const reservation = z.object({
  id,
  key: z.string(),
  warehouseId: id,
  warehouseName: z.string(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  quantity: amount,
  consumed: amount,
  released: amount,
  /** quantity − consumed − released while active. */
  remaining: amount,
  status: reservationStatus,
  sourceType: z.string(),
  sourceId: id.nullable(),
  note: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  createdByName: z.string().nullable(),
});
export type Reservation = z.infer<typeof reservation>;

export const reservationCreate = z
  .object({
    /** The idempotency key; or send it as the Idempotency-Key header. */
    key: reservationKey.optional(),
    warehouseId: id,
    productId: id,
    quantity,
    sourceType: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z_]+$/, { message: 'format' })
      .default('manual'),
    sourceId: id.optional(),
    note: shortText(500).optional(),
  })
  .strict();

export const reservationKeyParams = z.object({ key: reservationKey }).strict();
export const reservationRelease = z.object({ quantity: quantity.optional() }).strict();

export const reservationListQuery = listQuery
  .extend({
    warehouseId: id.optional(),
    productId: id.optional(),
    status: reservationStatus.optional(),
    sourceType: z.string().max(50).optional(),
    sourceId: id.optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Availability for an order's lines

export const availabilityRequest = z
  .object({
    lines: z
      .array(z.object({ productId: id, quantity }).strict())
      .min(1)
      .max(500),
    /** Only these locations (default: every active one). */
    warehouseIds: z.array(id).max(100).optional(),
  })
  .strict();

export const availabilityLine = z.object({
  productId: id,
  sku: z.string(),
  productName: z.string(),
  quantity: amount,
  warehouses: z.array(
    z.object({
      warehouseId: id,
      warehouseName: z.string(),
      onHand: amount,
      reserved: amount,
      available: amount,
    }),
  ),
  available: amount,
  /** What is missing across the locations asked about (0 when it can be served). */
  shortfall: amount,
});
export const availabilityResult = z.object({ lines: z.array(availabilityLine), allAvailable: z.boolean() });
export type AvailabilityResult = z.infer<typeof availabilityResult>;
