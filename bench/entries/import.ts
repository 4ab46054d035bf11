import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { users } from '../../src/server/modules/org/schema.js';
import { loadActor } from '../../src/server/platform/access/actor.js';
import { roles } from '../../src/server/platform/access/schema.js';
import { userCredentials } from '../../src/server/platform/auth/schema.js';
import type { Ctx } from '../../src/server/platform/context.js';
import {
  getImport,
  listImportErrors,
  processImport,
  startDryRun,
  startRun,
  uploadImport,
} from '../../src/server/platform/import-export/import.service.js';
import { readRows } from '../../src/server/platform/import-export/read.js';
import type { RawSession } from '../lib/database.js';
import type { BenchContext, TaskEntry } from '../lib/entry.js';
import { timed, withPeakRss } from '../lib/load.js';
import { type UsersFileRow, usersFileRows, usersWorkbook } from '../lib/users-file.js';

const BATCH = 500;

/** The demo teams with their leads' usernames: every generated rep joins one and reports to its lead. */
async function teamsOf(ctx: BenchContext) {
  const teams = ctx.demo.org.regions.flatMap((r) => r.teams);
  const leads = await ctx.database.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(
      inArray(
        users.id,
        teams.map((t) => t.leadId),
      ),
    );
  const usernameOf = new Map(leads.map((l) => [l.id, l.username]));
  return teams.map((t) => ({ id: t.id, name: t.name, manager: usernameOf.get(t.leadId)!, leadId: t.leadId }));
}

async function adminCtx(ctx: BenchContext): Promise<Ctx> {
  const [admin] = await ctx.database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, 'admin'));
  const actor = await loadActor(ctx.database.db, admin!.id, { via: 'session' });
  return { actor, requestId: 'bench-import', locale: 'zh-CN' };
}

/** The first row errors of a pass, for a failure message a developer can act on. */
async function firstErrors(ctx: BenchContext, actorCtx: Ctx, id: string, phase: 'dry_run' | 'run') {
  const { items, total } = await listImportErrors(ctx.database.db, actorCtx, id, { phase, limit: 3 });
  return `${total} row errors, e.g. ${items.map((e) => `row ${e.row} ${e.field ?? ''}: ${e.message}`).join('; ')}`;
}

/** Baseline: parsing the file alone, the floor under any import of it. */
async function parseRate(content: Buffer): Promise<number> {
  const [rows, seconds] = await timed(async () => {
    let n = 0;
    for await (const _ of readRows(content, 'xlsx')) n++;
    return n - 1;
  });
  return rows / seconds;
}

/**
 * Baseline: the rows an import of new users must write (user, role, credentials, audit),
 * as multi-row INSERTs of 500 through the raw driver, rolled back afterwards.
 */
async function rawInsertRate(ctx: BenchContext, rows: UsersFileRow[]): Promise<number> {
  const teams = new Map((await teamsOf(ctx)).map((t) => [t.name, t]));
  const [rep] = await ctx.database.db.select({ id: roles.id }).from(roles).where(eq(roles.key, 'rep'));
  const [cred] = await ctx.database.db
    .select({ hash: userCredentials.passwordHash })
    .from(userCredentials)
    .limit(1);
  const session: RawSession = await ctx.database.raw();
  const values = (width: number, count: number) =>
    Array.from(
      { length: count },
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
    ).join(', ');
  try {
    const [, seconds] = await timed(async () => {
      await session.query('begin', []);
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH).map((row) => ({ row, id: randomUUID() }));
        await session.query(
          `insert into users (id, username, name, phone, email, position, org_unit_id, manager_id) values ${values(8, batch.length)}`,
          batch.flatMap(({ row, id }) => {
            const team = teams.get(row.orgUnit)!;
            // The import created these users already: other usernames and emails, same shape.
            return [
              id,
              `raw${row.username}`,
              row.name,
              row.phone,
              `raw${row.email}`,
              row.position,
              team.id,
              team.leadId,
            ];
          }),
        );
        await session.query(
          `insert into user_roles (user_id, role_id) values ${values(2, batch.length)}`,
          batch.flatMap(({ id }) => [id, rep!.id]),
        );
        await session.query(
          `insert into user_credentials (user_id, password_hash, must_change_password) values ${values(3, batch.length)}`,
          batch.flatMap(({ id }) => [id, cred!.hash, true]),
        );
        await session.query(
          `insert into audit_log (id, actor_name, action, entity, entity_id, changes, request_id) values ${values(7, batch.length)}`,
          batch.flatMap(({ row, id }) => [
            randomUUID(),
            'bench',
            'create',
            'user',
            id,
            JSON.stringify(row),
            'bench',
          ]),
        );
      }
      await session.query('rollback', []);
    });
    return rows.length / seconds;
  } finally {
    session.release();
  }
}

/**
 * Import of a generated users .xlsx through the import service, as the background job runs it:
 * upload (read, map headers), dry run, then the import in batches. Figures: rows/s of the
 * import, with the dry run, the bare file parse and the raw INSERTs alongside.
 */
export const importEntry: TaskEntry = {
  kind: 'task',
  name: 'import',
  title: 'import users .xlsx',
  async run(ctx) {
    const count = ctx.options.importRows;
    const db = ctx.database.db;
    const rows = usersFileRows(
      count,
      (await teamsOf(ctx)).map((t) => ({ name: t.name, manager: t.manager })),
    );
    const [content, generateSeconds] = await timed(() => usersWorkbook(rows));
    const actorCtx = await adminCtx(ctx);

    const [uploaded, uploadSeconds] = await timed(() =>
      uploadImport(
        db,
        actorCtx,
        { entity: 'users', fileName: 'bench-users.xlsx', content },
        { maxRows: count },
      ),
    );
    const id = uploaded.id;
    await startDryRun(db, actorCtx, id, { version: uploaded.version, duplicates: 'skip' });
    const [, dryRunSeconds] = await timed(() => processImport(db, { importId: id, phase: 'dry_run' }));
    const checked = await getImport(db, actorCtx, id);
    if (checked.status !== 'checked')
      throw new Error(`dry run ended ${checked.status}: ${JSON.stringify(checked.failure)}`);
    // Rows the dry run rejects are reported, not hidden: the import goes on with the valid ones.
    const warnings = checked.dryRun?.failed
      ? [`WARNING dry run: ${await firstErrors(ctx, actorCtx, id, 'dry_run')}`]
      : [];

    await startRun(db, actorCtx, id, { version: checked.version, duplicates: 'skip', mode: 'batches' });
    const {
      result: [, runSeconds],
      peakRss,
    } = await withPeakRss(() => timed(() => processImport(db, { importId: id, phase: 'run' })));
    const done = await getImport(db, actorCtx, id);
    if (done.status !== 'done')
      throw new Error(`import ended ${done.status}: ${JSON.stringify(done.failure)}`);
    if (done.result?.created !== count)
      warnings.push(`WARNING import: ${done.result?.created ?? 0} of ${count} rows created`);

    const parse = await parseRate(content);
    const raw = await rawInsertRate(ctx, rows);
    return {
      rate: count / runSeconds,
      unit: 'rows/s',
      total: count,
      seconds: runSeconds,
      peakRss,
      baseline: { label: 'raw INSERT', rate: raw },
      notes: [
        `${count.toLocaleString('en-US')} rows, ${(content.length / 2 ** 20).toFixed(1)} MiB xlsx (generated in ${generateSeconds.toFixed(1)} s)`,
        `upload (read + map) ${uploadSeconds.toFixed(1)} s; dry run ${Math.round(count / dryRunSeconds).toLocaleString('en-US')} rows/s; import (batches) ${runSeconds.toFixed(1)} s`,
        `file parse alone ${Math.round(parse).toLocaleString('en-US')} rows/s`,
        ...warnings,
      ],
    };
  },
};
