import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { classifyUpload, cleanFileName } from './file-types.js';
import { contentDisposition } from './files.service.js';
import { pdfBytes } from './testing.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

async function outcome(fileName: string, head: Buffer, declaredType?: string) {
  try {
    return (await classifyUpload({ fileName, declaredType, head })).contentType;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('which uploads are accepted, and as what', () => {
  it.each([
    ['合同.pdf', pdfBytes(), 'application/pdf', 'application/pdf'],
    ['合同.PDF', pdfBytes(), undefined, 'application/pdf'],
    ['现场照片.jpg', PNG, 'image/jpeg', 'file_type_mismatch'],
    ['现场照片.png', PNG, 'image/png', 'image/png'],
    ['报价.pdf', EXE, 'application/pdf', 'file_type_mismatch'],
    ['setup.exe', EXE, 'application/x-msdownload', 'file_type_not_allowed'],
    ['无扩展名', pdfBytes(), 'application/pdf', 'file_type_not_allowed'],
    ['客户.csv', Buffer.from('名称,金额\n'), 'application/vnd.ms-excel', 'text/csv'],
    ['客户.csv', Buffer.from('名称,金额\n'), 'application/pdf', 'file_type_mismatch'],
    ['说明.txt', Buffer.from('\uFEFF<html><body>x</body></html>'), 'text/plain', 'file_type_mismatch'],
    ['说明.txt', Buffer.from([0x61, 0x00, 0x62]), 'text/plain', 'file_type_mismatch'],
    ['图标.svg', Buffer.from('<svg/>'), 'image/svg+xml', 'file_type_not_allowed'],
    ['页面.html', Buffer.from('<p>hi</p>'), 'text/html', 'file_type_not_allowed'],
  ])('%s (%s) declared %s → %s', async (name, head, declared, expected) => {
    expect(await outcome(name, head, declared)).toBe(expected);
  });
});

describe('file names', () => {
  it('keep only the last path segment, without control or reserved characters', () => {
    expect(cleanFileName('C:\\Users\\张三\\Desktop\\合同.pdf')).toBe('合同.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b"<c>.pdf')).toBe('abc.pdf');
    expect(cleanFileName(`${'长'.repeat(300)}.pdf`)).toMatch(/^长{196}\.pdf$/);
    expect(cleanFileName(undefined)).toBe('');
  });

  it('are sent in Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('报价单 (2026).pdf')).toBe(
      `attachment; filename="___ (2026).pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20%282026%29.pdf`,
    );
  });
});
