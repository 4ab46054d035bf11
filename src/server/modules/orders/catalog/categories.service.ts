import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { productCategoryCreate, productCategoryUpdate } from '../../../../contracts/catalog.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../../platform/errors.js';
import { createsCycle } from './product-rules.js';
import { productCategories, products } from './schema.js';

type CategoryRow = typeof productCategories.$inferSelect;

const ENTITY = 'product_category';

/**
 * The whole tree, depth-first: roots by sort order then code, each followed by its children.
 * Archived categories only on request (their products keep pointing at them).
 */
export async function listCategories(db: Db, opts: { includeArchived?: boolean | undefined } = {}) {
  const rows = await db
    .select({
      category: productCategories,
      activeProducts: sql<number>`(select count(*)::int from ${products} where ${products.categoryId} = ${productCategories.id} and ${products.status} = 'active')`,
    })
    .from(productCategories)
    .where(opts.includeArchived ? undefined : isNull(productCategories.archivedAt))
    .orderBy(productCategories.sortOrder, productCategories.code);
  const children = new Map<string | null, typeof rows>();
  const ids = new Set(rows.map((r) => r.category.id));
  for (const r of rows) {
    // A live child of an archived parent (not listed) still shows, at the top.
    const parent = r.category.parentId && ids.has(r.category.parentId) ? r.category.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: ReturnType<typeof present>[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      out.push(present(r.category, depth, Number(r.activeProducts)));
      walk(r.category.id, depth + 1);
    }
  };
  walk(null, 0);
  return { items: out };
}

function present(c: CategoryRow, depth: number, activeProducts: number) {
  return {
    id: c.id,
    parentId: c.parentId,
    code: c.code,
    name: c.name,
    nameEn: c.nameEn,
    sortOrder: c.sortOrder,
    depth,
    archived: !!c.archivedAt,
    activeProducts,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}

export async function getCategory(db: Db, id: string) {
  const { items } = await listCategories(db, { includeArchived: true });
  const found = items.find((c) => c.id === id);
  if (!found) throw notFound();
  return found;
}

export async function categoryHistory(db: Db, id: string) {
  await getCategory(db, id);
  return recordHistory(db, ENTITY, id);
}

/** The category and every category below it (for the product list's filter). */
export const categorySubtree = (categoryId: string) => sql`(
  with recursive sub as (
    select ${productCategories.id} as id from ${productCategories} where ${productCategories.id} = ${categoryId}
    union all
    select c.id from ${productCategories} c join sub on c.parent_id = sub.id
  ) select id from sub)`;

async function assertCodeFree(tx: Db, code: string, selfId?: string) {
  const [taken] = await tx
    .select({ id: productCategories.id })
    .from(productCategories)
    .where(
      and(
        sql`lower(${productCategories.code}) = ${code.toLowerCase()}`,
        selfId ? ne(productCategories.id, selfId) : undefined,
      ),
    );
  if (taken) throw new AppError('duplicate', { field: code }, [{ path: 'code', message: 'exists' }]);
}

/** A parent must exist and be active. */
async function assertParent(tx: Db, parentId: string) {
  const [parent] = await tx.select().from(productCategories).where(eq(productCategories.id, parentId));
  if (!parent)
    throw new AppError('invalid_reference', { field: 'parentId' }, [
      { path: 'parentId', message: 'invalid' },
    ]);
  if (parent.archivedAt) throw new AppError('category_archived', { name: parent.name });
  return parent;
}

export async function createCategory(db: Db, ctx: Ctx, input: z.infer<typeof productCategoryCreate>) {
  return withTx(db, async (tx) => {
    await assertCodeFree(tx, input.code);
    if (input.parentId) await assertParent(tx, input.parentId);
    const [row] = await tx
      .insert(productCategories)
      .values({
        parentId: input.parentId ?? null,
        code: input.code,
        name: input.name,
        nameEn: input.nameEn || null,
        sortOrder: input.sortOrder ?? 0,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: ENTITY, entityId: row!.id, after: row });
    return row!.id;
  });
}

async function lock(tx: Db, id: string): Promise<CategoryRow> {
  const [row] = await tx.select().from(productCategories).where(eq(productCategories.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

export async function updateCategory(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof productCategoryUpdate>,
) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await lock(tx, id);
    if (before.version !== version) throw versionConflict();
    if (changes.code !== undefined && changes.code !== before.code)
      await assertCodeFree(tx, changes.code, id);
    if (changes.parentId) {
      await assertParent(tx, changes.parentId);
      const all = await tx
        .select({ id: productCategories.id, parentId: productCategories.parentId })
        .from(productCategories);
      const parents = new Map(all.map((c) => [c.id, c.parentId]));
      if (createsCycle(id, changes.parentId, (c) => parents.get(c)))
        throw invalidField('parentId', 'invalid');
    }
    const set: Partial<typeof productCategories.$inferInsert> = {};
    if (changes.parentId !== undefined) set.parentId = changes.parentId;
    if (changes.code !== undefined) set.code = changes.code;
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.nameEn !== undefined) set.nameEn = changes.nameEn || null;
    if (changes.sortOrder !== undefined) set.sortOrder = changes.sortOrder;
    const [after] = await tx
      .update(productCategories)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${productCategories.version} + 1` })
      .where(and(eq(productCategories.id, id), eq(productCategories.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: ENTITY, entityId: id, before, after });
    return id;
  });
}

/**
 * Archives a category that no longer holds anything live: no active product directly in it and
 * no active sub-category (archive those first), so nothing sellable disappears from the tree.
 */
export async function archiveCategory(db: Db, ctx: Ctx, id: string, version: number) {
  return withTx(db, async (tx) => {
    const before = await lock(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.archivedAt) return id;
    const [use] = await tx
      .select({
        products: sql<number>`(select count(*)::int from ${products} where ${products.categoryId} = ${id} and ${products.status} = 'active')`,
        children: sql<number>`(select count(*)::int from ${productCategories} where ${productCategories.parentId} = ${id} and ${productCategories.archivedAt} is null)`,
      })
      .from(sql`(select 1) as one`);
    const inUse = { products: Number(use?.products ?? 0), children: Number(use?.children ?? 0) };
    if (inUse.products || inUse.children) {
      throw new AppError('category_in_use', { name: before.name, ...inUse });
    }
    const [after] = await tx
      .update(productCategories)
      .set({ archivedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${productCategories.version} + 1` })
      .where(eq(productCategories.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'archive', entity: ENTITY, entityId: id, before, after });
    return id;
  });
}

/** Brings an archived category back; its parent must be active. */
export async function restoreCategory(db: Db, ctx: Ctx, id: string, version: number) {
  return withTx(db, async (tx) => {
    const before = await lock(tx, id);
    if (before.version !== version) throw versionConflict();
    if (!before.archivedAt) return id;
    if (before.parentId) await assertParent(tx, before.parentId);
    const [after] = await tx
      .update(productCategories)
      .set({ archivedAt: null, updatedAt: sql`now()`, version: sql`${productCategories.version} + 1` })
      .where(eq(productCategories.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'restore', entity: ENTITY, entityId: id, before, after });
    return id;
  });
}

/** Categories by code (imports): code → id, active ones only. */
export async function activeCategoriesByCode(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: productCategories.id, code: productCategories.code })
    .from(productCategories)
    .where(isNull(productCategories.archivedAt));
  return new Map(rows.map((r) => [r.code.toLowerCase(), r.id]));
}
