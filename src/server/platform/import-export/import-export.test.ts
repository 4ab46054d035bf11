import { count, eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../modules/org/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { auditLog } from '../audit/schema.js';
import { runDueJobs } from '../jobs/jobs.js';
import { jobs } from '../jobs/schema.js';
import { importTuning } from './import.service.js';
import { imports } from './schema.js';
import { multipartFile, readWorkbook, workbook } from './testing.js';

let t: TestApp;
let admin: Client;

const userCount = async () => (await t.database.db.select({ n: count() }).from(users))[0]!.n;
const HEADER = ['用户名', '姓名', '手机号', '邮箱', '所属部门', '角色'];

async function upload(client: Client, entity: string, fileName: string, content: Buffer) {
  const { payload, headers } = multipartFile(fileName, content);
  return client.request('POST', `/imports?entity=${entity}`, payload, headers);
}

/** Runs the queued import jobs and returns the import as the wizard would poll it. */
async function settle(client: Client, id: string) {
  await runDueJobs(t.database.db, { kinds: ['import.process'] });
  return (await client.get(`/imports/${id}`)).body;
}

async function dryRun(client: Client, id: string, duplicates = 'skip') {
  const current = (await client.get(`/imports/${id}`)).body;
  const res = await client.post(`/imports/${id}/dry-run`, { duplicates, version: current.version });
  expect(res.statusCode, res.payload).toBe(200);
  return settle(client, id);
}

async function run(client: Client, id: string, mode: string, duplicates = 'skip', extra: object = {}) {
  const current = (await client.get(`/imports/${id}`)).body;
  const res = await client.post(`/imports/${id}/run`, {
    mode,
    duplicates,
    version: current.version,
    ...extra,
  });
  expect(res.statusCode, res.payload).toBe(200);
  return settle(client, id);
}

const errorsOf = async (client: Client, id: string, phase: string) =>
  (await client.get(`/imports/${id}/errors?phase=${phase}&limit=500`)).body.items as {
    row: number;
    column: string | null;
    message: string;
  }[];

beforeAll(async () => {
  t = await createTestApp({ XG_IMPORT_MAX_BYTES: '300000' });
  admin = await setupCompany(t.app);
});
afterAll(() => t.close());

describe('importing users', () => {
  it('imports a GBK CSV saved by Chinese Excel, with Chinese names, through the same rules as the users page', async () => {
    const csv = [
      '用户名,姓名,手机号,邮箱,所属部门,角色,备注',
      'gbk.zhang,张伟,13900000001,zhangwei@example.com,华东一组,销售代表,老员工',
      'gbk.li,李娜,13900000002,,华东/华东二组,"销售代表、销售经理",',
    ].join('\r\n');
    const res = await upload(admin, 'users', '用户.csv', iconv.encode(csv, 'gbk'));
    expect(res.statusCode, res.payload).toBe(201);
    expect(res.body).toMatchObject({ format: 'csv', encoding: 'gb18030', totalRows: 2, status: 'uploaded' });
    expect(res.body.columns.map((c: { field: string | null }) => c.field)).toEqual([
      'username',
      'name',
      'phone',
      'email',
      'orgUnit',
      'roles',
      null,
    ]);

    const checked = await dryRun(admin, res.body.id);
    expect(checked.status).toBe('checked');
    expect(checked.dryRun).toMatchObject({ total: 2, created: 2, failed: 0 });
    expect(await userCount()).toBe(checked && (await userCount()));

    const before = await userCount();
    const done = await run(admin, res.body.id, 'batches', 'skip', { initialPassword: 'Welcome2026' });
    expect(done).toMatchObject({ status: 'done', result: { created: 2, failed: 0 } });
    expect(await userCount()).toBe(before + 2);

    const li = (await admin.get('/users?q=gbk.li')).body.items[0];
    expect(li).toMatchObject({ name: '李娜', orgUnitName: '华东二组', phone: '13900000002' });
    expect(li.roles.map((r: { key: string }) => r.key).sort()).toEqual(['manager', 'rep']);
    // Audited like a user created on the users page, by the importing administrator.
    const history = (await admin.get(`/users/${li.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toContain('create');
    // The shared initial password works once, then must be changed.
    const zhang = await as(t.app, 'gbk.zhang', 'Welcome2026');
    expect((await zhang.get('/users')).body.code).toBe('password_change_required');
  });

  it('a dry run reports every bad row with its column and a localised message, and writes nothing', async () => {
    const before = await userCount();
    const file = await workbook([
      HEADER,
      ['dry.ok', '王芳', '13900000011', '', '华东一组', '销售代表'],
      ['dry.mail', '赵敏', '13900000012', 'not-an-email', '华东一组', '销售代表'],
      ['dry.unit', '钱进', '13900000013', '', '火星分部', '销售代表'],
      [
        'dry.formula',
        { formula: 'CONCAT("孙","悟空")', result: '孙悟空' },
        '13900000014',
        '',
        '华东一组',
        '销售代表',
      ],
      ['dry.ok', '王芳二号', '13900000015', '', '华东一组', '销售代表'],
      ['dry.noname', '', '139', '', '华东一组', '飞行员'],
    ]);
    const up = await upload(admin, 'users', 'bad.xlsx', file);
    expect(up.statusCode, up.payload).toBe(201);
    const checked = await dryRun(admin, up.body.id);
    expect(checked.dryRun).toMatchObject({ total: 6, created: 1, failed: 5 });
    expect(await userCount()).toBe(before);

    const errors = await errorsOf(admin, up.body.id, 'dry_run');
    const at = (row: number) => errors.filter((e) => e.row === row).map((e) => `${e.column}: ${e.message}`);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['邮箱: 邮箱格式不正确']);
    expect(at(4)).toEqual(['所属部门: 找不到“火星分部”']);
    expect(at(5)).toEqual(['姓名: 不导入公式，请复制后“粘贴为数值”']);
    expect(at(6)).toEqual(['用户名: 与第 2 行重复']);
    expect(at(7)).toEqual(
      expect.arrayContaining(['角色: 找不到“飞行员”', '姓名: 必填', '手机号: 手机号格式不正确']),
    );

    admin.locale = 'en';
    const english = await errorsOf(admin, up.body.id, 'dry_run');
    expect(english.find((e) => e.row === 5)?.message).toBe(
      'Formulas are not imported; copy and paste as values',
    );
    admin.locale = 'zh-CN';

    const report = await admin.get(`/imports/${up.body.id}/report?phase=dry_run`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');
    const rows = await readWorkbook(report.rawPayload);
    expect(rows[0]).toEqual(['行号', '列', '问题']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(errors.map((e) => String(e.row)));
  });

  it('all or nothing: one bad row and nothing is written; in batches the good rows are', async () => {
    const rows = [
      HEADER,
      ['aon.one', '周一', '13900000021', '', '华南一组', '销售代表'],
      ['aon.two', '周二', '13900000022', 'bad@', '华南一组', '销售代表'],
      ['aon.three', '周三', '13900000023', '', '华南一组', '销售代表'],
    ];
    const before = await userCount();
    // One buffer for both uploads: a workbook written a second later carries another timestamp.
    const file = await workbook(rows);
    const first = await upload(admin, 'users', 'aon.xlsx', file);
    const failed = await run(admin, first.body.id, 'all_or_nothing');
    expect(failed.status).toBe('failed');
    expect(failed.failure).toMatchObject({ code: 'import_rows_invalid' });
    expect(failed.failure.detail).toContain('1 行数据有误');
    expect(failed.result).toMatchObject({ created: 0, failed: 1 });
    expect(await userCount()).toBe(before);
    expect((await errorsOf(admin, first.body.id, 'run')).map((e) => e.row)).toEqual([3]);

    // The same file again: the upload warns that it was imported before.
    const again = await upload(admin, 'users', 'aon-again.xlsx', file);
    expect(again.body.sameFileImports.map((s: { id: string }) => s.id)).toContain(first.body.id);
    const done = await run(admin, again.body.id, 'batches');
    expect(done).toMatchObject({ status: 'done', result: { total: 3, created: 2, failed: 1 } });
    expect(await userCount()).toBe(before + 2);
  });

  it('handles duplicates by skipping or updating, and refuses "create new" for users', async () => {
    const file = await workbook([
      ['Username', 'Name', 'Mobile', 'Org unit', 'Roles', 'Position'],
      ['aon.one', '周一新', '13900000031', '华南一组', 'rep', '高级销售代表'],
      ['dup.new', '吴新', '13900000032', '华南一组', 'Sales rep', ''],
    ]);
    const skip = await upload(admin, 'users', 'dup.xlsx', file);
    // Failed once under a loaded CI run with no body to show why: keep the answer on failure.
    expect(skip.statusCode, skip.payload).toBe(201);
    expect(skip.body.columns.map((c: { field: string }) => c.field)).toEqual([
      'username',
      'name',
      'phone',
      'orgUnit',
      'roles',
      'position',
    ]);
    const create = await admin.post(`/imports/${skip.body.id}/run`, {
      mode: 'batches',
      duplicates: 'create',
      version: skip.body.version,
    });
    expect(create.statusCode).toBe(400);
    const skipped = await run(admin, skip.body.id, 'batches', 'skip');
    expect(skipped.result).toMatchObject({ created: 1, skipped: 1, updated: 0 });
    expect((await admin.get('/users?q=aon.one')).body.items[0].name).toBe('周一');

    const update = await upload(admin, 'users', 'dup.xlsx', file);
    const updated = await run(admin, update.body.id, 'batches', 'update');
    expect(updated.result).toMatchObject({ created: 0, skipped: 0, updated: 2 });
    const one = (await admin.get('/users?q=aon.one')).body.items[0];
    expect(one).toMatchObject({ name: '周一新', position: '高级销售代表', phone: '13900000031' });
  });

  it('resumes after a crash between batches without importing a row twice', async () => {
    const rows = [HEADER];
    for (let i = 1; i <= 7; i++)
      rows.push([`crash.${i}`, `韩${i}`, `1390000010${i}`, '', '华北一组', '销售代表']);
    rows.push(['crash.bad', '韩坏', '123', '', '华北一组', '销售代表']);
    const before = await userCount();
    const up = await upload(admin, 'users', 'crash.xlsx', await workbook(rows));
    importTuning.batchSize = 3;
    let crashed = false;
    importTuning.afterBatchCommit = () => {
      if (crashed) return;
      crashed = true;
      throw new Error('simulated crash after the first batch');
    };
    try {
      const current = (await admin.get(`/imports/${up.body.id}`)).body;
      await admin.post(`/imports/${up.body.id}/run`, {
        mode: 'batches',
        duplicates: 'skip',
        version: current.version,
      });
      const halfway = await settle(admin, up.body.id);
      expect(halfway).toMatchObject({ status: 'importing', processedRows: 3 });
      expect(await userCount()).toBe(before + 3);
      // The job queue retries after its back-off; here we make the retry due now.
      await t.database.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.kind, 'import.process'));
      const done = await settle(admin, up.body.id);
      expect(done).toMatchObject({
        status: 'done',
        result: { total: 8, created: 7, failed: 1, processed: 8 },
      });
    } finally {
      importTuning.batchSize = 500;
      importTuning.afterBatchCommit = undefined;
    }
    expect(await userCount()).toBe(before + 7);
    const crashUsers = (await admin.get('/users?q=crash.&limit=50')).body.items;
    expect(crashUsers).toHaveLength(7);
    expect((await errorsOf(admin, up.body.id, 'run')).map((e) => e.row)).toEqual([9]);
  });

  it('refuses broken, empty, oversized and foreign files with a clear message, writing nothing', async () => {
    const importsBefore = (await t.database.db.select({ n: count() }).from(imports))[0]!.n;
    const good = await workbook([HEADER, ['x.y', '某人', '', '', '华东一组', '销售代表']]);
    const corrupt = Buffer.concat([good.subarray(0, 200), Buffer.alloc(300, 7)]);
    const broken = await upload(admin, 'users', 'broken.xlsx', corrupt);
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toMatchObject({ code: 'import_file_unreadable', title: '无法读取文件' });

    const empty = await upload(admin, 'users', 'empty.csv', Buffer.from('用户名,姓名\r\n'));
    expect(empty.body.code).toBe('import_file_empty');
    const xls = await upload(admin, 'users', 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3, 4]));
    expect(xls.statusCode).toBe(415);
    const huge = await upload(admin, 'users', 'huge.csv', Buffer.alloc(400_000, 'a'));
    expect(huge.statusCode).toBe(413);
    expect(huge.body.code).toBe('import_file_too_large');
    const unknown = await upload(admin, 'spaceships', 'x.csv', Buffer.from('a\r\n1'));
    expect(unknown.statusCode).toBe(404);
    expect((await t.database.db.select({ n: count() }).from(imports))[0]!.n).toBe(importsBefore);
  });

  it('lets only users who may create users import them, and keeps each import visible to its owner and admins', async () => {
    const rep = await as(t.app, 'rep01');
    const denied = await upload(rep, 'users', 'x.csv', Buffer.from('用户名\r\nabc'));
    expect(denied.statusCode).toBe(403);
    // A rep may import what they may create (their leads and customers), never users or units.
    const repEntities = (await rep.get('/imports/entities')).body.items.map(
      (e: { entity: string }) => e.entity,
    );
    expect(repEntities).not.toContain('users');
    expect(repEntities).not.toContain('org-units');
    const history = (await admin.get('/imports?entity=users')).body;
    expect(history.total).toBeGreaterThan(3);
    const someone = history.items[0].id;
    expect((await rep.get(`/imports/${someone}`)).statusCode).toBe(404);
    const audit = await t.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(eq(auditLog.entity, 'import'));
    expect(audit[0]!.n).toBeGreaterThan(5);
  });
});

describe('importing org units', () => {
  it('builds a branch of the tree whose parents are earlier rows of the same file, then re-imports its own export', async () => {
    const file = await workbook([
      ['名称', '编码', '上级部门', '类型', '排序'],
      ['西北', 'XB', '星辰汽车销售有限公司', '大区', '5'],
      ['西北一组', 'XB-01', 'XB', '', ''],
      ['西北二组', 'XB-02', '西北', '团队', 'x'],
    ]);
    const up = await upload(admin, 'org-units', '组织.xlsx', file);
    expect(up.statusCode, up.payload).toBe(201);
    const checked = await dryRun(admin, up.body.id);
    expect(checked.dryRun).toMatchObject({ created: 2, failed: 1 });
    expect((await errorsOf(admin, up.body.id, 'dry_run'))[0]).toMatchObject({ row: 4, column: '排序' });
    const done = await run(admin, up.body.id, 'batches');
    expect(done.result).toMatchObject({ created: 2, failed: 1 });
    const units = (await admin.get('/org-units')).body.items;
    const team = units.find((u: { code: string }) => u.code === 'XB-01');
    expect(team).toMatchObject({
      kind: 'team',
      parentId: units.find((u: { code: string }) => u.code === 'XB').id,
    });

    const exported = await admin.get('/org-units/export?format=xlsx');
    expect(exported.statusCode).toBe(200);
    const again = await upload(admin, 'org-units', 'export.xlsx', exported.rawPayload);
    const skipped = await run(admin, again.body.id, 'batches', 'skip');
    expect(skipped.result).toMatchObject({ created: 0, failed: 0 });
    expect(skipped.result.skipped).toBe(units.length);
  });
});

describe('exporting', () => {
  it('exports the users list with its filters, neutralising formulas, in the caller’s language and scope', async () => {
    const me = (await admin.get('/users?q=aon.three')).body.items[0];
    const set = await admin.patch(`/users/${me.id}`, { position: '=1+1', version: me.version });
    expect(set.statusCode).toBe(200);

    const csv = await admin.get('/users/export?format=csv&q=aon.');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain("filename*=UTF-8''");
    const text = csv.rawPayload.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('用户名,姓名,手机号,邮箱,职位,所属部门,直属上级,角色,状态,最近登录,创建时间');
    expect(lines).toHaveLength(3);
    expect(text).toContain(",'=1+1,");

    admin.locale = 'en';
    const xlsx = await admin.get('/users/export?format=xlsx&q=aon.three');
    admin.locale = 'zh-CN';
    const rows = await readWorkbook(xlsx.rawPayload);
    expect(rows[0]?.slice(0, 3)).toEqual(['Username', 'Name', 'Mobile']);
    expect(rows[1]).toContain("'=1+1");

    const rep = await as(t.app, 'rep01');
    const visible = (await rep.get('/users?limit=500')).body;
    const repCsv = (await rep.get('/users/export?format=csv')).rawPayload.toString('utf8');
    expect(repCsv.slice(1).trim().split('\r\n')).toHaveLength(visible.total + 1);
    expect(repCsv).not.toContain('aon.three');
    expect((await rep.get('/users/export?format=pdf')).statusCode).toBe(400);
  });
});
