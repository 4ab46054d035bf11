import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';

/** A workbook in memory: rows of cell values; a `{ formula }` object becomes a formula cell. */
export async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads an xlsx (an export, a report) back as rows of text. */
export async function readWorkbook(content: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v))));
  });
  return rows;
}

/** A multipart/form-data body with one file part, as a browser sends it. */
export function multipartFile(fileName: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----xg${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(fileName)}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * A users workbook of `rows` rows written by exceljs's streaming writer (the bench's 100,000-row
 * file): unique usernames, Chinese names, valid mobiles, spread over the given units and roles.
 */
export async function generateUsersWorkbook(
  rows: number,
  file: string,
  opts: { units?: string[]; roles?: string[]; prefix?: string } = {},
): Promise<void> {
  const units = opts.units ?? ['华东一组', '华东二组', '华南一组', '华北一组'];
  const roles = opts.roles ?? ['销售代表'];
  const prefix = opts.prefix ?? 'bulk';
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚';
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: createWriteStream(file),
    useSharedStrings: false,
  });
  const sheet = wb.addWorksheet('用户');
  sheet.addRow(['用户名', '姓名', '手机号', '邮箱', '职位', '所属部门', '角色']).commit();
  for (let i = 1; i <= rows; i++) {
    const name = `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}${given[(i * 13) % given.length]}`;
    sheet
      .addRow([
        `${prefix}${String(i).padStart(6, '0')}`,
        name,
        `139${String(i).padStart(8, '0')}`,
        `${prefix}${i}@example.com`,
        '销售代表',
        units[i % units.length],
        roles[i % roles.length],
      ])
      .commit();
  }
  sheet.commit();
  await wb.commit();
}
