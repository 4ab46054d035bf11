import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, quantity, requiredText, version } from './common.js';

// Price lists (价目表), their rules and tiers, and price resolution ("what price would this
// customer get"). Money in fen, quantities and percentages as decimal strings.

export const priceChannel = z.enum(['direct', 'store', 'online', 'partner']);
export type PriceChannelValue = z.infer<typeof priceChannel>;
export const priceRounding = z.enum(['none', 'yuan', 'eight_nine']);
export type PriceRoundingValue = z.infer<typeof priceRounding>;
export const priceListStatus = z.enum(['active', 'archived']);
const grade = z.enum(['A', 'B', 'C']);

/** 'YYYY-MM-DD', a business date in the company's time zone. */
const businessDate = z.iso.date();
/** A minimum quantity: zero or more, at most three decimals. */
const minQuantity = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, { message: 'format' });
/** A percentage of the list price: more than 0, at most 500 ('95' = 95%, i.e. 5% off). */
const pricePercent = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,3})?$/, { message: 'format' })
  .refine((v) => Number(v) > 0 && Number(v) <= 500, { message: 'invalid' });
const tierCode = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[a-z0-9_-]+$/, { message: 'format' });
const listCode = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'format' });

export const priceList = z.object({
  id,
  code: z.string(),
  name: z.string(),
  currency: z.literal('CNY'),
  priority: z.number().int(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  channel: priceChannel.nullable(),
  regionId: id.nullable(),
  regionName: z.string().nullable(),
  customerGrade: grade.nullable(),
  partnerTier: z.string().nullable(),
  customerId: id.nullable(),
  customerName: z.string().nullable(),
  rounding: priceRounding,
  roundingMaxPercent: z.string(),
  roundingMaxRaise: fen,
  status: priceListStatus,
  /** Live rules (tiers count one each). */
  ruleCount: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type PriceList = z.infer<typeof priceList>;

const listFields = {
  name: requiredText(100),
  priority: z.number().int().min(-1000).max(1000),
  effectiveFrom: businessDate.nullable(),
  effectiveTo: businessDate.nullable(),
  channel: priceChannel.nullable(),
  regionId: id.nullable(),
  customerGrade: grade.nullable(),
  partnerTier: tierCode.nullable(),
  customerId: id.nullable(),
  rounding: priceRounding,
  roundingMaxPercent: z
    .string()
    .trim()
    .regex(/^\d{1,2}(\.\d{1,3})?$/, { message: 'format' }),
  roundingMaxRaise: fen,
};

export const priceListCreate = z
  .object({
    code: listCode,
    ...listFields,
    priority: listFields.priority.default(0),
    effectiveFrom: listFields.effectiveFrom.optional(),
    effectiveTo: listFields.effectiveTo.optional(),
    channel: listFields.channel.optional(),
    regionId: listFields.regionId.optional(),
    customerGrade: listFields.customerGrade.optional(),
    partnerTier: listFields.partnerTier.optional(),
    customerId: listFields.customerId.optional(),
    rounding: listFields.rounding.default('none'),
    roundingMaxPercent: listFields.roundingMaxPercent.default('1'),
    roundingMaxRaise: listFields.roundingMaxRaise.default(10_000),
  })
  .strict();

export const priceListUpdate = z
  .object({
    name: listFields.name.optional(),
    priority: listFields.priority.optional(),
    effectiveFrom: listFields.effectiveFrom.optional(),
    effectiveTo: listFields.effectiveTo.optional(),
    channel: listFields.channel.optional(),
    regionId: listFields.regionId.optional(),
    customerGrade: listFields.customerGrade.optional(),
    partnerTier: listFields.partnerTier.optional(),
    customerId: listFields.customerId.optional(),
    rounding: listFields.rounding.optional(),
    roundingMaxPercent: listFields.roundingMaxPercent.optional(),
    roundingMaxRaise: listFields.roundingMaxRaise.optional(),
    version,
  })
  .strict();

export const priceListArchive = z.object({ version }).strict();

export const priceListListQuery = listQuery
  .extend({
    status: priceListStatus.optional(),
    channel: priceChannel.optional(),
  })
  .strict();

export const priceRule = z.object({
  id,
  priceListId: id,
  productId: id.nullable(),
  productSku: z.string().nullable(),
  productName: z.string().nullable(),
  productListPrice: fen.nullable(),
  categoryId: id.nullable(),
  categoryName: z.string().nullable(),
  minQuantity: z.string(),
  price: fen.nullable(),
  percent: z.string().nullable(),
  floorPrice: fen.nullable(),
  archived: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type PriceRule = z.infer<typeof priceRule>;

export const priceRuleCreate = z
  .object({
    productId: id.optional(),
    categoryId: id.optional(),
    minQuantity: minQuantity.default('0'),
    price: fen.optional(),
    percent: pricePercent.optional(),
    floorPrice: fen.nullable().optional(),
  })
  .strict();

export const priceRuleUpdate = z
  .object({
    minQuantity: minQuantity.optional(),
    price: fen.nullable().optional(),
    percent: pricePercent.nullable().optional(),
    floorPrice: fen.nullable().optional(),
    version,
  })
  .strict();

export const priceRuleParams = z.object({ id, ruleId: id }).strict();

export const priceRuleListQuery = listQuery
  .extend({
    productId: id.optional(),
    includeArchived: z.stringbool().optional(),
  })
  .strict();

export const priceResolveRequest = z
  .object({
    productId: id,
    customerId: id.nullable().optional(),
    channel: priceChannel,
    date: businessDate.optional(),
    quantity,
    /** The customer's partner tier ('gold', 'silver'), until the channels module supplies it. */
    partnerTier: tierCode.nullable().optional(),
  })
  .strict();

const listRef = z.object({ id, code: z.string(), name: z.string() });

/** One step of why a price is what it is; `step` names it, the UI localises it. */
export const priceExplanationStep = z.object({
  step: z.enum([
    'list_skipped',
    'list_matched',
    'list_lost',
    'rule',
    'tier',
    'fixed_price',
    'percent_of_list',
    'catalog_price',
    'floor',
    'rounding',
  ]),
  list: listRef.optional(),
  to: z.union([listRef, fen]).optional(),
  reason: z.string().optional(),
  on: z.string().optional(),
  priority: z.number().int().optional(),
  specificity: z.number().int().optional(),
  ruleId: id.optional(),
  target: z.enum(['product', 'category']).optional(),
  categoryId: id.nullable().optional(),
  minQuantity: z.string().optional(),
  quantity: z.string().optional(),
  tiers: z.number().int().optional(),
  price: fen.optional(),
  percent: z.string().optional(),
  listPrice: fen.optional(),
  floor: fen.nullable().optional(),
  mode: priceRounding.optional(),
  from: fen.optional(),
  applied: z.boolean().optional(),
  bound: fen.optional(),
});
export type PriceExplanationStep = z.infer<typeof priceExplanationStep>;

export const priceResolution = z.object({
  productId: id,
  customerId: id.nullable(),
  channel: priceChannel,
  date: z.string(),
  quantity: z.string(),
  unitPrice: fen,
  listPrice: fen,
  priceList: listRef.nullable(),
  ruleId: id.nullable(),
  tier: z.string().nullable(),
  floor: fen.nullable(),
  rounding: z.object({ mode: priceRounding, from: fen, to: fen, applied: z.boolean() }).nullable(),
  explanation: z.array(priceExplanationStep),
});
export type PriceResolution = z.infer<typeof priceResolution>;

/** A product's price in each live list that prices it (for the product's "prices" tab). */
export const productPrice = z.object({
  priceList: listRef,
  priority: z.number().int(),
  status: priceListStatus,
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  channel: priceChannel.nullable(),
  ruleId: id,
  target: z.enum(['product', 'category']),
  minQuantity: z.string(),
  price: fen,
  percent: z.string().nullable(),
  floorPrice: fen.nullable(),
  rounding: priceRounding,
});
export const productPrices = z.object({ listPrice: fen, items: z.array(productPrice) });
export type ProductPrices = z.infer<typeof productPrices>;
