import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedOrderActions,
  computeOrder,
  isOverCreditLimit,
  nextOrderState,
  type SalesOrderState,
  shippedAmount,
  splitReservation,
  stateAfterShipping,
} from './rules.js';

const quantityArb = fc
  .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 999 }))
  .map(([i, f]) => new Decimal(i).plus(new Decimal(f).dividedBy(1000)).toFixed());
const lineArb = fc.record({
  quantity: quantityArb,
  listPrice: fc.integer({ min: 0, max: 100_000_000 }),
  discountPercent: fc.integer({ min: 0, max: 10_000 }).map((d) => new Decimal(d).dividedBy(100).toFixed(2)),
  taxRate: fc.constantFrom('0', '0.03', '0.06', '0.09', '0.13'),
});

describe('order money', () => {
  it('amount = round_half_up(qty × price × (1 − discount)); 3 × ¥333.33 at 10% = ¥899.99', () => {
    const money = computeOrder([
      { quantity: '3', listPrice: 33_333, discountPercent: '10', taxRate: '0.13' },
    ]);
    // 3 × 33,333 × 0.9 = 89,999.1 → 89,999 fen
    expect(money.lines[0]!.amount).toBe(89_999);
    expect(money.total).toBe(89_999);
    expect(money.lines[0]!.tax).toBe(89_999 - Math.round(89_999 / 1.13));
  });

  it('the total is exactly the sum of the rounded lines, and tax never exceeds the amount', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 30 }), (lines) => {
        const money = computeOrder(lines);
        expect(money.total).toBe(money.lines.reduce((s, l) => s + l.amount, 0));
        expect(money.tax).toBe(money.lines.reduce((s, l) => s + l.tax, 0));
        expect(money.totalExclTax).toBe(money.total - money.tax);
        for (const [i, l] of money.lines.entries()) {
          const input = lines[i]!;
          const exact = new Decimal(input.quantity)
            .times(input.listPrice)
            .times(new Decimal(1).minus(new Decimal(input.discountPercent).dividedBy(100)));
          expect(l.amount).toBe(exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber());
          expect(l.tax).toBeGreaterThanOrEqual(0);
          expect(l.tax).toBeLessThanOrEqual(l.amount);
        }
      }),
    );
  });

  it('a line copied from a quote keeps the quote amount and tax', () => {
    const money = computeOrder([
      {
        quantity: '10',
        listPrice: 1_000_000,
        taxRate: '0.13',
        fixed: { amount: 7_600_000, tax: 874_336, unitPrice: 800_000, discountPercent: '20.00' },
      },
    ]);
    expect(money).toMatchObject({ total: 7_600_000, tax: 874_336, belowFloor: false });
  });

  it('an entered price below the floor is flagged', () => {
    const money = computeOrder([
      { quantity: '2', listPrice: 1_000_000, unitPrice: 850_000, taxRate: '0.13', floor: 900_000 },
    ]);
    expect(money.belowFloor).toBe(true);
  });
});

describe('shipped amounts', () => {
  it('however a line is split into shipments, the shipped amounts sum to the line amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (units, amount, weights) => {
          // Split `units` into up to weights.length positive whole parts.
          const parts: number[] = [];
          let left = units;
          for (const [i, w] of weights.entries()) {
            if (left === 0) break;
            const part = i === weights.length - 1 ? left : Math.max(1, Math.min(left, w % (left + 1)));
            parts.push(part);
            left -= part;
          }
          if (left > 0) parts.push(left);
          let shippedQuantity = '0';
          let shipped = 0;
          for (const part of parts) {
            const a = shippedAmount(
              { quantity: String(units), amount, shippedQuantity, shippedAmount: shipped },
              String(part),
            );
            expect(a).toBeGreaterThanOrEqual(0);
            shipped += a;
            shippedQuantity = new Decimal(shippedQuantity).plus(part).toFixed();
          }
          expect(shipped).toBe(amount);
        },
      ),
    );
  });
});

describe('reservation split and credit', () => {
  it('reserve + short = wanted; reserve never exceeds what is available nor goes negative', () => {
    fc.assert(
      fc.property(quantityArb, fc.integer({ min: -50, max: 20_000 }).map(String), (wanted, available) => {
        const { reserve, short } = splitReservation(wanted, available);
        expect(new Decimal(reserve).plus(short).equals(wanted)).toBe(true);
        expect(new Decimal(reserve).greaterThanOrEqualTo(0)).toBe(true);
        expect(new Decimal(reserve).lessThanOrEqualTo(Decimal.max(0, available))).toBe(true);
      }),
    );
  });

  it('over the limit only when exposure exceeds it; no limit means no check', () => {
    expect(isOverCreditLimit(11_000_000, 10_000_000)).toBe(true);
    expect(isOverCreditLimit(10_000_000, 10_000_000)).toBe(false);
    expect(isOverCreditLimit(99_999_999_999, null)).toBe(false);
  });
});

describe('order states', () => {
  const states: SalesOrderState[] = [
    'draft',
    'pending_credit',
    'confirmed',
    'partially_shipped',
    'shipped',
    'completed',
    'cancelled',
  ];

  it('follows DOMAIN.md: draft → confirmed → partially_shipped → shipped → completed', () => {
    expect(nextOrderState('draft', 'confirm')).toBe('confirmed');
    expect(nextOrderState('draft', 'hold_credit')).toBe('pending_credit');
    expect(nextOrderState('pending_credit', 'credit_approved')).toBe('confirmed');
    expect(nextOrderState('pending_credit', 'credit_rejected')).toBe('draft');
    expect(nextOrderState('confirmed', 'ship_part')).toBe('partially_shipped');
    expect(nextOrderState('partially_shipped', 'ship_all')).toBe('shipped');
    expect(nextOrderState('shipped', 'complete')).toBe('completed');
  });

  it('cancel only before anything shipped; nothing leaves cancelled or completed', () => {
    for (const s of states) {
      const canCancel = ['draft', 'pending_credit', 'confirmed'].includes(s);
      expect(nextOrderState(s, 'cancel') !== null).toBe(canCancel);
      expect(allowedOrderActions(s).includes('cancel')).toBe(canCancel);
    }
    for (const event of ['edit', 'confirm', 'cancel', 'ship_part', 'ship_all', 'complete'] as const) {
      expect(nextOrderState('cancelled', event)).toBeNull();
      expect(nextOrderState('completed', event)).toBeNull();
    }
  });

  it('shipped when every line is shipped in full', () => {
    expect(
      stateAfterShipping([
        { quantity: '5', shippedQuantity: '5.000' },
        { quantity: '1', shippedQuantity: '1' },
      ]),
    ).toBe('shipped');
    expect(stateAfterShipping([{ quantity: '5', shippedQuantity: '2' }])).toBe('partially_shipped');
  });
});
