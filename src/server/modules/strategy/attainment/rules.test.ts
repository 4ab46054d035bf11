import dayjs from 'dayjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attainment, checkThresholds, DEFAULT_THRESHOLDS } from './rules.js';

// The attainment figures a manager reads every morning: exact, and consistent with each other.

describe('attainment rules', () => {
  it('March, ¥310,000 target, ¥100,000 booked by the 10th: 32.3 %, on a ¥310,000 run-rate, ¥10,000 a day still needed', () => {
    const a = attainment({
      target: 31_000_000n,
      actual: 10_000_000n,
      start: '2027-03-01',
      end: '2027-03-31',
      asOf: '2027-03-10',
    });
    expect(a).toMatchObject({
      attainmentPercent: '32.3',
      gap: 21_000_000n,
      totalDays: 31,
      elapsedDays: 10,
      remainingDays: 21,
      expectedToDate: 10_000_000n,
      projection: 31_000_000n,
      requiredDailyRate: 1_000_000n,
      pacePercent: '100.0',
      status: 'green',
    });
  });

  it('turns amber below the pace and red below 85 % of it; not started before the first day; over after the last', () => {
    const base = { target: 3_000n, start: '2027-04-01', end: '2027-04-30', asOf: '2027-04-10' };
    expect(attainment({ ...base, actual: 999n }).status).toBe('amber');
    expect(attainment({ ...base, actual: 850n }).status).toBe('amber');
    expect(attainment({ ...base, actual: 849n }).status).toBe('red');
    expect(
      attainment({ ...base, actual: 849n, thresholds: { greenPercent: 90, amberPercent: 80 } }).status,
    ).toBe('amber');
    const early = attainment({ ...base, actual: 0n, asOf: '2027-03-31' });
    expect(early).toMatchObject({
      status: 'not_started',
      projection: null,
      elapsedDays: 0,
      requiredDailyRate: 100n,
    });
    const over = attainment({ ...base, actual: 3_100n, asOf: '2027-05-02' });
    expect(over).toMatchObject({
      remainingDays: 0,
      requiredDailyRate: null,
      gap: -100n,
      attainmentPercent: '103.3',
    });
  });

  it('holds for any target, actual and day: gap, pace, projection and the required rate agree', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 366 }),
        fc.integer({ min: -30, max: 400 }),
        (target, actual, startOffset, length, asOffset) => {
          const start = dayjs('2026-01-01').add(startOffset, 'day');
          const s = start.format('YYYY-MM-DD');
          const e = start.add(length - 1, 'day').format('YYYY-MM-DD');
          const asOf = start.add(asOffset, 'day').format('YYYY-MM-DD');
          const a = attainment({ target, actual, start: s, end: e, asOf });
          expect(a.gap).toBe(target - actual);
          expect(a.elapsedDays + a.remainingDays).toBe(length);
          expect(a.totalDays).toBe(length);
          expect(a.elapsedDays).toBeGreaterThanOrEqual(0);
          // The pace line runs from 0 on day 0 to the target on the last day.
          expect(a.expectedToDate >= 0n && a.expectedToDate <= target).toBe(true);
          if (a.elapsedDays === length) expect(a.expectedToDate).toBe(target);
          if (a.elapsedDays === 0) expect(a.status).toBe('not_started');
          // Keeping up the required rate for the remaining days reaches the target, within a day's rounding.
          if (a.requiredDailyRate !== null && a.gap > 0n) {
            const reached = actual + a.requiredDailyRate * BigInt(a.remainingDays);
            expect(reached >= target).toBe(true);
            expect(reached - target < BigInt(a.remainingDays)).toBe(true);
          }
          // The run-rate projection is the actual scaled to the whole period, within rounding.
          if (a.projection !== null) {
            const exact = (actual * BigInt(length) * 2n) / BigInt(a.elapsedDays);
            expect(a.projection * 2n - exact <= 2n && exact - a.projection * 2n <= 2n).toBe(true);
          }
          if (target > 0n && a.elapsedDays > 0) {
            expect(['green', 'amber', 'red']).toContain(a.status);
            expect(a.status === 'green').toBe(actual * 100n >= a.expectedToDate * 100n);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts thresholds with amber at most green, both between 1 % and 200 %', () => {
    expect(checkThresholds(DEFAULT_THRESHOLDS)).toBe(true);
    expect(checkThresholds({ greenPercent: 80, amberPercent: 90 })).toBe(false);
    expect(checkThresholds({ greenPercent: 250, amberPercent: 90 })).toBe(false);
    expect(checkThresholds({ greenPercent: 100, amberPercent: 0 })).toBe(false);
  });
});
