import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** One choice of a select field: the stored value and its label in both languages. */
export interface CustomFieldOption {
  value: string;
  zh: string;
  en: string;
}

/**
 * Fields an administrator adds to a record type (lead, customer, …). Values live in the record's
 * `custom_fields` jsonb under `key`; a field is archived, never deleted, so stored values keep
 * their meaning.
 */
export const customFields = pgTable(
  'custom_fields',
  {
    id: idColumn(),
    entity: text('entity').notNull(),
    key: text('key').notNull(),
    labelZh: text('label_zh').notNull(),
    labelEn: text('label_en').notNull(),
    type: text('type').$type<CustomFieldType>().notNull(),
    options: jsonb('options').$type<CustomFieldOption[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('custom_fields_entity_key_idx').on(t.entity, t.key),
    check(
      'custom_fields_type_check',
      sql`${t.type} in ('text', 'number', 'date', 'select', 'multiselect', 'boolean')`,
    ),
  ],
);
export type CustomFieldRow = typeof customFields.$inferSelect;
