import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../db/tx.js';
import { createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { defineNumbering, formatNumber, nextNumber, yearIn } from './numbering.js';

let t: TestApp;
defineNumbering('test-quote', 'TQ');
defineNumbering('test-order', 'TSO');

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app, 'empty');
});
afterAll(() => t.close());

describe('document numbering', () => {
  it('formats numbers as prefix-year-six digits', () => {
    expect(formatNumber('Q', 2026, 123)).toBe('Q-2026-000123');
  });

  it('refuses a prefix another document type already uses, so two kinds never share numbers', () => {
    expect(() => defineNumbering('test-other', 'TQ')).toThrow(/already test-quote's/);
    expect(() => defineNumbering('test-quote', 'TQ')).not.toThrow();
  });

  it('counts the year in the company time zone', () => {
    const newYearsEveUtc = new Date('2026-12-31T17:00:00Z'); // already 1 January in Shanghai
    expect(yearIn('Asia/Shanghai', newYearsEveUtc)).toBe(2027);
    expect(yearIn('UTC', newYearsEveUtc)).toBe(2026);
  });

  it('gives 200 concurrent documents 200 distinct consecutive numbers', async () => {
    const at = new Date('2026-06-01T00:00:00Z');
    const numbers = await Promise.all(
      Array.from({ length: 200 }, () => withTx(t.database.db, (tx) => nextNumber(tx, 'test-quote', at))),
    );
    expect(new Set(numbers).size).toBe(200);
    const sorted = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(sorted).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(numbers).toContain('TQ-2026-000200');
  });

  it('returns the number of a document whose transaction rolled back, leaving no gap', async () => {
    const at = new Date('2026-06-01T00:00:00Z');
    await withTx(t.database.db, async (tx) => {
      expect(await nextNumber(tx, 'test-order', at)).toBe('TSO-2026-000001');
      throw new Error('the order failed its credit check');
    }).catch(() => undefined);
    expect(await withTx(t.database.db, (tx) => nextNumber(tx, 'test-order', at))).toBe('TSO-2026-000001');
  });

  it('starts each year and each document type at 1', async () => {
    const next = await withTx(t.database.db, (tx) =>
      nextNumber(tx, 'test-quote', new Date('2027-03-01T00:00:00Z')),
    );
    expect(next).toBe('TQ-2027-000001');
  });
});
