import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./main.ts', import.meta.url));
const folders: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xg-cli-'));
  folders.push(dir);
  return dir;
};

/** Runs `xiaoguan …` from source against a data folder; never throws, returns the outcome. */
async function xiaoguan(dataDir: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, XG_DATA_DIR: dataDir, DATABASE_URL: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function usernames(dataDir: string) {
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'db') });
  const { rows } = await db.query<{ username: string }>('select username from users order by username');
  await db.close();
  return rows.map((r) => r.username);
}

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('the xiaoguan command', () => {
  it('creates the administrator, backs up, and restores into an empty data folder with the same data', async () => {
    const first = tempDir();
    const created = await xiaoguan(
      first,
      ['create-admin', '--company', '测试公司', '--username', 'boss', '--name', '老板'],
      {
        XG_ADMIN_PASSWORD: 'Boss2026pass',
      },
    );
    expect(created.stdout).toContain('Created 测试公司');
    const again = await xiaoguan(first, [
      'create-admin',
      '--company',
      'X',
      '--username',
      'x2',
      '--name',
      'X',
      '--password',
      'Other2026x',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already set up/i);

    const file = path.join(first, 'manual.jsonl.gz');
    const backup = await xiaoguan(first, ['backup', file]);
    expect(backup.stdout).toMatch(/Wrote .*manual\.jsonl\.gz: \d+ tables, \d+ rows/);

    const second = tempDir();
    const restored = await xiaoguan(second, ['restore', file]);
    expect(restored.code).toBe(0);
    expect(await usernames(second)).toEqual(await usernames(first));
    expect(await usernames(second)).toEqual(['boss']);

    const twice = await xiaoguan(second, ['restore', file]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/not empty/);
    // Six processes, each opening an embedded database (about 4 s apiece on a busy machine).
  }, 90_000);

  it('explains bad arguments and a weak password without writing anything', async () => {
    const dir = tempDir();
    const weak = await xiaoguan(dir, [
      'create-admin',
      '--company',
      'C',
      '--username',
      'boss',
      '--name',
      'B',
      '--password',
      'short',
    ]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/admin\.password: .*8/);
    const bad = await xiaoguan(dir, ['seed-demo', '--scale', 'many']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--scale/);
    const missing = await xiaoguan(dir, ['restore', path.join(dir, 'nope.jsonl.gz')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^xiaoguan: .*nope\.jsonl\.gz does not exist\.\n$/);
    const junk = path.join(dir, 'junk.gz');
    writeFileSync(junk, 'not gzip');
    const notBackup = await xiaoguan(dir, ['restore', junk]);
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toMatch(/^xiaoguan: .*junk\.gz is not a Xiaoguan backup.*\n$/);
    expect(await usernames(dir)).toEqual([]);
  });

  it('refuses a second process on a data folder in use', async () => {
    const dir = tempDir();
    await xiaoguan(dir, ['migrate']);
    // A live process holds the lock: this test's own pid stands in for a running server.
    writeFileSync(path.join(dir, 'xiaoguan.lock'), String(process.pid));
    const blocked = await xiaoguan(dir, ['migrate']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/in use by another Xiaoguan process/);
    // A lock left by a process that died is taken over.
    writeFileSync(path.join(dir, 'xiaoguan.lock'), '999999');
    expect((await xiaoguan(dir, ['migrate'])).stdout).toContain('up to date');
  });

  it('imports a GBK CSV of users (dry run first) and exports the list again', async () => {
    const dir = tempDir();
    await xiaoguan(dir, ['create-admin', '--company', '测试公司', '--username', 'boss', '--name', '老板'], {
      XG_ADMIN_PASSWORD: 'Boss2026pass',
    });
    const csv = path.join(dir, '员工.csv');
    const lines = [
      '用户名,姓名,所属部门,角色',
      'cli.one,张一,测试公司,销售代表',
      'cli.two,"=HYPERLINK(""x"")",测试公司,销售代表',
    ];
    writeFileSync(csv, iconv.encode(lines.join('\r\n'), 'gbk'));

    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, '用户名,姓名\ncli.x,"unterminated\n');
    const refused = await xiaoguan(dir, ['import', 'users', broken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot be read.*Nothing was imported/);

    const dry = await xiaoguan(dir, ['import', 'users', csv, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(await usernames(dir)).toEqual(['boss']);

    const imported = await xiaoguan(dir, ['import', 'users', csv, '--mode', 'batches']);
    expect(imported.code).toBe(0);
    expect(await usernames(dir)).toEqual(['boss', 'cli.one', 'cli.two']);

    const out = path.join(dir, 'users.csv');
    expect((await xiaoguan(dir, ['export', 'users', out, '--filter', 'q=cli'])).code).toBe(0);
    const exported = readFileSync(out, 'utf8');
    expect(exported).toContain('张一');
    // The formula-looking name went in as text and comes out neutralised.
    expect(exported).toContain(`'=HYPERLINK`);
  }, 60_000);
});
