import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { sql } from 'drizzle-orm';
import { bootDatabase } from '../server/boot.js';
import { type Config, loadConfig } from '../server/config.js';
import { BackupError, backupDatabase, readBackupHeader, restoreDatabase } from '../server/db/backup.js';
import type { Db } from '../server/db/client.js';
import { DataDirLockedError } from '../server/db/data-dir-lock.js';
import { pendingMigrations } from '../server/db/migrate.js';
import { backupFileName } from '../server/db/rolling-backups.js';
import { DEMO_PASSWORD, seedDemo } from '../server/demo/index.js';
import { users } from '../server/modules/org/schema.js';
import { loadActor } from '../server/platform/access/actor.js';
import { type Ctx, systemCtx } from '../server/platform/context.js';
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
      return withDatabase(async (database, config) => {
        if (!(await isSetupNeeded(database.db))) throw new AppError('setup_done');
        await setupCompany(
          database.db,
          ctx,
          {
            companyName: opts.company,
            timeZone: opts.timeZone,
            mode: opts.demo ? 'demo' : 'empty',
            admin: {
              name: opts.name,
              username: opts.username,
              password,
              ...(opts.email ? { email: opts.email } : {}),
            },
          },
          { demoData: config.demoData },
        );
        console.log(
          `Created ${opts.company} with administrator ${opts.username}${opts.demo ? ' and the demo company' : ''}.`,
        );
      });
    },
  );

program
  .command('seed-demo')
  .description(
    'Load the demo company (regions, teams, about 40 users, 2,000 customers with contacts, leads and 18 months of activities) into a set-up, demo-free company.',
  )
  .option('--scale <n>', 'multiply the volumes (reps per team and every module’s data)', positiveInt, 1)
  .action((opts: { scale: number }) =>
    withDatabase(async (database) => {
      const result = await seedDemo(database.db, { scale: opts.scale }, ctx);
      const c = result.customers;
      const data = c
        ? `, ${c.customers} customers, ${c.contacts} contacts, ${c.leads} leads, ${c.activities} activities`
        : '';
      console.log(`Loaded the demo company: ${result.users} users${data}. Demo password: ${DEMO_PASSWORD}`);
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

/** The import/export stack (spreadsheet libraries) loads only for the commands that use it. */
async function importExport() {
  await import('../server/modules/org/index.js');
  const [service, definitions, exporting, jobs, fs, streams] = await Promise.all([
    import('../server/platform/import-export/import.service.js'),
    import('../server/platform/import-export/definitions.js'),
    import('../server/platform/import-export/export.js'),
    import('../server/platform/jobs/jobs.js'),
    import('node:fs'),
    import('node:stream/promises'),
  ]);
  return { ...service, ...definitions, ...exporting, ...jobs, ...fs, pipeline: streams.pipeline };
}

/** Who a CLI import or export acts as: a named user (their permissions and data scope), or the system. */
async function actingAs(db: Db, username: string | undefined, locale: 'zh-CN' | 'en'): Promise<Ctx> {
  if (!username) return { ...systemCtx('cli'), locale };
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = ${username.toLowerCase()}`);
  const actor = user ? await loadActor(db, user.id, { via: 'token' }) : null;
  if (!actor) throw new Error(`No active user "${username}".`);
  return { actor, requestId: 'cli', locale };
}

const choice = (allowed: string[]) => (value: string) => {
  if (!allowed.includes(value)) throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}.`);
  return value;
};

program
  .command('import')
  .description(
    'Import an .xlsx or CSV file (users, org-units) exactly as the web wizard does: columns are matched by ' +
      'their Chinese or English headers, every row is validated, and row errors are listed.',
  )
  .argument('<entity>', 'what the file holds: users or org-units')
  .argument('<file>', 'the .xlsx or .csv file (CSV in UTF-8 or GBK)')
  .option('--dry-run', 'check every row and write nothing', false)
  .option(
    '--mode <mode>',
    'all-or-nothing, or batches (valid rows are imported)',
    choice(['all-or-nothing', 'batches']),
    'all-or-nothing',
  )
  .option(
    '--duplicates <policy>',
    'existing records: skip, update or create',
    choice(['skip', 'update', 'create']),
    'skip',
  )
  .option('--as <username>', 'act as this user (permissions, scope, audit); default: the system')
  .option('--lang <lang>', 'language of row errors: en or zh-CN', choice(['en', 'zh-CN']), 'en')
  .action(
    (
      entity: string,
      file: string,
      opts: {
        dryRun: boolean;
        mode: string;
        duplicates: 'skip' | 'update' | 'create';
        as?: string;
        lang: 'en' | 'zh-CN';
      },
    ) =>
      withDatabase(async (database, config) => {
        const { getImport, listImportErrors, readFileSync, runDueJobs, startDryRun, startRun, uploadImport } =
          await importExport();
        const db = database.db;
        const content = readFileSync(path.resolve(file));
        if (content.length > config.imports.maxBytes)
          throw new AppError('import_file_too_large', {
            limitMb: Math.round(config.imports.maxBytes / 2 ** 20),
          });
        const actor = await actingAs(db, opts.as, opts.lang);
        const uploaded = await uploadImport(
          db,
          actor,
          { entity, fileName: path.basename(file), content },
          { maxRows: config.imports.maxRows },
        );
        for (const c of uploaded.columns)
          console.log(
            `  ${c.header} → ${c.field ? uploaded.fields.find((f) => f.key === c.field)?.label : '(ignored)'}`,
          );
        const initialPassword = process.env.XG_IMPORT_INITIAL_PASSWORD;
        const pass = {
          version: uploaded.version,
          duplicates: opts.duplicates,
          ...(initialPassword ? { initialPassword } : {}),
        };
        const phase = opts.dryRun ? 'dry_run' : 'run';
        if (opts.dryRun) await startDryRun(db, actor, uploaded.id, pass);
        else
          await startRun(db, actor, uploaded.id, {
            ...pass,
            mode: opts.mode === 'batches' ? 'batches' : 'all_or_nothing',
          });
        await runDueJobs(db, { kinds: ['import.process'] });
        const done = await getImport(db, actor, uploaded.id);
        const counts = opts.dryRun ? done.dryRun : done.result;
        if (counts)
          console.log(
            `${opts.dryRun ? 'Dry run' : 'Import'} of ${counts.total} rows: ${counts.created} created, ` +
              `${counts.updated} updated, ${counts.skipped} skipped, ${counts.failed} with errors${opts.dryRun ? ' (nothing written)' : ''}.`,
          );
        const errors = await listImportErrors(db, actor, uploaded.id, { phase, limit: 50 });
        for (const e of errors.items)
          console.log(`  row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`);
        if (errors.total > errors.items.length)
          console.log(`  … and ${errors.total - errors.items.length} more.`);
        if (done.failure) throw new Error(`${done.failure.title}. ${done.failure.detail ?? ''}`.trim());
        if (done.status === 'importing' || done.status === 'checking')
          console.log('The import was interrupted; the server resumes it (see the imports page).');
        if (counts?.failed) process.exitCode = 1;
      }),
  );

program
  .command('export')
  .description(
    'Export a list (users, org-units) to .xlsx or CSV, with the same filters as the list in the API.',
  )
  .argument('<entity>', 'users or org-units')
  .argument('[file]', 'where to write it (.xlsx or .csv); default: standard output as CSV')
  .option('--filter <query>', 'list filters as a query string, e.g. "status=active&q=张"', '')
  .option('--as <username>', 'act as this user (their data scope); default: the system (everything)')
  .option('--lang <lang>', 'language of the headers: en or zh-CN', choice(['en', 'zh-CN']), 'zh-CN')
  .action(
    (entity: string, file: string | undefined, opts: { filter: string; as?: string; lang: 'en' | 'zh-CN' }) =>
      withDatabase(async (database) => {
        const { createWriteStream, exportList, exporterOf, pipeline } = await importExport();
        const def = exporterOf(entity);
        if (!def) throw new AppError('import_unknown_entity', { entity });
        const filters = def.query.parse(Object.fromEntries(new URLSearchParams(opts.filter)));
        const format = file && /\.xlsx$/i.test(file) ? 'xlsx' : 'csv';
        const actor = await actingAs(database.db, opts.as, opts.lang);
        const { stream } = await exportList(database.db, actor, entity, { ...filters, format });
        await pipeline(stream, file ? createWriteStream(path.resolve(file)) : process.stdout);
        if (file) console.log(`Wrote ${path.resolve(file)}.`);
      }),
  );

try {
  await program.parseAsync();
} catch (err) {
  console.error(`xiaoguan: ${describeError(err)}`);
  process.exitCode = 1;
}
