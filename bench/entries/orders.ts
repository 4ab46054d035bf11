import { randomUUID } from 'node:crypto';
import { dayIn } from '../../src/server/platform/settings/settings.service.js';
import type { RawSession } from '../lib/database.js';
import type { BenchContext, SessionHeaders, TaskEntry } from '../lib/entry.js';
import { withPeakRss } from '../lib/load.js';
import { ensureOrders, ORDER_REP, type OrdersBenchData } from './orders-data.js';
import { percentile, seeded } from './stock-data.js';

/** A 3-line direct order of 1 unit per line, over the bench products and locations. */
function orderBody(data: OrdersBenchData, i: number, random: () => number) {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  return {
    customerId: data.customerIds[i % data.customerIds.length]!,
    channel: 'direct',
    lines: Array.from({ length: 3 }, () => ({
      productId: pick(data.productIds),
      quantity: '1',
      warehouseId: pick(data.warehouseIds),
    })),
  };
}

async function call(ctx: BenchContext, headers: SessionHeaders, path: string, body: unknown, key?: string) {
  const res = await fetch(`${ctx.origin}/api/v1${path}`, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id?: string; version?: number; state?: string };
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Create (with an Idempotency-Key) and confirm one order; its milliseconds. */
async function placeOrder(ctx: BenchContext, headers: SessionHeaders, body: unknown): Promise<number> {
  const t0 = performance.now();
  const order = await call(ctx, headers, '/sales-orders', body, randomUUID());
  const confirmed = await call(ctx, headers, `/sales-orders/${order.id}/confirm`, { version: order.version });
  if (confirmed.state !== 'confirmed')
    throw new Error(`order ${order.id} is ${confirmed.state}, not confirmed`);
  return performance.now() - t0;
}

/** `workers` loops calling `fn` until `seconds` pass; every call's milliseconds. */
async function concurrently(workers: number, seconds: number, fn: (i: number) => Promise<number>) {
  const times: number[] = [];
  let next = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) times.push(await fn(next++));
    }),
  );
  return { times: times.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/**
 * Issue 7 item 12: order creation with reservation, numbering and audit, through the HTTP app as
 * rep01: POST /sales-orders (3 lines priced by resolution, Idempotency-Key, direct channel) then
 * POST /sales-orders/:id/confirm (credit check over open orders and invoices, a locked level and a
 * reservation per line, SO- number, audit rows), `--connections` orders at a time. Baseline in the
 * same run: a bare single-row INSERT into sales_orders on the raw driver, committed, with as many
 * sessions at a time.
 */
export const orderCreateEntry: TaskEntry = {
  kind: 'task',
  name: 'order-create',
  title: 'POST /sales-orders + confirm, 3 lines reserved (rep01)',
  async run(ctx) {
    const data = await ensureOrders(ctx);
    const headers = await ctx.signIn(ORDER_REP);
    const random = seeded(7);
    const workers = ctx.options.connections;
    const seconds = ctx.options.duration;

    // One order through inject, recording its SQL: how many statements an order costs.
    ctx.database.recorder.start();
    const sample = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/sales-orders',
      headers: { ...headers, 'idempotency-key': randomUUID() },
      payload: orderBody(data, 0, random),
    });
    const createQueries = ctx.database.recorder.stop();
    const createStatements = createQueries.length;
    if (sample.statusCode !== 201)
      throw new Error(`POST /sales-orders answered ${sample.statusCode} ${sample.payload}`);
    const created = sample.json() as { id: string; version: number };
    ctx.database.recorder.start();
    const confirm = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/sales-orders/${created.id}/confirm`,
      headers,
      payload: { version: created.version },
    });
    const confirmQueries = ctx.database.recorder.stop();
    const confirmStatements = confirmQueries.length;
    if (confirm.statusCode !== 200)
      throw new Error(`confirm answered ${confirm.statusCode} ${confirm.payload}`);

    await concurrently(workers, 1, (i) => placeOrder(ctx, headers, orderBody(data, i, random)));
    let failures = 0;
    const { result: app, peakRss } = await withPeakRss(() =>
      concurrently(workers, seconds, (i) =>
        placeOrder(ctx, headers, orderBody(data, i, random)).catch((err: Error) => {
          failures++;
          if (failures === 1) console.error(`[bench] order-create: ${err.message}`);
          return Number.NaN;
        }),
      ),
    );
    const appTimes = app.times.filter((t) => !Number.isNaN(t));
    const appRate = appTimes.length / app.seconds;

    // Baseline: a bare single-row INSERT per order, committed, as many sessions at a time.
    const sessions: RawSession[] = [];
    for (let i = 0; i < (ctx.database.kind === 'postgres' ? workers : 1); i++)
      sessions.push(await ctx.database.raw());
    const run = Date.now();
    const today = dayIn('Asia/Shanghai', new Date());
    let baseline: { times: number[]; seconds: number };
    try {
      let s = 0;
      const insert = async (i: number) => {
        const session = sessions[s++ % sessions.length]!;
        const t0 = performance.now();
        await session.query(
          `insert into sales_orders (id, number, customer_id, order_date, total, tax, owner_id, org_unit_id, idempotency_key)
           values ($1, $2, $3, $4, 30000, 3451, $5, $6, $7)`,
          [
            randomUUID(),
            `SO-BARE-${run}-${i}`,
            data.customerIds[i % data.customerIds.length],
            today,
            data.rep.id,
            data.rep.orgUnitId,
            randomUUID(),
          ],
        );
        return performance.now() - t0;
      };
      // One worker per session, so a session runs one statement at a time.
      baseline = await concurrently(sessions.length, seconds, insert);
    } finally {
      for (const session of sessions) session.release();
    }
    const bareRate = baseline.times.length / baseline.seconds;
    const p50 = percentile(appTimes, 50);
    const bareP50 = percentile(baseline.times, 50);
    return {
      rate: appRate,
      unit: 'orders/s',
      total: appTimes.length,
      seconds: app.seconds,
      peakRss,
      baseline: { label: 'bare single-row INSERT into sales_orders', rate: bareRate },
      notes: [
        `${workers} orders at a time over ${data.customerIds.length} customers, 3 lines of 1 over ${data.productIds.length} products × ${data.warehouseIds.length} locations${failures ? `, ${failures} FAILED` : ''}`,
        `order (create + confirm, 2 HTTP requests) p50 ${ms(p50)}, p99 ${ms(percentile(appTimes, 99))}; ${createStatements} + ${confirmStatements} SQL statements (create + confirm)`,
        `baseline (${sessions.length} session${sessions.length > 1 ? 's' : ''}) ${bareRate.toFixed(0)} inserts/s, p50 ${ms(bareP50)}, p99 ${ms(percentile(baseline.times, 99))}`,
        `ratio: baseline ÷ orders/s ${(bareRate / Math.max(appRate, 1e-9)).toFixed(1)}×; order p50 ÷ insert p50 ${(p50 / Math.max(bareP50, 0.01)).toFixed(1)}×`,
      ],
    };
  },
};
