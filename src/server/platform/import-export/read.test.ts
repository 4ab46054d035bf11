import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ImportField } from './definitions.js';
import {
  mapRow,
  neutraliseCell,
  normaliseHeader,
  proposeMapping,
  restoreNeutralised,
  splitList,
} from './mapping.js';
import { decodeCsv, detectFormat, FORMULA, readRows, summariseFile } from './read.js';
import { generateUsersWorkbook, workbook } from './testing.js';

const fields: ImportField[] = [
  {
    key: 'username',
    label: { 'zh-CN': '用户名', en: 'Username' },
    aliases: ['账号', 'login'],
    required: true,
  },
  { key: 'name', label: { 'zh-CN': '姓名', en: 'Name' }, required: true },
  { key: 'phone', label: { 'zh-CN': '手机号', en: 'Mobile' }, aliases: ['手机', 'phone'] },
];

async function allRows(content: Buffer, format: 'xlsx' | 'csv') {
  const rows = [];
  for await (const row of readRows(content, format)) rows.push(row);
  return rows;
}

describe('column mapping', () => {
  it('recognises Chinese and English headers, aliases, case, width and a required star', () => {
    expect(normaliseHeader(' 用户名* ')).toBe('用户名');
    expect(normaliseHeader('ＵｓｅｒＮａｍｅ')).toBe('username');
    expect(proposeMapping(['账号', 'NAME', '手机（必填）', '备注'], fields)).toEqual([
      'username',
      'name',
      null,
      null,
    ]);
    expect(proposeMapping(['Login', '姓名', 'Phone', '手机'], fields)).toEqual([
      'username',
      'name',
      'phone',
      null,
    ]);
  });

  it('maps cells to fields, blanks to null, and drops the quote an export put before a formula', () => {
    expect(mapRow(['  zs ', '', "'=1+1", 'x'], ['username', 'name', 'phone', null])).toEqual({
      username: 'zs',
      name: null,
      phone: '=1+1',
    });
    expect(restoreNeutralised("'plain")).toBe("'plain");
  });

  it('neutralises every formula starter on export', () => {
    for (const v of ['=1+1', '+86', '-5', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCell(v)).toBe(`'${v}`);
    expect(neutraliseCell('张三')).toBe('张三');
    expect(splitList('销售代表、销售经理, rep；admin')).toEqual(['销售代表', '销售经理', 'rep', 'admin']);
  });
});

describe('reading files', () => {
  it('reads GBK, UTF-8 with and without BOM, and UTF-16 CSV', () => {
    const text = '姓名,手机\r\n张伟,139\r\n';
    expect(decodeCsv(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
    expect(decodeCsv(Buffer.from(`\uFEFF${text}`))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])).text).toBe(
      text,
    );
  });

  it('tells formats by their bytes and refuses what it cannot read', async () => {
    expect(detectFormat(Buffer.from('PK\x03\x04....'), 'a.bin')).toBe('xlsx');
    expect(detectFormat(Buffer.from('a,b'), 'a.xlsx.csv')).toBe('csv');
    expect(() => detectFormat(Buffer.from('a,b'), 'fake.xlsx')).toThrow('import_file_unreadable');
    expect(() => detectFormat(Buffer.alloc(0), 'a.csv')).toThrow('import_file_empty');
    await expect(summariseFile(Buffer.from('"unclosed,\r\n1,2'), 'a.csv', 10)).rejects.toThrow(
      'import_file_unreadable',
    );
    await expect(summariseFile(Buffer.from('a\r\n1\r\n2\r\n3'), 'a.csv', 2)).rejects.toThrow(
      'import_too_many_rows',
    );
  });

  it('keeps Excel row numbers, skips blank rows and marks formula cells', async () => {
    const file = await workbook([
      ['姓名', '金额'],
      ['张三', { formula: 'A1*2', result: 4 }],
      [],
      ['李四', 3],
    ]);
    const rows = await allRows(file, 'xlsx');
    expect(rows.map((r) => r.number)).toEqual([1, 2, 4]);
    expect(rows[1]!.cells).toEqual(['张三', FORMULA]);
    expect(rows[2]!.cells).toEqual(['李四', '3']);
  });

  it('streams a large workbook of Chinese text without breaking a character', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xg-import-'));
    try {
      const file = path.join(dir, 'users.xlsx');
      await generateUsersWorkbook(6000, file);
      const content = readFileSync(file);
      let rows = 0;
      let broken = 0;
      for await (const row of readRows(content, 'xlsx')) {
        rows++;
        if (row.cells.some((c) => typeof c === 'string' && c.includes('\uFFFD'))) broken++;
      }
      expect(rows).toBe(6001);
      expect(broken).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
