import type { ImportField, ImportRecord } from './definitions.js';

/**
 * Header matching ignores case, width (全角/半角), spaces, punctuation and a required-marker
 * star, so "用户名*", "User Name" and "username" all find the same field.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-*.:：()（）[\]【】/\\]+/g, '');
}

export interface ColumnProposal {
  index: number;
  header: string;
  field: string | null;
}

/** The field each header most likely means (first match wins; a field is used once). */
export function proposeMapping(headers: string[], fields: ImportField[]): (string | null)[] {
  const byName = new Map<string, string>();
  for (const f of fields) {
    for (const name of [f.key, f.label['zh-CN'], f.label.en, ...(f.aliases ?? [])]) {
      const n = normaliseHeader(name);
      if (n && !byName.has(n)) byName.set(n, f.key);
    }
  }
  const used = new Set<string>();
  return headers.map((h) => {
    const field = byName.get(normaliseHeader(h));
    if (!field || used.has(field)) return null;
    used.add(field);
    return field;
  });
}

export interface MappingProblem {
  kind: 'unknownField' | 'mappedTwice' | 'requiredMissing' | 'length';
  field?: string;
}

/** Checks a mapping a user chose: known fields, each at most once, every required field present. */
export function mappingProblems(
  mapping: (string | null)[],
  headers: string[],
  fields: ImportField[],
): MappingProblem[] {
  if (mapping.length !== headers.length) return [{ kind: 'length' }];
  const known = new Set(fields.map((f) => f.key));
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  for (const field of mapping) {
    if (field === null) continue;
    if (!known.has(field)) problems.push({ kind: 'unknownField', field });
    else if (seen.has(field)) problems.push({ kind: 'mappedTwice', field });
    seen.add(field);
  }
  for (const f of fields)
    if (f.required && !seen.has(f.key)) problems.push({ kind: 'requiredMissing', field: f.key });
  return problems;
}

/** Columns the mapping ignores (shown to the user as "not imported"). */
export const unmappedColumns = (headers: string[], mapping: (string | null)[]) =>
  headers.map((header, index) => ({ index, header })).filter((c) => mapping[c.index] == null);

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Export side of formula-injection safety (OWASP "CSV injection"): a text cell starting with
 * = + - @ tab or CR is prefixed with a single quote, so Excel and WPS show it as text.
 */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Import side: one leading quote that an export added is dropped again, so exported files
 * re-import unchanged; any other quote is data.
 */
export function restoreNeutralised(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** A row's cells as the fields they map to; blank cells become null. */
export function mapRow(cells: (string | null)[], mapping: (string | null)[]): ImportRecord {
  const record: ImportRecord = {};
  mapping.forEach((field, i) => {
    if (!field) return;
    const raw = cells[i];
    const text = raw == null ? '' : restoreNeutralised(raw.trim());
    record[field] = text === '' ? null : text;
  });
  return record;
}

/** Splits a multi-value cell ("销售代表、销售经理", "rep, manager") into its values. */
export function splitList(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .split(/[,，、;；|\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
