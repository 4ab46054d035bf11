import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { createTestDatabase } from '../../../testing/db.js';
import { seedCatalogDemo } from './catalog.demo.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('the demo catalog', () => {
  it('writes about 300 vehicles, parts and services the same way every time', async () => {
    const run = () =>
      withTx(database.db, async (tx) => {
        const out = await seedCatalogDemo(tx, new Faker({ locale: [zh_CN, en, base], seed: 7 }), {
          scale: 1,
        });
        throw Object.assign(new Error('rollback'), { out });
      }).catch((e: { out?: Awaited<ReturnType<typeof seedCatalogDemo>> }) => e.out!);
    const first = await run();
    const second = await run();
    expect(first.categories).toBe(16);
    expect(first.products.length).toBeGreaterThanOrEqual(280);
    expect(first.products.length).toBeLessThanOrEqual(320);
    expect(second.products.map((p) => [p.sku, p.listPrice])).toEqual(
      first.products.map((p) => [p.sku, p.listPrice]),
    );
    const vehicles = first.products.filter((p) => p.categoryCode.startsWith('VEH'));
    expect(vehicles.every((p) => p.trackingMode === 'serial' && p.grade && p.listPrice >= 8_000_000)).toBe(
      true,
    );
    expect(
      first.products.filter((p) => p.categoryCode === 'PARTS-OIL').every((p) => p.trackingMode === 'batch'),
    ).toBe(true);
  });
});
