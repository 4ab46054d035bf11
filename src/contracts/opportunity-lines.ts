import { z } from 'zod';
import { fen, id, quantity, version } from './common.js';

// Product lines of an opportunity: the amount is either typed by hand or the sum of its lines.

/** Percent off, 0–100 with at most two decimals, as a string ("5", "12.5"). */
export const discountPercent = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'format' })
  .refine((v) => Number(v) <= 100, { message: 'format' });

export const opportunityLineInput = z
  .object({
    productId: id,
    quantity,
    /** Fen. Leave out to use the resolved price (re-resolved on every save); set to override it. */
    unitPrice: fen.optional(),
    discountPercent: discountPercent.nullable().optional(),
  })
  .strict();

export const opportunityLinesPut = z
  .object({
    /** The whole list; an empty list makes the amount manual again (it keeps its last value). */
    lines: z.array(opportunityLineInput).max(100),
    version,
  })
  .strict();

export const opportunityLine = z.object({
  id,
  position: z.number().int(),
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  quantity: z.string(),
  /** Fen: the product's list price now. */
  listPrice: z.number().int(),
  /** Fen: what price resolution gave when the line was saved. */
  resolvedPrice: z.number().int(),
  unitPrice: z.number().int(),
  priceOverridden: z.boolean(),
  discountPercent: z.string().nullable(),
  amount: z.number().int(),
  /** Only for holders of products.cost: quantity × the product's cost price, and the margin. */
  cost: z.number().int().nullable().optional(),
  margin: z.number().int().nullable().optional(),
});

export const opportunityLines = z
  .object({
    opportunityId: id,
    amount: z.number().int(),
    amountSource: z.enum(['manual', 'lines']),
    version,
    lines: z.array(opportunityLine),
    /** Only for holders of products.cost (null when a product has no cost price). */
    cost: z.number().int().nullable().optional(),
    margin: z.number().int().nullable().optional(),
    /** Margin ÷ amount × 100, two decimals. */
    marginPercent: z.string().nullable().optional(),
  })
  .meta({ id: 'OpportunityLines' });

export const opportunityLinePriceQuery = z
  .object({ productId: id, quantity: quantity.default('1') })
  .strict();
export const opportunityLinePrice = z.object({
  productId: id,
  sku: z.string(),
  productName: z.string(),
  uom: z.string(),
  listPrice: z.number().int(),
  /** Fen: the price this opportunity's customer gets today (channel direct). */
  unitPrice: z.number().int(),
  priceListName: z.string().nullable(),
});

export type OpportunityLineInput = z.input<typeof opportunityLineInput>;
export type OpportunityLine = z.infer<typeof opportunityLine>;
export type OpportunityLines = z.infer<typeof opportunityLines>;
export type OpportunityLinePrice = z.infer<typeof opportunityLinePrice>;
