import { randomUUID } from 'node:crypto';
import { withTx } from '../../src/server/db/tx.js';
import { reserveStock } from '../../src/server/modules/orders/stock/ledger.js';
import { systemCtx } from '../../src/server/platform/context.js';
import type { TaskEntry } from '../lib/entry.js';
import { timed, withPeakRss } from '../lib/load.js';
import { ensureStock } from './stock-data.js';

/**
 * Issue 5: reservation throughput — reservations of 1 unit, one after another, each in its own
 * transaction through the ledger (key insert, guarded level update, audit row). Baseline: the bare
 * INSERT + guarded UPDATE per reservation on the raw driver, each committed, in the same run.
 */
export const stockReserveEntry: TaskEntry = {
  kind: 'task',
  name: 'stock-reserve',
  title: 'stock reservations through the ledger (with audit)',
  async run(ctx) {
    const data = await ensureStock(ctx);
    const db = ctx.database.db;
    const actor = systemCtx('bench-reserve');
    const run = Date.now();
    const target = (i: number) => ({
      warehouseId: data.warehouseIds[i % data.warehouseIds.length]!,
      productId: data.productIds[Math.floor(i / data.warehouseIds.length) % data.productIds.length]!,
    });
    const seconds = ctx.options.duration;
    const reserveFor = async (limit: number) => {
      let n = 0;
      const until = performance.now() + limit * 1000;
      while (performance.now() < until) {
        const i = n++;
        await withTx(db, (tx) =>
          reserveStock(tx, actor, {
            key: `bench-${run}-${i}`,
            ...target(i),
            quantity: '1',
            sourceType: 'bench',
          }),
        );
      }
      return n;
    };
    const {
      result: [count, elapsed],
      peakRss,
    } = await withPeakRss(() => timed(() => reserveFor(seconds)));

    const session = await ctx.database.raw();
    let rawCount = 0;
    let rawSeconds = 0;
    try {
      [rawCount, rawSeconds] = await timed(async () => {
        let n = 0;
        const until = performance.now() + seconds * 1000;
        while (performance.now() < until) {
          const { warehouseId, productId } = target(n);
          await session.query('begin', []);
          await session.query(
            `insert into stock_reservations (id, key, warehouse_id, product_id, quantity, source_type)
             values ($1, $2, $3, $4, 1, 'bench') on conflict (key) do nothing`,
            [randomUUID(), `raw-${run}-${n}`, warehouseId, productId],
          );
          await session.query(
            `update stock_levels set reserved = reserved + 1, updated_at = now()
             where warehouse_id = $1 and product_id = $2 and on_hand - reserved >= 1`,
            [warehouseId, productId],
          );
          await session.query('commit', []);
          n++;
        }
        return n;
      });
    } finally {
      session.release();
    }
    return {
      rate: count / elapsed,
      unit: 'reservations/s',
      total: count,
      seconds: elapsed,
      peakRss,
      baseline: { label: 'bare INSERT + UPDATE', rate: rawCount / rawSeconds },
      notes: [
        `${count.toLocaleString('en-US')} reservations of 1 over ${data.warehouseIds.length} × ${data.productIds.length} levels in ${elapsed.toFixed(1)} s; baseline ${rawCount.toLocaleString('en-US')} in ${rawSeconds.toFixed(1)} s`,
      ],
    };
  },
};
