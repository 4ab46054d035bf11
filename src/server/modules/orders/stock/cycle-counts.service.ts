import { Decimal } from 'decimal.js';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { countCancel, countCreate, countEntry, countListQuery } from '../../../../contracts/receipts.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, type FieldError, notFound, versionConflict } from '../../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { enqueueJob } from '../../../platform/jobs/jobs.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { users } from '../../org/schema.js';
import { productCategories, products } from '../catalog/schema.js';
import { type CountStatus, cycleCountLines, cycleCounts } from './cycle-counts.schema.js';
import { formatQuantity, type MovementLine, postMovements } from './ledger.js';
import { REORDER_CHECK_JOB } from './reorder.jobs.js';
import { stockLevels, stockLotLevels, stockLots, warehouses } from './schema.js';

// Cycle counts (盘点). See cycle-counts.schema.ts for the rule: the count is the truth at posting
// time, so what is posted is counted − on hand at posting, in one posting keyed by the count.

defineNumbering('cycle_count', 'CC');

export const COUNT_SOURCE = 'cycle_count';
const ENTITY = 'cycle_count';
type CountRow = typeof cycleCounts.$inferSelect;
type LineRow = typeof cycleCountLines.$inferSelect;

const isOpen = (s: CountStatus) => s === 'draft' || s === 'counting';

// ---------------------------------------------------------------------------------------------
// Reading

const creator = alias(users, 'count_creator');

function selectCounts(db: Db) {
  return db
    .select({
      c: cycleCounts,
      warehouseCode: warehouses.code,
      warehouseName: warehouses.name,
      categoryName: productCategories.name,
      createdByName: creator.name,
    })
    .from(cycleCounts)
    .innerJoin(warehouses, eq(warehouses.id, cycleCounts.warehouseId))
    .leftJoin(productCategories, eq(productCategories.id, cycleCounts.categoryId))
    .leftJoin(creator, eq(creator.id, cycleCounts.createdBy));
}
type Row = Awaited<ReturnType<ReturnType<typeof selectCounts>['where']>>[number];

const q = (v: string | null) => (v === null ? null : formatQuantity(v));

/** counted − expected while open; what was posted once posted. */
function varianceOf(c: CountRow, l: Pick<LineRow, 'expected' | 'counted' | 'difference'>): Decimal | null {
  if (c.status === 'posted') return l.difference === null ? null : new Decimal(l.difference);
  if (l.counted === null) return null;
  return new Decimal(l.counted).minus(l.expected);
}

function present(r: Row, lines: Pick<LineRow, 'expected' | 'counted' | 'difference'>[]) {
  const c = r.c;
  return {
    id: c.id,
    number: c.number,
    warehouseId: c.warehouseId,
    warehouseCode: r.warehouseCode,
    warehouseName: r.warehouseName,
    categoryId: c.categoryId,
    categoryName: r.categoryName,
    blind: c.blind,
    status: c.status,
    note: c.note,
    lineCount: lines.length,
    countedLines: lines.filter((l) => l.counted !== null).length,
    differingLines: lines.filter((l) => {
      const v = varianceOf(c, l);
      return v !== null && !v.isZero();
    }).length,
    snapshotAt: c.snapshotAt.toISOString(),
    postedAt: c.postedAt?.toISOString() ?? null,
    cancelledAt: c.cancelledAt?.toISOString() ?? null,
    cancelReason: c.cancelReason,
    createdAt: c.createdAt.toISOString(),
    createdByName: r.createdByName,
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}

export async function listCounts(db: Db, query: z.infer<typeof countListQuery>) {
  const page = keyset(query, { createdAt: cycleCounts.createdAt }, cycleCounts.id, '-createdAt');
  const pattern = containsPattern(query.q?.trim());
  const filter = whereAll(
    query.status ? eq(cycleCounts.status, query.status) : undefined,
    query.warehouseId ? eq(cycleCounts.warehouseId, query.warehouseId) : undefined,
    pattern ? sql`${cycleCounts.number} ilike ${pattern}` : undefined,
  );
  const rows = await selectCounts(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(cycleCounts).where(filter);
  const result = page.page(rows, n, (r) => [r.c.createdAt, r.c.id]);
  const lines = result.items.length
    ? await db
        .select({
          countId: cycleCountLines.countId,
          expected: cycleCountLines.expected,
          counted: cycleCountLines.counted,
          difference: cycleCountLines.difference,
        })
        .from(cycleCountLines)
        .where(
          inArray(
            cycleCountLines.countId,
            result.items.map((r) => r.c.id),
          ),
        )
    : [];
  return {
    ...result,
    items: result.items.map((r) =>
      present(
        r,
        lines.filter((l) => l.countId === r.c.id),
      ),
    ),
  };
}

export async function getCount(db: Db, id: string) {
  const [row] = await selectCounts(db).where(eq(cycleCounts.id, id));
  if (!row) throw notFound();
  const lines = await db
    .select({
      l: cycleCountLines,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      trackingMode: products.trackingMode,
    })
    .from(cycleCountLines)
    .innerJoin(products, eq(products.id, cycleCountLines.productId))
    .where(eq(cycleCountLines.countId, id))
    .orderBy(asc(cycleCountLines.lineNo));
  const c = row.c;
  const hide = c.blind && isOpen(c.status);
  return {
    ...present(
      row,
      lines.map((x) => x.l),
    ),
    lines: lines.map(({ l, ...p }) => {
      const v = varianceOf(c, l);
      return {
        id: l.id,
        lineNo: l.lineNo,
        productId: l.productId,
        sku: p.sku,
        productName: p.productName,
        uom: p.uom,
        trackingMode: p.trackingMode,
        batchNo: l.batchNo,
        serialNo: l.serialNo,
        expected: hide ? null : q(l.expected),
        counted: q(l.counted),
        variance: hide || v === null ? null : v.toString(),
        onHandAtPosting: q(l.onHandAtPosting),
        difference: q(l.difference),
        added: l.added,
      };
    }),
  };
}

export async function countHistory(db: Db, id: string) {
  await getCount(db, id);
  return recordHistory(db, ENTITY, id);
}

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<CountStatus, Record<Locale, string>> = {
  draft: { 'zh-CN': '待盘点', en: 'not started' },
  counting: { 'zh-CN': '盘点中', en: 'being counted' },
  posted: { 'zh-CN': '已过账', en: 'posted' },
  cancelled: { 'zh-CN': '已作废', en: 'cancelled' },
};
const ACTION_LABELS = {
  count: { 'zh-CN': '录入盘点数', en: 'counted' },
  post: { 'zh-CN': '过账', en: 'posted' },
  cancel: { 'zh-CN': '作废', en: 'cancelled' },
} satisfies Record<string, Record<Locale, string>>;

const wrongState = (ctx: Ctx, c: CountRow, action: keyof typeof ACTION_LABELS) =>
  new AppError('count_wrong_state', {
    number: c.number,
    state: STATE_LABELS[c.status][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

async function lockCount(tx: Db, id: string): Promise<CountRow> {
  const [row] = await tx.select().from(cycleCounts).where(eq(cycleCounts.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

/**
 * Opens a count and snapshots the books: one line per untracked product on hand at the location
 * (and per product asked for, even at zero), one per batch or serial on hand there for tracked
 * products. Narrowed to a category (with its sub-categories) and/or a list of products.
 */
export async function createCount(db: Db, ctx: Ctx, input: z.infer<typeof countCreate>): Promise<string> {
  return withTx(db, async (tx) => {
    const [location] = await tx
      .select({ status: warehouses.status, name: warehouses.name })
      .from(warehouses)
      .where(eq(warehouses.id, input.warehouseId));
    if (!location) {
      throw new AppError('invalid_reference', { field: 'warehouseId' }, [
        { path: 'warehouseId', message: 'invalid' },
      ]);
    }
    if (location.status !== 'active') throw new AppError('location_archived', { location: location.name });
    const inCategory = input.categoryId
      ? sql`${products.categoryId} in (
          with recursive sub(id) as (
            select ${input.categoryId}::uuid
            union all select c.id from ${productCategories} c join sub on c.parent_id = sub.id
          ) select id from sub)`
      : undefined;
    const listed = input.productIds?.length ? inArray(products.id, input.productIds) : undefined;
    if (input.productIds?.length) {
      const found = await tx
        .select({ id: products.id })
        .from(products)
        .where(inArray(products.id, input.productIds));
      const known = new Set(found.map((p) => p.id));
      const missing = input.productIds.findIndex((id) => !known.has(id));
      if (missing >= 0) {
        throw new AppError('invalid_reference', { field: 'productIds' }, [
          { path: `productIds.${missing}`, message: 'invalid' },
        ]);
      }
    }
    const untracked = await tx
      .select({ productId: products.id, onHand: sql<string>`coalesce(${stockLevels.onHand}, 0)` })
      .from(products)
      .leftJoin(
        stockLevels,
        and(eq(stockLevels.productId, products.id), eq(stockLevels.warehouseId, input.warehouseId)),
      )
      .where(
        whereAll(
          eq(products.trackingMode, 'none'),
          inCategory,
          listed,
          listed ? undefined : sql`${stockLevels.onHand} > 0`,
        ),
      )
      .orderBy(asc(products.sku));
    const lots = await tx
      .select({
        productId: stockLotLevels.productId,
        lotId: stockLotLevels.lotId,
        batchNo: stockLots.batchNo,
        serialNo: stockLots.serialNo,
        onHand: stockLotLevels.onHand,
      })
      .from(stockLotLevels)
      .innerJoin(stockLots, eq(stockLots.id, stockLotLevels.lotId))
      .innerJoin(products, eq(products.id, stockLotLevels.productId))
      .where(
        whereAll(
          eq(stockLotLevels.warehouseId, input.warehouseId),
          sql`${stockLotLevels.onHand} > 0`,
          inCategory,
          listed,
        ),
      )
      .orderBy(asc(products.sku), asc(sql`coalesce(${stockLots.batchNo}, ${stockLots.serialNo})`));
    const [created] = await tx
      .insert(cycleCounts)
      .values({
        number: await nextNumber(tx, 'cycle_count'),
        warehouseId: input.warehouseId,
        categoryId: input.categoryId ?? null,
        blind: input.blind,
        note: input.note || null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    const snapshot = [
      ...untracked.map((u) => ({
        productId: u.productId,
        lotId: null,
        batchNo: null,
        serialNo: null,
        onHand: u.onHand,
      })),
      ...lots,
    ];
    const lines = snapshot.map((l, i) => ({
      countId: created!.id,
      lineNo: i + 1,
      productId: l.productId,
      lotId: l.lotId,
      batchNo: l.batchNo,
      serialNo: l.serialNo,
      expected: String(l.onHand),
    }));
    for (let i = 0; i < lines.length; i += 1000)
      await tx.insert(cycleCountLines).values(lines.slice(i, i + 1000));
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: ENTITY,
      entityId: created!.id,
      after: { ...created, lines: lines.length },
    });
    return created!.id;
  });
}

/**
 * Records counted quantities (a line can be cleared with null) and lines found that were not on
 * the books. A serial is counted 0 or 1. The first entry moves the count to 'counting'.
 */
export async function enterCounts(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof countEntry>,
): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockCount(tx, id);
    if (!isOpen(before.status)) throw wrongState(ctx, before, 'count');
    if (before.version !== input.version) throw versionConflict();
    const lines = await tx.select().from(cycleCountLines).where(eq(cycleCountLines.countId, id));
    const productIds = [
      ...new Set([...lines.map((l) => l.productId), ...input.added.map((a) => a.productId)]),
    ];
    const tracking = new Map(
      (
        await tx
          .select({
            id: products.id,
            trackingMode: products.trackingMode,
            status: products.status,
            sku: products.sku,
          })
          .from(products)
          .where(inArray(products.id, productIds))
      ).map((p) => [p.id, p]),
    );
    const errors: FieldError[] = [];
    input.lines.forEach((e, i) => {
      const line = lines.find((l) => l.id === e.lineId);
      if (!line) errors.push({ path: `lines.${i}.lineId`, message: 'invalid' });
      else if (
        tracking.get(line.productId)?.trackingMode === 'serial' &&
        e.counted !== null &&
        new Decimal(e.counted).greaterThan(1)
      ) {
        errors.push({ path: `lines.${i}.counted`, message: 'tooBig', params: { n: 1 } });
      }
    });
    input.added.forEach((a, i) => {
      const p = tracking.get(a.productId);
      if (p?.status !== 'active') {
        errors.push({ path: `added.${i}.productId`, message: 'invalid' });
        return;
      }
      if (p.trackingMode === 'batch' && !a.batchNo)
        errors.push({ path: `added.${i}.batchNo`, message: 'required' });
      if (p.trackingMode === 'serial' && !a.serialNo)
        errors.push({ path: `added.${i}.serialNo`, message: 'required' });
      if (p.trackingMode !== 'batch' && a.batchNo)
        errors.push({ path: `added.${i}.batchNo`, message: 'trackingNotUsed' });
      if (p.trackingMode !== 'serial' && a.serialNo)
        errors.push({ path: `added.${i}.serialNo`, message: 'trackingNotUsed' });
      if (p.trackingMode === 'serial' && new Decimal(a.counted).greaterThan(1)) {
        errors.push({ path: `added.${i}.counted`, message: 'tooBig', params: { n: 1 } });
      }
    });
    if (errors.length) throw new AppError('validation_failed', {}, errors);
    const who = { countedAt: sql`now()`, countedBy: ctx.actor?.userId ?? null };
    for (const e of input.lines) {
      await tx
        .update(cycleCountLines)
        .set({ counted: e.counted, ...who })
        .where(eq(cycleCountLines.id, e.lineId));
    }
    let next = lines.reduce((m, l) => Math.max(m, l.lineNo), 0);
    for (const a of input.added) {
      const batchNo = a.batchNo?.trim() || null;
      const serialNo = a.serialNo?.trim() || null;
      // The same product or lot already on the sheet: that line's count.
      const same = lines.find(
        (l) => l.productId === a.productId && l.batchNo === batchNo && l.serialNo === serialNo,
      );
      if (same) {
        await tx
          .update(cycleCountLines)
          .set({ counted: a.counted, ...who })
          .where(eq(cycleCountLines.id, same.id));
        continue;
      }
      const [lot] =
        batchNo || serialNo
          ? await tx
              .select({ id: stockLots.id })
              .from(stockLots)
              .where(
                and(
                  eq(stockLots.productId, a.productId),
                  batchNo ? eq(stockLots.batchNo, batchNo) : eq(stockLots.serialNo, serialNo!),
                ),
              )
          : [];
      const [inserted] = await tx
        .insert(cycleCountLines)
        .values({
          countId: id,
          lineNo: ++next,
          productId: a.productId,
          lotId: lot?.id ?? null,
          batchNo,
          serialNo,
          expected: '0',
          counted: a.counted,
          added: true,
          ...who,
        })
        .returning();
      lines.push(inserted!);
    }
    const [after] = await tx
      .update(cycleCounts)
      .set({ status: 'counting', updatedAt: sql`now()`, version: sql`${cycleCounts.version} + 1` })
      .where(and(eq(cycleCounts.id, id), eq(cycleCounts.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'count',
      entity: ENTITY,
      entityId: id,
      before: { status: before.status, version: before.version },
      after: { status: after.status, version: after.version, lines: input.lines, added: input.added },
    });
  });
}

/**
 * Posts the count: every line must be counted. For each line the difference is counted − on hand
 * NOW (locked), stored with that on hand, and the non-zero ones go to the ledger as adjustments
 * in one posting keyed by the count (盘盈 count_gain / 盘亏 count_loss). A loss below what is
 * reserved is refused by the ledger (insufficient_stock) and nothing changes.
 */
export async function postCount(db: Db, ctx: Ctx, id: string, version: number): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockCount(tx, id);
    if (before.status === 'posted') return;
    if (!isOpen(before.status)) throw wrongState(ctx, before, 'post');
    if (before.version !== version) throw versionConflict();
    const lines = await tx
      .select()
      .from(cycleCountLines)
      .where(eq(cycleCountLines.countId, id))
      .orderBy(asc(cycleCountLines.lineNo));
    const uncounted = lines.filter((l) => l.counted === null).length;
    if (uncounted) throw new AppError('count_incomplete', { number: before.number, n: uncounted });
    // Lock the levels counted, so nothing moves between reading on hand and posting.
    await tx
      .select({ p: stockLevels.productId })
      .from(stockLevels)
      .where(
        and(
          eq(stockLevels.warehouseId, before.warehouseId),
          inArray(stockLevels.productId, [...new Set(lines.map((l) => l.productId))].sort()),
        ),
      )
      .orderBy(asc(stockLevels.productId))
      .for('update');
    const movements: MovementLine[] = [];
    for (const l of lines) {
      const onHand = await onHandNow(tx, before.warehouseId, l);
      const difference = new Decimal(l.counted!).minus(onHand);
      await tx
        .update(cycleCountLines)
        .set({ onHandAtPosting: onHand.toString(), difference: difference.toString() })
        .where(eq(cycleCountLines.id, l.id));
      if (difference.isZero()) continue;
      movements.push({
        kind: 'adjustment',
        warehouseId: before.warehouseId,
        productId: l.productId,
        quantity: difference.toString(),
        batchNo: l.batchNo,
        serialNo: l.serialNo,
        reason: `${difference.isPositive() ? 'count_gain' : 'count_loss'}: ${before.number}`,
      });
    }
    if (movements.length) {
      await postMovements(tx, ctx, {
        sourceType: COUNT_SOURCE,
        sourceId: id,
        postingKey: `${COUNT_SOURCE}:${id}`,
        movements,
      });
    }
    const [after] = await tx
      .update(cycleCounts)
      .set({
        status: 'posted',
        postedAt: sql`now()`,
        postedBy: ctx.actor?.userId ?? null,
        updatedAt: sql`now()`,
        version: sql`${cycleCounts.version} + 1`,
      })
      .where(eq(cycleCounts.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'post',
      entity: ENTITY,
      entityId: id,
      before,
      after: { ...after, adjustments: movements.length },
    });
    await enqueueJob(tx, REORDER_CHECK_JOB, {}, { dedupeKey: REORDER_CHECK_JOB });
  });
}

async function onHandNow(tx: Db, warehouseId: string, l: LineRow): Promise<Decimal> {
  if (l.batchNo || l.serialNo) {
    const [row] = await tx
      .select({ onHand: stockLotLevels.onHand })
      .from(stockLotLevels)
      .innerJoin(stockLots, eq(stockLots.id, stockLotLevels.lotId))
      .where(
        and(
          eq(stockLotLevels.warehouseId, warehouseId),
          eq(stockLots.productId, l.productId),
          l.batchNo ? eq(stockLots.batchNo, l.batchNo) : eq(stockLots.serialNo, l.serialNo!),
        ),
      );
    return new Decimal(row?.onHand ?? 0);
  }
  const [row] = await tx
    .select({ onHand: stockLevels.onHand })
    .from(stockLevels)
    .where(and(eq(stockLevels.warehouseId, warehouseId), eq(stockLevels.productId, l.productId)));
  return new Decimal(row?.onHand ?? 0);
}

/** Abandons an open count; nothing is posted. */
export async function cancelCount(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof countCancel>,
): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockCount(tx, id);
    if (!isOpen(before.status)) throw wrongState(ctx, before, 'cancel');
    if (before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(cycleCounts)
      .set({
        status: 'cancelled',
        cancelledAt: sql`now()`,
        cancelReason: input.reason,
        updatedAt: sql`now()`,
        version: sql`${cycleCounts.version} + 1`,
      })
      .where(eq(cycleCounts.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'cancel', entity: ENTITY, entityId: id, before, after });
  });
}
