import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type {
  receiptCreate,
  receiptFromLowStock,
  receiptListQuery,
  receiptReverse,
  receiptUpdate,
} from '../../../../contracts/receipts.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { enqueueJob } from '../../../platform/jobs/jobs.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { users } from '../../org/schema.js';
import { seesCost } from '../catalog/products.service.js';
import { products } from '../catalog/schema.js';
import { formatQuantity, postMovements, reverseMovement } from './ledger.js';
import {
  checkReceiptLines,
  lineCost,
  type NormalisedLine,
  receiptMovements,
  receiptTotals,
} from './receipts.rules.js';
import { purchaseReceiptLines, purchaseReceipts, type ReceiptStatus } from './receipts.schema.js';
import { REORDER_CHECK_JOB } from './reorder.jobs.js';
import { suggestedOrderQuantity } from './reorder.rules.js';
import { stockLevels, stockLotLevels, stockLots, stockMovements, warehouses } from './schema.js';

defineNumbering('purchase_receipt', 'PR');

export const RECEIPT_SOURCE = 'purchase_receipt';
const ENTITY = 'purchase_receipt';
type ReceiptRow = typeof purchaseReceipts.$inferSelect;
type CreateInput = z.infer<typeof receiptCreate>;
type UpdateInput = z.infer<typeof receiptUpdate>;

/**
 * Unit costs are the cost price's kin: only holders of products.cost see or enter them (the
 * system — demo data, jobs, the command line — acts without an actor and may).
 */

// ---------------------------------------------------------------------------------------------
// Reading

const creator = alias(users, 'receipt_creator');
const poster = alias(users, 'receipt_poster');

function selectReceipts(db: Db) {
  return db
    .select({
      r: purchaseReceipts,
      warehouseCode: warehouses.code,
      warehouseName: warehouses.name,
      createdByName: creator.name,
      postedByName: poster.name,
    })
    .from(purchaseReceipts)
    .innerJoin(warehouses, eq(warehouses.id, purchaseReceipts.warehouseId))
    .leftJoin(creator, eq(creator.id, purchaseReceipts.createdBy))
    .leftJoin(poster, eq(poster.id, purchaseReceipts.postedBy));
}
type Row = Awaited<ReturnType<ReturnType<typeof selectReceipts>['where']>>[number];
type LineRow = { quantity: string; unitCost: number | null; receiptId: string };

function present(r: Row, lines: LineRow[], withCost: boolean) {
  const totals = receiptTotals(lines.map((l) => ({ quantity: l.quantity, unitCost: l.unitCost })));
  const x = r.r;
  return {
    id: x.id,
    number: x.number,
    supplierName: x.supplierName,
    supplierNoteNo: x.supplierNoteNo,
    warehouseId: x.warehouseId,
    warehouseCode: r.warehouseCode,
    warehouseName: r.warehouseName,
    receiptDate: x.receiptDate,
    status: x.status,
    note: x.note,
    lineCount: lines.length,
    totalQuantity: totals.quantity,
    ...(withCost ? { totalCost: totals.cost } : {}),
    postedAt: x.postedAt?.toISOString() ?? null,
    postedByName: r.postedByName,
    reversedAt: x.reversedAt?.toISOString() ?? null,
    reverseReason: x.reverseReason,
    createdAt: x.createdAt.toISOString(),
    createdByName: r.createdByName,
    updatedAt: x.updatedAt.toISOString(),
    version: x.version,
  };
}

export async function listReceipts(db: Db, ctx: Ctx, query: z.infer<typeof receiptListQuery>) {
  const page = keyset(
    query,
    { createdAt: purchaseReceipts.createdAt, receiptDate: purchaseReceipts.receiptDate },
    purchaseReceipts.id,
    '-createdAt',
  );
  const pattern = containsPattern(query.q?.trim());
  const filter = whereAll(
    query.status ? eq(purchaseReceipts.status, query.status) : undefined,
    query.warehouseId ? eq(purchaseReceipts.warehouseId, query.warehouseId) : undefined,
    query.from ? sql`${purchaseReceipts.receiptDate} >= ${query.from}` : undefined,
    query.to ? sql`${purchaseReceipts.receiptDate} <= ${query.to}` : undefined,
    query.productId
      ? sql`exists (select 1 from ${purchaseReceiptLines} l where l.receipt_id = ${purchaseReceipts.id} and l.product_id = ${query.productId})`
      : undefined,
    pattern
      ? sql`(${purchaseReceipts.number} ilike ${pattern} or ${purchaseReceipts.supplierName} ilike ${pattern}
          or ${purchaseReceipts.supplierNoteNo} ilike ${pattern}
          or exists (select 1 from ${purchaseReceiptLines} l where l.receipt_id = ${purchaseReceipts.id}
            and (l.batch_no ilike ${pattern} or array_to_string(l.serial_nos, ' ') ilike ${pattern})))`
      : undefined,
  );
  const rows = await selectReceipts(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(purchaseReceipts).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [key === 'receiptDate' ? r.r.receiptDate : r.r.createdAt, r.r.id]);
  const lines = result.items.length
    ? await db
        .select({
          receiptId: purchaseReceiptLines.receiptId,
          quantity: purchaseReceiptLines.quantity,
          unitCost: purchaseReceiptLines.unitCost,
        })
        .from(purchaseReceiptLines)
        .where(
          inArray(
            purchaseReceiptLines.receiptId,
            result.items.map((r) => r.r.id),
          ),
        )
    : [];
  const withCost = seesCost(ctx);
  return {
    ...result,
    items: result.items.map((r) =>
      present(
        r,
        lines.filter((l) => l.receiptId === r.r.id),
        withCost,
      ),
    ),
  };
}

export async function getReceipt(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectReceipts(db).where(eq(purchaseReceipts.id, id));
  if (!row) throw notFound();
  const lines = await db
    .select({
      l: purchaseReceiptLines,
      sku: products.sku,
      productName: products.name,
      specification: products.specification,
      uom: products.uom,
      trackingMode: products.trackingMode,
    })
    .from(purchaseReceiptLines)
    .innerJoin(products, eq(products.id, purchaseReceiptLines.productId))
    .where(eq(purchaseReceiptLines.receiptId, id))
    .orderBy(asc(purchaseReceiptLines.lineNo));
  const withCost = seesCost(ctx);
  return {
    ...present(
      row,
      lines.map((x) => x.l),
      withCost,
    ),
    lines: lines.map(({ l, ...p }) => ({
      id: l.id,
      lineNo: l.lineNo,
      productId: l.productId,
      sku: p.sku,
      productName: p.productName,
      specification: p.specification,
      uom: p.uom,
      trackingMode: p.trackingMode,
      quantity: formatQuantity(l.quantity),
      ...(withCost ? { unitCost: l.unitCost, lineCost: lineCost(l.quantity, l.unitCost) } : {}),
      batchNo: l.batchNo,
      serialNos: l.serialNos,
      producedOn: l.producedOn,
      expiresOn: l.expiresOn,
    })),
  };
}

export async function receiptHistory(db: Db, ctx: Ctx, id: string) {
  await getReceipt(db, ctx, id);
  return recordHistory(db, ENTITY, id);
}

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<ReceiptStatus, Record<Locale, string>> = {
  draft: { 'zh-CN': '草稿', en: 'a draft' },
  posted: { 'zh-CN': '已入库', en: 'posted' },
  reversed: { 'zh-CN': '已冲销', en: 'reversed' },
};
const ACTION_LABELS = {
  update: { 'zh-CN': '修改', en: 'changed' },
  post: { 'zh-CN': '过账入库', en: 'posted' },
  reverse: { 'zh-CN': '冲销', en: 'reversed' },
} satisfies Record<string, Record<Locale, string>>;

const wrongState = (ctx: Ctx, r: ReceiptRow, action: keyof typeof ACTION_LABELS) =>
  new AppError('receipt_wrong_state', {
    number: r.number,
    state: STATE_LABELS[r.status][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

async function lockReceipt(tx: Db, id: string): Promise<ReceiptRow> {
  const [row] = await tx.select().from(purchaseReceipts).where(eq(purchaseReceipts.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

async function assertActiveWarehouse(tx: Db, warehouseId: string) {
  const [w] = await tx
    .select({ status: warehouses.status, name: warehouses.name })
    .from(warehouses)
    .where(eq(warehouses.id, warehouseId));
  if (!w)
    throw new AppError('invalid_reference', { field: 'warehouseId' }, [
      { path: 'warehouseId', message: 'invalid' },
    ]);
  if (w.status !== 'active') throw new AppError('location_archived', { location: w.name });
}

/**
 * The lines checked against their products as they are now: known and active, batch or serials
 * as the tracking mode wants, no serial twice in the receipt nor already in stock anywhere, cost
 * only from holders of products.cost. All problems at once as field errors.
 */
async function checkLines(
  tx: Db,
  ctx: Ctx,
  lines: CreateInput['lines'],
  opts: { costFromDraft?: boolean; complete?: boolean } = {},
): Promise<NormalisedLine[]> {
  const ids = [...new Set(lines.map((l) => l.productId))];
  const rows = await tx
    .select({
      id: products.id,
      sku: products.sku,
      status: products.status,
      trackingMode: products.trackingMode,
    })
    .from(products)
    .where(inArray(products.id, ids));
  const byId = new Map(rows.map((p) => [p.id, p]));
  const missing = lines.findIndex((l) => !byId.has(l.productId));
  if (missing >= 0) {
    throw new AppError('invalid_reference', { field: 'productId' }, [
      { path: `lines.${missing}.productId`, message: 'invalid' },
    ]);
  }
  const archived = rows.find((p) => p.status !== 'active');
  if (archived) throw new AppError('stock_product_archived', { sku: archived.sku });
  const checked = checkReceiptLines(lines, (id) => byId.get(id)!.trackingMode, {
    mayEnterCost: opts.costFromDraft || seesCost(ctx),
    complete: opts.complete ?? false,
  });
  if (checked.errors.length) throw new AppError('validation_failed', {}, checked.errors);
  const serials = checked.lines.flatMap((l) =>
    l.serialNos.map((s) => ({ productId: l.productId, serialNo: s })),
  );
  if (serials.length) {
    const inStock = await tx
      .select({ productId: stockLots.productId, serialNo: stockLots.serialNo })
      .from(stockLots)
      .innerJoin(stockLotLevels, eq(stockLotLevels.lotId, stockLots.id))
      .where(
        and(
          inArray(
            stockLots.serialNo,
            serials.map((s) => s.serialNo),
          ),
          sql`${stockLotLevels.onHand} > 0`,
        ),
      );
    const held = serials.find((s) =>
      inStock.some((x) => x.productId === s.productId && x.serialNo === s.serialNo),
    );
    if (held) {
      throw new AppError('serial_in_stock', { sku: byId.get(held.productId)!.sku, serial: held.serialNo });
    }
  }
  return checked.lines;
}

async function writeLines(tx: Db, receiptId: string, lines: NormalisedLine[]) {
  await tx.delete(purchaseReceiptLines).where(eq(purchaseReceiptLines.receiptId, receiptId));
  await tx.insert(purchaseReceiptLines).values(
    lines.map((l, i) => ({
      receiptId,
      lineNo: i + 1,
      productId: l.productId,
      quantity: l.quantity,
      unitCost: l.unitCost,
      batchNo: l.batchNo,
      serialNos: l.serialNos,
      producedOn: l.producedOn,
      expiresOn: l.expiresOn,
    })),
  );
}

async function storedLines(tx: Db, receiptId: string) {
  return tx
    .select()
    .from(purchaseReceiptLines)
    .where(eq(purchaseReceiptLines.receiptId, receiptId))
    .orderBy(asc(purchaseReceiptLines.lineNo));
}

/** A draft receipt with its number; nothing moves until it is posted. */
export async function createReceipt(db: Db, ctx: Ctx, input: CreateInput): Promise<string> {
  return withTx(db, async (tx) => {
    await assertActiveWarehouse(tx, input.warehouseId);
    const lines = await checkLines(tx, ctx, input.lines);
    const receiptDate = input.receiptDate ?? dayIn(await companyTimeZone(tx));
    const [created] = await tx
      .insert(purchaseReceipts)
      .values({
        number: await nextNumber(tx, 'purchase_receipt'),
        supplierName: input.supplierName,
        supplierNoteNo: input.supplierNoteNo || null,
        warehouseId: input.warehouseId,
        receiptDate,
        note: input.note || null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await writeLines(tx, created!.id, lines);
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: ENTITY,
      entityId: created!.id,
      after: { ...created, lines },
    });
    return created!.id;
  });
}

/**
 * Changes a draft (versioned). Lines, when sent, replace the draft's lines. Someone who may not
 * see costs keeps the costs entered by a colleague on the lines of the same product.
 */
export async function updateReceipt(db: Db, ctx: Ctx, id: string, input: UpdateInput): Promise<void> {
  const { version, lines: newLines, ...changes } = input;
  await withTx(db, async (tx) => {
    const before = await lockReceipt(tx, id);
    if (before.status !== 'draft') throw wrongState(ctx, before, 'update');
    if (before.version !== version) throw versionConflict();
    if (changes.warehouseId && changes.warehouseId !== before.warehouseId) {
      await assertActiveWarehouse(tx, changes.warehouseId);
    }
    const oldLines = await storedLines(tx, id);
    let lines: NormalisedLine[] | undefined;
    if (newLines) {
      const withCost = seesCost(ctx);
      const merged = withCost
        ? newLines
        : newLines.map((l) => {
            const kept = oldLines.find((o) => o.productId === l.productId && o.unitCost !== null);
            return { ...l, unitCost: l.unitCost ?? kept?.unitCost ?? null };
          });
      const costKept = !withCost && newLines.every((l) => l.unitCost === undefined || l.unitCost === null);
      lines = await checkLines(tx, ctx, merged, { costFromDraft: costKept });
      await writeLines(tx, id, lines);
    }
    const set: Partial<typeof purchaseReceipts.$inferInsert> = {};
    if (changes.supplierName !== undefined) set.supplierName = changes.supplierName;
    if (changes.supplierNoteNo !== undefined) set.supplierNoteNo = changes.supplierNoteNo || null;
    if (changes.warehouseId !== undefined) set.warehouseId = changes.warehouseId;
    if (changes.receiptDate !== undefined) set.receiptDate = changes.receiptDate;
    if (changes.note !== undefined) set.note = changes.note || null;
    const [after] = await tx
      .update(purchaseReceipts)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${purchaseReceipts.version} + 1` })
      .where(and(eq(purchaseReceipts.id, id), eq(purchaseReceipts.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: ENTITY,
      entityId: id,
      before: { ...before, lines: oldLines },
      after: { ...after, lines: lines ?? oldLines },
    });
  });
}

/**
 * Posts a draft: every line on the ledger in one posting keyed by the receipt's id, so a retry
 * (a double click, a timed-out request) posts once. Posting a posted receipt answers it unchanged.
 * Lines are checked again (a product may have been archived or a serial received meanwhile).
 */
export async function postReceipt(db: Db, ctx: Ctx, id: string, version: number): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockReceipt(tx, id);
    if (before.status === 'posted') return;
    if (before.status !== 'draft') throw wrongState(ctx, before, 'post');
    if (before.version !== version) throw versionConflict();
    const stored = await storedLines(tx, id);
    const lines = await checkLines(
      tx,
      ctx,
      stored.map((l) => ({
        productId: l.productId,
        quantity: formatQuantity(l.quantity),
        unitCost: l.unitCost,
        batchNo: l.batchNo,
        serialNos: l.serialNos,
        producedOn: l.producedOn,
        expiresOn: l.expiresOn,
      })),
      { costFromDraft: true, complete: true },
    );
    await assertActiveWarehouse(tx, before.warehouseId);
    await postMovements(tx, ctx, {
      sourceType: RECEIPT_SOURCE,
      sourceId: id,
      postingKey: `${RECEIPT_SOURCE}:${id}`,
      movementDate: before.receiptDate,
      reason: before.number,
      movements: receiptMovements(before.warehouseId, lines),
    });
    // The batch's dates, when the receipt knows them and the lot does not yet.
    for (const l of lines) {
      if (!l.batchNo || (!l.producedOn && !l.expiresOn)) continue;
      await tx
        .update(stockLots)
        .set({
          producedOn: sql`coalesce(${stockLots.producedOn}, ${l.producedOn})`,
          expiresOn: sql`coalesce(${stockLots.expiresOn}, ${l.expiresOn})`,
        })
        .where(and(eq(stockLots.productId, l.productId), eq(stockLots.batchNo, l.batchNo)));
    }
    const [after] = await tx
      .update(purchaseReceipts)
      .set({
        status: 'posted',
        postedAt: sql`now()`,
        postedBy: ctx.actor?.userId ?? null,
        updatedAt: sql`now()`,
        version: sql`${purchaseReceipts.version} + 1`,
      })
      .where(eq(purchaseReceipts.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'post', entity: ENTITY, entityId: id, before, after });
    await enqueueJob(tx, REORDER_CHECK_JOB, {}, { dedupeKey: REORDER_CHECK_JOB });
  });
}

/**
 * Reverses a posted receipt whole: each of its movements gets its reversing movement (the stock
 * must still be there — what was issued since cannot be un-received). The receipt stays, marked
 * reversed with the reason.
 */
export async function reverseReceipt(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof receiptReverse>,
): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockReceipt(tx, id);
    if (before.status !== 'posted') throw wrongState(ctx, before, 'reverse');
    if (before.version !== input.version) throw versionConflict();
    const movements = await tx
      .select({ id: stockMovements.id })
      .from(stockMovements)
      .where(
        and(
          eq(stockMovements.sourceType, RECEIPT_SOURCE),
          eq(stockMovements.sourceId, id),
          isNull(stockMovements.reversesId),
        ),
      )
      .orderBy(asc(stockMovements.postingKey));
    const reason = `${before.number}: ${input.reason}`;
    for (const m of movements) await reverseMovement(tx, ctx, { movementId: m.id, reason });
    const [after] = await tx
      .update(purchaseReceipts)
      .set({
        status: 'reversed',
        reversedAt: sql`now()`,
        reversedBy: ctx.actor?.userId ?? null,
        reverseReason: input.reason,
        updatedAt: sql`now()`,
        version: sql`${purchaseReceipts.version} + 1`,
      })
      .where(eq(purchaseReceipts.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'reverse', entity: ENTITY, entityId: id, before, after });
    await enqueueJob(tx, REORDER_CHECK_JOB, {}, { dedupeKey: REORDER_CHECK_JOB });
  });
}

/**
 * A draft receipt for low-stock rows of one location: one line per product with the suggested
 * quantity. Batches and serials are filled in when the goods arrive, before posting.
 */
export async function receiptFromLowStockRows(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof receiptFromLowStock>,
): Promise<string> {
  const levels = await db
    .select({
      productId: stockLevels.productId,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
      reorderPoint: stockLevels.reorderPoint,
      reorderQuantity: stockLevels.reorderQuantity,
      trackingMode: products.trackingMode,
    })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .where(
      and(eq(stockLevels.warehouseId, input.warehouseId), inArray(stockLevels.productId, input.productIds)),
    );
  const lines = levels.map((l) => ({ productId: l.productId, quantity: suggestedOrderQuantity(l) }));
  if (!lines.length) {
    throw new AppError('validation_failed', {}, [{ path: 'productIds', message: 'invalid' }]);
  }
  return createReceipt(db, ctx, { supplierName: input.supplierName, warehouseId: input.warehouseId, lines });
}
