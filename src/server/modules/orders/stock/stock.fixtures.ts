import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { systemCtx } from '../../../platform/context.js';
import { users } from '../../org/schema.js';
import { products } from '../catalog/schema.js';
import { postMovements } from './ledger.js';
import { warehouses } from './schema.js';

// Test builders for the stock stories: a product, a location and opening stock through the ledger.

let n = 0;

export async function makeProduct(
  db: Db,
  input: { sku?: string; name?: string; trackingMode?: 'none' | 'batch' | 'serial'; uom?: string } = {},
) {
  n++;
  const [p] = await db
    .insert(products)
    .values({
      sku: input.sku ?? `T-${String(n).padStart(5, '0')}`,
      name: input.name ?? `测试商品${n}`,
      uom: input.uom ?? '台',
      listPrice: 100_000_00,
      costPrice: 80_000_00,
      trackingMode: input.trackingMode ?? 'none',
    })
    .returning();
  return p!;
}

export async function makeWarehouse(
  db: Db,
  input: { code?: string; name?: string; kind?: 'warehouse' | 'store' } = {},
) {
  n++;
  const [w] = await db
    .insert(warehouses)
    .values({
      code: input.code ?? `WH-T${n}`,
      name: input.name ?? `测试仓${n}`,
      kind: input.kind ?? 'warehouse',
    })
    .returning();
  return w!;
}

/** Opening stock as a receipt posted by the system. */
export async function receive(
  db: Db,
  warehouseId: string,
  productId: string,
  quantity: string,
  lot: { batchNo?: string; serialNo?: string } = {},
) {
  return db.transaction((tx) =>
    postMovements(tx as unknown as Db, systemCtx('test'), {
      sourceType: 'opening',
      movements: [{ kind: 'receipt', warehouseId, productId, quantity, ...lot }],
    }),
  );
}

export async function userId(db: Db, username: string) {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return u!.id;
}
