import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';

/** A tree of product categories (e.g. 整车 → 轻型商用车). Archived, never deleted. */
export const productCategories = pgTable(
  'product_categories',
  {
    id: idColumn(),
    parentId: uuid('parent_id').references((): AnyPgColumn => productCategories.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    sortOrder: integer('sort_order').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('product_categories_code_idx').on(t.code),
    index('product_categories_parent_idx').on(t.parentId),
  ],
);

export const PRODUCT_GRADES = ['A', 'B', 'C'] as const;
export type ProductGrade = (typeof PRODUCT_GRADES)[number];
export const TRACKING_MODES = ['none', 'batch', 'serial'] as const;
export type TrackingMode = (typeof TRACKING_MODES)[number];
export const PRODUCT_STATUSES = ['active', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/**
 * The catalog: one row per SKU. Money is integer fen; the cost price is a sensitive field
 * (products.cost). The grade (A/B/C by how hard the item sells) drives commissions and release
 * control later; the tracking mode decides whether stock movements need a batch or a serial.
 */
export const products = pgTable(
  'products',
  {
    id: idColumn(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** Pinyin of the name, kept by the service for search. */
    namePinyin: text('name_pinyin').notNull().default(''),
    /** Pinyin initials of the name ("qk" for 轻卡), for the search box. */
    nameInitials: text('name_initials').notNull().default(''),
    specification: text('specification'),
    /** Unit of measure as users write it: 台, 件, 套, 吨, 辆. */
    uom: text('uom').notNull(),
    barcode: text('barcode'),
    brand: text('brand'),
    categoryId: uuid('category_id').references(() => productCategories.id),
    /** File ids (platform files) of the product's pictures, first one is the cover. */
    images: jsonb('images').$type<string[]>().notNull().default([]),
    /** VAT rate as a fraction: 0.13, 0.09, 0.06, 0. */
    taxRate: numeric('tax_rate', { precision: 5, scale: 4 }).notNull().default('0.13'),
    /** Tax-inclusive list price in fen (Chinese prices are quoted with VAT). */
    listPrice: bigint('list_price', { mode: 'number' }).notNull(),
    costPrice: bigint('cost_price', { mode: 'number' }),
    grade: text('grade').$type<ProductGrade>(),
    trackingMode: text('tracking_mode').$type<TrackingMode>().notNull().default('none'),
    status: text('status').$type<ProductStatus>().notNull().default('active'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('products_sku_idx').on(t.sku),
    uniqueIndex('products_barcode_idx').on(t.barcode).where(sql`${t.barcode} is not null`),
    index('products_category_idx').on(t.categoryId, t.sku),
    index('products_created_idx').on(t.createdAt, t.id),
    index('products_pinyin_idx').on(t.namePinyin),
    index('products_initials_idx').on(t.nameInitials),
    check('products_list_price_check', sql`${t.listPrice} >= 0`),
    check('products_cost_price_check', sql`${t.costPrice} >= 0`),
    check('products_tax_rate_check', sql`${t.taxRate} >= 0 and ${t.taxRate} < 1`),
    check('products_grade_check', sql`${t.grade} in ('A', 'B', 'C')`),
    check('products_tracking_check', sql`${t.trackingMode} in ('none', 'batch', 'serial')`),
    check('products_status_check', sql`${t.status} in ('active', 'archived')`),
  ],
);
