import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateProportionally,
  computeQuote,
  defaultApprovalLevel,
  effectiveDiscount,
  type QuoteLineInput,
  quoteActions,
  taxIncluded,
} from './quotes.rules.js';

const line = (over: Partial<QuoteLineInput> = {}): QuoteLineInput => ({
  quantity: '1',
  listPrice: 100_00,
  taxRate: '0.13',
  ...over,
});

describe('quote money', () => {
  it('10 trucks at ¥10,000 with 20% off make ¥80,000.00, of which ¥9,203.54 is 13% VAT', () => {
    const t = computeQuote([line({ quantity: '10', listPrice: 1_000_000, discountPercent: '20' })]);
    expect(t).toMatchObject({
      listTotal: 10_000_000,
      subtotal: 8_000_000,
      discountAmount: 0,
      total: 8_000_000,
      tax: 920_354,
      totalExclTax: 7_079_646,
      effectiveDiscount: '20.00',
    });
  });

  it('a whole-quote discount is shared in proportion, the remainder fen on the largest line', () => {
    const t = computeQuote(
      [line({ listPrice: 333 }), line({ listPrice: 667 }), line({ listPrice: 1 })],
      '10',
    );
    expect(t.subtotal).toBe(1001);
    expect(t.discountAmount).toBe(100);
    expect(t.lines.map((l) => l.allocatedDiscount)).toEqual([33, 67, 0]);
    expect(t.total).toBe(901);
  });

  it('rounds half up: 0.5 × ¥2.01 = 100.5 fen, quoted as ¥1.01', () => {
    expect(computeQuote([line({ quantity: '0.5', listPrice: 201 })]).total).toBe(101);
  });

  it("a user's unit price gives the line discount", () => {
    const t = computeQuote([line({ quantity: '3', listPrice: 1_000_000, unitPrice: 990_000 })]);
    expect(t.lines[0]).toMatchObject({ unitPrice: 990_000, discountPercent: '1.00', amount: 2_970_000 });
  });

  it('a net unit price under the floor marks the line, after the whole-quote discount too', () => {
    const at = (whole: string) =>
      computeQuote([line({ quantity: '2', listPrice: 5_000_000, floor: 4_500_000 })], whole).belowFloor;
    expect(at('10')).toBe(false);
    expect(at('10.01')).toBe(true);
  });

  it('tax contained in a tax-inclusive amount', () => {
    expect(taxIncluded(11_300, '0.13')).toBe(1_300);
    expect(taxIncluded(100, '0')).toBe(0);
  });

  it('the default policy: ≤5% none, ≤15% manager, more or below floor the director', () => {
    expect(defaultApprovalLevel('5.00', false)).toBe('none');
    expect(defaultApprovalLevel('5.01', false)).toBe('manager');
    expect(defaultApprovalLevel('15.00', false)).toBe('manager');
    expect(defaultApprovalLevel('15.01', false)).toBe('director');
    expect(defaultApprovalLevel('0', true)).toBe('director');
    expect(effectiveDiscount(8_000_000, 10_000_000)).toBe('20.00');
    expect(effectiveDiscount(0, 0)).toBe('0.00');
  });

  it('an expired approved quote can only be revised; a converted one nothing', () => {
    expect(quoteActions('approved', true, false)).toEqual(['revise']);
    expect(quoteActions('accepted', false, true)).toEqual([]);
    expect(quoteActions('accepted', false, false)).toEqual(['contract']);
  });
});

const lineArb = fc.record({
  quantity: fc.integer({ min: 1, max: 100_000 }).map((n) => (n / 1000).toFixed(3)),
  listPrice: fc.integer({ min: 0, max: 100_000_000 }),
  discountPercent: fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 100).toFixed(2)),
  taxRate: fc.constantFrom('0.13', '0.09', '0.06', '0'),
});
const wholeArb = fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 100).toFixed(2));

// Generous timeouts: the machine is shared and decimal.js is not fast.
describe('quote money properties', { timeout: 60_000 }, () => {
  it('net lines always sum exactly to the total, and the discount and tax are never negative', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), wholeArb, (lines, whole) => {
        const t = computeQuote(lines, whole);
        expect(t.lines.reduce((s, l) => s + l.netAmount, 0)).toBe(t.total);
        expect(t.lines.reduce((s, l) => s + l.allocatedDiscount, 0)).toBe(t.discountAmount);
        expect(t.discountAmount).toBeGreaterThanOrEqual(0);
        expect(t.total).toBeLessThanOrEqual(t.subtotal);
        for (const l of t.lines) {
          expect(l.allocatedDiscount).toBeGreaterThanOrEqual(0);
          expect(l.netAmount).toBeGreaterThanOrEqual(0);
          expect(l.tax).toBeGreaterThanOrEqual(0);
        }
        expect(t.total - t.tax).toBe(t.totalExclTax);
      }),
    );
  });

  it('the totals do not depend on the order of the lines', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 10 }), wholeArb, (lines, whole) => {
        const a = computeQuote(lines, whole);
        const b = computeQuote([...lines].reverse(), whole);
        expect([b.subtotal, b.discountAmount, b.total, b.listTotal]).toEqual([
          a.subtotal,
          a.discountAmount,
          a.total,
          a.listTotal,
        ]);
      }),
    );
  });

  it('a proportional allocation sums exactly and never gives a share above its weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        (weights) => {
          const sum = weights.reduce((s, w) => s + w, 0);
          const amount = Math.floor(sum / 3);
          const shares = allocateProportionally(amount, weights);
          expect(shares.reduce((s, x) => s + x, 0)).toBe(amount);
          if (sum > 0) {
            for (const [i, x] of shares.entries()) expect(x).toBeLessThanOrEqual(weights[i]!);
          }
        },
      ),
    );
  });
});
