import { Decimal } from 'decimal.js';

// Money rules of opportunity lines. Amounts are fen (integers); quantities and discounts are
// decimal strings; nothing goes through a float.

/** round_half_up(quantity × unit price × (1 − discount / 100)), in fen. */
export function lineAmount(quantity: string, unitPrice: number, discountPercent?: string | null): number {
  const factor = new Decimal(1).minus(new Decimal(discountPercent ?? 0).div(100));
  return new Decimal(quantity)
    .times(unitPrice)
    .times(factor)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
}

/** The cost of a line (quantity × cost price, half up), or null when the product has no cost price. */
export function lineCost(quantity: string, costPrice: number | null): number | null {
  if (costPrice === null) return null;
  return new Decimal(quantity).times(costPrice).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Margin as a percent of the amount, two decimals ("23.50"); null without an amount or a cost. */
export function marginPercent(amount: number, margin: number | null): string | null {
  if (margin === null || amount === 0) return null;
  return new Decimal(margin).times(100).div(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** Σ of the lines' amounts. */
export const linesTotal = (lines: { amount: number }[]) => lines.reduce((sum, l) => sum + l.amount, 0);
