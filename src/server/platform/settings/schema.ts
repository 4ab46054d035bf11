import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { rowColumns } from '../../db/columns.js';

/** One row: the company's settings. Created by first-run setup. */
export const companySettings = pgTable(
  'company_settings',
  {
    id: integer('id').primaryKey().default(1),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    currency: text('currency').notNull().default('CNY'),
    /** ISO weekday the week starts on: 1 = Monday. */
    weekStart: integer('week_start').notNull().default(1),
    defaultLocale: text('default_locale').notNull().default('zh-CN'),
    demo: boolean('demo').notNull().default(false),
    /** The company as printed on quotes, contracts, statements and fapiao. */
    address: text('address'),
    phone: text('phone'),
    /** 统一社会信用代码 (the taxpayer id on fapiao). */
    taxId: text('tax_id'),
    bankName: text('bank_name'),
    bankAccount: text('bank_account'),
    /** Permissions the built-in roles have been synchronised with; new ones are granted once. */
    knownPermissions: jsonb('known_permissions').$type<string[]>().notNull().default([]),
    ...rowColumns(),
  },
  (t) => [
    check('company_settings_single_row', sql`${t.id} = 1`),
    check('company_settings_week_start', sql`${t.weekStart} between 1 and 7`),
  ],
);
