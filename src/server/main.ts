import { buildApp } from './app.js';
import { bootDatabase } from './boot.js';
import { loadConfig } from './config.js';
import { startRollingBackups } from './db/rolling-backups.js';
import { startJobWorker } from './platform/jobs/jobs.js';

/** Starts the server: lock and migrate the database, serve HTTP, stop cleanly on SIGTERM/SIGINT. */
async function main() {
  const config = loadConfig();
  const { database, release } = await bootDatabase(config, {
    info: (msg) => console.log(msg),
    warn: (msg) => console.warn(msg),
  });
  const app = await buildApp({ config, db: database.db });
  const stopBackups =
    database.kind === 'pglite' ? startRollingBackups(database, config, app.log) : async () => {};
  const stopJobs = startJobWorker(database.db, {
    info: (msg, data) => app.log.info(data ?? {}, msg),
    warn: (msg, data) => app.log.warn(data ?? {}, msg),
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // Stop accepting, finish in-flight requests, then close the database and release the lock.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await stopJobs();
    await stopBackups();
    await release();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
  app.log.info(`Xiaoguan is serving http://localhost:${config.port} on the ${where}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
