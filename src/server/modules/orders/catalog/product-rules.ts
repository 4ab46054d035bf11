import { Decimal } from 'decimal.js';
import { pinyin } from 'pinyin-pro';

// Pure rules of the catalog, tested alone (product-rules.test.ts).

/**
 * Gross margin in percent with two decimals: (list − cost) ÷ list. Both prices are
 * tax-inclusive at the product's one VAT rate, so this equals the margin on prices excluding
 * tax (the rate cancels out). Null without a cost or for a free item.
 */
export function marginPercent(listPrice: number, costPrice: number | null): string | null {
  if (costPrice === null || listPrice <= 0) return null;
  return new Decimal(listPrice - costPrice)
    .div(listPrice)
    .mul(100)
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
    .toFixed(2);
}

/** Pinyin of a product name for the search box: full ("qingkaxilie") and initials ("qkxl"). */
export function productPinyin(name: string): { namePinyin: string; nameInitials: string } {
  const text = name.replace(/[\s\p{P}\p{S}]+/gu, '');
  if (!text) return { namePinyin: '', nameInitials: '' };
  const options = { toneType: 'none', type: 'array', nonZh: 'consecutive' } as const;
  return {
    namePinyin: pinyin(text, options).join('').toLowerCase(),
    nameInitials: pinyin(text, { ...options, pattern: 'first' })
      .join('')
      .toLowerCase(),
  };
}

/** SKUs are compared and stored in upper case, so "lt-01" and "LT-01" are one SKU. */
export const normaliseSku = (sku: string) => sku.trim().toUpperCase();

/**
 * Whether a product's tracking mode may change: once stock has moved, the ledger's lots (batch
 * or serial numbers) were written for the old mode, so it stays.
 */
export const mayChangeTracking = (hasMovements: boolean, from: string, to: string) =>
  from === to || !hasMovements;

/** A category may move under another only if that one is not itself or below it. */
export function createsCycle(
  categoryId: string,
  newParentId: string | null,
  parentOf: (id: string) => string | null | undefined,
): boolean {
  for (let at = newParentId, steps = 0; at && steps < 1000; at = parentOf(at) ?? null, steps++) {
    if (at === categoryId) return true;
  }
  return false;
}
