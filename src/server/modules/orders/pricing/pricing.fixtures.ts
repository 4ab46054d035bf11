import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { productCategories, products } from '../catalog/schema.js';

// Test fixtures: categories and products written straight to the catalog tables (the catalog's
// own tests cover its service), so pricing tests depend only on the schema.

let seq = 0;

export async function makeCategory(db: Db, name: string, parentId: string | null = null) {
  const [c] = await db
    .insert(productCategories)
    .values({ code: `PT-CAT-${++seq}-${Date.now() % 100000}`, name, parentId })
    .returning();
  return c!;
}

export async function makeProduct(
  db: Db,
  opts: {
    sku: string;
    name: string;
    listPrice: number;
    categoryId?: string | null;
    status?: 'active' | 'archived';
  },
) {
  const [p] = await db
    .insert(products)
    .values({
      sku: opts.sku,
      name: opts.name,
      uom: '辆',
      listPrice: opts.listPrice,
      costPrice: Math.round(opts.listPrice * 0.8),
      categoryId: opts.categoryId ?? null,
      status: opts.status ?? 'active',
    })
    .returning();
  return p!;
}

export async function archiveProduct(db: Db, id: string) {
  await db.update(products).set({ status: 'archived' }).where(eq(products.id, id));
}
