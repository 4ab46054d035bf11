import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  formatYuan,
  nextState,
  percentOf,
  planProblems,
  splitEvenly,
} from './contracts.rules.js';

describe('payment plan rules', () => {
  it('any even split sums exactly to the amount, with the remainder fen on the last installment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 60 }),
        (amount, n) => {
          const parts = splitEvenly(amount, n);
          expect(parts).toHaveLength(n);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(amount);
          const first = parts[0]!;
          expect(parts.slice(0, -1).every((p) => p === first)).toBe(true);
          const last = parts.at(-1)!;
          expect(last - first).toBeGreaterThanOrEqual(0);
          expect(last - first).toBeLessThan(n);
        },
      ),
    );
  });

  it('¥100,000 in three is 33,333.33 + 33,333.33 + 33,333.34', () => {
    expect(splitEvenly(10_000_000, 3)).toEqual([3_333_333, 3_333_333, 3_333_334]);
  });

  it('a split plan with increasing dates inside the term has no problems', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), fc.integer({ min: 1, max: 12 }), (amount, n) => {
        const dates = Array.from({ length: n }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-15`);
        const lines = splitEvenly(amount, n).map((a, i) => ({ amount: a, dueDate: dates[i]! }));
        expect(planProblems(amount, '2026-01-01', '2026-12-31', lines)).toEqual([]);
      }),
    );
  });

  it('a plan off by ¥1,000 reports the difference', () => {
    const problems = planProblems(10_000_000, '2026-01-01', '2026-12-31', [
      { dueDate: '2026-02-01', amount: 5_000_000 },
      { dueDate: '2026-03-01', amount: 4_900_000 },
    ]);
    expect(problems).toEqual([{ kind: 'sum', sum: 9_900_000, amount: 10_000_000, difference: 100_000 }]);
  });

  it('due dates must strictly increase, not precede the start, and end within a year after the term', () => {
    const problems = planProblems(300, '2026-01-01', '2026-12-31', [
      { dueDate: '2025-12-31', amount: 100 },
      { dueDate: '2027-12-31', amount: 100 },
      { dueDate: '2028-01-01', amount: 100 },
    ]);
    expect(problems).toEqual([
      { kind: 'beforeStart', index: 0 },
      { kind: 'afterEnd', index: 2, latest: '2027-12-31' },
    ]);
    expect(
      planProblems(200, '2026-01-01', '2026-12-31', [
        { dueDate: '2026-05-01', amount: 100 },
        { dueDate: '2026-05-01', amount: 100 },
      ]),
    ).toEqual([{ kind: 'order', index: 1 }]);
  });

  it('money and percentages are exact', () => {
    expect(formatYuan(9_900_000)).toBe('¥99,000.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(percentOf(0, 0)).toBe('0.0');
    expect(percentOf(1, 3)).toBe('33.3');
    expect(percentOf(2, 3)).toBe('66.7');
    expect(percentOf(60_000_000, 60_000_000)).toBe('100.0');
  });
});

describe('contract states', () => {
  it('a draft is edited and submitted; in review nothing moves but the review; signing activates an approved contract', () => {
    expect(allowedActions('draft')).toEqual(['edit', 'submit', 'terminate']);
    expect(allowedActions('in_review')).toEqual([]);
    expect(nextState('approved', 'sign')).toBe('active');
    expect(nextState('active', 'complete')).toBe('completed');
    expect(nextState('active', 'edit')).toBeUndefined();
    expect(allowedActions('terminated')).toEqual([]);
  });
});
