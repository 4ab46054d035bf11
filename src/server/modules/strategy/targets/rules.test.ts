import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  allocationGap,
  evenWeights,
  lastYear,
  METRICS,
  metricSplitsBy,
  subPeriods,
  withinYear,
  yearPeriod,
} from './rules.js';

describe('allocating a target', () => {
  it('splits ¥120,000,000 over four regions by last year’s seasonality to the fen', () => {
    const parts = allocate(12_000_000_000n, [31n, 29n, 23n, 17n]);
    expect(parts).toEqual([3_720_000_000n, 3_480_000_000n, 2_760_000_000n, 2_040_000_000n]);
  });

  it('gives the left-over fen to the largest remainders, earlier child first on a tie', () => {
    expect(allocate(100n, [1, 1, 1])).toEqual([34n, 33n, 33n]);
    expect(allocate(10n, [1, 2])).toEqual([3n, 7n]);
  });

  it('splits evenly when last year had nothing to go on', () => {
    expect(allocate(9n, [0, 0, 0])).toEqual([3n, 3n, 3n]);
  });

  it('refuses a negative target or weight', () => {
    expect(() => allocate(-1n, [1])).toThrow(RangeError);
    expect(() => allocate(1n, [1, -1])).toThrow(RangeError);
  });

  const totals = fc.bigInt({ min: 0n, max: 10n ** 15n });
  const weights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 });

  it('children always sum exactly to the parent, none negative', () => {
    fc.assert(
      fc.property(totals, weights, (total, w) => {
        const parts = allocate(total, w);
        expect(parts).toHaveLength(w.length);
        expect(allocationGap(total, parts)).toBe(0n);
        expect(parts.every((p) => p >= 0n)).toBe(true);
      }),
    );
  });

  it('each child is within one unit of its exact proportional share', () => {
    fc.assert(
      fc.property(totals, weights, (total, w) => {
        const parts = allocate(total, w);
        const sum = w.reduce((a, b) => a + b, 0);
        parts.forEach((p, i) => {
          // exact share × sum = total × weight; |p × sum − total × weight| < sum
          const share = sum === 0 ? total : total * BigInt(w[i]!);
          const scaled = sum === 0 ? p * BigInt(w.length) : p * BigInt(sum);
          const diff = scaled - share;
          const bound = BigInt(sum === 0 ? w.length : sum);
          expect(diff < bound && -diff < bound).toBe(true);
        });
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(totals, weights, (total, w) => {
        expect(allocate(total, w)).toEqual(allocate(total, w));
      }),
    );
  });
});

describe('periods of a target year', () => {
  it('has four quarters and twelve months that cover the year', () => {
    const year = yearPeriod(2027);
    const months = subPeriods(year, 'month');
    expect(months.map((m) => m.key)).toEqual([
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
      '2027-05',
      '2027-06',
      '2027-07',
      '2027-08',
      '2027-09',
      '2027-10',
      '2027-11',
      '2027-12',
    ]);
    expect(months[1]).toMatchObject({ start: '2027-02-01', end: '2027-02-28' });
    expect(subPeriods(year, 'quarter').map((q) => [q.key, q.start, q.end])).toEqual([
      ['2027-Q1', '2027-01-01', '2027-03-31'],
      ['2027-Q2', '2027-04-01', '2027-06-30'],
      ['2027-Q3', '2027-07-01', '2027-09-30'],
      ['2027-Q4', '2027-10-01', '2027-12-31'],
    ]);
  });

  it('starts weeks on Monday and cuts them at the edge of the year', () => {
    const weeks = subPeriods(yearPeriod(2027), 'week');
    // 1 January 2027 is a Friday: the first week is Fri–Sun, labelled by its ISO week.
    expect(weeks[0]).toMatchObject({ key: '2026-W53', start: '2027-01-01', end: '2027-01-03' });
    expect(weeks[1]).toMatchObject({ key: '2027-W01', start: '2027-01-04', end: '2027-01-10' });
    expect(weeks.at(-1)).toMatchObject({ start: '2027-12-27', end: '2027-12-31' });
    expect(evenWeights(weeks).reduce((a, b) => a + b, 0)).toBe(365);
  });

  it('splits a month into its days and a week only into days', () => {
    const feb = subPeriods(yearPeriod(2028), 'month')[1]!;
    expect(subPeriods(feb, 'day')).toHaveLength(29);
    const week = subPeriods(feb, 'week')[0]!;
    expect(() => subPeriods(week, 'month')).toThrow(RangeError);
  });

  it('knows whether a period lies inside the plan year', () => {
    expect(withinYear(2027, { start: '2027-03-01', end: '2027-03-31' })).toBe(true);
    expect(withinYear(2027, { start: '2026-12-28', end: '2027-01-03' })).toBe(false);
    expect(lastYear({ kind: 'month', start: '2028-02-01', end: '2028-02-29', key: '2028-02' })).toMatchObject(
      {
        start: '2027-02-01',
        end: '2027-02-28',
        key: '2027-02',
      },
    );
  });
});

describe('which metrics split by product category or customer', () => {
  it('only order-line metrics have categories; every metric but new customers has customers', () => {
    const byCategory = METRICS.filter((m) => metricSplitsBy(m, 'product_category'));
    expect(byCategory).toEqual(['booked_revenue', 'shipped_revenue', 'gross_profit', 'units']);
    const byCustomer = METRICS.filter((m) => metricSplitsBy(m, 'customer'));
    expect(byCustomer).toEqual(METRICS.filter((m) => m !== 'new_customers'));
  });
});
