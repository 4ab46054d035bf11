import { sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.js';
import { withTx } from '../../src/server/db/tx.js';
import { products } from '../../src/server/modules/orders/catalog/schema.js';
import { postMovements } from '../../src/server/modules/orders/stock/ledger.js';
import { warehouses } from '../../src/server/modules/orders/stock/schema.js';
import { systemCtx } from '../../src/server/platform/context.js';
import type { BenchContext } from '../lib/entry.js';

// Stock at bench size, shared by the stock entries: ~300 products × 5 locations of levels, built
// through the ledger like the demo's history (opening receipts, then rounds of issues and
// receipts), so the levels sit on a realistic movement table.

export const STOCK_PRODUCTS = 300;
export const STOCK_LOCATIONS = 5;
const ROUNDS = 6;

export interface StockBenchData {
  productIds: string[];
  warehouseIds: string[];
  movements: number;
}

let built: Promise<StockBenchData> | undefined;

/** A small deterministic generator (no Math.random: the same data every run). */
export function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function build(db: Db): Promise<StockBenchData> {
  const ctx = systemCtx('bench-stock');
  const locations = await db
    .insert(warehouses)
    .values(
      Array.from({ length: STOCK_LOCATIONS }, (_, i) => ({
        code: `BENCH-WH-${i + 1}`,
        name: `压测仓${i + 1}`,
        kind: i === STOCK_LOCATIONS - 1 ? ('store' as const) : ('warehouse' as const),
      })),
    )
    .returning({ id: warehouses.id });
  const items = await db
    .insert(products)
    .values(
      Array.from({ length: STOCK_PRODUCTS }, (_, i) => ({
        sku: `BENCH-${String(i + 1).padStart(4, '0')}`,
        name: `压测配件${i + 1}`,
        uom: '件',
        listPrice: 10_000 + i * 100,
      })),
    )
    .returning({ id: products.id });
  const random = seeded(5);
  let movements = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    for (const w of locations) {
      // Round 0 opens every level with 200–1,000; later rounds issue some and restock some.
      const lines = items.map((p) => {
        const receipt = round === 0 || random() < 0.3;
        const quantity = String(
          round === 0 ? 200 + Math.floor(random() * 800) : 1 + Math.floor(random() * 20),
        );
        return {
          kind: receipt ? ('receipt' as const) : ('issue' as const),
          warehouseId: w.id,
          productId: p.id,
          quantity,
        };
      });
      await withTx(db, (tx) =>
        postMovements(tx, ctx, {
          sourceType: round === 0 ? 'opening' : 'bench',
          movements: lines,
        }),
      );
      movements += lines.length;
    }
  }
  await db.execute(sql`analyze stock_levels`);
  await db.execute(sql`analyze stock_movements`);
  return { productIds: items.map((p) => p.id), warehouseIds: locations.map((w) => w.id), movements };
}

export function ensureStock(ctx: BenchContext): Promise<StockBenchData> {
  built ??= build(ctx.database.db).then((data) => {
    console.error(
      `[bench] stock: ${data.productIds.length} products × ${data.warehouseIds.length} locations, ${data.movements.toLocaleString('en-US')} movements`,
    );
    return data;
  });
  return built;
}

/** Percentile of sorted milliseconds. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
