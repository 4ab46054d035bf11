import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * ExcelJS's streaming reader decodes each inflated chunk of XML on its own (lib/utils/parse-sax.js),
 * so a Chinese character whose UTF-8 bytes straddle two chunks turns into "�" — seen on large
 * files (row 485 of a generated 5,000-row sheet). We hand its parser chunks that always end on a
 * character boundary, by re-cutting the shared-strings and worksheet streams before it reads them.
 */
async function* alignedUtf8(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    // Walk back over continuation bytes (10xxxxxx) to the start of the last character.
    let start = data.length - 1;
    while (start >= 0 && start > data.length - 4 && (data[start]! & 0xc0) === 0x80) start--;
    let cut = data.length;
    if (start >= 0) {
      const lead = data[start]!;
      const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (start + size > data.length) cut = start;
    }
    carry = data.subarray(cut);
    if (cut > 0) yield data.subarray(0, cut);
  }
  if (carry.length) yield carry;
}

type Parser = { prototype: Record<string, unknown> };
let patched = false;

export function fixExcelJsUtf8(): void {
  if (patched) return;
  patched = true;
  const require = createRequire(import.meta.url);
  const WorksheetReader = require('exceljs/lib/stream/xlsx/worksheet-reader.js') as Parser;
  const WorkbookReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as Parser;

  const parseSheet = WorksheetReader.prototype.parse as (this: { iterator: unknown }) => unknown;
  WorksheetReader.prototype.parse = function (this: { iterator: AsyncIterable<Buffer> }) {
    this.iterator = alignedUtf8(this.iterator);
    return parseSheet.call(this);
  };
  const parseStrings = WorkbookReader.prototype._parseSharedStrings as (entry: Readable) => unknown;
  WorkbookReader.prototype._parseSharedStrings = function (this: unknown, entry: Readable) {
    return parseStrings.call(this, Readable.from(alignedUtf8(entry)));
  };
}
