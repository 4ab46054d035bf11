import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  allowedUnitActions,
  gradeSellThrough,
  hasValidVinCheckDigit,
  isVinFormat,
  nextUnitStatus,
  repriceByPercent,
  stageElapsed,
  unitPricePerSqm,
  vinCheckDigit,
} from './rules.js';

describe('the unit state machine', () => {
  it.each([
    ['available', 'hold', 'held'],
    ['held', 'release', 'available'],
    ['available', 'reserve', 'reserved'],
    ['reserved', 'cancel', 'available'],
    ['reserved', 'sell', 'sold'],
    ['sold', 'reverse_sale', 'available'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextUnitStatus(from, action)).toBe(to);
  });

  it.each([
    ['held', 'reserve'],
    ['held', 'hold'],
    ['reserved', 'hold'],
    ['sold', 'sell'],
    ['sold', 'hold'],
    ['available', 'sell'],
    ['available', 'release'],
    ['available', 'cancel'],
  ] as const)('a %s unit cannot be %s', (from, action) => {
    expect(nextUnitStatus(from, action)).toBeNull();
  });

  it('lists what each state allows', () => {
    expect(allowedUnitActions('available')).toEqual(['hold', 'reserve']);
    expect(allowedUnitActions('held')).toEqual(['release']);
    expect(allowedUnitActions('reserved')).toEqual(['cancel', 'sell']);
    expect(allowedUnitActions('sold')).toEqual(['reverse_sale']);
  });
});

describe('VINs', () => {
  it('are 17 characters without I, O and Q', () => {
    expect(isVinFormat('LSVAU2180N2183294')).toBe(true);
    expect(isVinFormat('LSVAU2180N218329')).toBe(false);
    expect(isVinFormat('LSVAU2180N218329O')).toBe(false);
    expect(isVinFormat('LSVAI2180N2183294')).toBe(false);
    expect(isVinFormat('lsvau2180n2183294')).toBe(false);
  });

  it('carry a check digit in 9th place (weighted sum mod 11, 10 = X)', () => {
    // The textbook example of ISO 3779 / FMVSS 565.
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(hasValidVinCheckDigit('1M8GDM9AXKP042788')).toBe(true);
    expect(hasValidVinCheckDigit('1M8GDM9A1KP042788')).toBe(false);
  });
});

describe('prices', () => {
  it('price per m² is the total over the area, half-up to the fen', () => {
    // ¥2,380,000 for 118.50 m² → ¥20,084.39/m²
    expect(unitPricePerSqm(238_000_000, '118.50')).toBe(2_008_439);
    expect(unitPricePerSqm(100, '3')).toBe(33);
    expect(unitPricePerSqm(100, null)).toBeNull();
  });

  it('a percentage moves a price half-up to the fen', () => {
    expect(repriceByPercent(1_000_000, 3)).toBe(1_030_000);
    expect(repriceByPercent(999, 2.5)).toBe(1024);
    expect(repriceByPercent(1_000_000, -2)).toBe(980_000);
  });
});

describe('sell-through by grade (seed 000: ahead by 30 % → raise or hold; behind by 20 % → review)', () => {
  const stage = { startDate: '2026-03-01', endDate: '2026-03-10' };

  it('the elapsed share counts days inclusively and stops at the ends', () => {
    expect(stageElapsed(stage, '2026-02-28').toNumber()).toBe(0);
    expect(stageElapsed(stage, '2026-03-01').toNumber()).toBe(0.1);
    expect(stageElapsed(stage, '2026-03-05').toNumber()).toBe(0.5);
    expect(stageElapsed(stage, '2026-03-10').toNumber()).toBe(1);
    expect(stageElapsed(stage, '2026-04-01').toNumber()).toBe(1);
  });

  const whole = new Decimal(1);
  it.each([
    // total, taken, target %, elapsed, sell-through %, expected %, suggestion
    {
      total: 100,
      taken: 65,
      target: 50,
      elapsed: whole,
      st: '65.00',
      exp: '50.00',
      s: 'suggest_raise_or_hold',
    },
    { total: 100, taken: 64, target: 50, elapsed: whole, st: '64.00', exp: '50.00', s: 'on_track' },
    { total: 100, taken: 40, target: 50, elapsed: whole, st: '40.00', exp: '50.00', s: 'alert_review' },
    { total: 100, taken: 41, target: 50, elapsed: whole, st: '41.00', exp: '50.00', s: 'on_track' },
    // relative, not percentage points: 13 % against 10 % is 30 % ahead
    {
      total: 100,
      taken: 13,
      target: 10,
      elapsed: whole,
      st: '13.00',
      exp: '10.00',
      s: 'suggest_raise_or_hold',
    },
    // pro-rated: half-way through a 60 % stage, 30 % is expected
    {
      total: 100,
      taken: 39,
      target: 60,
      elapsed: new Decimal(0.5),
      st: '39.00',
      exp: '30.00',
      s: 'suggest_raise_or_hold',
    },
    {
      total: 100,
      taken: 24,
      target: 60,
      elapsed: new Decimal(0.5),
      st: '24.00',
      exp: '30.00',
      s: 'alert_review',
    },
    // nothing expected yet, or no target: on track whatever sold
    { total: 100, taken: 30, target: 60, elapsed: new Decimal(0), st: '30.00', exp: '0.00', s: 'on_track' },
    { total: 100, taken: 0, target: 0, elapsed: whole, st: '0.00', exp: '0.00', s: 'on_track' },
    { total: 0, taken: 0, target: 50, elapsed: whole, st: '0.00', exp: '50.00', s: 'on_track' },
    // a gap under one whole unit does not swing a small grade: 3 units, 1 sold vs 40 % (1.2 units)
    { total: 3, taken: 0, target: 20, elapsed: whole, st: '0.00', exp: '20.00', s: 'on_track' },
    { total: 3, taken: 2, target: 40, elapsed: whole, st: '66.67', exp: '40.00', s: 'on_track' },
    {
      total: 3,
      taken: 3,
      target: 40,
      elapsed: whole,
      st: '100.00',
      exp: '40.00',
      s: 'suggest_raise_or_hold',
    },
  ])(
    '$taken of $total against $target % × $elapsed → $s',
    ({ total, taken, target, elapsed, st, exp, s }) => {
      const r = gradeSellThrough({ total, taken, targetPct: target, elapsed });
      expect(r.sellThroughPct).toBe(st);
      expect(r.expectedPct).toBe(exp);
      expect(r.suggestion).toBe(s);
    },
  );
});
