import autocannon from 'autocannon';
import { replaySql } from '../lib/baselines.js';
import type { BenchContext, SessionHeaders, TaskEntry, TaskFigures } from '../lib/entry.js';
import { type LoadFigures, warmUp, withPeakRss } from '../lib/load.js';
import { ensureReceivables, type ReceivablesBenchData } from './receivables-data.js';
import { percentile, seeded } from './stock-data.js';

/** Calls `fn` for `seconds` (at least 20 times) and returns each call's milliseconds, sorted. */
async function sample(seconds: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until || i < 20; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** A statement on the raw driver in a loop: the baseline next to the endpoint. */
async function bareSql(ctx: BenchContext, seconds: number, text: string, params: (i: number) => unknown[]) {
  const session = await ctx.database.raw();
  try {
    await sample(0.5, (i) => session.query(text, params(i)));
    return await sample(seconds, (i) => session.query(text, params(i)));
  } finally {
    session.release();
  }
}

/** autocannon over `paths(i)` (one path per request, in turn), as a signed-in user. */
async function load(
  ctx: BenchContext,
  headers: SessionHeaders,
  paths: (i: number) => string,
  connections: number,
  duration: number,
): Promise<LoadFigures> {
  let i = 0;
  const { result, peakRss } = await withPeakRss(() =>
    autocannon({
      url: `${ctx.origin}${paths(0)}`,
      connections,
      duration,
      headers,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: paths(i++) }),
        },
      ],
    }),
  );
  return {
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRss,
  };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const mean = (sorted: number[]) => sorted.reduce((a, b) => a + b, 0) / sorted.length;
const size = (data: ReceivablesBenchData) =>
  `${data.invoices.toLocaleString('en-US')} invoices (${data.payments.toLocaleString('en-US')} receipts, ${data.creditNotes.toLocaleString('en-US')} credit notes) over ${data.customers.toLocaleString('en-US')} customers`;

interface Measured {
  http: LoadFigures;
  sql: Awaited<ReturnType<typeof replaySql>>;
  bare: number[];
  responseBytes: number;
}

function figures(
  data: ReceivablesBenchData,
  m: Measured,
  bareLabel: string,
  extra: string[],
  connections: number,
): TaskFigures {
  const bareMean = mean(m.bare);
  const failed = m.http.non2xx + m.http.errors;
  return {
    rate: m.http.requestsPerSec,
    unit: 'req/s',
    total: m.http.requests,
    seconds: m.http.requests / Math.max(m.http.requestsPerSec, 1e-9),
    peakRss: Math.max(m.http.peakRss, m.sql.peakRss),
    baseline: { label: bareLabel, rate: 1000 / bareMean },
    notes: [
      size(data),
      ...extra,
      `HTTP (${connections} conn) ${m.http.requestsPerSec.toFixed(1)} req/s, p50 ${m.http.p50} ms, p99 ${m.http.p99} ms, ${m.http.requests} requests${failed ? `, ${failed} FAILED` : ''}, ${(m.responseBytes / 1024).toFixed(0)} KiB per response`,
      `SQL alone (${m.sql.queries} statements, raw driver) p50 ${ms(m.sql.p50)}, p99 ${ms(m.sql.p99)}; main ${ms(m.sql.main.p50)}: ${m.sql.main.sql.replace(/\s+/g, ' ').slice(0, 90)}…`,
      `statements (p50 each): ${m.sql.statements.map((q) => `${ms(q.p50)} ${q.sql.replace(/\s+/g, ' ').slice(0, 48)}`).join(' | ')}`,
      `baseline p50 ${ms(percentile(m.bare, 50))}, p99 ${ms(percentile(m.bare, 99))}; ratio (p50) HTTP ÷ baseline ${(m.http.p50 / Math.max(percentile(m.bare, 50), 0.01)).toFixed(1)}×, SQL ÷ baseline ${(m.sql.p50 / Math.max(percentile(m.bare, 50), 0.01)).toFixed(1)}×`,
    ],
  };
}

/** One request through the app while recording its SQL (for the raw-driver replay). */
async function captured(ctx: BenchContext, headers: SessionHeaders, path: string) {
  ctx.database.recorder.start();
  const res = await ctx.app.inject({ method: 'GET', url: path, headers });
  const queries = ctx.database.recorder.stop();
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode} ${res.payload}`);
  return { queries, res };
}

/**
 * Issue 7 item 12: the aging report by customer over every invoice, as the director (scope all:
 * the worst case), as the page opens it: the first 50 rows by overdue (largest first) with the
 * totals of every customer. Baseline: the bare aggregate a DBA would write — open amount per
 * customer over the open invoices, on the raw driver.
 */
export const receivablesAgingEntry: TaskEntry = {
  kind: 'task',
  name: 'receivables-aging',
  title: 'GET /receivables/aging by customer, first page of 50 + totals (director)',
  async run(ctx) {
    const data = await ensureReceivables(ctx);
    const headers = await ctx.signIn('director');
    const path = '/api/v1/receivables/aging?by=customer&limit=50';
    const { queries, res } = await captured(ctx, headers, path);
    const report = res.json() as { items: unknown[]; total: number; nextCursor: string | null };
    // The next page too: it costs what the first one does (the aggregate runs on every page).
    const next = await captured(
      ctx,
      headers,
      `${path}&cursor=${encodeURIComponent(report.nextCursor ?? '')}`,
    ).catch(() => null);
    const connections = 1;
    await warmUp(ctx.origin, { method: 'GET', path, headers }, connections);
    const http = await load(ctx, headers, () => path, connections, Math.max(ctx.options.duration, 10));
    const sql = await replaySql(() => ctx.database.raw(), queries, ctx.options.sqlSeconds);
    const bare = await bareSql(
      ctx,
      ctx.options.sqlSeconds,
      `select customer_id, sum(total - credited_amount - paid_amount)::bigint as open
         from invoices where state in ('issued', 'partially_paid') group by customer_id`,
      () => [],
    );
    return figures(
      data,
      { http, sql, bare, responseBytes: res.rawPayload.length },
      'bare SUM(open) per customer over open invoices',
      [
        `${report.items.length} of ${report.total.toLocaleString('en-US')} rows per page, totals over all of them${next ? '; page 2 answered ' + String(next.res.statusCode) : ''}`,
      ],
      connections,
    );
  },
};

/**
 * Issue 7 item 12: a customer's balance and open items (GET /receivables/customers/:id, what the
 * payment form and the credit check read) for random customers, as finance01 (scope all).
 * Baseline: a bare primary-key select of a random customer on the raw driver.
 */
export const customerBalanceEntry: TaskEntry = {
  kind: 'task',
  name: 'customer-balance',
  title: 'GET /receivables/customers/:id, random customers (finance01)',
  async run(ctx) {
    const data = await ensureReceivables(ctx);
    const headers = await ctx.signIn('finance01');
    const random = seeded(12);
    const picks = Array.from(
      { length: 5_000 },
      () => data.customerIds[Math.floor(random() * data.customerIds.length)]!,
    );
    const pathOf = (i: number) => `/api/v1/receivables/customers/${picks[i % picks.length]}`;
    const { queries, res } = await captured(ctx, headers, pathOf(0));
    const items = (res.json() as { items: unknown[] }).items.length;
    const connections = ctx.options.connections;
    await load(ctx, headers, pathOf, connections, 1);
    const http = await load(ctx, headers, pathOf, connections, ctx.options.duration);
    const sql = await replaySql(() => ctx.database.raw(), queries, ctx.options.sqlSeconds);
    const bare = await bareSql(
      ctx,
      ctx.options.sqlSeconds,
      'select id, name, owner_id, org_unit_id from customers where id = $1',
      (i) => [picks[i % picks.length]],
    );
    return figures(
      data,
      { http, sql, bare, responseBytes: res.rawPayload.length },
      'bare primary-key SELECT of the customer',
      [
        `${(data.invoices / data.customers).toFixed(0)} invoices per customer; the sampled one has ${items} open items`,
      ],
      connections,
    );
  },
};

export const receivablesEntries: TaskEntry[] = [receivablesAgingEntry, customerBalanceEntry];
