import { inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  availabilityRequest,
  reservationCreate,
  stockAdjustment,
  stockTransfer,
} from '../../../../contracts/stock.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField } from '../../../platform/errors.js';
import { products } from '../catalog/schema.js';
import {
  formatQuantity,
  postMovements,
  releaseReservation,
  reserveStock,
  reverseMovement,
  stockAvailability,
  transferStock,
} from './ledger.js';
import { warehouses } from './schema.js';
import { getMovements, getReservation } from './stock.queries.js';

// Manual stock work from the stock pages and the API: adjustments with a reason, transfers,
// reversals and reservations by hand. Every posting goes through the ledger (which checks,
// locks, projects and audits); this file adds the rules of the manual forms.

type AdjustmentInput = z.infer<typeof stockAdjustment>;

/** 盘盈 adds stock; 盘亏 and 报损 take it away; 其他 may go either way but must say why. */
export function adjustmentSignError(input: Pick<AdjustmentInput, 'quantity' | 'reason' | 'note'>) {
  const negative = input.quantity.startsWith('-');
  if (input.reason === 'count_gain' && negative) return invalidField('quantity', 'adjustmentGain');
  if ((input.reason === 'count_loss' || input.reason === 'damage') && !negative) {
    return invalidField('quantity', 'adjustmentLoss');
  }
  if (input.reason === 'other' && !input.note) return invalidField('note', 'required');
  return undefined;
}

/** The reason as the ledger stores it: the code, then the note ("damage: 运输途中刮损"). */
export const adjustmentReasonText = (reason: string, note?: string) => (note ? `${reason}: ${note}` : reason);

/** A manual posting retried with the same Idempotency-Key posts once. */
const postingKeyOf = (kind: string, idempotencyKey?: string) =>
  idempotencyKey ? `${kind}:${idempotencyKey}` : undefined;

export async function adjustStock(db: Db, ctx: Ctx, input: AdjustmentInput, idempotencyKey?: string) {
  const invalid = adjustmentSignError(input);
  if (invalid) throw invalid;
  const rows = await withTx(db, (tx) =>
    postMovements(tx, ctx, {
      sourceType: 'manual_adjustment',
      postingKey: postingKeyOf('adjustment', input.key ?? idempotencyKey),
      movementDate: input.movementDate,
      reason: adjustmentReasonText(input.reason, input.note),
      movements: [
        {
          kind: 'adjustment',
          warehouseId: input.warehouseId,
          productId: input.productId,
          quantity: input.quantity,
          batchNo: input.batchNo,
          serialNo: input.serialNo,
        },
      ],
    }),
  );
  return getMovements(
    db,
    ctx,
    rows.map((r) => r.id),
  );
}

export async function moveStock(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof stockTransfer>,
  idempotencyKey?: string,
) {
  const legs = await withTx(db, (tx) =>
    transferStock(tx, ctx, {
      fromWarehouseId: input.fromWarehouseId,
      toWarehouseId: input.toWarehouseId,
      productId: input.productId,
      quantity: input.quantity,
      batchNo: input.batchNo,
      serialNo: input.serialNo,
      reason: input.note,
      postingKey: postingKeyOf('transfer', input.key ?? idempotencyKey),
    }),
  );
  return getMovements(
    db,
    ctx,
    legs.map((r) => r.id),
  );
}

export async function reverseStockMovement(db: Db, ctx: Ctx, movementId: string, reason: string) {
  const rows = await withTx(db, (tx) => reverseMovement(tx, ctx, { movementId, reason }));
  return getMovements(
    db,
    ctx,
    rows.map((r) => r.id),
  );
}

/** The key comes in the body or as the Idempotency-Key header; one of them is required. */
export async function reserveByHand(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof reservationCreate>,
  idempotencyKey?: string,
) {
  const key = input.key ?? idempotencyKey?.trim();
  if (!key) throw invalidField('key', 'required');
  if (input.key && idempotencyKey && input.key !== idempotencyKey.trim())
    throw invalidField('key', 'invalid');
  await withTx(db, (tx) =>
    reserveStock(tx, ctx, {
      key,
      warehouseId: input.warehouseId,
      productId: input.productId,
      quantity: input.quantity,
      sourceType: input.sourceType,
      sourceId: input.sourceId,
      note: input.note,
    }),
  );
  return getReservation(db, key);
}

export async function releaseByHand(db: Db, ctx: Ctx, key: string, quantity?: string) {
  await withTx(db, (tx) => releaseReservation(tx, ctx, { key, quantity }));
  return getReservation(db, key);
}

/**
 * Can an order be served from stock: per line, what each location has available and what is
 * short. Names come with it so the order page can show them without another call.
 */
export async function orderAvailability(db: Db, input: z.infer<typeof availabilityRequest>) {
  const result = await stockAvailability(db, { lines: input.lines, warehouseIds: input.warehouseIds });
  const productIds = [...new Set(input.lines.map((l) => l.productId))];
  const names = new Map(
    (
      await db
        .select({ id: products.id, sku: products.sku, name: products.name })
        .from(products)
        .where(inArray(products.id, productIds))
    ).map((p) => [p.id, p]),
  );
  if (names.size !== productIds.length) {
    const missing = input.lines.findIndex((l) => !names.has(l.productId));
    throw new AppError('validation_failed', {}, [{ path: `lines.${missing}.productId`, message: 'invalid' }]);
  }
  const warehouseIds = [...new Set(result.flatMap((l) => l.warehouses.map((w) => w.warehouseId)))];
  const locationNames = new Map(
    warehouseIds.length
      ? (
          await db
            .select({ id: warehouses.id, name: warehouses.name })
            .from(warehouses)
            .where(inArray(warehouses.id, warehouseIds))
        ).map((w) => [w.id, w.name])
      : [],
  );
  const lines = result.map((l, i) => ({
    productId: l.productId,
    sku: names.get(l.productId)!.sku,
    productName: names.get(l.productId)!.name,
    quantity: formatQuantity(input.lines[i]!.quantity),
    warehouses: l.warehouses.map((w) => ({
      warehouseId: w.warehouseId,
      warehouseName: locationNames.get(w.warehouseId) ?? '',
      onHand: formatQuantity(w.onHand),
      reserved: formatQuantity(w.reserved),
      available: formatQuantity(w.available),
    })),
    available: formatQuantity(l.available),
    shortfall: formatQuantity(l.shortfall),
  }));
  return { lines, allAvailable: lines.every((l) => l.shortfall === '0') };
}
