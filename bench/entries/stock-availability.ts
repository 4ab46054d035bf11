import { orderAvailability } from '../../src/server/modules/orders/stock/stock.service.js';
import type { TaskEntry } from '../lib/entry.js';
import { withPeakRss } from '../lib/load.js';
import { ensureStock, percentile, seeded } from './stock-data.js';

const LINES = 20;

/** Calls `fn` for `seconds` (at least 50 times) and returns each call's milliseconds, sorted. */
async function sample(seconds: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until || i < 50; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Issue 5: can an order of 20 lines be served — availability per location and shortfall per line,
 * through the service the API calls (levels of 20 products across 5 locations, plus their names).
 * Baseline: the bare SELECT of those products' level rows on the raw driver, in the same run.
 */
export const stockAvailabilityEntry: TaskEntry = {
  kind: 'task',
  name: 'stock-availability',
  title: 'stock availability, order of 20 lines × 5 locations',
  async run(ctx) {
    const data = await ensureStock(ctx);
    const random = seeded(20);
    const orders = Array.from({ length: 50 }, () => {
      const picked = new Set<string>();
      while (picked.size < LINES) picked.add(data.productIds[Math.floor(random() * data.productIds.length)]!);
      return [...picked].map((productId) => ({ productId, quantity: String(1 + Math.floor(random() * 30)) }));
    });
    const db = ctx.database.db;
    const seconds = ctx.options.duration;
    await sample(1, (i) => orderAvailability(db, { lines: orders[i % orders.length]! }));
    const { result: times, peakRss } = await withPeakRss(() =>
      sample(seconds, (i) => orderAvailability(db, { lines: orders[i % orders.length]! })),
    );

    const session = await ctx.database.raw();
    let bare: number[];
    try {
      const select = (i: number) =>
        session.query(
          'select warehouse_id, product_id, on_hand, reserved from stock_levels where product_id = any($1::uuid[])',
          [orders[i % orders.length]!.map((l) => l.productId)],
        );
      await sample(1, select);
      bare = await sample(seconds, select);
    } finally {
      session.release();
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const bareMean = bare.reduce((a, b) => a + b, 0) / bare.length;
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    return {
      rate: 1000 / mean,
      unit: 'orders/s',
      total: times.length,
      seconds: (mean * times.length) / 1000,
      peakRss,
      baseline: { label: 'bare SELECT of the level rows', rate: 1000 / bareMean },
      notes: [
        `${data.productIds.length} products × ${data.warehouseIds.length} locations, ${data.movements.toLocaleString('en-US')} movements in the ledger`,
        `service p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))} (${times.length} calls)`,
        `bare SELECT p50 ${ms(percentile(bare, 50))}, p99 ${ms(percentile(bare, 99))}; p50 ratio ${(percentile(times, 50) / percentile(bare, 50)).toFixed(1)}×`,
      ],
    };
  },
};
