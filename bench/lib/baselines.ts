import { randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { CapturedQuery, RawSession } from './database.js';
import { withPeakRss } from './load.js';

export interface CannedResponse {
  status: number;
  contentType: string;
  payload: string;
}

/**
 * Baseline (a): a bare Fastify server, no plugins, whose one route answers any method with the
 * body the real endpoint produced. The gap to it is what our stack (auth, validation, queries,
 * serialisation) costs on top of Fastify itself.
 */
export async function startBareServer() {
  let canned: CannedResponse = { status: 200, contentType: 'application/json', payload: '{}' };
  const app = Fastify({ logger: false });
  app.all('/bare', async (_request, reply) =>
    reply.code(canned.status).type(canned.contentType).send(canned.payload),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('bare server has no TCP address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    path: '/bare',
    serve(response: CannedResponse) {
      canned = response;
    },
    close: () => app.close(),
  };
}

const WRITE = /^\s*(insert|update|delete)\b/i;
const INSERT = /^\s*insert\b/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_KEY = /^[0-9a-f]{32,}$/i;

/**
 * The sampled request already committed its rows, so replaying its INSERTs verbatim would hit
 * their primary keys. Values an INSERT introduces (a UUID or hex key that no other statement of
 * the request mentions: a new row id, a session hash) get a fresh value of the same shape on
 * every iteration. Natural keys (a username) are not rewritten: such an entry must undo its
 * sample, or the replay reports the conflict.
 */
function freshKeys(queries: CapturedQuery[]): (() => unknown[])[] {
  const seen = (value: unknown, except: number) =>
    queries.some((q, i) => i !== except && q.params.includes(value));
  return queries.map((q, index) => {
    if (!INSERT.test(q.sql)) return () => q.params;
    const fresh = q.params.map((value) => {
      if (typeof value !== 'string' || seen(value, index)) return null;
      if (UUID.test(value)) return () => randomUUID();
      if (HEX_KEY.test(value)) return () => randomBytes(value.length / 2).toString('hex');
      return null;
    });
    if (!fresh.some(Boolean)) return () => q.params;
    return () => q.params.map((value, i) => fresh[i]?.() ?? value);
  });
}

export interface SqlFigures {
  /** Statements the endpoint sent for one request. */
  queries: number;
  /** All of them, sequentially on one raw connection: ms per request. */
  p50: number;
  p99: number;
  perSec: number;
  iterations: number;
  /** The costliest single statement (by median), what a DBA would look at first. */
  main: { sql: string; p50: number };
  statements: { sql: string; p50: number }[];
  /** Writes are replayed inside BEGIN … ROLLBACK so every iteration sees the same data. */
  rolledBack: boolean;
  peakRss: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Baseline (b): the statements the endpoint ran, captured from Drizzle with their parameters,
 * replayed through the raw driver in a loop for `seconds` (at least 20 times).
 */
export async function replaySql(
  open: () => Promise<RawSession>,
  queries: CapturedQuery[],
  seconds: number,
): Promise<SqlFigures> {
  const rolledBack = queries.some((q) => WRITE.test(q.sql));
  const paramsOf = freshKeys(queries);
  const session = await open();
  const totals: number[] = [];
  const perQuery: number[][] = queries.map(() => []);
  try {
    const { peakRss } = await withPeakRss(async () => {
      const until = performance.now() + seconds * 1000;
      while (totals.length < 20 || performance.now() < until) {
        const t0 = performance.now();
        if (rolledBack) await session.query('begin', []);
        for (const [i, q] of queries.entries()) {
          const q0 = performance.now();
          try {
            await session.query(q.sql, paramsOf[i]!());
          } catch (err) {
            if (rolledBack) await session.query('rollback', []);
            throw new Error(`SQL replay failed on "${q.sql.slice(0, 80)}…": ${(err as Error).message}`);
          }
          perQuery[i]!.push(performance.now() - q0);
        }
        if (rolledBack) await session.query('rollback', []);
        totals.push(performance.now() - t0);
      }
    });
    const sorted = [...totals].sort((a, b) => a - b);
    const medians = perQuery.map((samples) =>
      percentile(
        [...samples].sort((a, b) => a - b),
        50,
      ),
    );
    const mainIndex = medians.reduce((best, ms, i) => (ms > medians[best]! ? i : best), 0);
    const elapsed = totals.reduce((a, b) => a + b, 0);
    return {
      queries: queries.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      perSec: (totals.length / elapsed) * 1000,
      iterations: totals.length,
      main: { sql: queries[mainIndex]?.sql ?? '', p50: medians[mainIndex] ?? 0 },
      statements: queries.map((q, i) => ({ sql: q.sql.slice(0, 400), p50: medians[i]! })),
      rolledBack,
      peakRss,
    };
  } finally {
    session.release();
  }
}
