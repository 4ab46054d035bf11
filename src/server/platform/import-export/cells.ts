import type { FieldError } from '../errors.js';

// Parsing of typed spreadsheet cells shared by every module's importers.

/** Yuan as written in a sheet ("12,000.50", "¥98", "3 500 元") → fen, without floating point. */
export function yuanToFen(value: string | null, path: string, errors: FieldError[]): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value.replace(/[,，\s¥￥元]/g, ''));
  if (!m) {
    errors.push({ path, message: 'type', params: { expected: 'number' } });
    return undefined;
  }
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Fen → yuan for an export cell (exact: fen are whole numbers well inside 2^53). */
export const fenToYuan = (fen: number | null) => (fen === null ? null : fen / 100);
