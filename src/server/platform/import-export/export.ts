import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import { companyTimeZone } from '../settings/settings.service.js';
import { type ExportValue, exporterOf, permitted } from './definitions.js';
import { neutraliseCell } from './mapping.js';

export type SheetFormat = 'xlsx' | 'csv';

/** Date-times in the company's time zone, as a person reads them: 2026-03-01 09:30:00. */
function timeFormatter(timeZone: string) {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return (d: Date) => f.format(d);
}

/** A value as the cell will hold it: text neutralised against formula injection, numbers kept. */
function safeValue(value: ExportValue, formatTime: (d: Date) => string): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatTime(value);
  return neutraliseCell(value);
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: (string | number | null)[]) => `${cells.map(csvField).join(',')}\r\n`;

export interface SheetOptions {
  format: SheetFormat;
  sheetName: string;
  header: string[];
  timeZone: string;
}

/**
 * Writes rows as they arrive (page by page) into an xlsx or CSV stream. CSV is UTF-8 with a BOM
 * so Excel opens Chinese text correctly. The first page is read before the stream is returned,
 * so a failing query still answers with a proper error instead of a truncated file.
 */
export async function sheetStream(
  opts: SheetOptions,
  pages: AsyncIterable<ExportValue[][]>,
): Promise<Readable> {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  const formatTime = timeFormatter(opts.timeZone);
  const out = new PassThrough();
  async function* all() {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const header = opts.header.map((h) => neutraliseCell(h));
  const write = async () => {
    if (opts.format === 'csv') {
      out.write(`\uFEFF${csvLine(header)}`);
      for await (const page of all()) {
        const chunk = page.map((row) => csvLine(row.map((v) => safeValue(v, formatTime)))).join('');
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(opts.sheetName.slice(0, 31));
    const headerRow = sheet.addRow(header);
    headerRow.font = { bold: true };
    headerRow.commit();
    for await (const page of all()) {
      for (const row of page) sheet.addRow(row.map((v) => safeValue(v, formatTime))).commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/** `用户-20260301-0930.xlsx`: the entity's name in the caller's language and the time. */
export function exportFileName(label: string, format: SheetFormat, timeZone: string): string {
  const stamp = timeFormatter(timeZone)(new Date()).replace(/[-:]/g, '').replace(' ', '-').slice(0, 13);
  return `${label}-${stamp}.${format}`;
}

/** An RFC 6266 attachment header that keeps a Chinese file name. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const CONTENT_TYPES: Record<SheetFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Exports a list view: the list's own filters, read through its service page by page (so the
 * caller's data scope applies), headers in the caller's language.
 */
export async function exportList(
  db: Db,
  ctx: Ctx,
  entity: string,
  query: Record<string, unknown> & { format: SheetFormat },
): Promise<{ stream: Readable; fileName: string; contentType: string }> {
  const found = exporterOf(entity);
  if (!found) throw new AppError('import_unknown_entity', { entity });
  const def = found;
  const { format, ...filters } = query;
  const locale: Locale = ctx.locale;
  const timeZone = await companyTimeZone(db);
  const columns = permitted(def.columns, ctx);
  async function* pages() {
    for await (const rows of def.rows(db, ctx, filters as z.infer<typeof def.query>)) {
      yield rows.map((row) => columns.map((c) => c.value(row as never, locale)));
    }
  }
  const stream = await sheetStream(
    { format, sheetName: def.label[locale], header: columns.map((c) => c.label[locale]), timeZone },
    pages(),
  );
  return {
    stream,
    fileName: exportFileName(def.label[locale], format, timeZone),
    contentType: CONTENT_TYPES[format],
  };
}
