import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { customers } from '../../customers/schema.js';
import { orgUnits } from '../../org/schema.js';
import { productCategories, products } from '../catalog/schema.js';
import type { PriceChannel, PriceRounding } from './price-resolution.js';

/**
 * Price lists (价目表): whom they apply to (conditions; null = any), when (business dates,
 * inclusive), how strongly (priority, higher wins) and how prices are rounded. Archived, never
 * deleted.
 */
export const priceLists = pgTable(
  'price_lists',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    currency: text('currency').notNull().default('CNY'),
    priority: integer('priority').notNull().default(0),
    effectiveFrom: date('effective_from', { mode: 'string' }),
    effectiveTo: date('effective_to', { mode: 'string' }),
    channel: text('channel').$type<PriceChannel>(),
    /** An org unit: customers whose unit is it or below it. */
    regionId: uuid('region_id').references(() => orgUnits.id),
    customerGrade: text('customer_grade'),
    partnerTier: text('partner_tier'),
    customerId: uuid('customer_id').references(() => customers.id),
    rounding: text('rounding').$type<PriceRounding>().notNull().default('none'),
    roundingMaxPercent: numeric('rounding_max_percent', { precision: 6, scale: 3 }).notNull().default('1'),
    roundingMaxRaise: bigint('rounding_max_raise', { mode: 'number' }).notNull().default(10000),
    status: text('status').$type<'active' | 'archived'>().notNull().default('active'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('price_lists_code_idx').on(t.code),
    index('price_lists_priority_idx').on(t.priority, t.id),
    index('price_lists_created_idx').on(t.createdAt, t.id),
    check('price_lists_currency_check', sql`${t.currency} = 'CNY'`),
    check(
      'price_lists_dates_check',
      sql`${t.effectiveTo} is null or ${t.effectiveFrom} is null or ${t.effectiveFrom} <= ${t.effectiveTo}`,
    ),
    check('price_lists_channel_check', sql`${t.channel} in ('direct', 'store', 'online', 'partner')`),
    check('price_lists_grade_check', sql`${t.customerGrade} in ('A', 'B', 'C')`),
    check('price_lists_rounding_check', sql`${t.rounding} in ('none', 'yuan', 'eight_nine')`),
    check('price_lists_status_check', sql`${t.status} in ('active', 'archived')`),
    check('price_lists_bound_check', sql`${t.roundingMaxPercent} >= 0 and ${t.roundingMaxRaise} >= 0`),
  ],
);

/**
 * The rules of a list, one row per tier: a product or a whole category (with its subtree), from
 * a minimum quantity on ('0' = base price), a fixed price in fen or a percentage of the list
 * price, and an optional floor in fen below which selling needs approval.
 */
export const priceListRules = pgTable(
  'price_list_rules',
  {
    id: idColumn(),
    priceListId: uuid('price_list_id')
      .notNull()
      .references(() => priceLists.id),
    productId: uuid('product_id').references(() => products.id),
    categoryId: uuid('category_id').references(() => productCategories.id),
    minQuantity: numeric('min_quantity', { precision: 15, scale: 3 }).notNull().default('0'),
    price: bigint('price', { mode: 'number' }),
    percent: numeric('percent', { precision: 7, scale: 3 }),
    floorPrice: bigint('floor_price', { mode: 'number' }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('price_list_rules_product_idx')
      .on(t.priceListId, t.productId, t.minQuantity)
      .where(sql`${t.archivedAt} is null and ${t.productId} is not null`),
    uniqueIndex('price_list_rules_category_idx')
      .on(t.priceListId, t.categoryId, t.minQuantity)
      .where(sql`${t.archivedAt} is null and ${t.categoryId} is not null`),
    index('price_list_rules_list_idx').on(t.priceListId, t.createdAt, t.id),
    index('price_list_rules_product_lookup_idx').on(t.productId).where(sql`${t.archivedAt} is null`),
    index('price_list_rules_category_lookup_idx').on(t.categoryId).where(sql`${t.archivedAt} is null`),
    check('price_list_rules_target_check', sql`(${t.productId} is null) <> (${t.categoryId} is null)`),
    check('price_list_rules_basis_check', sql`(${t.price} is null) <> (${t.percent} is null)`),
    check('price_list_rules_price_check', sql`${t.price} >= 0`),
    check('price_list_rules_percent_check', sql`${t.percent} > 0 and ${t.percent} <= 500`),
    check('price_list_rules_floor_check', sql`${t.floorPrice} >= 0`),
    check('price_list_rules_min_quantity_check', sql`${t.minQuantity} >= 0`),
  ],
);
