import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { auditLog } from '../audit/schema.js';
import { attachments } from './schema.js';
import { pdfBytes, uploadFile } from './testing.js';

const MAX_BYTES = 64 * 1024;

let t: TestApp;
let filesDir: string;
let admin: Client;
let rep01: Client;
const userIds = new Map<string, string>();
const user = (username: string) => ({ entity: 'user', entityId: userIds.get(username)! });

/** Stored files on disk, temporary uploads excluded. */
function storedFiles(): string[] {
  return readdirSync(filesDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.endsWith(`${path.sep}tmp`))
    .map((e) => e.name);
}
const tempFiles = () => {
  try {
    return readdirSync(path.join(filesDir, 'tmp'));
  } catch {
    return [];
  }
};
const rowCount = async () => (await t.database.db.select({ n: count() }).from(attachments))[0]!.n;
const auditActions = async (entityId: string) =>
  (
    await t.database.db
      .select({ action: auditLog.action, changes: auditLog.changes })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, entityId)))
      .orderBy(auditLog.at)
  ).filter((a) => a.action.startsWith('attachment_'));

beforeAll(async () => {
  filesDir = await mkdtemp(path.join(os.tmpdir(), 'xg-files-'));
  t = await createTestApp({ XG_FILES_DIR: filesDir, XG_FILE_MAX_BYTES: String(MAX_BYTES) });
  admin = await setupCompany(t.app);
  for (const u of (await admin.get('/users?limit=500')).body.items) userIds.set(u.username, u.id);
  rep01 = await as(t.app, 'rep01');
});
afterAll(async () => {
  await t.close();
  await rm(filesDir, { recursive: true, force: true });
});

describe('attachments on a record', () => {
  it('an administrator attaches 劳动合同（张三）.pdf to a rep and downloads the same bytes under the same Chinese name', async () => {
    const bytes = pdfBytes('labour contract');
    const up = await uploadFile(admin, user('rep02'), '劳动合同（张三）.pdf', bytes, 'application/pdf');
    expect(up.statusCode).toBe(201);
    expect(up.body).toMatchObject({
      entity: 'user',
      entityId: userIds.get('rep02'),
      fileName: '劳动合同（张三）.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
      uploadedByName: ADMIN.name,
    });

    const list = await admin.get(`/attachments?entity=user&entityId=${userIds.get('rep02')}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatchObject({ total: 1, canWrite: true, maxBytes: MAX_BYTES });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([up.body.id]);

    const down = await admin.get(`/attachments/${up.body.id}/content`);
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(bytes)).toBe(true);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    const disposition = String(down.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    const encoded = disposition.split("filename*=UTF-8''")[1]!;
    expect(decodeURIComponent(encoded)).toBe('劳动合同（张三）.pdf');

    // Upload and download both appear in the rep's history, with the file's name.
    const history = await admin.get(`/users/${userIds.get('rep02')}/history`);
    const actions = history.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['attachment_upload', 'attachment_download']));
    const uploadEntry = history.body.items.find((e: { action: string }) => e.action === 'attachment_upload');
    expect(uploadEntry.changes.fileName.to).toBe('劳动合同（张三）.pdf');
  });

  it('a rep cannot see, attach to or download from a user of another team (404), and may only read a teammate’s files (403 on changes)', async () => {
    const other = await uploadFile(admin, user('rep07'), '身份证复印件.png', pngBytes(), 'image/png');
    expect(other.statusCode).toBe(201);
    const rowsBefore = await rowCount();
    const filesBefore = storedFiles().length;

    const list = await rep01.get(`/attachments?entity=user&entityId=${userIds.get('rep07')}`);
    expect(list.statusCode).toBe(404);
    expect(list.body.code).toBe('not_found');
    const attach = await uploadFile(rep01, user('rep07'), '报价.pdf', pdfBytes('quote'), 'application/pdf');
    expect(attach.statusCode).toBe(404);
    expect((await rep01.get(`/attachments/${other.body.id}/content`)).statusCode).toBe(404);
    expect((await rep01.delete(`/attachments/${other.body.id}`)).statusCode).toBe(404);

    const teammate = await uploadFile(admin, user('rep02'), '培训证书.pdf', pdfBytes('certificate'));
    const seen = await rep01.get(`/attachments?entity=user&entityId=${userIds.get('rep02')}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body.canWrite).toBe(false);
    expect((await rep01.get(`/attachments/${teammate.body.id}/content`)).statusCode).toBe(200);
    const denied = await uploadFile(rep01, user('rep02'), '报价.pdf', pdfBytes('quote'), 'application/pdf');
    expect(denied.statusCode).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    expect((await rep01.delete(`/attachments/${teammate.body.id}`)).statusCode).toBe(403);

    expect(await rowCount()).toBe(rowsBefore + 1);
    expect(storedFiles().length).toBe(filesBefore + 1);
  });

  it('refuses a file over the limit with 413 while it streams, keeping no row and no file', async () => {
    const rowsBefore = await rowCount();
    const filesBefore = storedFiles();
    const big = Buffer.concat([pdfBytes('big'), Buffer.alloc(MAX_BYTES, 0x20)]);
    admin.locale = 'en';
    const res = await uploadFile(admin, user('rep03'), '年度合同扫描件.pdf', big, 'application/pdf');
    admin.locale = 'zh-CN';
    expect(res.statusCode).toBe(413);
    expect(res.body).toMatchObject({ code: 'file_too_large', title: 'File too large' });
    expect(res.body.detail).toContain('64 KB');
    expect(await rowCount()).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
    expect(tempFiles()).toEqual([]);

    // A body announced far beyond the limit is refused before it is read.
    const early = await admin.request(
      'POST',
      `/attachments?entity=user&entityId=${userIds.get('rep03')}`,
      Buffer.alloc(10),
      { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(MAX_BYTES * 100) },
    );
    expect(early.statusCode).toBe(413);
  });

  it('refuses a Windows program renamed to .pdf, HTML called .txt and an SVG with 415, keeping nothing', async () => {
    const rowsBefore = await rowCount();
    const filesBefore = storedFiles();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const renamed = await uploadFile(admin, user('rep03'), '发票.pdf', exe, 'application/pdf');
    expect(renamed.statusCode).toBe(415);
    expect(renamed.body.code).toBe('file_type_mismatch');
    expect(renamed.body.detail).toContain('.exe');

    const program = await uploadFile(admin, user('rep03'), 'setup.exe', exe);
    expect(program.statusCode).toBe(415);
    expect(program.body.code).toBe('file_type_not_allowed');

    const html = await uploadFile(
      admin,
      user('rep03'),
      'readme.txt',
      Buffer.from('<!DOCTYPE html><script>x</script>'),
    );
    expect(html.statusCode).toBe(415);
    const svg = await uploadFile(
      admin,
      user('rep03'),
      'logo.svg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    );
    expect(svg.statusCode).toBe(415);
    // A real PDF declared by the browser as an image does not pass either.
    const declared = await uploadFile(admin, user('rep03'), '合同.pdf', pdfBytes(), 'image/png');
    expect(declared.statusCode).toBe(415);

    expect(await rowCount()).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
    expect(tempFiles()).toEqual([]);
  });

  it('accepts a GBK CSV saved by Excel in China (declared as an Excel type) and serves it back as text/csv', async () => {
    const csv = iconv.encode('客户名称,金额\r\n上海星辰贸易,12000\r\n', 'gbk');
    const res = await uploadFile(admin, user('rep04'), '客户清单.csv', csv, 'application/vnd.ms-excel');
    expect(res.statusCode).toBe(201);
    expect(res.body.contentType).toBe('text/csv');
    const down = await admin.get(`/attachments/${res.body.id}/content`);
    expect(iconv.decode(down.rawPayload, 'gbk')).toContain('上海星辰贸易');
  });

  it('stores the same bytes once however often and wherever they are attached', async () => {
    const bytes = pdfBytes('price list 2026');
    const filesBefore = storedFiles().length;
    const first = await uploadFile(admin, user('rep05'), '价目表.pdf', bytes, 'application/pdf');
    const second = await uploadFile(admin, user('rep06'), '价目表（副本）.pdf', bytes, 'application/pdf');
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(second.body.id);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect(storedFiles().length).toBe(filesBefore + 1);
    expect(storedFiles()).toContain(first.body.sha256);

    // Removing one attachment leaves the other's file in place.
    expect((await admin.delete(`/attachments/${first.body.id}`)).statusCode).toBe(200);
    const other = await admin.get(`/attachments/${second.body.id}/content`);
    expect(other.rawPayload.equals(bytes)).toBe(true);
  });

  it('deleting an attachment hides it from the record and keeps it in the audit log', async () => {
    const up = await uploadFile(admin, user('rep08'), '拜访照片.png', pngBytes(), 'image/png');
    const id = up.body.id;
    const del = await admin.delete(`/attachments/${id}`);
    expect(del.statusCode).toBe(200);

    const list = await admin.get(`/attachments?entity=user&entityId=${userIds.get('rep08')}`);
    expect(list.body.items).toEqual([]);
    expect((await admin.get(`/attachments/${id}/content`)).statusCode).toBe(404);
    expect((await admin.delete(`/attachments/${id}`)).statusCode).toBe(404);

    const [row] = await t.database.db.select().from(attachments).where(eq(attachments.id, id));
    expect(row).toMatchObject({ deletedBy: userIds.get(ADMIN.username) });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    const audited = await auditActions(userIds.get('rep08')!);
    expect(audited.map((a) => a.action)).toEqual(['attachment_upload', 'attachment_delete']);
    expect(audited[1]!.changes).toMatchObject({ fileName: { from: '拜访照片.png', to: null } });
  });

  it('attaches to org units: readable by everyone who sees the tree, frozen once the unit is archived', async () => {
    const units = (await admin.get('/org-units')).body.items as { id: string; name: string }[];
    const east = units.find((u) => u.name === '华东')!;
    const map = await uploadFile(
      admin,
      { entity: 'org_unit', entityId: east.id },
      '华东区域地图.png',
      pngBytes(),
    );
    expect(map.statusCode).toBe(201);
    const seen = await rep01.get(`/attachments?entity=org_unit&entityId=${east.id}`);
    expect(seen.body).toMatchObject({ total: 1, canWrite: false });

    const office = await admin.post('/org-units', { parentId: east.id, name: '临时办事处', kind: 'team' });
    await uploadFile(admin, { entity: 'org_unit', entityId: office.body.id }, '租赁合同.pdf', pdfBytes());
    expect((await admin.post(`/org-units/${office.body.id}/archive`)).statusCode).toBe(200);
    const frozen = await uploadFile(
      admin,
      { entity: 'org_unit', entityId: office.body.id },
      '补充协议.pdf',
      pdfBytes('x'),
    );
    expect(frozen.statusCode).toBe(403);
    expect(frozen.body.code).toBe('record_read_only');
    const still = await admin.get(`/attachments?entity=org_unit&entityId=${office.body.id}`);
    expect(still.body).toMatchObject({ total: 1, canWrite: false });
  });

  it('answers bad requests with clear 4xx problems', async () => {
    const unknown = await admin.get(`/attachments?entity=invoice&entityId=${userIds.get('rep01')}`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.errors[0].path).toBe('entity');
    const missing = await admin.get(`/attachments?entity=user&entityId=0190c2f4-0000-7000-8000-000000000000`);
    expect(missing.statusCode).toBe(404);
    const notMultipart = await admin.post(`/attachments?entity=user&entityId=${userIds.get('rep01')}`, {});
    expect(notMultipart.statusCode).toBe(400);
    expect(notMultipart.body.code).toBe('file_required');
    const empty = await uploadFile(admin, user('rep01'), '空文件.pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.body.code).toBe('file_required');
  });
});

/** A PNG's signature and header chunk: enough for sniffing. */
function pngBytes() {
  return Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
}
