import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  baseline,
  coveragePercent,
  exponentialSmoothing,
  holtWinters,
  monthEnd,
  monthRange,
  remainingTarget,
  seasonalNaive,
  smoothing,
  trailingGrowth,
} from './rules.js';

const fen = fc.bigInt({ min: 0n, max: 10_000_000_000n });
const history = (min: number, max: number) => fc.array(fen, { minLength: min, maxLength: max });
const METHODS = [seasonalNaive, exponentialSmoothing, holtWinters];

describe('the statistical baseline', () => {
  it('repeats last year’s month grown by the trailing year’s growth', () => {
    // Two years: 2025 sold 100 a month except 200 in December; 2026 sold 10 % more each month.
    const y1 = [...Array(11).fill(10_000n), 20_000n];
    const y2 = y1.map((v) => (v * 11n) / 10n);
    expect(trailingGrowth([...y1, ...y2]).toString()).toBe('1.1');
    expect(seasonalNaive([...y1, ...y2], 13)).toEqual([
      ...y2.map((v) => (v * 11n) / 10n),
      (12_100n * 11n) / 10n, // January the year after: built on the forecast, growth compounds
    ]);
    expect(baseline([...y1, ...y2], 2).method).toBe('seasonal_naive');
    expect(smoothing([...y1, ...y2], 2).method).toBe('holt_winters');
  });

  it('keeps the growth within [0.5, 2] and uses 1 with less than two years', () => {
    const small = Array(12).fill(1n);
    const big = Array(12).fill(100n);
    expect(trailingGrowth([...small, ...big]).toString()).toBe('2');
    expect(trailingGrowth([...big, ...small]).toString()).toBe('0.5');
    expect(trailingGrowth(big).toString()).toBe('1');
  });

  it('ignores the months before the first sale and falls back to smoothing with less than a year', () => {
    const b = baseline([0n, 0n, 0n, 1_000n, 2_000n, 3_000n], 2);
    expect(b.method).toBe('exponential_smoothing');
    // level: 1000 → 0.3·2000 + 0.7·1000 = 1300 → 0.3·3000 + 0.7·1300 = 1810
    expect(b.values).toEqual([1_810n, 1_810n]);
    expect(baseline([0n, 0n], 3)).toEqual({ method: 'none', values: null });
    expect(smoothing(Array(30).fill(0n), 1)).toEqual({ method: 'none', values: null });
  });

  it('is never negative and always a whole number of fen', () => {
    fc.assert(
      fc.property(history(24, 48), fc.integer({ min: 1, max: 24 }), (h, horizon) => {
        for (const f of METHODS) {
          const out = f(h, horizon)!;
          expect(out).toHaveLength(horizon);
          for (const v of out) expect(v >= 0n).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(history(0, 40), fc.integer({ min: 1, max: 18 }), (h, horizon) => {
        expect(baseline(h, horizon)).toEqual(baseline([...h], horizon));
        expect(smoothing(h, horizon)).toEqual(smoothing([...h], horizon));
      }),
      { numRuns: 60 },
    );
  });

  it('forecasts a constant history as the same constant', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 24 }),
        (c, n, horizon) => {
          const h = Array<bigint>(n).fill(c);
          const flat = Array<bigint>(horizon).fill(c);
          expect(baseline(h, horizon).values).toEqual(flat);
          expect(smoothing(h, horizon).values).toEqual(flat);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('gives a purely seasonal history its own season back', () => {
    fc.assert(
      fc.property(
        fc.array(fen, { minLength: 12, maxLength: 12 }).filter((s) => s.some((v) => v > 0n) && s[0]! > 0n),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 24 }),
        (season, years, horizon) => {
          const h = Array.from({ length: years * 12 }, (_, i) => season[i % 12]!);
          const expected = Array.from({ length: horizon }, (_, i) => season[i % 12]!);
          expect(seasonalNaive(h, horizon)).toEqual(expected);
          if (years >= 2) expect(holtWinters(h, horizon)).toEqual(expected);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('pipeline coverage', () => {
  it('is weighted pipeline over what is left of the target, in whole percent', () => {
    expect(remainingTarget(1_000_000n, 400_000n)).toBe(600_000n);
    expect(coveragePercent(900_000n, 600_000n)).toBe(150);
    expect(coveragePercent(1n, 3n)).toBe(33);
    expect(coveragePercent(1n, 2n)).toBe(50);
  });

  it('is null once the target is reached or when there is none', () => {
    expect(remainingTarget(1_000n, 1_500n)).toBe(0n);
    expect(coveragePercent(500n, 0n)).toBeNull();
    expect(remainingTarget(null, 1n)).toBeNull();
    expect(coveragePercent(500n, null)).toBeNull();
  });
});

describe('months', () => {
  it('walks across years', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(monthRange('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthEnd('2028-02')).toBe('2028-02-29');
  });
});
