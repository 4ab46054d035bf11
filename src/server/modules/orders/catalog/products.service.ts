import { and, count, eq, inArray, like, ne, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { productCreate, productListQuery, productUpdate } from '../../../../contracts/catalog.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { type AuditInput, recordAudit, recordAudits } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { customValuesFor } from '../../../platform/custom-fields/custom-fields.js';
import { AppError, type FieldError, notFound, versionConflict } from '../../../platform/errors.js';
import { attachments } from '../../../platform/files/schema.js';
import type { FileStore } from '../../../platform/files/storage.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import { stockMovements } from '../stock/schema.js';
import { categorySubtree } from './categories.service.js';
import { marginPercent, mayChangeTracking, normaliseSku, productPinyin } from './product-rules.js';
import { productCategories, products } from './schema.js';

export type ProductRow = typeof products.$inferSelect;
export type ProductInput = z.infer<typeof productCreate>;
type ProductChanges = Omit<z.infer<typeof productUpdate>, 'version'>;

const ENTITY = 'product';
export const COST_PERMISSION = 'products.cost';

/** Whether the caller may see and set cost prices and margins (the system itself may). */
export const seesCost = (ctx: Ctx) => !ctx.actor || ctx.actor.permissions.has(COST_PERMISSION);

const hasMovements = sql<boolean>`exists (select 1 from ${stockMovements} where ${stockMovements.productId} = ${products.id})`;

/** The cover picture: the first chosen image still attached, else the first picture uploaded. */
const coverImage = sql<string | null>`coalesce(
  (select a.id::text from ${attachments} a, jsonb_array_elements_text(${products.images}) with ordinality as img(id, n)
    where a.id::text = img.id and a.entity = 'product' and a.entity_id = ${products.id} and a.deleted_at is null
    order by img.n limit 1),
  (select a.id::text from ${attachments} a where a.entity = 'product' and a.entity_id = ${products.id}
    and a.deleted_at is null and a.content_type like 'image/%' order by a.uploaded_at, a.id limit 1))`;

function selectProducts(db: Db) {
  return db
    .select({
      product: products,
      categoryCode: productCategories.code,
      categoryName: productCategories.name,
      coverImageId: coverImage,
      trackingLocked: hasMovements,
    })
    .from(products)
    .leftJoin(productCategories, eq(productCategories.id, products.categoryId));
}
type Row = Awaited<ReturnType<ReturnType<typeof selectProducts>['where']>>[number];

/** A product as the caller may see it: cost price and margin only for holders of products.cost. */
function present(r: Row, withCost: boolean) {
  const p = r.product;
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    nameEn: p.nameEn,
    specification: p.specification,
    uom: p.uom,
    barcode: p.barcode,
    brand: p.brand,
    categoryId: p.categoryId,
    categoryCode: r.categoryCode,
    categoryName: r.categoryName,
    images: p.images,
    coverImageId: r.coverImageId,
    taxRate: canonicalRate(p.taxRate),
    listPrice: p.listPrice,
    ...(withCost ? { costPrice: p.costPrice, margin: marginPercent(p.listPrice, p.costPrice) } : {}),
    grade: p.grade,
    trackingMode: p.trackingMode,
    trackingLocked: !!r.trackingLocked,
    status: p.status,
    customFields: p.customFields,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}
export type ProductView = ReturnType<typeof present>;

/** numeric(5,4) comes back as "0.1300": shown as "0.13". */
const canonicalRate = (stored: string) => {
  const t = stored.includes('.') ? stored.replace(/0+$/, '').replace(/\.$/, '') : stored;
  return t === '' ? '0' : t;
};

/** Filters of the list, shared by the list page and its export. */
export function productListFilter(query: Omit<z.infer<typeof productListQuery>, 'limit'>) {
  let q: SQL | undefined;
  const raw = query.q?.trim();
  if (raw) {
    const lower = raw.toLowerCase().replace(/\s+/g, '');
    const prefix = `${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = or(
      like(products.sku, `${raw.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
      sql`${products.name} ilike ${containsPattern(raw)}`,
      like(products.namePinyin, prefix),
      like(products.nameInitials, prefix),
      eq(products.barcode, raw),
    );
  }
  return whereAll(
    q,
    query.categoryId ? sql`${products.categoryId} in ${categorySubtree(query.categoryId)}` : undefined,
    query.status ? eq(products.status, query.status) : undefined,
    query.grade ? eq(products.grade, query.grade) : undefined,
    query.trackingMode ? eq(products.trackingMode, query.trackingMode) : undefined,
    query.brand ? eq(products.brand, query.brand) : undefined,
  );
}

export async function listProducts(db: Db, ctx: Ctx, query: z.infer<typeof productListQuery>) {
  const page = keyset(
    query,
    { sku: products.sku, name: products.name, createdAt: products.createdAt, listPrice: products.listPrice },
    products.id,
    'sku',
  );
  const filter = productListFilter(query);
  const rows = await selectProducts(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(products).where(filter);
  const key = (query.sort ?? 'sku').replace(/^-/, '') as 'sku' | 'name' | 'createdAt' | 'listPrice';
  const result = page.page(rows, n, (r) => [r.product[key], r.product.id]);
  const withCost = seesCost(ctx);
  return { ...result, items: result.items.map((r) => present(r, withCost)) };
}

export async function getProduct(db: Db, ctx: Ctx, id: string): Promise<ProductView> {
  const [row] = await selectProducts(db).where(eq(products.id, id));
  if (!row) throw notFound();
  return present(row, seesCost(ctx));
}

/** Brands in use, for the filter's drop-down. */
export async function listBrands(db: Db) {
  const rows = await db
    .selectDistinct({ brand: products.brand })
    .from(products)
    .where(sql`${products.brand} is not null`)
    .orderBy(products.brand)
    .limit(500);
  return { items: rows.map((r) => r.brand!) };
}

/** The product's history; without products.cost, cost changes are left out of each entry. */
export async function productHistory(db: Db, ctx: Ctx, id: string) {
  await getProduct(db, ctx, id);
  const history = await recordHistory(db, ENTITY, id);
  if (seesCost(ctx)) return history;
  return {
    items: history.items
      .map((e) => {
        const { costPrice: _hidden, ...changes } = e.changes as Record<
          string,
          { from: unknown; to: unknown }
        >;
        return { ...e, changes };
      })
      .filter((e) => Object.keys(e.changes).length || e.action !== 'update'),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

const duplicate = (path: 'sku' | 'barcode', value: string) =>
  new AppError('duplicate', { field: `${path === 'sku' ? 'SKU' : '条码/barcode'} ${value}` }, [
    { path, message: 'exists' },
  ]);

/** Writing a cost price needs products.cost: 403, nothing written. */
function assertMaySetCost(ctx: Ctx, input: { costPrice?: number | null | undefined }) {
  if (input.costPrice !== undefined && !seesCost(ctx)) {
    throw new AppError('forbidden', { permission: COST_PERMISSION });
  }
}

async function assertUnique(tx: Db, fields: { sku?: string; barcode?: string | null }, selfId?: string) {
  const not = selfId ? ne(products.id, selfId) : undefined;
  if (fields.sku) {
    const [taken] = await tx
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.sku, fields.sku), not));
    if (taken) throw duplicate('sku', fields.sku);
  }
  if (fields.barcode) {
    const [taken] = await tx
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.barcode, fields.barcode), not));
    if (taken) throw duplicate('barcode', fields.barcode);
  }
}

/** The category must exist and be active. */
async function assertCategory(tx: Db, categoryId: string) {
  const [c] = await tx.select().from(productCategories).where(eq(productCategories.id, categoryId));
  if (!c) {
    throw new AppError('invalid_reference', { field: 'categoryId' }, [
      { path: 'categoryId', message: 'invalid' },
    ]);
  }
  if (c.archivedAt) throw new AppError('category_archived', { name: c.name });
}

/** Chosen images must be pictures attached to this product (uploaded on its page). */
async function assertImages(tx: Db, productId: string, images: string[] | undefined) {
  if (!images?.length) return;
  const found = await tx
    .select({ id: attachments.id })
    .from(attachments)
    .where(
      and(
        inArray(attachments.id, images),
        eq(attachments.entity, ENTITY),
        eq(attachments.entityId, productId),
        sql`${attachments.deletedAt} is null and ${attachments.contentType} like 'image/%'`,
      ),
    );
  const ok = new Set(found.map((f) => f.id));
  const errors: FieldError[] = images.flatMap((id, i) =>
    ok.has(id) ? [] : [{ path: `images.${i}`, message: 'invalid' as const }],
  );
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

function newProductRow(ctx: Ctx, input: ProductInput, customFields: Record<string, unknown>) {
  return {
    sku: normaliseSku(input.sku),
    name: input.name,
    nameEn: input.nameEn || null,
    ...productPinyin(input.name),
    specification: input.specification || null,
    uom: input.uom,
    barcode: input.barcode || null,
    brand: input.brand || null,
    categoryId: input.categoryId ?? null,
    images: [],
    taxRate: input.taxRate ?? '0.13',
    listPrice: input.listPrice,
    costPrice: input.costPrice ?? null,
    grade: input.grade ?? null,
    trackingMode: input.trackingMode ?? 'none',
    status: 'active' as const,
    customFields,
    createdBy: ctx.actor?.userId ?? null,
  };
}

/**
 * Adds a product. SKU (any case) and barcode are unique; the category must be active; a cost
 * price needs products.cost. Pictures are attached after creation, on the product's page.
 */
export async function createProduct(db: Db, ctx: Ctx, input: ProductInput): Promise<ProductRow> {
  assertMaySetCost(ctx, input);
  return withTx(db, async (tx) => {
    await assertUnique(tx, { sku: normaliseSku(input.sku), barcode: input.barcode ?? null });
    if (input.categoryId) await assertCategory(tx, input.categoryId);
    if (input.images?.length)
      throw new AppError('validation_failed', {}, [{ path: 'images', message: 'invalid' }]);
    const customFields = await customValuesFor(tx, 'product', input.customFields);
    const [row] = await tx
      .insert(products)
      .values(newProductRow(ctx, input, customFields))
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: ENTITY, entityId: row!.id, after: row });
    return row!;
  });
}

/**
 * Creates many products at once (imports): createProduct's checks set-wise — SKU and barcode
 * free in the table and earlier in the batch, category active — then one multi-row insert and
 * one audit insert. Inputs any check would refuse are left (null) for createProduct to explain.
 */
export async function createProducts(
  tx: Db,
  ctx: Ctx,
  inputs: ProductInput[],
): Promise<(ProductRow | null)[]> {
  const result: (ProductRow | null)[] = inputs.map(() => null);
  if (!inputs.length) return result;
  const withCost = seesCost(ctx);
  const skus = inputs.map((i) => normaliseSku(i.sku));
  const barcodes = inputs.flatMap((i) => i.barcode || []);
  const takenSkus = new Set(
    (await tx.select({ v: products.sku }).from(products).where(inArray(products.sku, skus))).map((r) => r.v),
  );
  const takenBarcodes = new Set(
    barcodes.length
      ? (
          await tx.select({ v: products.barcode }).from(products).where(inArray(products.barcode, barcodes))
        ).map((r) => r.v)
      : [],
  );
  const categoryIds = [...new Set(inputs.flatMap((i) => i.categoryId || []))];
  const activeCategories = new Set(
    categoryIds.length
      ? (
          await tx
            .select({ id: productCategories.id })
            .from(productCategories)
            .where(
              and(inArray(productCategories.id, categoryIds), sql`${productCategories.archivedAt} is null`),
            )
        ).map((r) => r.id)
      : [],
  );
  const accepted: { index: number; row: ReturnType<typeof newProductRow> }[] = [];
  for (const [index, input] of inputs.entries()) {
    const sku = skus[index]!;
    const clash =
      takenSkus.has(sku) ||
      (input.barcode && takenBarcodes.has(input.barcode)) ||
      (input.categoryId && !activeCategories.has(input.categoryId)) ||
      (input.costPrice !== undefined && !withCost) ||
      (input.customFields && Object.keys(input.customFields).length > 0);
    takenSkus.add(sku);
    if (input.barcode) takenBarcodes.add(input.barcode);
    if (clash) continue;
    accepted.push({ index, row: newProductRow(ctx, input, {}) });
  }
  if (!accepted.length) return result;
  const rows = await tx
    .insert(products)
    .values(accepted.map((a) => a.row))
    .returning();
  const audits: AuditInput[] = [];
  rows.forEach((row, k) => {
    result[accepted[k]!.index] = row;
    audits.push({ action: 'create', entity: ENTITY, entityId: row.id, after: row });
  });
  await recordAudits(tx, ctx, audits);
  return result;
}

async function lock(tx: Db, id: string): Promise<ProductRow> {
  const [row] = await tx.select().from(products).where(eq(products.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

/**
 * Changes a product (versioned). An archived product must be restored first. The tracking mode
 * is fixed once stock has moved; a cost price needs products.cost.
 */
export async function updateProduct(db: Db, ctx: Ctx, id: string, input: z.infer<typeof productUpdate>) {
  const { version, ...changes } = input;
  assertMaySetCost(ctx, changes);
  return withTx(db, async (tx) => {
    const before = await lock(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.status === 'archived') throw new AppError('product_archived', { sku: before.sku });
    const sku = changes.sku === undefined ? undefined : normaliseSku(changes.sku);
    await assertUnique(
      tx,
      {
        ...(sku !== undefined && sku !== before.sku ? { sku } : {}),
        ...(changes.barcode && changes.barcode !== before.barcode ? { barcode: changes.barcode } : {}),
      },
      id,
    );
    if (changes.categoryId && changes.categoryId !== before.categoryId)
      await assertCategory(tx, changes.categoryId);
    if (changes.trackingMode !== undefined && changes.trackingMode !== before.trackingMode) {
      const [moved] = await tx
        .select({ id: stockMovements.id })
        .from(stockMovements)
        .where(eq(stockMovements.productId, id))
        .limit(1);
      if (!mayChangeTracking(!!moved, before.trackingMode, changes.trackingMode)) {
        throw new AppError('tracking_mode_locked', { sku: before.sku });
      }
    }
    await assertImages(tx, id, changes.images);
    const set = productChanges(changes, sku);
    if (changes.customFields !== undefined) {
      set.customFields = await customValuesFor(tx, 'product', changes.customFields, before.customFields);
    }
    const [after] = await tx
      .update(products)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${products.version} + 1` })
      .where(and(eq(products.id, id), eq(products.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: ENTITY, entityId: id, before, after });
    return id;
  });
}

function productChanges(changes: ProductChanges, sku: string | undefined) {
  const set: Partial<typeof products.$inferInsert> = {};
  if (sku !== undefined) set.sku = sku;
  if (changes.name !== undefined) Object.assign(set, { name: changes.name }, productPinyin(changes.name));
  if (changes.nameEn !== undefined) set.nameEn = changes.nameEn || null;
  if (changes.specification !== undefined) set.specification = changes.specification || null;
  if (changes.uom !== undefined) set.uom = changes.uom;
  if (changes.barcode !== undefined) set.barcode = changes.barcode || null;
  if (changes.brand !== undefined) set.brand = changes.brand || null;
  if (changes.categoryId !== undefined) set.categoryId = changes.categoryId;
  if (changes.images !== undefined) set.images = [...new Set(changes.images)];
  if (changes.taxRate !== undefined) set.taxRate = changes.taxRate;
  if (changes.listPrice !== undefined) set.listPrice = changes.listPrice;
  if (changes.costPrice !== undefined) set.costPrice = changes.costPrice;
  if (changes.grade !== undefined) set.grade = changes.grade;
  if (changes.trackingMode !== undefined) set.trackingMode = changes.trackingMode;
  return set;
}

/** Archives or restores a product (master data is never deleted). */
export async function setProductStatus(
  db: Db,
  ctx: Ctx,
  id: string,
  status: 'active' | 'archived',
  version: number,
) {
  return withTx(db, async (tx) => {
    const before = await lock(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.status === status) return id;
    if (status === 'active' && before.categoryId) await assertCategory(tx, before.categoryId);
    const [after] = await tx
      .update(products)
      .set({ status, updatedAt: sql`now()`, version: sql`${products.version} + 1` })
      .where(eq(products.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: status === 'archived' ? 'archive' : 'restore',
      entity: ENTITY,
      entityId: id,
      before,
      after,
    });
    return id;
  });
}

/**
 * A picture of a product, for <img> tags: an image attachment of this product. Unlike a download
 * from the attachments list it is not audited (catalog pictures are shown to every catalog
 * reader, on every list page).
 */
export async function openProductImage(db: Db, store: FileStore, productId: string, imageId: string) {
  const [row] = await db
    .select()
    .from(attachments)
    .where(
      and(
        eq(attachments.id, imageId),
        eq(attachments.entity, ENTITY),
        eq(attachments.entityId, productId),
        sql`${attachments.deletedAt} is null and ${attachments.contentType} like 'image/%'`,
      ),
    );
  if (!row) throw notFound();
  const file = await store.open(row.sha256);
  if (!file) throw new AppError('file_content_missing');
  return { contentType: row.contentType, stream: file.stream, size: file.size };
}

/** Whether a product exists (attachments: every catalog reader may see its pictures). */
export async function productExists(db: Db, id: string) {
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.id, id));
  return !!row;
}

/** A product's status, for other parts of the module (stock refuses movements on archived ones). */
export async function productStatusOf(db: Db, id: string) {
  const [row] = await db
    .select({ status: products.status, trackingMode: products.trackingMode, sku: products.sku })
    .from(products)
    .where(eq(products.id, id));
  return row ?? null;
}
