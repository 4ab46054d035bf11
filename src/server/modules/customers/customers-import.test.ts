import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../platform/access/actor.js';
import { auditLog } from '../../platform/audit/schema.js';
import type { Ctx } from '../../platform/context.js';
import type { ImportRecord, ImportRun } from '../../platform/import-export/definitions.js';
import { importTuning } from '../../platform/import-export/import.service.js';
import { multipartFile, workbook } from '../../platform/import-export/testing.js';
import { runDueJobs } from '../../platform/jobs/jobs.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { users } from '../org/schema.js';
import { DAY_MS } from './cadence.js';
import { creditCodeCheckChar } from './credit-code.js';
import { customersImporter } from './import-export.js';
import { customers } from './schema.js';

// The customers import takes plainly new rows in one go (createCustomers) and every other row
// one by one (createCustomer): the outcome, the stored rows and the audit trail must be the
// same as if every row had gone one by one.

let t: TestApp;
let manager02: Client;
let rep01: Client;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  manager02 = await as(t.app, 'manager02');
  rep01 = await as(t.app, 'rep01');
});
afterAll(() => t.close());

const HEADER = [
  '客户名称',
  '统一社会信用代码',
  '省份',
  '城市',
  '电话',
  '客户等级',
  '生命周期',
  '信用额度（元）',
  '标签',
  '负责人',
];
const KEYS = [
  'name',
  'creditCode',
  'province',
  'city',
  'phone',
  'grade',
  'lifecycle',
  'creditLimit',
  'tags',
  'owner',
];

/** A valid credit code of a Hangzhou company, numbered. */
const code = (n: number) => {
  const first17 = `91330100${String(n).padStart(9, '0')}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};

/** A plainly new customer: unique name, phone and (every third) credit code, with varied fields. */
const plainRow = (i: number) => [
  `星河${i}号精工有限公司`,
  i % 3 === 0 ? code(i) : '',
  i % 5 === 0 ? '浙江' : '',
  i % 5 === 0 ? '杭州' : '',
  `0998-7${String(i).padStart(7, '0')}`,
  ['A', 'B', 'c', ''][i % 4]!,
  i % 2 ? '活跃' : '',
  i % 7 === 0 ? '12,000.50' : '',
  i % 6 === 0 ? '重点、华东' : '',
  i % 10 === 0 ? 'rep03' : i % 10 === 1 ? 'manager02' : '',
];

const recordOf = (row: string[]): ImportRecord =>
  Object.fromEntries(KEYS.map((k, i) => [k, row[i] ? row[i] : null]));

async function importSheet(client: Client, rows: string[][], duplicates = 'skip') {
  const { payload, headers } = multipartFile('customers.xlsx', await workbook([HEADER, ...rows]));
  const up = await client.request('POST', '/imports?entity=customers', payload, headers);
  expect(up.statusCode, up.payload).toBe(201);
  const current = (await client.get(`/imports/${up.body.id}`)).body;
  const run = await client.post(`/imports/${up.body.id}/run`, {
    mode: 'batches',
    duplicates,
    version: current.version,
  });
  expect(run.statusCode, run.payload).toBe(200);
  await runDueJobs(t.database.db, { kinds: ['import.process'] });
  const done = (await client.get(`/imports/${up.body.id}`)).body;
  const errors = (await client.get(`/imports/${up.body.id}/errors?phase=run&limit=500`)).body.items as {
    row: number;
    column: string | null;
    message: string;
  }[];
  return { done, errors: errors.map((e) => [e.row, e.column]) };
}

/** Counts the records the fast path took while `fn` runs. */
async function countingFastPath<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const original = customersImporter.createMany!;
  let taken = 0;
  customersImporter.createMany = async (records, run) => {
    const created = await original(records, run);
    taken += created.filter(Boolean).length;
    return created;
  };
  try {
    return [await fn(), taken];
  } finally {
    customersImporter.createMany = original;
  }
}

const byName = async (name: string) =>
  (await t.database.db.select().from(customers).where(eq(customers.name, name)))[0]!;

const createAudit = async (id: string) =>
  (
    await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'customer'), eq(auditLog.entityId, id)))
  ).map((a) => ({ action: a.action, actorId: a.actorId, actorName: a.actorName, changes: a.changes }));

describe('customers import, fast path', () => {
  it('takes plain new rows in one go and leaves every other row to createCustomer, with the same outcome', async () => {
    const existing = await manager02.post('/customers', {
      name: '钱塘新材料科技有限公司',
      phone: '0998-61000001',
      creditCode: code(900001),
    });
    expect(existing.statusCode, existing.payload).toBe(201);

    const plain = Array.from({ length: 260 }, (_, k) => plainRow(k + 1));
    const blank = ['', '', '', '', '', '', '', '', ''];
    const special = {
      sameNameAsExisting: ['钱塘新材料科技公司', ...blank],
      soundsLikeExisting: ['千塘新材料科技有限公司', ...blank],
      phoneOfExisting: ['宁远物流有限公司', '', '', '', '0998-61000001', '', '', '', '', ''],
      codeOfExisting: ['某某新公司', code(900001), ...blank.slice(1)],
      first: ['湖州南浔丝绸有限公司', ...blank],
      sameKeyLater: ['湖州南浔丝绸公司', ...blank],
      phoneFirst: ['嘉兴海宁皮革有限公司', '', '', '', '0998-62000002', 'B', '', '', '', ''],
      phoneLater: ['海宁皮革城经营有限公司', '', '', '', '0998-62000002', '', '', '', '', ''],
      twiceFirst: ['绍兴柯桥纺织有限公司', ...blank],
      twiceAgain: ['绍兴柯桥纺织有限公司', ...blank],
      codeFirst: ['温州瓯海眼镜有限公司', code(900002), ...blank.slice(1)],
      codeAgain: ['温州鹿城鞋业有限公司', code(900002), ...blank.slice(1)],
      badCode: ['错误代码公司', '91330100716105852A', ...blank.slice(1)],
      unknownOwner: ['无主贸易有限公司', '', '', '', '', '', '', '', '', 'nobody'],
    };
    // Rows of a pair sit both within one batch of 100 and across batches.
    const rows: string[][] = [
      special.sameNameAsExisting,
      ...plain.slice(0, 40),
      special.first,
      special.phoneFirst,
      special.twiceFirst,
      special.codeFirst,
      special.soundsLikeExisting,
      special.twiceAgain,
      special.phoneLater,
      ...plain.slice(40, 160),
      special.badCode,
      special.codeOfExisting,
      special.sameKeyLater,
      special.codeAgain,
      ...plain.slice(160),
      special.phoneOfExisting,
      special.unknownOwner,
    ];
    const rowOf = (r: string[]) => rows.indexOf(r) + 2;

    importTuning.batchSize = 100;
    const [{ done, errors }, taken] = await countingFastPath(() => importSheet(manager02, rows)).finally(
      () => {
        importTuning.batchSize = 500;
      },
    );
    expect(done.status).toBe('done');
    expect(done.result).toMatchObject({ total: 274, created: 264, skipped: 4, failed: 6 });
    // Every created row went in one go; every other one took createCustomer's path.
    expect(taken).toBe(264);
    expect(errors).toEqual(
      [
        [rowOf(special.twiceAgain), '客户名称'],
        [rowOf(special.soundsLikeExisting), null],
        [rowOf(special.phoneLater), null],
        [rowOf(special.badCode), '统一社会信用代码'],
        [rowOf(special.phoneOfExisting), null],
        [rowOf(special.unknownOwner), '负责人'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    const report = (await manager02.get(`/imports/${done.id}/errors?phase=run&limit=500`)).body.items;
    expect(report.filter((e: { message: string }) => /名称、拼音或电话相同/.test(e.message))).toHaveLength(3);

    // Skipped rows left the existing customer (and the first of a pair) alone.
    const db = t.database.db;
    for (const r of [
      special.sameNameAsExisting,
      special.codeOfExisting,
      special.sameKeyLater,
      special.codeAgain,
    ]) {
      expect((await db.select().from(customers).where(eq(customers.name, r[0]!))).length).toBe(0);
    }
    for (const r of [special.first, special.phoneFirst, special.twiceFirst, special.codeFirst]) {
      expect((await db.select().from(customers).where(eq(customers.name, r[0]!))).length).toBe(1);
    }

    // Owners: the named rep (given by a manager who may assign), the importer, else the importer.
    const [rep03] = await db.select().from(users).where(eq(users.username, 'rep03'));
    const [mgr] = await db.select().from(users).where(eq(users.username, 'manager02'));
    expect(await byName('星河10号精工有限公司')).toMatchObject({
      ownerId: rep03!.id,
      orgUnitId: rep03!.orgUnitId,
    });
    expect(await byName('星河11号精工有限公司')).toMatchObject({
      ownerId: mgr!.id,
      orgUnitId: mgr!.orgUnitId,
    });
    expect(await byName('星河15号精工有限公司')).toMatchObject({ ownerId: mgr!.id, grade: null });

    // One create entry per created customer, by the importing manager.
    const created = await db
      .select({ id: customers.id })
      .from(customers)
      .where(
        inArray(customers.name, [...plain.map((r) => r[0]!), special.first[0]!, special.phoneFirst[0]!]),
      );
    expect(created).toHaveLength(262);
    const entries = await db
      .select({ entityId: auditLog.entityId, action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entity, 'customer'),
          inArray(
            auditLog.entityId,
            created.map((c) => c.id),
          ),
        ),
      );
    expect(entries).toHaveLength(262);
    expect(new Set(entries.map((e) => e.entityId)).size).toBe(262);
    expect(entries.every((e) => e.action === 'create' && e.actorId === mgr!.id)).toBe(true);

    // The stored rows and audit entries are what createCustomer stores for the same row: the same
    // rows imported one by one (as duplicates confirmed; a credit code cannot repeat, so another).
    const actor = await loadActor(db, mgr!.id, { via: 'session' });
    const ctx: Ctx = { actor, requestId: 'reference', locale: 'zh-CN' };
    const run: ImportRun = { tx: db, ctx, duplicates: 'create', options: {}, cache: new Map() };
    const samples = [10, 12, 15, 21, 30, 35, 60, 84].map((i) => plain[i - 1]!);
    samples.push(special.phoneFirst);
    const ignored = ['id', 'createdAt', 'updatedAt', 'followUpDueAt', 'creditCode'];
    const strip = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !ignored.includes(k)));
    const dueAfter = (r: typeof customers.$inferSelect) =>
      r.followUpDueAt ? (r.followUpDueAt.getTime() - r.createdAt.getTime()) / DAY_MS : null;
    for (const [n, sample] of samples.entries()) {
      const imported = await byName(sample[0]!);
      const record = recordOf(sample);
      await customersImporter.create(
        { ...record, creditCode: record.creditCode ? code(910000 + n) : null },
        run,
      );
      const [reference] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.name, sample[0]!), eq(customers.createdBy, mgr!.id)))
        .orderBy(customers.createdAt)
        .offset(1);
      expect(strip(imported)).toEqual(strip(reference!));
      expect(imported.creditCode).toBe(record.creditCode ? record.creditCode.toUpperCase() : null);
      expect(dueAfter(imported)).toBe(dueAfter(reference!));
      if (imported.grade) expect(dueAfter(imported)).toBe({ A: 7, B: 14, C: 30 }[imported.grade]);

      const [importedAudit] = await createAudit(imported.id);
      const [referenceAudit] = await createAudit(reference!.id);
      expect({ ...importedAudit, changes: strip(importedAudit!.changes) }).toEqual({
        ...referenceAudit,
        changes: strip(referenceAudit!.changes),
      });
      expect(Object.keys(importedAudit!.changes).sort()).toEqual(Object.keys(referenceAudit!.changes).sort());
    }
  });

  it('a rep who may not assign cannot give imported customers to someone else; their own rows go in', async () => {
    const { done, errors } = await importSheet(rep01, [
      ['闽江茶业有限公司', '', '', '', '', 'A', '', '', '', 'rep03'],
      ['闽侯竹器有限公司', '', '', '', '', 'B', '', '', '', 'rep01'],
      ['闽清陶瓷有限公司', '', '', '', '', '', '', '', '', ''],
    ]);
    expect(done.result).toMatchObject({ created: 2, failed: 1 });
    expect(errors).toEqual([[2, '负责人']]);
    const [me] = await t.database.db.select().from(users).where(eq(users.username, 'rep01'));
    expect(await byName('闽侯竹器有限公司')).toMatchObject({ ownerId: me!.id, gradeSource: 'manual' });
  });
});
