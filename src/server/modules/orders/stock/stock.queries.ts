import { Decimal } from 'decimal.js';
import { and, asc, count, desc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type {
  reservationListQuery,
  stockLevelQuery,
  stockMovementQuery,
} from '../../../../contracts/stock.js';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import { users } from '../../org/schema.js';
import { seesCost } from '../catalog/products.service.js';
import { productCategories, products } from '../catalog/schema.js';
import { formatQuantity } from './ledger.js';
import {
  stockLevels,
  stockLotLevels,
  stockLots,
  stockMovements,
  stockReservations,
  warehouses,
} from './schema.js';

// Reads of the stock ledger and its projections. Writes go through ledger.ts only.

/** Decimal strings as the API shows them: "12", "0.5" (no trailing zeros from numeric(16,3)). */

const available = sql`(${stockLevels.onHand} - ${stockLevels.reserved})`;
const isLow = sql<boolean>`(${stockLevels.reorderPoint} is not null and ${available} <= ${stockLevels.reorderPoint})`;

/** The category and every category below it. */
const inCategoryTree = (categoryId: string) => sql`${products.categoryId} in (
  with recursive tree(id) as (
    select ${categoryId}::uuid
    union all
    select c.id from ${productCategories} c join tree on c.parent_id = tree.id
  ) select id from tree)`;

function selectLevels(db: Db) {
  return db
    .select({
      level: stockLevels,
      warehouseCode: warehouses.code,
      warehouseName: warehouses.name,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      trackingMode: products.trackingMode,
      low: isLow,
    })
    .from(stockLevels)
    .innerJoin(warehouses, eq(warehouses.id, stockLevels.warehouseId))
    .innerJoin(products, eq(products.id, stockLevels.productId));
}
type LevelRow = Awaited<ReturnType<ReturnType<typeof selectLevels>['where']>>[number];

function presentLevel(r: LevelRow) {
  const l = r.level;
  return {
    warehouseId: l.warehouseId,
    warehouseCode: r.warehouseCode,
    warehouseName: r.warehouseName,
    productId: l.productId,
    sku: r.sku,
    productName: r.productName,
    uom: r.uom,
    trackingMode: r.trackingMode,
    onHand: formatQuantity(l.onHand),
    reserved: formatQuantity(l.reserved),
    available: formatQuantity(new Decimal(l.onHand).minus(l.reserved)),
    reorderPoint: l.reorderPoint === null ? null : formatQuantity(l.reorderPoint),
    reorderQuantity: l.reorderQuantity === null ? null : formatQuantity(l.reorderQuantity),
    low: !!r.low,
    updatedAt: l.updatedAt.toISOString(),
  };
}

/**
 * Stock levels by location and product: on hand, reserved, available and the reorder point.
 * Sorted by SKU then location (keyset on sku + warehouse id, unique per level).
 */
export async function listStockLevels(db: Db, query: z.infer<typeof stockLevelQuery>) {
  const page = keyset(query, { sku: products.sku }, stockLevels.warehouseId, 'sku');
  const pattern = containsPattern(query.q);
  const filter = whereAll(
    query.warehouseId ? eq(stockLevels.warehouseId, query.warehouseId) : undefined,
    query.productId ? eq(stockLevels.productId, query.productId) : undefined,
    query.categoryId ? inCategoryTree(query.categoryId) : undefined,
    query.lowOnly ? isLow : undefined,
    query.includeEmpty || query.lowOnly || query.productId
      ? undefined
      : sql`(${stockLevels.onHand} > 0 or ${stockLevels.reserved} > 0)`,
    pattern
      ? or(
          sql`${products.sku} ilike ${pattern}`,
          sql`${products.name} ilike ${pattern}`,
          sql`${products.namePinyin} ilike ${pattern}`,
        )
      : undefined,
  );
  const rows = await selectLevels(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .where(filter);
  const result = page.page(rows, n, (r) => [r.sku, r.level.warehouseId]);
  return { ...result, items: result.items.map(presentLevel) };
}

/** One level (zeros when nothing ever moved there). */
export async function getStockLevel(db: Db, warehouseId: string, productId: string) {
  const [row] = await selectLevels(db).where(
    and(eq(stockLevels.warehouseId, warehouseId), eq(stockLevels.productId, productId)),
  );
  return row ? presentLevel(row) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Movements

const reversal = alias(stockMovements, 'reversal');

function selectMovements(db: Db) {
  return db
    .select({
      m: stockMovements,
      warehouseCode: warehouses.code,
      warehouseName: warehouses.name,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      batchNo: stockLots.batchNo,
      serialNo: stockLots.serialNo,
      reversedById: reversal.id,
      postedByName: users.name,
    })
    .from(stockMovements)
    .innerJoin(warehouses, eq(warehouses.id, stockMovements.warehouseId))
    .innerJoin(products, eq(products.id, stockMovements.productId))
    .leftJoin(stockLots, eq(stockLots.id, stockMovements.lotId))
    .leftJoin(reversal, eq(reversal.reversesId, stockMovements.id))
    .leftJoin(users, eq(users.id, stockMovements.postedBy));
}
type MovementRow = Awaited<ReturnType<ReturnType<typeof selectMovements>['where']>>[number];

/** Unit costs are the cost price's kin: only holders of products.cost see them. */

function presentMovement(r: MovementRow, withCost: boolean) {
  const m = r.m;
  return {
    id: m.id,
    kind: m.kind,
    warehouseId: m.warehouseId,
    warehouseCode: r.warehouseCode,
    warehouseName: r.warehouseName,
    productId: m.productId,
    sku: r.sku,
    productName: r.productName,
    uom: r.uom,
    lotId: m.lotId,
    batchNo: r.batchNo,
    serialNo: r.serialNo,
    quantity: formatQuantity(m.quantity),
    unitCost: withCost ? m.unitCost : null,
    sourceType: m.sourceType,
    sourceId: m.sourceId,
    transferId: m.transferId,
    reason: m.reason,
    reversesId: m.reversesId,
    reversedById: r.reversedById,
    movementDate: m.movementDate,
    postedAt: m.postedAt.toISOString(),
    postedById: m.postedBy,
    postedByName: r.postedByName,
  };
}

/** The movement history, newest first: by location, product, kind, source and business date. */
export async function listMovements(db: Db, ctx: Ctx, query: z.infer<typeof stockMovementQuery>) {
  const page = keyset(query, { postedAt: stockMovements.postedAt }, stockMovements.id, '-postedAt');
  const filter = whereAll(
    query.warehouseId ? eq(stockMovements.warehouseId, query.warehouseId) : undefined,
    query.productId ? eq(stockMovements.productId, query.productId) : undefined,
    query.kind ? eq(stockMovements.kind, query.kind) : undefined,
    query.sourceType ? eq(stockMovements.sourceType, query.sourceType) : undefined,
    query.sourceId ? eq(stockMovements.sourceId, query.sourceId) : undefined,
    query.transferId ? eq(stockMovements.transferId, query.transferId) : undefined,
    query.from ? gte(stockMovements.movementDate, query.from) : undefined,
    query.to ? lte(stockMovements.movementDate, query.to) : undefined,
  );
  if (query.from && query.to && query.from > query.to) {
    throw new AppError('validation_failed', {}, [{ path: 'to', message: 'invalid' }]);
  }
  const rows = await selectMovements(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(stockMovements).where(filter);
  const result = page.page(rows, n, (r) => [r.m.postedAt, r.m.id]);
  const withCost = seesCost(ctx);
  return { ...result, items: result.items.map((r) => presentMovement(r, withCost)) };
}

export async function getMovements(db: Db, ctx: Ctx, ids: string[]) {
  if (!ids.length) return [];
  const rows = await selectMovements(db)
    .where(inArray(stockMovements.id, ids))
    .orderBy(asc(stockMovements.postedAt), asc(stockMovements.id));
  const withCost = seesCost(ctx);
  return rows.map((r) => presentMovement(r, withCost));
}

// ---------------------------------------------------------------------------------------------
// A product's stock by location, with its batches and serials

export async function productStock(db: Db, productId: string, opts: { includeIssued?: boolean } = {}) {
  const [product] = await db
    .select({ id: products.id, sku: products.sku, uom: products.uom, trackingMode: products.trackingMode })
    .from(products)
    .where(eq(products.id, productId));
  if (!product) throw notFound();
  const levels = (
    await selectLevels(db).where(eq(stockLevels.productId, productId)).orderBy(asc(warehouses.code))
  ).map(presentLevel);
  const totals = levels.reduce(
    (t, l) => ({
      onHand: t.onHand.plus(l.onHand),
      reserved: t.reserved.plus(l.reserved),
      available: t.available.plus(l.available),
    }),
    { onHand: new Decimal(0), reserved: new Decimal(0), available: new Decimal(0) },
  );
  let lots: {
    lotId: string;
    batchNo: string | null;
    serialNo: string | null;
    warehouseId: string | null;
    warehouseName: string | null;
    onHand: string;
  }[] = [];
  if (product.trackingMode !== 'none') {
    const inStock = await db
      .select({
        lotId: stockLots.id,
        batchNo: stockLots.batchNo,
        serialNo: stockLots.serialNo,
        warehouseId: stockLotLevels.warehouseId,
        warehouseName: warehouses.name,
        onHand: stockLotLevels.onHand,
      })
      .from(stockLotLevels)
      .innerJoin(stockLots, eq(stockLots.id, stockLotLevels.lotId))
      .innerJoin(warehouses, eq(warehouses.id, stockLotLevels.warehouseId))
      .where(and(eq(stockLotLevels.productId, productId), sql`${stockLotLevels.onHand} > 0`))
      .orderBy(asc(stockLots.batchNo), asc(stockLots.serialNo), asc(warehouses.code))
      .limit(2000);
    lots = inStock.map((l) => ({ ...l, onHand: formatQuantity(l.onHand) }));
    if (opts.includeIssued && product.trackingMode === 'serial') {
      const gone = await db
        .select({ lotId: stockLots.id, serialNo: stockLots.serialNo })
        .from(stockLots)
        .where(
          and(
            eq(stockLots.productId, productId),
            sql`not exists (select 1 from ${stockLotLevels} where ${stockLotLevels.lotId} = ${stockLots.id} and ${stockLotLevels.onHand} > 0)`,
          ),
        )
        .orderBy(asc(stockLots.serialNo))
        .limit(2000);
      lots.push(
        ...gone.map((g) => ({
          lotId: g.lotId,
          batchNo: null,
          serialNo: g.serialNo,
          warehouseId: null,
          warehouseName: null,
          onHand: '0',
        })),
      );
    }
  }
  return {
    productId: product.id,
    sku: product.sku,
    uom: product.uom,
    trackingMode: product.trackingMode,
    levels,
    totals: {
      onHand: formatQuantity(totals.onHand),
      reserved: formatQuantity(totals.reserved),
      available: formatQuantity(totals.available),
    },
    lots,
  };
}

/** Where a serial number (a VIN) is now, and its last movement; for tracing a unit. */
export async function findSerial(db: Db, ctx: Ctx, serialNo: string) {
  const found = await db
    .select({
      lotId: stockLots.id,
      productId: stockLots.productId,
      serialNo: stockLots.serialNo,
      sku: products.sku,
      productName: products.name,
    })
    .from(stockLots)
    .innerJoin(products, eq(products.id, stockLots.productId))
    .where(eq(stockLots.serialNo, serialNo));
  return Promise.all(
    found.map(async (lot) => {
      const [at] = await db
        .select({ warehouseId: stockLotLevels.warehouseId, warehouseName: warehouses.name })
        .from(stockLotLevels)
        .innerJoin(warehouses, eq(warehouses.id, stockLotLevels.warehouseId))
        .where(and(eq(stockLotLevels.lotId, lot.lotId), sql`${stockLotLevels.onHand} > 0`));
      const [last] = await selectMovements(db)
        .where(eq(stockMovements.lotId, lot.lotId))
        .orderBy(desc(stockMovements.postedAt), desc(stockMovements.id))
        .limit(1);
      return {
        productId: lot.productId,
        sku: lot.sku,
        productName: lot.productName,
        lotId: lot.lotId,
        serialNo: lot.serialNo!,
        warehouseId: at?.warehouseId ?? null,
        warehouseName: at?.warehouseName ?? null,
        lastMovement: last ? presentMovement(last, seesCost(ctx)) : null,
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Reservations

function selectReservations(db: Db) {
  return db
    .select({
      r: stockReservations,
      warehouseName: warehouses.name,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      createdByName: users.name,
    })
    .from(stockReservations)
    .innerJoin(warehouses, eq(warehouses.id, stockReservations.warehouseId))
    .innerJoin(products, eq(products.id, stockReservations.productId))
    .leftJoin(users, eq(users.id, stockReservations.createdBy));
}
type ReservationRow = Awaited<ReturnType<ReturnType<typeof selectReservations>['where']>>[number];

function presentReservation(row: ReservationRow) {
  const r = row.r;
  const remaining =
    r.status === 'active' ? new Decimal(r.quantity).minus(r.consumed).minus(r.released) : new Decimal(0);
  return {
    id: r.id,
    key: r.key,
    warehouseId: r.warehouseId,
    warehouseName: row.warehouseName,
    productId: r.productId,
    sku: row.sku,
    productName: row.productName,
    uom: row.uom,
    quantity: formatQuantity(r.quantity),
    consumed: formatQuantity(r.consumed),
    released: formatQuantity(r.released),
    remaining: formatQuantity(remaining),
    status: r.status,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    createdByName: row.createdByName,
  };
}

export async function listReservations(db: Db, query: z.infer<typeof reservationListQuery>) {
  const page = keyset(query, { createdAt: stockReservations.createdAt }, stockReservations.id, '-createdAt');
  const pattern = containsPattern(query.q);
  const filter = whereAll(
    query.warehouseId ? eq(stockReservations.warehouseId, query.warehouseId) : undefined,
    query.productId ? eq(stockReservations.productId, query.productId) : undefined,
    query.status ? eq(stockReservations.status, query.status) : undefined,
    query.sourceType ? eq(stockReservations.sourceType, query.sourceType) : undefined,
    query.sourceId ? eq(stockReservations.sourceId, query.sourceId) : undefined,
    pattern ? sql`${stockReservations.key} ilike ${pattern}` : undefined,
  );
  const rows = await selectReservations(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(stockReservations).where(filter);
  const result = page.page(rows, n, (r) => [r.r.createdAt, r.r.id]);
  return { ...result, items: result.items.map(presentReservation) };
}

export async function getReservation(db: Db, key: string) {
  const [row] = await selectReservations(db).where(eq(stockReservations.key, key));
  if (!row) throw notFound();
  return presentReservation(row);
}
