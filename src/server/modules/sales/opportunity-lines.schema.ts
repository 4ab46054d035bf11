import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, numeric, pgTable, uuid } from 'drizzle-orm/pg-core';
import { idColumn } from '../../db/columns.js';
import { products } from '../orders/catalog/schema.js';
import { opportunities } from './opportunities.schema.js';

/**
 * Product lines of an opportunity (商机产品明细). When an opportunity has lines its amount is their
 * sum (`amount_source = 'lines'`); the lines are replaced as a whole list.
 */
export const opportunityLines = pgTable(
  'opportunity_lines',
  {
    id: idColumn(),
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id),
    position: integer('position').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: numeric('quantity', { precision: 15, scale: 3 }).notNull(),
    /** What price resolution gave when the line was saved (fen). */
    resolvedPrice: bigint('resolved_price', { mode: 'number' }).notNull(),
    /** The price used (fen): the resolved one unless the user typed another. */
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    priceOverridden: boolean('price_overridden').notNull().default(false),
    /** Percent off the unit price, 0–100 with two decimals; null = none. */
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2 }),
    /** round_half_up(quantity × unit price × (1 − discount / 100)), fen. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('opportunity_lines_opportunity_idx').on(t.opportunityId, t.position),
    check('opportunity_lines_quantity_check', sql`${t.quantity} > 0`),
    check('opportunity_lines_price_check', sql`${t.unitPrice} >= 0 and ${t.resolvedPrice} >= 0`),
    check('opportunity_lines_amount_check', sql`${t.amount} >= 0`),
    check(
      'opportunity_lines_discount_check',
      sql`${t.discountPercent} is null or (${t.discountPercent} >= 0 and ${t.discountPercent} <= 100)`,
    ),
  ],
);
