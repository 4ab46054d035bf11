import { type AnyColumn, and, asc, desc, type SQL, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  sort?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

/**
 * Keyset pagination: the cursor carries the last row's sort value and id, so page N costs the
 * same as page 1 (no OFFSET). `sort` is one of the allowed keys, '-' prefix for descending.
 */
export function keyset(
  req: PageRequest,
  sortable: Record<string, AnyColumn>,
  idColumn: AnyColumn,
  defaultSort: string,
) {
  const raw = req.sort ?? defaultSort;
  const descending = raw.startsWith('-');
  const key = descending ? raw.slice(1) : raw;
  const column = sortable[key];
  if (!column) {
    throw new AppError('validation_failed', {}, [
      { path: 'sort', message: 'oneOf', params: { values: Object.keys(sortable).join(', ') } },
    ]);
  }
  let after: SQL | undefined;
  if (req.cursor) {
    const [value, id] = decodeCursor(req.cursor);
    const cmp = descending ? sql.raw('<') : sql.raw('>');
    after = sql`(${column}, ${idColumn}) ${cmp} (${value}::${sql.raw(column.getSQLType())}, ${id}::uuid)`;
  }
  const order = descending ? [desc(column), desc(idColumn)] : [asc(column), asc(idColumn)];
  return {
    after,
    orderBy: order,
    /** Fetch one row more than asked to know whether another page exists. */
    fetch: req.limit + 1,
    page<T>(rows: T[], total: number, cursorOf: (row: T) => [unknown, string]): Page<T> {
      const items = rows.slice(0, req.limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > req.limit && last ? encodeCursor(cursorOf(last)) : null,
        total,
      };
    },
  };
}

export function encodeCursor([value, id]: [unknown, string]): string {
  const v = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string | number, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed[1])
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
}

export const whereAll = (...conds: (SQL | undefined)[]) => and(...conds.filter((c): c is SQL => !!c));

/** `%q%` for ILIKE with the user's own `%`, `_` and `\` taken literally; undefined when no search. */
export const containsPattern = (q: string | undefined) =>
  q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
