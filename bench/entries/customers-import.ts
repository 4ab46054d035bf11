import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { dedupeKeys } from '../../src/server/modules/customers/customers.service.js';
import { territoryAssignments, users } from '../../src/server/modules/org/schema.js';
import { IMPORT_JOB } from '../../src/server/platform/import-export/import.service.js';
import { runDueJobs } from '../../src/server/platform/jobs/jobs.js';
import { BENCH_ADMIN as ADMIN } from '../lib/company.js';
import { type CustomersFileRow, customersFileRows, customersWorkbook } from '../lib/customers-file.js';
import type { RawSession } from '../lib/database.js';
import type { BenchContext, SessionHeaders, TaskEntry } from '../lib/entry.js';
import { timed, withPeakRss } from '../lib/load.js';

const BATCH = 500;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The demo reps with their usernames, unit and territory province: the file's owners. */
async function repsOf(ctx: BenchContext) {
  const teams = ctx.demo.org.regions.flatMap((r) => r.teams);
  const ids = teams.flatMap((t) => t.repIds);
  const db = ctx.database.db;
  const named = await db
    .select({ id: users.id, username: users.username, orgUnitId: users.orgUnitId })
    .from(users)
    .where(inArray(users.id, ids));
  const territories = await db
    .select({ userId: territoryAssignments.userId, code: territoryAssignments.divisionCode })
    .from(territoryAssignments)
    .where(inArray(territoryAssignments.userId, ids));
  const provinceOf = new Map(territories.map((t) => [t.userId, t.code.slice(0, 2)]));
  return named
    .filter((u) => provinceOf.has(u.id))
    .sort((a, b) => a.username.localeCompare(b.username))
    .map((u) => ({ ...u, provinceCode: provinceOf.get(u.id)! }));
}

/** One API call as the signed-in administrator's browser makes it. */
async function api(ctx: BenchContext, session: SessionHeaders, method: string, path: string, body?: unknown) {
  const res = await fetch(`${ctx.origin}/api/v1${path}`, {
    method,
    headers: { ...session, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Baseline: the rows an import of new customers must write (the customer and its audit row),
 * as multi-row INSERTs of 500 through the raw driver into a scratch copy of the customers table
 * (same columns, constraints and indexes), rolled back afterwards. Names' dedupe keys are
 * computed before the clock starts: the baseline is the database's share.
 */
async function rawInsertRate(ctx: BenchContext, rows: CustomersFileRow[]): Promise<number> {
  const reps = new Map((await repsOf(ctx)).map((r) => [r.username, r]));
  const values = (width: number, count: number) =>
    Array.from(
      { length: count },
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
    ).join(', ');
  const prepared = rows.map((row) => ({ row, id: randomUUID(), keys: dedupeKeys(row.name) }));
  const session: RawSession = await ctx.database.raw();
  try {
    await session.query('begin', []);
    await session.query(
      'create temp table bench_customers (like customers including all) on commit drop',
      [],
    );
    const [, seconds] = await timed(async () => {
      for (let start = 0; start < prepared.length; start += BATCH) {
        const batch = prepared.slice(start, start + BATCH);
        await session.query(
          `insert into bench_customers (id, kind, name, name_key, name_pinyin, name_initials, credit_code, industry, size,
             province_code, city_code, address, phone, grade, grade_source, lifecycle, source, owner_id, org_unit_id,
             follow_up_due_at, created_by) values ${values(21, batch.length)}`,
          batch.flatMap(({ row, id, keys }) => {
            const rep = reps.get(row.owner)!;
            return [
              id,
              'company',
              row.name,
              keys.nameKey,
              keys.namePinyin,
              keys.nameInitials,
              row.creditCode,
              row.industry,
              row.size,
              row.provinceCode,
              row.cityCode,
              row.address,
              row.phone,
              row.grade,
              'manual',
              'active',
              row.source,
              rep.id,
              rep.orgUnitId,
              new Date(Date.now() + 14 * 86_400_000).toISOString(),
              null,
            ];
          }),
        );
        await session.query(
          `insert into audit_log (id, actor_name, action, entity, entity_id, changes, request_id) values ${values(7, batch.length)}`,
          batch.flatMap(({ row, id }) => [
            randomUUID(),
            'bench',
            'create',
            'customer',
            id,
            JSON.stringify(row),
            'bench',
          ]),
        );
      }
    });
    return rows.length / seconds;
  } finally {
    await session.query('rollback', []).catch(() => undefined);
    session.release();
  }
}

/**
 * Issue 4: an import of customers from an .xlsx as a sales assistant runs it — the file uploaded
 * over HTTP, the run started over HTTP (valid rows in batches, existing ones skipped), and the
 * import job run to completion. Every row goes through createCustomer (validation, duplicate
 * check, cadence, audit). Figures: rows/s of the job, next to raw multi-row INSERTs.
 */
export const customersImportEntry: TaskEntry = {
  kind: 'task',
  name: 'customers-import',
  title: 'import customers .xlsx (HTTP upload, job)',
  async run(ctx) {
    const count = ctx.options.customerImportRows;
    const reps = await repsOf(ctx);
    const [rows, buildSeconds] = await timed(async () => customersFileRows(count, reps));
    const [content, generateSeconds] = await timed(() => customersWorkbook(rows));
    const session = await ctx.signIn(ADMIN.username, ADMIN.password);

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)], { type: XLSX }), 'bench-customers.xlsx');
    const [uploaded, uploadSeconds] = await timed(async () => {
      const res = await fetch(`${ctx.origin}/api/v1/imports?entity=customers`, {
        method: 'POST',
        headers: session,
        body: form,
      });
      const json = (await res.json()) as { id: string; version: number; totalRows: number };
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(json)}`);
      return json;
    });
    if (uploaded.totalRows !== count) throw new Error(`upload read ${uploaded.totalRows} of ${count} rows`);
    await api(ctx, session, 'POST', `/imports/${uploaded.id}/run`, {
      version: uploaded.version,
      duplicates: 'skip',
      mode: 'batches',
    });
    const {
      result: [, runSeconds],
      peakRss,
    } = await withPeakRss(() => timed(() => runDueJobs(ctx.database.db, { kinds: [IMPORT_JOB] })));
    const done = (await api(ctx, session, 'GET', `/imports/${uploaded.id}`)) as {
      status: string;
      result: { created: number; failed: number } | null;
      failure: unknown;
    };
    if (done.status !== 'done')
      throw new Error(`import ended ${done.status}: ${JSON.stringify(done.failure)}`);
    const warnings: string[] = [];
    if (done.result?.created !== count) {
      const errors = (await api(ctx, session, 'GET', `/imports/${uploaded.id}/errors?phase=run&limit=3`)) as {
        items: { row: number; field: string | null; message: string }[];
      };
      warnings.push(
        `WARNING import: ${done.result?.created ?? 0} of ${count} rows created, e.g. ${errors.items
          .map((e) => `row ${e.row} ${e.field ?? ''}: ${e.message}`)
          .join('; ')}`,
      );
    }

    const raw = await rawInsertRate(ctx, rows);
    return {
      rate: count / runSeconds,
      unit: 'rows/s',
      total: count,
      seconds: runSeconds,
      peakRss,
      baseline: { label: 'raw INSERT', rate: raw },
      notes: [
        `${count.toLocaleString('en-US')} rows, ${(content.length / 2 ** 20).toFixed(1)} MiB xlsx (rows built in ${buildSeconds.toFixed(1)} s, written in ${generateSeconds.toFixed(1)} s)`,
        `upload over HTTP (read + map) ${uploadSeconds.toFixed(1)} s; import job (batches of 500) ${runSeconds.toFixed(1)} s`,
        ...warnings,
      ],
    };
  },
};
