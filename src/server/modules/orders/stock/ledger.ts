import { Decimal } from 'decimal.js';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { type Db, queryRows } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { type AuditInput, recordAudit, recordAudits } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { products } from '../catalog/schema.js';
import {
  type MovementKind,
  stockLevels,
  stockLotLevels,
  stockLots,
  stockMovements,
  stockReservations,
  warehouses,
} from './schema.js';

// The one way stock changes. Every movement, transfer, reversal and reservation goes through
// these functions, inside the caller's transaction, so that the ledger (stock_movements), the
// projections (stock_levels, stock_lot_levels) and the audit move together or not at all.
//
// "Never negative" holds under concurrency because every decrease is one conditional UPDATE
// (`… where on_hand + Δ >= reserved`): the row lock serialises racing writers and the loser
// re-reads the committed row and finds nothing to update. The tables' CHECKs are the backstop.
// A posting of many lines is netted per location and product (and per lot) and applied in a
// fixed number of statements, so a 300-line document costs about what a 3-line one does.

export type Movement = typeof stockMovements.$inferSelect;
export type Reservation = typeof stockReservations.$inferSelect;

/** A line of a posting. Quantities are decimal strings: positive, except adjustments (signed). */
export interface MovementLine {
  kind: 'receipt' | 'issue' | 'adjustment' | 'return_in';
  warehouseId: string;
  productId: string;
  quantity: string;
  batchNo?: string | null;
  serialNo?: string | null;
  /** Fen per unit, for receipts. */
  unitCost?: number | null;
  reason?: string | null;
  /** An issue that ships stock reserved under this key: consumes the reservation. */
  reservationKey?: string | null;
}

export interface Posting {
  /** What caused it: purchase_receipt, shipment, cycle_count, adjustment, opening, … */
  sourceType: string;
  sourceId?: string | null;
  /** Makes the posting idempotent: posting the same key again returns the first movements. */
  postingKey?: string | null;
  /** Business date (YYYY-MM-DD); default today in the company time zone. */
  movementDate?: string;
  reason?: string | null;
  movements: MovementLine[];
}

/** A line as applied: signed quantity and every internal kind (transfers, reversals). */
interface AppliedLine {
  kind: MovementKind;
  warehouseId: string;
  productId: string;
  delta: Decimal;
  lotId: string | null;
  unitCost: number | null;
  reason: string | null;
  reservationKey: string | null;
  transferId: string | null;
  reversesId: string | null;
}

const ENTITY = 'stock_movement';

/** Decimal strings as stored (numeric(16,3) answers "50.000") → the shortest form ("50"). */
export const formatQuantity = (value: string | Decimal): string => new Decimal(value).toFixed();

/** Posts movements (receipts, issues, adjustments, returns) once; see the module comment. */
export async function postMovements(tx: Db, ctx: Ctx, posting: Posting): Promise<Movement[]> {
  if (posting.movements.length === 0) throw new AppError('bad_request');
  return withTx(tx, async (t) => {
    const keys = posting.postingKey ? posting.movements.map((_, i) => `${posting.postingKey}#${i}`) : null;
    if (keys) {
      const replay = await postedWithKeys(t, keys);
      if (replay) return replay;
    }
    const movementDate = posting.movementDate ?? dayIn(await companyTimeZone(t));
    const { productsById } = await loadMasters(
      t,
      posting.movements.map((m) => m.productId),
      posting.movements.map((m) => m.warehouseId),
    );
    const checked = posting.movements.map((line) => {
      const product = productsById.get(line.productId)!;
      const delta = signedDelta(line.kind, line.quantity);
      return { ...line, product, delta, lot: lotKeyOf(product, line, delta) };
    });
    const lotIds = await lotIdsFor(t, checked);
    const applied = checked.map(
      (line, i): AppliedLine => ({
        kind: line.kind,
        warehouseId: line.warehouseId,
        productId: line.productId,
        delta: line.delta,
        lotId: lotIds[i]!,
        unitCost: line.unitCost ?? null,
        reason: line.reason ?? posting.reason ?? null,
        reservationKey: line.kind === 'issue' ? (line.reservationKey ?? null) : null,
        transferId: null,
        reversesId: null,
      }),
    );
    return apply(t, ctx, posting, movementDate, applied, keys);
  });
}

/** Moves stock between two locations: a transfer_out and a transfer_in sharing a transfer id. */
export async function transferStock(
  tx: Db,
  ctx: Ctx,
  input: {
    fromWarehouseId: string;
    toWarehouseId: string;
    productId: string;
    quantity: string;
    batchNo?: string | null;
    serialNo?: string | null;
    reason?: string | null;
    postingKey?: string | null;
    movementDate?: string;
  },
): Promise<Movement[]> {
  if (input.fromWarehouseId === input.toWarehouseId) throw new AppError('same_location');
  return withTx(tx, async (t) => {
    const keys = input.postingKey ? [`${input.postingKey}#0`, `${input.postingKey}#1`] : null;
    if (keys) {
      const replay = await postedWithKeys(t, keys);
      if (replay) return replay;
    }
    const { productsById } = await loadMasters(
      t,
      [input.productId],
      [input.fromWarehouseId, input.toWarehouseId],
    );
    const product = productsById.get(input.productId)!;
    const quantity = signedDelta('issue', input.quantity).negated();
    const outgoing = quantity.negated();
    const [lotId] = await lotIdsFor(t, [
      { product, delta: outgoing, lot: lotKeyOf(product, input, outgoing) },
    ]);
    const transferId = uuidv7();
    const leg = (kind: MovementKind, warehouseId: string, delta: Decimal): AppliedLine => ({
      kind,
      warehouseId,
      productId: input.productId,
      delta,
      lotId: lotId!,
      unitCost: null,
      reason: input.reason ?? null,
      reservationKey: null,
      transferId,
      reversesId: null,
    });
    const movementDate = input.movementDate ?? dayIn(await companyTimeZone(t));
    return apply(
      t,
      ctx,
      { sourceType: 'transfer', sourceId: transferId },
      movementDate,
      [
        leg('transfer_out', input.fromWarehouseId, quantity.negated()),
        leg('transfer_in', input.toWarehouseId, quantity),
      ],
      keys,
    );
  });
}

/**
 * Corrects a posted movement by posting its opposite (both legs of a transfer). A movement is
 * reversed at most once and a reversal is not reversed again: post a new movement instead.
 * Reversing an issue puts the stock back on hand; it does not re-reserve it.
 */
export async function reverseMovement(
  tx: Db,
  ctx: Ctx,
  input: { movementId: string; reason: string; movementDate?: string },
): Promise<Movement[]> {
  return withTx(tx, async (t) => {
    const [movement] = await t.select().from(stockMovements).where(eq(stockMovements.id, input.movementId));
    if (!movement) throw notFound();
    if (movement.reversesId) throw new AppError('movement_is_reversal');
    const originals = movement.transferId
      ? await t
          .select()
          .from(stockMovements)
          .where(
            and(
              eq(stockMovements.transferId, movement.transferId),
              sql`${stockMovements.reversesId} is null`,
            ),
          )
      : [movement];
    const [already] = await t
      .select({ id: stockMovements.id })
      .from(stockMovements)
      .where(
        inArray(
          stockMovements.reversesId,
          originals.map((m) => m.id),
        ),
      )
      .limit(1);
    if (already) throw new AppError('movement_reversed');
    await loadMasters(
      t,
      originals.map((m) => m.productId),
      [],
    );
    const movementDate = input.movementDate ?? dayIn(await companyTimeZone(t));
    const lines = originals.map(
      (m): AppliedLine => ({
        kind: m.kind,
        warehouseId: m.warehouseId,
        productId: m.productId,
        delta: new Decimal(m.quantity).negated(),
        lotId: m.lotId,
        unitCost: m.unitCost,
        reason: input.reason,
        reservationKey: null,
        transferId: m.transferId,
        reversesId: m.id,
      }),
    );
    return apply(
      t,
      ctx,
      { sourceType: movement.sourceType, sourceId: movement.sourceId },
      movementDate,
      lines,
      null,
      'reverse',
    );
  });
}

/**
 * Reserves available stock for an order line. The key makes it idempotent: the same key with the
 * same content answers the first reservation and changes nothing (`replayed`), the same key with
 * other content is a conflict. Fails with insufficient_stock when on hand − reserved is short.
 */
export async function reserveStock(
  tx: Db,
  ctx: Ctx,
  input: {
    key: string;
    warehouseId: string;
    productId: string;
    quantity: string;
    sourceType: string;
    sourceId?: string | null;
    note?: string | null;
  },
): Promise<{ reservation: Reservation; replayed: boolean }> {
  const quantity = signedDelta('receipt', input.quantity);
  return withTx(tx, async (t) => {
    const [inserted] = await t
      .insert(stockReservations)
      .values({
        key: input.key,
        warehouseId: input.warehouseId,
        productId: input.productId,
        quantity: quantity.toString(),
        sourceType: input.sourceType,
        sourceId: input.sourceId ?? null,
        note: input.note ?? null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .onConflictDoNothing({ target: stockReservations.key })
      .returning();
    if (!inserted) {
      const [existing] = await t.select().from(stockReservations).where(eq(stockReservations.key, input.key));
      const same =
        existing &&
        existing.warehouseId === input.warehouseId &&
        existing.productId === input.productId &&
        quantity.equals(existing.quantity) &&
        existing.sourceType === input.sourceType;
      if (!same) throw new AppError('reservation_conflict', { key: input.key });
      return { reservation: existing, replayed: true };
    }
    const { productsById } = await loadMasters(t, [input.productId], [input.warehouseId]);
    const [level] = await t
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} + ${quantity.toString()}`, updatedAt: sql`now()` })
      .where(
        and(
          eq(stockLevels.warehouseId, input.warehouseId),
          eq(stockLevels.productId, input.productId),
          sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${quantity.toString()}`,
        ),
      )
      .returning({ productId: stockLevels.productId });
    if (!level) {
      throw await insufficient(
        t,
        productsById.get(input.productId)!.sku,
        input.warehouseId,
        input.productId,
        quantity,
      );
    }
    await recordAudit(t, ctx, {
      action: 'reserve',
      entity: 'stock_reservation',
      entityId: inserted.id,
      after: inserted,
    });
    return { reservation: inserted, replayed: false };
  });
}

/**
 * Gives back what is left of a reservation (or part of it). Releasing a closed reservation again
 * without a quantity answers it unchanged, so a retried cancel is harmless.
 */
export async function releaseReservation(
  tx: Db,
  ctx: Ctx,
  input: { key: string; quantity?: string | null },
): Promise<Reservation> {
  return withTx(tx, async (t) => {
    const [before] = await t
      .select()
      .from(stockReservations)
      .where(eq(stockReservations.key, input.key))
      .for('update');
    if (!before) throw notFound();
    if (before.status !== 'active') {
      if (!input.quantity) return before;
      throw new AppError('reservation_closed', { key: input.key });
    }
    const remaining = remainingOf(before);
    const quantity = input.quantity ? signedDelta('receipt', input.quantity) : remaining;
    if (quantity.greaterThan(remaining)) {
      throw new AppError('reservation_exceeded', { key: input.key, remaining: remaining.toString() });
    }
    const released = new Decimal(before.released).plus(quantity);
    const closes = quantity.equals(remaining);
    const [after] = await t
      .update(stockReservations)
      .set({
        released: released.toString(),
        status: closes ? (new Decimal(before.consumed).isZero() ? 'released' : 'consumed') : 'active',
        updatedAt: sql`now()`,
        version: sql`${stockReservations.version} + 1`,
      })
      .where(eq(stockReservations.id, before.id))
      .returning();
    await t
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} - ${quantity.toString()}`, updatedAt: sql`now()` })
      .where(
        and(eq(stockLevels.warehouseId, before.warehouseId), eq(stockLevels.productId, before.productId)),
      );
    await recordAudit(t, ctx, {
      action: 'release',
      entity: 'stock_reservation',
      entityId: before.id,
      before,
      after,
    });
    return after!;
  });
}

export interface AvailabilityLine {
  productId: string;
  quantity: string;
  warehouses: { warehouseId: string; onHand: string; reserved: string; available: string }[];
  available: string;
  /** What the locations asked about cannot cover; "0" when the line can be served. */
  shortfall: string;
}

/** For an order's lines: on hand, reserved and available per active location, and the shortfall. */
export async function stockAvailability(
  db: Db,
  input: { lines: { productId: string; quantity: string }[]; warehouseIds?: string[] },
): Promise<AvailabilityLine[]> {
  const productIds = [...new Set(input.lines.map((l) => l.productId))];
  if (productIds.length === 0) return [];
  const rows = await db
    .select({
      warehouseId: stockLevels.warehouseId,
      productId: stockLevels.productId,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
    })
    .from(stockLevels)
    .innerJoin(warehouses, eq(warehouses.id, stockLevels.warehouseId))
    .where(
      and(
        inArray(stockLevels.productId, productIds),
        eq(warehouses.status, 'active'),
        input.warehouseIds?.length ? inArray(stockLevels.warehouseId, input.warehouseIds) : undefined,
      ),
    )
    .orderBy(warehouses.code);
  return input.lines.map((line) => {
    const at = rows
      .filter((r) => r.productId === line.productId)
      .map((r) => ({
        warehouseId: r.warehouseId,
        onHand: formatQuantity(r.onHand),
        reserved: formatQuantity(r.reserved),
        available: formatQuantity(new Decimal(r.onHand).minus(r.reserved)),
      }));
    const available = at.reduce((sum, w) => sum.plus(w.available), new Decimal(0));
    const shortfall = Decimal.max(0, new Decimal(line.quantity).minus(available));
    return {
      productId: line.productId,
      quantity: formatQuantity(line.quantity),
      warehouses: at,
      available: available.toString(),
      shortfall: shortfall.toString(),
    };
  });
}

// --- internals -------------------------------------------------------------------------------

type ProductRow = Pick<typeof products.$inferSelect, 'id' | 'sku' | 'status' | 'trackingMode'>;

/** The products and locations of a posting: they must exist and be active. */
async function loadMasters(t: Db, productIds: string[], warehouseIds: string[]) {
  const ids = [...new Set(productIds)];
  const rows = await t
    .select({
      id: products.id,
      sku: products.sku,
      status: products.status,
      trackingMode: products.trackingMode,
    })
    .from(products)
    .where(inArray(products.id, ids));
  const productsById = new Map<string, ProductRow>(rows.map((p) => [p.id, p]));
  for (const id of ids) {
    const product = productsById.get(id);
    if (!product) throw new AppError('not_found');
    if (product.status !== 'active') throw new AppError('stock_product_archived', { sku: product.sku });
  }
  const locationIds = [...new Set(warehouseIds)];
  if (locationIds.length) {
    const locations = await t
      .select({ id: warehouses.id, code: warehouses.code, name: warehouses.name, status: warehouses.status })
      .from(warehouses)
      .where(inArray(warehouses.id, locationIds));
    for (const id of locationIds) {
      const location = locations.find((w) => w.id === id);
      if (!location) throw new AppError('not_found');
      if (location.status !== 'active') throw new AppError('location_archived', { location: location.name });
    }
  }
  return { productsById };
}

/** Input quantity → signed delta by kind; zero, a negative in-quantity or bad text is refused. */
function signedDelta(kind: MovementLine['kind'], quantity: string): Decimal {
  let value: Decimal;
  try {
    value = new Decimal(quantity);
  } catch {
    throw invalidQuantity(quantity);
  }
  if (value.isZero() || !value.isFinite() || value.decimalPlaces() > 3) throw invalidQuantity(quantity);
  if (kind === 'adjustment') return value;
  if (value.isNegative()) throw invalidQuantity(quantity);
  return kind === 'issue' ? value.negated() : value;
}

const invalidQuantity = (quantity: string) =>
  new AppError('validation_failed', {}, [
    { path: 'quantity', message: 'quantity', params: { value: quantity } },
  ]);

/** Which lot a line names: a batch number or a serial number of its product. */
interface LotKey {
  productId: string;
  mode: 'batch' | 'serial';
  key: string;
}

/**
 * The lot a line moves: batch products need a batch number, serial products a serial number and a
 * quantity of one. Untracked products take neither.
 */
function lotKeyOf(
  product: ProductRow,
  line: { batchNo?: string | null; serialNo?: string | null },
  delta: Decimal,
): LotKey | null {
  const batchNo = line.batchNo?.trim() || null;
  const serialNo = line.serialNo?.trim() || null;
  if (product.trackingMode === 'none') {
    if (batchNo || serialNo) throw new AppError('tracking_not_used', { sku: product.sku });
    return null;
  }
  const key = product.trackingMode === 'batch' ? batchNo : serialNo;
  if (!key) throw new AppError('tracking_required', { sku: product.sku, mode: product.trackingMode });
  if (product.trackingMode === 'serial' && !delta.abs().equals(1)) {
    throw new AppError('serial_quantity', { sku: product.sku });
  }
  return { productId: product.id, mode: product.trackingMode, key };
}

const lotKeyText = (lot: LotKey) => `${lot.productId}|${lot.mode}|${lot.key}`;

/**
 * The lot ids of a posting's lines (null for untracked ones), in three statements whatever the
 * number of lines: create the missing lots, lock them all in id order, and look up whether any
 * incoming serial is on hand already. A serial is on hand in one place only, so an incoming
 * serial is refused when it is in stock anywhere or comes in twice in the same posting.
 */
async function lotIdsFor(
  t: Db,
  lines: { product: ProductRow; delta: Decimal; lot: LotKey | null }[],
): Promise<(string | null)[]> {
  const wanted = new Map<string, LotKey>();
  for (const { lot } of lines) if (lot) wanted.set(lotKeyText(lot), lot);
  if (wanted.size === 0) return lines.map(() => null);
  const lots = [...wanted.values()].sort((a, b) => compare(lotKeyText(a), lotKeyText(b)));
  await t
    .insert(stockLots)
    .values(
      lots.map((l) => ({
        productId: l.productId,
        batchNo: l.mode === 'batch' ? l.key : null,
        serialNo: l.mode === 'serial' ? l.key : null,
      })),
    )
    .onConflictDoNothing();
  // Locked so that two receipts of one serial cannot both find it out of stock.
  const arm = (mode: LotKey['mode']) => {
    const pairs = lots.filter((l) => l.mode === mode).map((l) => sql`(${l.productId}::uuid, ${l.key}::text)`);
    if (!pairs.length) return null;
    const column = sql.raw(mode === 'batch' ? 'batch_no' : 'serial_no');
    return sql`select l.id from stock_lots l join (values ${sql.join(pairs, sql`, `)}) as v(product_id, key)
      on l.product_id = v.product_id and l.${column} = v.key where l.${column} is not null`;
  };
  const arms = [arm('batch'), arm('serial')].filter((a): a is SQL => a !== null);
  const rows = await queryRows<{
    id: string;
    productId: string;
    batchNo: string | null;
    serialNo: string | null;
  }>(
    t,
    sql`select id, product_id as "productId", batch_no as "batchNo", serial_no as "serialNo" from stock_lots
      where id in (${sql.join(arms, sql` union all `)}) order by id for update`,
  );
  const idOf = new Map(
    rows.map((r) => [
      lotKeyText({
        productId: r.productId,
        mode: r.batchNo === null ? 'serial' : 'batch',
        key: (r.batchNo ?? r.serialNo)!,
      }),
      r.id,
    ]),
  );
  const ids = lines.map(({ lot }) => (lot ? idOf.get(lotKeyText(lot))! : null));

  const incoming = lines
    .map((line, i) => ({ ...line, id: ids[i]! }))
    .filter((line) => line.lot?.mode === 'serial' && line.delta.isPositive());
  if (incoming.length) {
    const held = await t
      .select({ lotId: stockLotLevels.lotId })
      .from(stockLotLevels)
      .where(
        and(
          inArray(stockLotLevels.productId, [...new Set(incoming.map((l) => l.product.id))]),
          inArray(
            stockLotLevels.lotId,
            incoming.map((l) => l.id),
          ),
          sql`${stockLotLevels.onHand} > 0`,
        ),
      );
    const taken = new Set(held.map((h) => h.lotId));
    for (const line of incoming) {
      if (taken.has(line.id))
        throw new AppError('serial_in_stock', { sku: line.product.sku, serial: line.lot!.key });
      taken.add(line.id);
    }
  }
  return ids;
}

/** Movements already posted under these keys (a retried posting), or null. */
async function postedWithKeys(t: Db, keys: string[]): Promise<Movement[] | null> {
  // Serialises postings of one key so that a concurrent retry waits and then finds the first.
  await t.execute(sql`select pg_advisory_xact_lock(hashtextextended(${keys[0]!}, 0))`);
  const rows = await t.select().from(stockMovements).where(inArray(stockMovements.postingKey, keys));
  if (rows.length === 0) return null;
  return keys.map((k) => rows.find((r) => r.postingKey === k)).filter((r): r is Movement => !!r);
}

/**
 * Applies the lines to the projections, then the ledger and audit, in a number of statements that
 * does not grow with the lines: the reservations consumed (two statements per such line, as
 * before), up to three for stock_levels and two for stock_lot_levels, the movements, the audit.
 */
async function apply(
  t: Db,
  ctx: Ctx,
  posting: Pick<Posting, 'sourceType' | 'sourceId'>,
  movementDate: string,
  lines: AppliedLine[],
  keys: string[] | null,
  action = 'post',
): Promise<Movement[]> {
  const order = lines.map((_, i) => i);
  // Rows are locked in one order (location, product) by every posting, so postings never deadlock.
  order.sort((a, b) => {
    const x = lines[a]!;
    const y = lines[b]!;
    return compare(x.warehouseId, y.warehouseId) || compare(x.productId, y.productId) || a - b;
  });
  const ordered = order.map((i) => lines[i]!);
  for (const line of ordered) if (line.reservationKey) await consume(t, line);
  const skus = new Map<string, string>();
  await applyToLevels(t, ordered, skus);
  await applyToLotLevels(t, ordered, skus);
  const rows = await t
    .insert(stockMovements)
    .values(
      lines.map((l, i) => ({
        kind: l.kind,
        warehouseId: l.warehouseId,
        productId: l.productId,
        lotId: l.lotId,
        quantity: l.delta.toString(),
        unitCost: l.unitCost,
        sourceType: posting.sourceType,
        sourceId: posting.sourceId ?? null,
        transferId: l.transferId,
        reason: l.reason,
        reversesId: l.reversesId,
        postingKey: keys?.[i] ?? null,
        movementDate,
        postedBy: ctx.actor?.userId ?? null,
      })),
    )
    .returning();
  await recordAudits(
    t,
    ctx,
    rows.map((after): AuditInput => ({ action, entity: ENTITY, entityId: after.id, after })),
  );
  return rows;
}

/** uuids and lot keys in the database's order (byte order; uuids are lower-case hex). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The posting netted per location and product (on hand; and reserved, for issues against a
 * reservation), in at most three statements: create the rows an increase needs, lock them all in
 * (location, product) order, then one guarded update that leaves a row whose on hand would fall
 * below its reserved as it was and does not return it. Netting means a receipt and an issue of
 * one item in one posting pass whatever their line order.
 */
async function applyToLevels(t: Db, lines: AppliedLine[], skus: Map<string, string>): Promise<void> {
  const changes = new Map<
    string,
    { warehouseId: string; productId: string; onHand: Decimal; reserved: Decimal }
  >();
  for (const line of lines) {
    const key = `${line.warehouseId}|${line.productId}`;
    const change = changes.get(key) ?? {
      warehouseId: line.warehouseId,
      productId: line.productId,
      onHand: new Decimal(0),
      reserved: new Decimal(0),
    };
    change.onHand = change.onHand.plus(line.delta);
    if (line.reservationKey) change.reserved = change.reserved.plus(line.delta);
    changes.set(key, change);
  }
  const all = [...changes.values()];
  // A decrease where there is no row fails below; the rows of a refused posting roll back with it.
  const increases = all.filter((c) => !c.onHand.isNegative());
  if (increases.length) {
    await t
      .insert(stockLevels)
      .values(increases.map((c) => ({ warehouseId: c.warehouseId, productId: c.productId })))
      .onConflictDoNothing();
  }
  if (all.length > 1) {
    const pairs = all.map((c) => sql`(${c.warehouseId}::uuid, ${c.productId}::uuid)`);
    await t.execute(
      sql`select 1 from stock_levels where (warehouse_id, product_id) in (values ${sql.join(pairs, sql`, `)})
        order by warehouse_id, product_id for update`,
    );
  }
  const values = all.map(
    (c) =>
      sql`(${c.warehouseId}::uuid, ${c.productId}::uuid, ${c.onHand.toString()}::numeric, ${c.reserved.toString()}::numeric)`,
  );
  const moved = await queryRows<{ warehouseId: string; productId: string }>(
    t,
    sql`update stock_levels l
      set on_hand = l.on_hand + v.on_hand, reserved = l.reserved + v.reserved, updated_at = now()
      from (values ${sql.join(values, sql`, `)}) as v(warehouse_id, product_id, on_hand, reserved)
      where l.warehouse_id = v.warehouse_id and l.product_id = v.product_id
        and l.on_hand + v.on_hand >= l.reserved + v.reserved
      returning l.warehouse_id as "warehouseId", l.product_id as "productId"`,
  );
  if (moved.length === all.length) return;
  const done = new Set(moved.map((m) => `${m.warehouseId}|${m.productId}`));
  const short = all.find((c) => !done.has(`${c.warehouseId}|${c.productId}`))!;
  throw await insufficient(
    t,
    await skuOf(t, short.productId, skus),
    short.warehouseId,
    short.productId,
    short.onHand.minus(short.reserved).negated(),
  );
}

/**
 * The same for lots, netted per location and lot: increases in one upsert, decreases in one
 * guarded update (a lot cannot give more than it holds there). The level rows of the same
 * products are locked already, so these rows need no order of their own.
 */
async function applyToLotLevels(t: Db, lines: AppliedLine[], skus: Map<string, string>): Promise<void> {
  const changes = new Map<
    string,
    { warehouseId: string; lotId: string; productId: string; onHand: Decimal }
  >();
  for (const line of lines) {
    if (!line.lotId) continue;
    const key = `${line.warehouseId}|${line.lotId}`;
    const change = changes.get(key) ?? {
      warehouseId: line.warehouseId,
      lotId: line.lotId,
      productId: line.productId,
      onHand: new Decimal(0),
    };
    change.onHand = change.onHand.plus(line.delta);
    changes.set(key, change);
  }
  const all = [...changes.values()];
  const increases = all.filter((c) => !c.onHand.isNegative());
  if (increases.length) {
    await t
      .insert(stockLotLevels)
      .values(
        increases.map((c) => ({
          warehouseId: c.warehouseId,
          lotId: c.lotId,
          productId: c.productId,
          onHand: c.onHand.toString(),
        })),
      )
      .onConflictDoUpdate({
        target: [stockLotLevels.warehouseId, stockLotLevels.lotId],
        set: { onHand: sql`${stockLotLevels.onHand} + excluded.on_hand` },
      });
  }
  const decreases = all.filter((c) => c.onHand.isNegative());
  if (!decreases.length) return;
  const values = decreases.map(
    (c) => sql`(${c.warehouseId}::uuid, ${c.lotId}::uuid, ${c.onHand.toString()}::numeric)`,
  );
  const moved = await queryRows<{ warehouseId: string; lotId: string }>(
    t,
    sql`update stock_lot_levels l set on_hand = l.on_hand + v.on_hand
      from (values ${sql.join(values, sql`, `)}) as v(warehouse_id, lot_id, on_hand)
      where l.warehouse_id = v.warehouse_id and l.lot_id = v.lot_id and l.on_hand + v.on_hand >= 0
      returning l.warehouse_id as "warehouseId", l.lot_id as "lotId"`,
  );
  if (moved.length === decreases.length) return;
  const done = new Set(moved.map((m) => `${m.warehouseId}|${m.lotId}`));
  const short = decreases.find((c) => !done.has(`${c.warehouseId}|${c.lotId}`))!;
  const [lot] = await t
    .select({ batchNo: stockLots.batchNo, serialNo: stockLots.serialNo })
    .from(stockLots)
    .where(eq(stockLots.id, short.lotId));
  throw new AppError('insufficient_lot_stock', {
    sku: await skuOf(t, short.productId, skus),
    lot: lot?.batchNo ?? lot?.serialNo ?? '',
  });
}

/** An issue against a reservation: it must be active, for the same place and product, and cover it. */
async function consume(t: Db, line: AppliedLine): Promise<void> {
  const key = line.reservationKey!;
  const [reservation] = await t
    .select()
    .from(stockReservations)
    .where(eq(stockReservations.key, key))
    .for('update');
  if (!reservation) throw new AppError('not_found');
  if (reservation.status !== 'active') throw new AppError('reservation_closed', { key });
  if (reservation.warehouseId !== line.warehouseId || reservation.productId !== line.productId) {
    throw new AppError('reservation_conflict', { key });
  }
  const quantity = line.delta.abs();
  const remaining = remainingOf(reservation);
  if (quantity.greaterThan(remaining)) {
    throw new AppError('reservation_exceeded', { key, remaining: remaining.toString() });
  }
  await t
    .update(stockReservations)
    .set({
      consumed: new Decimal(reservation.consumed).plus(quantity).toString(),
      status: quantity.equals(remaining) ? 'consumed' : 'active',
      updatedAt: sql`now()`,
      version: sql`${stockReservations.version} + 1`,
    })
    .where(eq(stockReservations.id, reservation.id));
}

const remainingOf = (r: Reservation) => new Decimal(r.quantity).minus(r.consumed).minus(r.released);

async function skuOf(t: Db, productId: string, cache: Map<string, string>): Promise<string> {
  if (!cache.has(productId)) {
    const [p] = await t.select({ sku: products.sku }).from(products).where(eq(products.id, productId));
    cache.set(productId, p?.sku ?? productId);
  }
  return cache.get(productId)!;
}

async function insufficient(t: Db, sku: string, warehouseId: string, productId: string, wanted: Decimal) {
  const [level] = await t
    .select({ onHand: stockLevels.onHand, reserved: stockLevels.reserved })
    .from(stockLevels)
    .where(and(eq(stockLevels.warehouseId, warehouseId), eq(stockLevels.productId, productId)));
  const [location] = await t
    .select({ name: warehouses.name })
    .from(warehouses)
    .where(eq(warehouses.id, warehouseId));
  const available = level ? new Decimal(level.onHand).minus(level.reserved) : new Decimal(0);
  return new AppError('insufficient_stock', {
    sku,
    location: location?.name ?? '',
    available: available.toString(),
    wanted: wanted.toString(),
  });
}
