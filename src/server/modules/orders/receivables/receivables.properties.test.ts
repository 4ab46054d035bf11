import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agingBucket, allocateOldestFirst, checkManualAllocation, type OpenItem } from './rules.js';

const day = fc
  .integer({ min: 0, max: 3 * 365 })
  .map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const openItem: fc.Arbitrary<OpenItem> = fc.record({
  kind: fc.constantFrom('invoice' as const, 'installment' as const),
  id: fc.uuid(),
  dueDate: fc.option(day, { nil: null }),
  open: fc.integer({ min: 1, max: 100_000_000 }),
});
const items = fc.uniqueArray(openItem, { selector: (i) => `${i.kind}:${i.id}`, maxLength: 20 });
const amount = fc.integer({ min: 0, max: 500_000_000 });

describe('allocating a payment oldest first', () => {
  it('never pays an item more than it owes nor spends more than the payment', () => {
    fc.assert(
      fc.property(amount, items, (paid, open) => {
        const { allocations } = allocateOldestFirst(paid, open);
        const byKey = new Map(open.map((i) => [`${i.kind}:${i.id}`, i]));
        for (const a of allocations) {
          expect(a.amount).toBeGreaterThan(0);
          expect(a.amount).toBeLessThanOrEqual(byKey.get(`${a.kind}:${a.id}`)?.open ?? 0);
        }
        expect(allocations.reduce((s, a) => s + a.amount, 0)).toBeLessThanOrEqual(paid);
        // What the rule proposes passes the check a hand-made allocation must pass.
        expect(checkManualAllocation(paid, allocations, open)).toBeNull();
      }),
    );
  });

  it('accounts for every fen: applied plus unapplied is the payment', () => {
    fc.assert(
      fc.property(amount, items, (paid, open) => {
        const { allocations, unapplied } = allocateOldestFirst(paid, open);
        expect(unapplied).toBeGreaterThanOrEqual(0);
        expect(allocations.reduce((s, a) => s + a.amount, 0) + unapplied).toBe(paid);
        const totalOpen = open.reduce((s, i) => s + i.open, 0);
        // Cash stays unapplied only when every open item is paid in full.
        expect(unapplied).toBe(Math.max(0, paid - totalOpen));
      }),
    );
  });

  it('pays an item only when every item due earlier is paid in full', () => {
    fc.assert(
      fc.property(amount, items, (paid, open) => {
        const { allocations } = allocateOldestFirst(paid, open);
        const got = new Map(allocations.map((a) => [`${a.kind}:${a.id}`, a.amount]));
        const due = (i: OpenItem) => i.dueDate ?? '9999-12-31';
        for (const later of open) {
          if (!got.has(`${later.kind}:${later.id}`)) continue;
          for (const earlier of open)
            if (due(earlier) < due(later))
              expect(got.get(`${earlier.kind}:${earlier.id}`)).toBe(earlier.open);
        }
      }),
    );
  });
});

describe('aging buckets', () => {
  it('put every open item in exactly one bucket, so the buckets add up to the open amount', () => {
    const ranges = {
      not_due: (d: number) => d <= 0,
      d1_30: (d: number) => d >= 1 && d <= 30,
      d31_60: (d: number) => d >= 31 && d <= 60,
      d61_90: (d: number) => d >= 61 && d <= 90,
      over_90: (d: number) => d > 90,
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ days: fc.integer({ min: -400, max: 2000 }), open: fc.integer({ min: 1, max: 1e9 }) }),
          {
            maxLength: 30,
          },
        ),
        (rows) => {
          const sums: Record<string, number> = {};
          for (const r of rows) {
            const bucket = agingBucket(r.days);
            const matching = Object.entries(ranges).filter(([, inRange]) => inRange(r.days));
            expect(matching.map(([k]) => k)).toEqual([bucket]);
            sums[bucket] = (sums[bucket] ?? 0) + r.open;
          }
          const total = rows.reduce((s, r) => s + r.open, 0);
          expect(Object.values(sums).reduce((s, v) => s + v, 0)).toBe(total);
        },
      ),
    );
  });

  it('never moves an item to a younger bucket as it gets older', () => {
    const order = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'];
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 2000 }), fc.nat(500), (d, more) => {
        expect(order.indexOf(agingBucket(d + more))).toBeGreaterThanOrEqual(order.indexOf(agingBucket(d)));
      }),
    );
  });
});
