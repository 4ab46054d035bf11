import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { findSettings } from '../settings/settings.service.js';

const prefixes = new Map<string, string>();
const DIGITS = 6;

/** Each document type declares its prefix once: defineNumbering('quote', 'Q') → Q-2026-000123. */
export function defineNumbering(docType: string, prefix: string): void {
  if (!/^[A-Z]{1,5}$/.test(prefix)) throw new Error(`Bad number prefix ${prefix}`);
  for (const [other, used] of prefixes) {
    if (used === prefix && other !== docType) throw new Error(`Prefix ${prefix} is already ${other}'s`);
  }
  prefixes.set(docType, prefix);
}

export function numberingPrefixes(): ReadonlyMap<string, string> {
  return prefixes;
}

export function formatNumber(prefix: string, year: number, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(DIGITS, '0')}`;
}

/** The calendar year in the company's time zone (a document made on 31 Dec 23:30 in Shanghai is that year's). */
const yearFormats = new Map<string, Intl.DateTimeFormat>();

export function yearIn(timeZone: string, at: Date): number {
  let format = yearFormats.get(timeZone);
  if (!format) {
    // Building a format is far dearer than using one, and bulk numbering asks once per document.
    format = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, format);
  }
  return Number(format.format(at));
}

/**
 * The next number of a document type, inside the document's own transaction. The upsert
 * keeps the counter row locked until that transaction ends: concurrent callers queue behind
 * it (never a duplicate), and a rollback returns the number (no gaps).
 */
export async function nextNumber(tx: Db, docType: string, at = new Date()): Promise<string> {
  const [number] = await nextNumbers(tx, docType, [at]);
  return number!;
}

/**
 * Numbers for a batch of documents made at the given instants (bulk loads), in the order given:
 * one counter update per year rather than one per document, on the same counters as nextNumber.
 */
export async function nextNumbers(tx: Db, docType: string, ats: readonly Date[]): Promise<string[]> {
  const prefix = prefixes.get(docType);
  if (!prefix) throw new Error(`No numbering defined for ${docType}`);
  const timeZone = (await findSettings(tx))?.timeZone ?? 'Asia/Shanghai';
  const years = ats.map((at) => yearIn(timeZone, at));
  const countByYear = new Map<number, number>();
  for (const y of years) countByYear.set(y, (countByYear.get(y) ?? 0) + 1);
  const nextByYear = new Map<number, number>();
  for (const [year, n] of countByYear) {
    const [row] = await queryRows<{ last_value: string | number }>(
      tx,
      sql`
      insert into number_sequences (doc_type, year, last_value) values (${docType}, ${year}, ${n})
      on conflict (doc_type, year) do update set last_value = number_sequences.last_value + ${n}
      returning last_value`,
    );
    nextByYear.set(year, Number(row?.last_value) - n + 1);
  }
  return years.map((year) => {
    const value = nextByYear.get(year)!;
    nextByYear.set(year, value + 1);
    return formatNumber(prefix, year, value);
  });
}
