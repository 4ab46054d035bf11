import type { Config } from './config.js';
import { appliedMigrations, isDatabaseEmpty } from './db/backup.js';
import { type Database, openDatabase } from './db/client.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { knownMigrations, migrateDatabase } from './db/migrate.js';
import { rollingBackup } from './db/rolling-backups.js';
import { syncBuiltinRoles } from './platform/access/roles.service.js';
import { systemCtx } from './platform/context.js';
import './modules/org/index.js';
import './platform/resources.js';

export interface BootLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * Opens the configured database ready for use, for the server and the CLI alike: the embedded
 * data folder is locked to this process, pending migrations run (after a backup of existing
 * embedded data), and built-in roles receive permissions new in this release.
 */
export async function bootDatabase(
  config: Config,
  log: BootLog,
  opts: { migrate?: boolean } = {},
): Promise<{ database: Database; release(): Promise<void> }> {
  const unlock = config.database.kind === 'pglite' ? lockDataDir(config.dataDir) : () => undefined;
  let database: Database;
  try {
    database = await openDatabase(config);
  } catch (err) {
    unlock();
    throw err;
  }
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= database.close().finally(unlock);
    return released;
  };
  try {
    if (opts.migrate !== false) {
      const applied = await appliedMigrations(database.db);
      const known = knownMigrations();
      if (applied.some((m, i) => known[i] !== m)) {
        throw new Error(
          `This database was migrated by a newer or different version of Xiaoguan (${applied.length} migrations, ` +
            `this version knows ${known.length}). Run that version, or restore a backup into a new database.`,
        );
      }
      const pending = known.slice(applied.length);
      if (pending.length) {
        // Embedded only: PostgreSQL has its operator's own backups, and several processes may start at once.
        if (database.kind === 'pglite' && !(await isDatabaseEmpty(database.db))) {
          const { file } = await rollingBackup(
            database.db,
            config.backupDir,
            config.backups.keep,
            'pre-migrate',
          );
          log.info(`Backed up the data before migrating: ${file}`);
        }
        await migrateDatabase(database);
        log.info(`Applied ${pending.length} migration(s): ${pending.join(', ')}`);
      }
      await syncBuiltinRoles(database.db, systemCtx('boot'));
    }
  } catch (err) {
    await release().catch(() => {});
    throw err;
  }
  return { database, release };
}
