import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/** Rows per statement: one JSON parameter each, parsed by the database itself. */
const CHUNK = 5000;

/**
 * Inserts many rows in few statements, for generators (demo data, benches): the rows travel as one
 * JSON document per chunk and the database turns it into rows (`jsonb_populate_recordset`), instead
 * of one bound parameter per value, which costs far more to build and to bind at tens of thousands
 * of rows. Values go through each column's own driver mapping, as a normal insert would; a column a
 * row leaves out takes its default (rows are grouped by the columns they carry), and generated
 * defaults (`$defaultFn`, e.g. the UUID v7 ids) are generated per row, as drizzle's insert does.
 */
export async function bulkInsert<T extends PgTable>(
  tx: Db,
  table: T,
  rows: T['$inferInsert'][],
): Promise<void> {
  const groups = new Map<string, { keys: string[]; rows: Record<string, unknown>[] }>();
  const columns = getTableColumns(table);
  for (const row of rows as Record<string, unknown>[]) {
    const keys = Object.keys(row).filter((k) => k in columns && row[k] !== undefined);
    const signature = keys.join(',');
    const group = groups.get(signature) ?? { keys, rows: [] };
    group.rows.push(row);
    groups.set(signature, group);
  }
  const rowType = sql.identifier(getTableName(table));
  for (const group of groups.values()) {
    const generated = Object.keys(columns).filter((k) => !group.keys.includes(k) && columns[k]!.defaultFn);
    const keys = [...group.keys, ...generated];
    const names = keys.map((k) => columns[k]!.name);
    const list = sql.join(
      names.map((n) => sql.identifier(n)),
      sql`, `,
    );
    for (let start = 0; start < group.rows.length; start += CHUNK) {
      const chunk = group.rows.slice(start, start + CHUNK).map((row) => {
        const out: Record<string, unknown> = {};
        keys.forEach((key, j) => {
          const column = columns[key]!;
          const value = generated.includes(key) ? column.defaultFn!() : row[key];
          // JSON columns take the value itself; the others their driver form (dates as ISO text…).
          out[names[j]!] =
            value === null
              ? null
              : column.dataType === 'json'
                ? value
                : toJson(column.mapToDriverValue(value));
        });
        return out;
      });
      await tx.execute(sql`insert into ${rowType} (${list})
        select ${list} from jsonb_populate_recordset(null::${rowType}, ${JSON.stringify(chunk)}::jsonb)`);
    }
  }
}

function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}
