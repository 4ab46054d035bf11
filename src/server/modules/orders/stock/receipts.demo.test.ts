import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../../platform/context.js';
import { createTestApp, type TestApp } from '../../../testing/app.js';
import { cycleCounts } from './cycle-counts.schema.js';
import { type DemoReceiptProduct, seedReceiptsDemo } from './receipts.demo.js';
import { purchaseReceipts } from './receipts.schema.js';
import { listLowStock } from './reorder.jobs.js';
import { stockLevels, stockMovements } from './schema.js';
import { makeProduct, makeWarehouse } from './stock.fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('receipts demo', () => {
  it('receives six months of purchases, leaves two drafts, posts one count and makes a few levels low', async () => {
    const db = t.database.db;
    const warehouses = [await makeWarehouse(db), await makeWarehouse(db)];
    const modes = ['none', 'none', 'batch', 'none', 'serial', 'batch', 'none', 'serial'] as const;
    const products: DemoReceiptProduct[] = [];
    for (const trackingMode of modes) {
      const p = await makeProduct(db, { trackingMode });
      products.push({ id: p.id, trackingMode, listPrice: p.listPrice, costPrice: p.costPrice });
    }
    const faker = new Faker({ locale: [zh_CN, en, base], seed: 20261126 });
    const result = await db.transaction((tx) =>
      seedReceiptsDemo(tx as unknown as typeof db, faker, systemCtx('demo'), {
        warehouses,
        products,
        months: 6,
        now: new Date('2026-11-26T02:00:00Z'),
      }),
    );
    expect(result.receipts).toBeGreaterThanOrEqual(20);
    expect(result.movements).toBeGreaterThan(result.receipts);
    const byStatus = await db
      .select({ status: purchaseReceipts.status, n: count() })
      .from(purchaseReceipts)
      .groupBy(purchaseReceipts.status);
    expect(byStatus.find((s) => s.status === 'draft')?.n).toBe(2);
    const [posted] = await db.select().from(cycleCounts).where(eq(cycleCounts.status, 'posted'));
    expect(posted).toBeDefined();
    // The projections agree with the ledger.
    const sums = await db
      .select({
        w: stockMovements.warehouseId,
        p: stockMovements.productId,
        q: sql<string>`sum(${stockMovements.quantity})`,
      })
      .from(stockMovements)
      .groupBy(stockMovements.warehouseId, stockMovements.productId);
    const levels = await db.select().from(stockLevels);
    for (const s of sums) {
      const l = levels.find((x) => x.warehouseId === s.w && x.productId === s.p)!;
      expect(new Decimal(l.onHand).equals(s.q)).toBe(true);
    }
    const low = await listLowStock(db, { limit: 50 });
    expect(low.total).toBeGreaterThan(0);
    expect(low.total).toBeLessThanOrEqual(6);
  });
});
