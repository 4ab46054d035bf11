import { boolean, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';

export type DataScope = 'own' | 'team' | 'all' | 'partner';

export const roles = pgTable('roles', {
  id: idColumn(),
  key: text('key').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  description: text('description').notNull().default(''),
  permissions: jsonb('permissions').$type<string[]>().notNull().default([]),
  scopes: jsonb('scopes').$type<Record<string, DataScope>>().notNull().default({}),
  builtin: boolean('builtin').notNull().default(false),
  ...rowColumns(),
});
