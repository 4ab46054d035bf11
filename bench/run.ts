/**
 * `npm run bench`: figures, not tests. Builds the demo company at a chosen scale, starts the
 * app on a socket and loads each entry with autocannon; next to every endpoint it measures,
 * in the same run, a bare Fastify route serving the same body and the endpoint's own SQL on
 * the raw driver, so figures read as ratios that compare across machines.
 * See docs/development.md "Benchmarks" and `npm run bench -- --help`.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { entries } from './entries/index.js';
import { startBareServer } from './lib/baselines.js';
import { createBenchCompany, signIn } from './lib/company.js';
import { type BenchDatabase, openPglite, openPostgres } from './lib/database.js';
import type { BenchContext, EntryResult } from './lib/entry.js';
import { timed } from './lib/load.js';
import { type BenchOptions, parseOptions, USAGE } from './lib/options.js';
import { formatTable, gitCommit, machine, type RunReport, saveReport } from './lib/report.js';
import { runEntry } from './lib/runner.js';

function selectEntries(options: BenchOptions) {
  if (!options.only) return entries;
  const unknown = options.only.filter((name) => !entries.some((e) => e.name === name));
  if (unknown.length)
    throw new Error(
      `unknown entries: ${unknown.join(', ')} (known: ${entries.map((e) => e.name).join(', ')})`,
    );
  return entries.filter((e) => options.only!.includes(e.name));
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    for (const e of entries) console.log(`${e.name.padEnd(18)} ${e.title}`);
    return 0;
  }
  const selected = selectEntries(options);
  const startedAt = new Date();
  const log = (message: string) => console.error(`[bench] ${message}`);

  const database: BenchDatabase = options.pg
    ? await openPostgres(options.pg, options.keepDatabase)
    : await openPglite();
  log(`database: ${database.label}`);
  const bare = await startBareServer();
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    const [, migrateSeconds] = await timed(() => database.migrate());
    log(`migrated in ${migrateSeconds.toFixed(1)} s; seeding demo company at scale ${options.scale}…`);
    const [demo, seedSeconds] = await timed(() => createBenchCompany(database.db, options.scale));
    log(`seeded ${demo.users} users in ${seedSeconds.toFixed(1)} s`);

    app = await buildApp({
      // Every autocannon connection comes from 127.0.0.1: lift the login throttle for the run.
      config: loadConfig({ XG_LOG_LEVEL: 'silent', XG_LOGIN_RATE_PER_MINUTE: '100000000' }),
      db: database.db,
      logger: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const live = app;
    const ctx: BenchContext = {
      app: live,
      origin: `http://127.0.0.1:${port}`,
      database,
      options,
      demo,
      signIn: (username, password) => signIn(live, username, password),
    };
    const idleRss = process.memoryUsage.rss();

    const results: EntryResult[] = [];
    for (const entry of selected) {
      log(`${entry.name}: ${entry.title}`);
      results.push(await runEntry(ctx, entry, bare));
    }

    const { list: _list, help: _help, pg: _pg, ...recorded } = options;
    const report: RunReport = {
      date: startedAt.toISOString().slice(0, 10),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      commit: gitCommit(),
      machine: machine(),
      database: database.label,
      options: recorded,
      dataset: { scale: options.scale, users: demo.users, migrateSeconds, seedSeconds },
      idleRss,
      entries: results,
    };
    console.log(formatTable(report));
    if (options.save) log(`wrote ${saveReport(report, options.outDir, database.kind)}`);
    return results.some((r) => r.failed) ? 1 : 0;
  } finally {
    await app?.close();
    await bare.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
