import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { bootDatabase } from '../server/boot.js';
import { type Config, loadConfig } from '../server/config.js';
import { BackupError, backupDatabase, readBackupHeader, restoreDatabase } from '../server/db/backup.js';
import { DataDirLockedError } from '../server/db/data-dir-lock.js';
import { pendingMigrations } from '../server/db/migrate.js';
import { backupFileName } from '../server/db/rolling-backups.js';
import { DEMO_PASSWORD, seedDemo } from '../server/demo/index.js';
import { systemCtx } from '../server/platform/context.js';
import { AppError } from '../server/platform/errors.js';
import { errorMessages, interpolate, validationMessages } from '../server/platform/i18n/messages.js';
import { isSetupNeeded, setupCompany } from '../server/platform/setup/setup.service.js';

const log = { info: (msg: string) => console.log(msg), warn: (msg: string) => console.warn(msg) };
const ctx = systemCtx('cli');

/** One clear line per problem, for people and for scripts (non-zero exit). */
function describeError(err: unknown): string {
  if (err instanceof AppError) {
    const entry = errorMessages[err.code];
    const detail = 'detail' in entry ? ` ${interpolate(entry.detail.en, err.params)}` : '';
    const fields = err.fieldErrors.map(
      (f) => `\n  ${f.path}: ${interpolate(validationMessages[f.message].en, f.params ?? {})}`,
    );
    return `${entry.title.en}.${detail}${fields.join('')}`;
  }
  if (err instanceof DataDirLockedError || err instanceof BackupError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Runs a command against the configured database, always releasing it (and its lock). */
async function withDatabase<T>(
  fn: (db: Awaited<ReturnType<typeof bootDatabase>>['database'], config: Config) => Promise<T>,
  opts: { migrate?: boolean } = {},
) {
  const config = loadConfig();
  const { database, release } = await bootDatabase(config, log, opts);
  try {
    return await fn(database, config);
  } finally {
    await release();
  }
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more.');
  return n;
};

const program = new Command()
  .name('xiaoguan')
  .description(
    'Xiaoguan (销管) administration. Uses the same settings as the server: the embedded database in ' +
      'XG_DATA_DIR (default ./data), or PostgreSQL when DATABASE_URL is set.',
  )
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

program
  .command('migrate')
  .description('Apply pending database migrations (the server also does this at start).')
  .action(() =>
    withDatabase(async (database) => {
      const left = await pendingMigrations(database);
      console.log(left.length ? `Still pending: ${left.join(', ')}` : 'The database is up to date.');
    }),
  );

program
  .command('create-admin')
  .description('Set up the company and its administrator without a browser (first run only).')
  .requiredOption('--company <name>', 'company name')
  .requiredOption('--username <username>', "the administrator's username")
  .requiredOption('--name <name>', "the administrator's name")
  .option(
    '--password <password>',
    'the password (or set XG_ADMIN_PASSWORD, which keeps it out of shell history)',
  )
  .option('--email <email>', "the administrator's email")
  .option('--time-zone <zone>', 'company time zone', 'Asia/Shanghai')
  .option('--demo', 'also load the demo company', false)
  .action(
    (opts: {
      company: string;
      username: string;
      name: string;
      password?: string;
      email?: string;
      timeZone: string;
      demo: boolean;
    }) => {
      const password = opts.password ?? process.env.XG_ADMIN_PASSWORD;
      if (!password) {
        throw new Error('Give the password with --password or the XG_ADMIN_PASSWORD environment variable.');
      }
      return withDatabase(async (database) => {
        if (!(await isSetupNeeded(database.db))) throw new AppError('setup_done');
        await setupCompany(database.db, ctx, {
          companyName: opts.company,
          timeZone: opts.timeZone,
          mode: opts.demo ? 'demo' : 'empty',
          admin: {
            name: opts.name,
            username: opts.username,
            password,
            ...(opts.email ? { email: opts.email } : {}),
          },
        });
        console.log(
          `Created ${opts.company} with administrator ${opts.username}${opts.demo ? ' and the demo company' : ''}.`,
        );
      });
    },
  );

program
  .command('seed-demo')
  .description('Load the demo company (regions, teams, about 40 users) into a set-up, demo-free company.')
  .option('--scale <n>', 'multiply the volumes (reps per team, and later modules’ data)', positiveInt, 1)
  .action((opts: { scale: number }) =>
    withDatabase(async (database) => {
      const result = await seedDemo(database.db, { scale: opts.scale }, ctx);
      console.log(`Loaded the demo company: ${result.users} users. Demo password: ${DEMO_PASSWORD}`);
    }),
  );

program
  .command('backup')
  .description('Write a consistent backup of the whole database (safe while the server runs on PostgreSQL).')
  .argument('[file]', 'where to write it (default: <XG_DATA_DIR>/backups/xiaoguan-<time>-manual.jsonl.gz)')
  .action((file: string | undefined) =>
    withDatabase(
      async (database, config) => {
        const target = path.resolve(file ?? path.join(config.backupDir, backupFileName('manual')));
        const result = await backupDatabase(database.db, target);
        console.log(`Wrote ${target}: ${result.tables} tables, ${result.rows} rows, ${result.bytes} bytes.`);
      },
      { migrate: false },
    ),
  );

program
  .command('restore')
  .description(
    'Restore a backup into an empty database (a new XG_DATA_DIR, or an empty PostgreSQL database).',
  )
  .argument('<file>', 'a file written by `xiaoguan backup`')
  .action(async (file: string) => {
    // A missing or foreign file fails here, before the database is opened.
    await readBackupHeader(path.resolve(file));
    await withDatabase(
      async (database) => {
        const result = await restoreDatabase(database, path.resolve(file));
        console.log(`Restored ${result.rows} rows into ${result.tables} tables.`);
        if (result.migrated.length)
          console.log(`Then applied ${result.migrated.length} migration(s): ${result.migrated.join(', ')}`);
      },
      { migrate: false },
    );
  });

try {
  await program.parseAsync();
} catch (err) {
  console.error(`xiaoguan: ${describeError(err)}`);
  process.exitCode = 1;
}
