import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../errors.js';
import { fixExcelJsUtf8 } from './xlsx-utf8.js';

fixExcelJsUtf8();

/** A formula cell: never imported (its cached result may be stale or computed elsewhere). */
export const FORMULA = Symbol('formula');
export type Cell = string | null | typeof FORMULA;
export interface SheetRow {
  /** The row number a person sees in Excel (1-based, blank rows counted). */
  number: number;
  cells: Cell[];
}

export type FileFormat = 'xlsx' | 'csv';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Recognises the file by its bytes, not its name: xlsx is a zip, anything textual is CSV. */
export function detectFormat(content: Buffer, fileName: string): FileFormat {
  if (content.length === 0) throw new AppError('import_file_empty');
  if (content.subarray(0, 4).equals(ZIP)) return 'xlsx';
  // Excel 97–2003 .xls (and other OLE documents) are not supported: save as .xlsx.
  if (content.subarray(0, 4).equals(OLE)) throw new AppError('import_file_type', { name: fileName });
  if (/\.xlsx$/i.test(fileName)) throw new AppError('import_file_unreadable', { name: fileName });
  return 'csv';
}

/**
 * CSV text in the encoding it was saved in: UTF-8 (with or without BOM), UTF-16 with BOM
 * ("Unicode text"), else GB18030 — a superset of GBK, which Chinese Excel uses for CSV.
 */
export function decodeCsv(content: Buffer): { text: string; encoding: string } {
  if (content[0] === 0xff && content[1] === 0xfe)
    return { text: content.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (content[0] === 0xfe && content[1] === 0xff)
    return { text: iconv.decode(content.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const body =
    content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? content.subarray(3) : content;
  let text: string;
  let encoding = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = iconv.decode(body, 'gb18030');
    encoding = 'gb18030';
  }
  // Text files have no NUL characters; a binary file that is not a spreadsheet ends here.
  if (text.includes('\u0000')) throw new AppError('import_file_unreadable', {});
  return { text, encoding };
}

function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates = [',', '\t', ';'].map((c) => [c, count(c)] as const).sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ',';
}

async function* csvRows(content: Buffer): AsyncGenerator<SheetRow> {
  const { text } = decodeCsv(content);
  const parser = Readable.from([text]).pipe(
    parseCsv({ delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: false }),
  );
  let number = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      number++;
      yield { number, cells: record.map((c) => (c === '' ? null : c)) };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('import_file_unreadable', { reason: (err as Error).message.slice(0, 200) });
  }
}

function pad(n: number) {
  return String(n).padStart(2, '0');
}

/** An xlsx cell value as text; dates as YYYY-MM-DD (or with time), formulas marked. */
export function cellText(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    const d = value;
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds()
      ? `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
      : date;
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('formula' in v || 'sharedFormula' in v) return FORMULA;
    if (Array.isArray(v.richText)) return v.richText.map((r: { text?: string }) => r.text ?? '').join('');
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(value);
}

async function* xlsxRows(content: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  try {
    // Only the first worksheet is imported; later sheets (notes, lookups) are ignored.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { number: row.number, cells };
      }
      return;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('import_file_unreadable', { reason: (err as Error).message.slice(0, 200) });
  }
}

const isBlank = (row: SheetRow) => row.cells.every((c) => c === null || (typeof c === 'string' && !c.trim()));

/** Every non-blank row of the file in order, the header row included; streaming for xlsx. */
export async function* readRows(content: Buffer, format: FileFormat): AsyncGenerator<SheetRow> {
  const rows = format === 'xlsx' ? xlsxRows(content) : csvRows(content);
  for await (const row of rows) if (!isBlank(row)) yield row;
}

export interface FileSummary {
  format: FileFormat;
  encoding: string | null;
  headerRow: number;
  headers: string[];
  /** The first few data rows, for the mapping screen. */
  sample: (string | null)[][];
  dataRows: number;
}

/**
 * Reads a whole upload once: the header row (the first non-blank row), a sample, and the
 * number of data rows, refusing files with no data or more rows than allowed.
 */
export async function summariseFile(
  content: Buffer,
  fileName: string,
  maxRows: number,
): Promise<FileSummary> {
  const format = detectFormat(content, fileName);
  const encoding = format === 'csv' ? decodeCsv(content).encoding : null;
  let header: SheetRow | undefined;
  const sample: (string | null)[][] = [];
  let dataRows = 0;
  for await (const row of readRows(content, format)) {
    if (!header) {
      header = row;
      continue;
    }
    dataRows++;
    if (dataRows > maxRows) throw new AppError('import_too_many_rows', { max: maxRows });
    if (sample.length < 5) sample.push(row.cells.map((c) => (c === FORMULA ? '=…' : c)));
  }
  if (!header || dataRows === 0) throw new AppError('import_file_empty');
  const headers = header.cells.map((c, i) => (typeof c === 'string' && c.trim() ? c.trim() : `#${i + 1}`));
  return { format, encoding, headerRow: header.number, headers, sample, dataRows };
}
