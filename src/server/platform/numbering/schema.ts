import { bigint, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * One counter per document type and year. Incremented with an upsert that holds the row lock
 * until the document's transaction commits, so numbers are never duplicated and a rolled-back
 * document gives its number back (gap-free).
 */
export const numberSequences = pgTable(
  'number_sequences',
  {
    docType: text('doc_type').notNull(),
    year: integer('year').notNull(),
    lastValue: bigint('last_value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.docType, t.year] })],
);
