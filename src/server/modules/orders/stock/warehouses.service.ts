import { and, count, eq, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { warehouseCreate, warehouseListQuery, warehouseUpdate } from '../../../../contracts/stock.js';
import type { Db } from '../../../db/client.js';
import { pgConstraint, withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, type FieldError, notFound, versionConflict } from '../../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import { divisionName, isKnownDivision, listDivisions } from '../../org/divisions.js';
import { orgUnits, users } from '../../org/schema.js';
import { products } from '../catalog/schema.js';
import { stockLevels, warehouses } from './schema.js';

type WarehouseRow = typeof warehouses.$inferSelect;
type CreateInput = z.infer<typeof warehouseCreate>;
type UpdateInput = z.infer<typeof warehouseUpdate>;

// ---------------------------------------------------------------------------------------------
// Reading

const productsInStock = sql<number>`(select count(*)::int from ${stockLevels}
  where ${stockLevels.warehouseId} = ${warehouses.id} and ${stockLevels.onHand} > 0)`;

function selectWarehouses(db: Db) {
  return db
    .select({
      w: warehouses,
      orgUnitName: orgUnits.name,
      managerName: users.name,
      productsInStock,
    })
    .from(warehouses)
    .leftJoin(orgUnits, eq(orgUnits.id, warehouses.orgUnitId))
    .leftJoin(users, eq(users.id, warehouses.managerId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectWarehouses>['where']>>[number];

function regionName(w: WarehouseRow): string | null {
  const parts = [w.provinceCode, w.cityCode].flatMap((c) => (c ? [divisionName(c) ?? c] : []));
  return parts.length ? parts.join(' ') : null;
}

function present(r: Row) {
  const w = r.w;
  return {
    id: w.id,
    code: w.code,
    name: w.name,
    kind: w.kind,
    orgUnitId: w.orgUnitId,
    orgUnitName: r.orgUnitName,
    provinceCode: w.provinceCode,
    cityCode: w.cityCode,
    regionName: regionName(w),
    address: w.address,
    managerId: w.managerId,
    managerName: r.managerName,
    status: w.status,
    productsInStock: Number(r.productsInStock),
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
    version: w.version,
  };
}

export async function listWarehouses(db: Db, query: z.infer<typeof warehouseListQuery>) {
  const page = keyset(
    query,
    { code: warehouses.code, createdAt: warehouses.createdAt },
    warehouses.id,
    'code',
  );
  const pattern = containsPattern(query.q);
  const status = query.status ?? 'active';
  const filter = whereAll(
    status === 'all' ? undefined : eq(warehouses.status, status),
    query.kind ? eq(warehouses.kind, query.kind) : undefined,
    pattern
      ? or(sql`${warehouses.code} ilike ${pattern}`, sql`${warehouses.name} ilike ${pattern}`)
      : undefined,
  );
  const rows = await selectWarehouses(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(warehouses).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'code';
  const result = page.page(rows, n, (r) => [key === 'createdAt' ? r.w.createdAt : r.w.code, r.w.id]);
  return { ...result, items: result.items.map(present) };
}

export async function getWarehouse(db: Db, id: string) {
  const [row] = await selectWarehouses(db).where(eq(warehouses.id, id));
  if (!row) throw notFound();
  return present(row);
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * What the contract cannot check alone: province and city codes that exist and nest, an org unit
 * that is live and a manager who is an active user. Every problem is reported at once.
 */
async function assertLocationFields(tx: Db, input: Partial<CreateInput>, current?: WarehouseRow) {
  const errors: FieldError[] = [];
  const province = input.provinceCode === undefined ? current?.provinceCode : input.provinceCode;
  // A new province without a city drops the old city (see updateWarehouse).
  const city =
    input.cityCode !== undefined
      ? input.cityCode
      : input.provinceCode !== undefined && input.provinceCode !== current?.provinceCode
        ? null
        : current?.cityCode;
  if (input.provinceCode && (input.provinceCode.length !== 2 || !isKnownDivision(input.provinceCode))) {
    errors.push({ path: 'provinceCode', message: 'division' });
  }
  if (city && (input.cityCode !== undefined || input.provinceCode !== undefined)) {
    if (!province || !listDivisions(province).some((d) => d.code === city)) {
      errors.push({ path: 'cityCode', message: 'division' });
    }
  }
  if (input.orgUnitId) {
    const [unit] = await tx
      .select({ archivedAt: orgUnits.archivedAt })
      .from(orgUnits)
      .where(eq(orgUnits.id, input.orgUnitId));
    if (!unit || unit.archivedAt) errors.push({ path: 'orgUnitId', message: 'invalid' });
  }
  if (input.managerId) {
    const [user] = await tx.select({ status: users.status }).from(users).where(eq(users.id, input.managerId));
    if (user?.status !== 'active') errors.push({ path: 'managerId', message: 'invalid' });
  }
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

async function assertCodeFree(tx: Db, code: string, selfId?: string) {
  const [taken] = await tx
    .select({ id: warehouses.id })
    .from(warehouses)
    .where(
      whereAll(
        sql`lower(${warehouses.code}) = lower(${code})`,
        selfId ? ne(warehouses.id, selfId) : undefined,
      ),
    );
  if (taken) throw new AppError('duplicate', { field: code }, [{ path: 'code', message: 'exists' }]);
}

/** A unique-index race between two creates ends as the same 409 as the check above. */
function rethrowDuplicate(err: unknown, code: string | undefined): never {
  if (pgConstraint(err) === 'warehouses_code_idx') {
    throw new AppError('duplicate', { field: code ?? '' }, [{ path: 'code', message: 'exists' }]);
  }
  throw err;
}

export async function createWarehouse(db: Db, ctx: Ctx, input: CreateInput): Promise<string> {
  try {
    return await withTx(db, async (tx) => {
      await assertLocationFields(tx, input);
      await assertCodeFree(tx, input.code);
      const [created] = await tx
        .insert(warehouses)
        .values({
          code: input.code,
          name: input.name,
          kind: input.kind,
          orgUnitId: input.orgUnitId ?? null,
          provinceCode: input.provinceCode ?? null,
          cityCode: input.cityCode ?? null,
          address: input.address || null,
          managerId: input.managerId ?? null,
          createdBy: ctx.actor?.userId ?? null,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'create',
        entity: 'warehouse',
        entityId: created!.id,
        after: created,
      });
      return created!.id;
    });
  } catch (err) {
    rethrowDuplicate(err, input.code);
  }
}

async function lockWarehouse(tx: Db, id: string): Promise<WarehouseRow> {
  const [row] = await tx.select().from(warehouses).where(eq(warehouses.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

export async function updateWarehouse(db: Db, ctx: Ctx, id: string, input: UpdateInput): Promise<void> {
  const { version, ...changes } = input;
  try {
    await withTx(db, async (tx) => {
      const before = await lockWarehouse(tx, id);
      if (before.version !== version) throw versionConflict();
      if (before.status === 'archived') throw new AppError('location_archived', { location: before.name });
      await assertLocationFields(tx, changes, before);
      if (changes.code !== undefined && changes.code !== before.code)
        await assertCodeFree(tx, changes.code, id);
      const set: Partial<typeof warehouses.$inferInsert> = {};
      if (changes.code !== undefined) set.code = changes.code;
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.kind !== undefined) set.kind = changes.kind;
      if (changes.orgUnitId !== undefined) set.orgUnitId = changes.orgUnitId;
      if (changes.provinceCode !== undefined) {
        set.provinceCode = changes.provinceCode;
        // A new province without a new city drops the old city, which no longer nests.
        if (changes.cityCode === undefined && changes.provinceCode !== before.provinceCode)
          set.cityCode = null;
      }
      if (changes.cityCode !== undefined) set.cityCode = changes.cityCode;
      if (changes.address !== undefined) set.address = changes.address || null;
      if (changes.managerId !== undefined) set.managerId = changes.managerId;
      const [after] = await tx
        .update(warehouses)
        .set({ ...set, updatedAt: sql`now()`, version: sql`${warehouses.version} + 1` })
        .where(and(eq(warehouses.id, id), eq(warehouses.version, version)))
        .returning();
      if (!after) throw versionConflict();
      await recordAudit(tx, ctx, { action: 'update', entity: 'warehouse', entityId: id, before, after });
    });
  } catch (err) {
    rethrowDuplicate(err, changes.code);
  }
}

/**
 * Archives a location no longer used. Stock still on hand there (and so any reservation on it)
 * must be moved or written off first: an archived location takes no movements.
 */
export async function archiveWarehouse(db: Db, ctx: Ctx, id: string, version: number): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockWarehouse(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.status === 'archived') return;
    // Lock the location's levels so no receipt slips in between the check and the archive.
    const held = await tx
      .select({ productId: stockLevels.productId })
      .from(stockLevels)
      .where(
        and(eq(stockLevels.warehouseId, id), sql`(${stockLevels.onHand} > 0 or ${stockLevels.reserved} > 0)`),
      )
      .for('update');
    if (held.length) throw new AppError('location_has_stock', { name: before.name, products: held.length });
    const [after] = await tx
      .update(warehouses)
      .set({ status: 'archived', updatedAt: sql`now()`, version: sql`${warehouses.version} + 1` })
      .where(eq(warehouses.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'archive',
      entity: 'warehouse',
      entityId: id,
      before,
      after: after!,
    });
  });
}

export async function restoreWarehouse(db: Db, ctx: Ctx, id: string, version: number): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await lockWarehouse(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.status === 'active') return;
    const [after] = await tx
      .update(warehouses)
      .set({ status: 'active', updatedAt: sql`now()`, version: sql`${warehouses.version} + 1` })
      .where(eq(warehouses.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'restore',
      entity: 'warehouse',
      entityId: id,
      before,
      after: after!,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reorder points per location and product

/**
 * Sets when a product counts as low at a location (available ≤ point) and how much to reorder.
 * A level row is created when nothing has moved there yet; the alert may fire again afterwards.
 */
export async function setReorderPoint(
  db: Db,
  ctx: Ctx,
  key: { warehouseId: string; productId: string },
  input: { reorderPoint: string | null; reorderQuantity: string | null },
): Promise<void> {
  await withTx(db, async (tx) => {
    const [location] = await tx
      .select({ status: warehouses.status, name: warehouses.name })
      .from(warehouses)
      .where(eq(warehouses.id, key.warehouseId));
    if (!location) throw notFound();
    if (location.status === 'archived') throw new AppError('location_archived', { location: location.name });
    const [product] = await tx
      .select({ id: products.id })
      .from(products)
      .where(eq(products.id, key.productId));
    if (!product) throw notFound();
    const [before] = await tx
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, key.warehouseId), eq(stockLevels.productId, key.productId)))
      .for('update');
    const values = {
      reorderPoint: input.reorderPoint,
      reorderQuantity: input.reorderQuantity,
      lowStockNotifiedAt: null,
      updatedAt: sql`now()`,
    };
    const [after] = before
      ? await tx
          .update(stockLevels)
          .set(values)
          .where(and(eq(stockLevels.warehouseId, key.warehouseId), eq(stockLevels.productId, key.productId)))
          .returning()
      : await tx
          .insert(stockLevels)
          .values({ ...key, ...values })
          .onConflictDoUpdate({ target: [stockLevels.warehouseId, stockLevels.productId], set: values })
          .returning();
    await recordAudit(tx, ctx, {
      action: 'set_reorder_point',
      entity: 'stock_level',
      entityId: `${key.warehouseId}:${key.productId}`,
      before: before ? { reorderPoint: before.reorderPoint, reorderQuantity: before.reorderQuantity } : null,
      after: { reorderPoint: after!.reorderPoint, reorderQuantity: after!.reorderQuantity },
    });
  });
}
