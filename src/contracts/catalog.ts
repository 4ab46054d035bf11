import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// The product catalog (商品目录): a category tree and products (SKU, price, grade, tracking).

export const productGrade = z.enum(['A', 'B', 'C']);
export type ProductGradeValue = z.infer<typeof productGrade>;
export const trackingMode = z.enum(['none', 'batch', 'serial']);
export type TrackingModeValue = z.infer<typeof trackingMode>;
export const productStatus = z.enum(['active', 'archived']);
export type ProductStatusValue = z.infer<typeof productStatus>;

/** The VAT rates of mainland China a product may carry, as fractions. */
export const VAT_RATES = ['0', '0.01', '0.03', '0.05', '0.06', '0.09', '0.13'] as const;

/** "0.13", "0.130" or "13%" → the canonical fraction ("0.13"), or null when not a VAT rate. */
export function canonicalVatRate(value: string): string | null {
  const v = value.trim();
  const percent = /^(\d{1,2})(?:\.0+)?\s*%$/.exec(v);
  if (percent) {
    const n = Number(percent[1]);
    const fraction = n === 0 ? '0' : `0.${String(n).padStart(2, '0')}`.replace(/0+$/, '');
    return (VAT_RATES as readonly string[]).includes(fraction) ? fraction : null;
  }
  if (!/^\d(?:\.\d{1,4})?$/.test(v)) return null;
  const trimmed = v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
  return (VAT_RATES as readonly string[]).includes(trimmed) ? trimmed : null;
}

/** A VAT rate as a decimal string, one of VAT_RATES (trailing zeros and "13%" accepted). */
export const vatRate = z
  .string()
  .trim()
  .refine((v) => canonicalVatRate(v) !== null, { message: 'vatRate' })
  .transform((v) => canonicalVatRate(v)!);

const categoryCode = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[A-Za-z0-9_.-]+$/, { message: 'format' });

export const productCategory = z.object({
  id,
  parentId: id.nullable(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  sortOrder: z.number().int(),
  /** 0 for a root; the list comes depth-first, so depth draws the tree. */
  depth: z.number().int(),
  archived: z.boolean(),
  /** Active products directly in this category. */
  activeProducts: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type ProductCategory = z.infer<typeof productCategory>;

export const productCategoryList = z.object({ items: z.array(productCategory) });

export const productCategoryListQuery = z.object({ includeArchived: z.stringbool().optional() }).strict();

export const productCategoryCreate = z
  .object({
    parentId: id.nullable().optional(),
    code: categoryCode,
    name: requiredText(100),
    nameEn: shortText(100).optional(),
    sortOrder: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

export const productCategoryUpdate = z
  .object({
    parentId: id.nullable().optional(),
    code: categoryCode.optional(),
    name: requiredText(100).optional(),
    nameEn: shortText(100).nullable().optional(),
    sortOrder: z.number().int().min(0).max(100_000).optional(),
    version,
  })
  .strict();

export const versionBody = z.object({ version }).strict();

export const product = z.object({
  id,
  sku: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  specification: z.string().nullable(),
  uom: z.string(),
  barcode: z.string().nullable(),
  brand: z.string().nullable(),
  categoryId: id.nullable(),
  categoryCode: z.string().nullable(),
  categoryName: z.string().nullable(),
  /** Image attachments in the order chosen; the first is the cover. */
  images: z.array(id),
  /** The cover: the first chosen image, else the first picture uploaded; null without pictures. */
  coverImageId: id.nullable(),
  /** VAT rate as a fraction ("0.13"). */
  taxRate: z.string(),
  /** Tax-inclusive list price in fen. */
  listPrice: fen,
  /** Tax-inclusive cost price in fen: only for holders of products.cost, else absent. */
  costPrice: fen.nullable().optional(),
  /** (list − cost) ÷ list in percent, two decimals ("23.50"); only with products.cost. */
  margin: z.string().nullable().optional(),
  grade: productGrade.nullable(),
  trackingMode,
  /** The product has stock movements: its tracking mode can no longer change. */
  trackingLocked: z.boolean(),
  status: productStatus,
  customFields: z.record(z.string(), z.unknown()),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Product = z.infer<typeof product>;

const sku = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, { message: 'format' });
const barcode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9-]+$/, { message: 'format' });

export const productCreate = z
  .object({
    sku,
    name: requiredText(200),
    nameEn: shortText(200).optional(),
    specification: shortText(500).optional(),
    uom: requiredText(20),
    barcode: barcode.optional(),
    brand: shortText(100).optional(),
    categoryId: id.nullable().optional(),
    images: z.array(id).max(20).optional(),
    taxRate: vatRate.optional(),
    listPrice: fen,
    /** Needs products.cost (403 without it). */
    costPrice: fen.nullable().optional(),
    grade: productGrade.nullable().optional(),
    trackingMode: trackingMode.optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const productUpdate = z
  .object({
    sku: sku.optional(),
    name: requiredText(200).optional(),
    nameEn: shortText(200).nullable().optional(),
    specification: shortText(500).nullable().optional(),
    uom: requiredText(20).optional(),
    barcode: barcode.nullable().optional(),
    brand: shortText(100).nullable().optional(),
    categoryId: id.nullable().optional(),
    images: z.array(id).max(20).optional(),
    taxRate: vatRate.optional(),
    listPrice: fen.optional(),
    costPrice: fen.nullable().optional(),
    grade: productGrade.nullable().optional(),
    trackingMode: trackingMode.optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
    version,
  })
  .strict();

export const productListQuery = listQuery
  .extend({
    /** A category and everything below it. */
    categoryId: id.optional(),
    status: productStatus.optional(),
    grade: productGrade.optional(),
    trackingMode: trackingMode.optional(),
    brand: z.string().trim().max(100).optional(),
  })
  .strict();

export const productBrands = z.object({ items: z.array(z.string()) });
