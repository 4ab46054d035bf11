import { replaySql, type startBareServer } from './baselines.js';
import type { BenchContext, BenchEntry, EntryResult, HttpEntry } from './entry.js';
import { measureHttp, warmUp } from './load.js';

type BareServer = Awaited<ReturnType<typeof startBareServer>>;

async function runHttp(ctx: BenchContext, entry: HttpEntry, bare: BareServer): Promise<EntryResult> {
  const spec = await entry.request(ctx);
  const connections = entry.connections?.(ctx.options) ?? ctx.options.connections;
  const load = { duration: ctx.options.duration, connections };

  // One request through the app, recording its SQL: the body feeds the bare route, the
  // statements feed the raw-driver replay.
  ctx.database.recorder.start();
  const sample = await ctx.app.inject({
    method: spec.method,
    url: spec.path,
    ...(spec.headers ? { headers: spec.headers } : {}),
    ...(spec.body === undefined ? {} : { payload: spec.body as object }),
  });
  const queries = ctx.database.recorder.stop();
  if (sample.statusCode >= 300)
    throw new Error(
      `${entry.name}: ${spec.method} ${spec.path} answered ${sample.statusCode} ${sample.payload}`,
    );

  await warmUp(ctx.origin, spec, connections);
  const app = await measureHttp(ctx.origin, spec, load);

  bare.serve({
    status: sample.statusCode,
    contentType: String(sample.headers['content-type'] ?? 'application/json'),
    payload: sample.payload,
  });
  const bareSpec = { ...spec, path: bare.path };
  await warmUp(bare.origin, bareSpec, connections);
  const bareFigures = await measureHttp(bare.origin, bareSpec, load);

  const sql = queries.length
    ? await replaySql(() => ctx.database.raw(), queries, ctx.options.sqlSeconds)
    : undefined;

  return {
    name: entry.name,
    title: entry.title,
    kind: 'http',
    request: { method: spec.method, path: spec.path, connections, responseBytes: sample.rawPayload.length },
    app,
    bare: bareFigures,
    costVsBare: app.requestsPerSec > 0 ? bareFigures.requestsPerSec / app.requestsPerSec : undefined,
    ...(sql ? { sql } : {}),
  };
}

/** Runs one entry; a failure is reported in its row and the run goes on. */
export async function runEntry(ctx: BenchContext, entry: BenchEntry, bare: BareServer): Promise<EntryResult> {
  try {
    if (entry.kind === 'http') return await runHttp(ctx, entry, bare);
    const task = await entry.run(ctx);
    return { name: entry.name, title: entry.title, kind: 'task', task };
  } catch (err) {
    const failed = err instanceof Error ? err.message : String(err);
    return { name: entry.name, title: entry.title, kind: entry.kind, failed };
  }
}
