import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedReturnActions,
  firstExcess,
  nextReturnState,
  returnableQuantity,
  spreadOverInvoices,
} from './rules.js';

describe('return rules', () => {
  it('moves requested → approved → received → closed; rejected and cancelled are final', () => {
    expect(nextReturnState('requested', 'approve')).toBe('approved');
    expect(nextReturnState('approved', 'receive')).toBe('received');
    expect(nextReturnState('received', 'close')).toBe('closed');
    expect(nextReturnState('requested', 'receive')).toBeNull();
    expect(nextReturnState('received', 'cancel')).toBeNull();
    expect(nextReturnState('rejected', 'approve')).toBeNull();
    expect(allowedReturnActions('approved', { create: true, approve: false, receive: true })).toEqual([
      'receive',
      'cancel',
    ]);
  });

  it('never lets more come back than was shipped', () => {
    expect(returnableQuantity('5', '4').toFixed()).toBe('1');
    expect(returnableQuantity('5', '6').toFixed()).toBe('0');
    const left = new Map([['a', new Decimal(2)]]);
    expect(
      firstExcess(
        [
          { orderLineId: 'a', quantity: '1.5' },
          { orderLineId: 'a', quantity: '0.5' },
        ],
        left,
      ),
    ).toBeNull();
    expect(firstExcess([{ orderLineId: 'a', quantity: '2.001' }], left)?.wanted.toFixed()).toBe('2.001');
    expect(firstExcess([{ orderLineId: 'b', quantity: '1' }], left)?.returnable.toFixed()).toBe('0');
  });

  it('spreads a returned quantity over the invoices oldest first, never above what is creditable', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(
          fc.record({ q: fc.integer({ min: 0, max: 20 }), price: fc.integer({ min: 1, max: 10_000_000 }) }),
          {
            maxLength: 4,
          },
        ),
        (returned, billed) => {
          const lines = billed.map((b, i) => ({
            invoiceId: `i${i}`,
            invoiceLineId: `l${i}`,
            creditableQuantity: String(b.q),
            unitPrice: b.price,
          }));
          const { credits, uninvoiced } = spreadOverInvoices(String(returned), lines);
          const credited = credits.reduce((s, c) => s.plus(c.quantity), new Decimal(0));
          expect(credited.plus(uninvoiced).toNumber()).toBe(returned);
          const totalBilled = billed.reduce((s, b) => s + b.q, 0);
          expect(credited.toNumber()).toBe(Math.min(returned, totalBilled));
          for (const c of credits) {
            const b = billed[Number(c.invoiceId.slice(1))]!;
            expect(Number(c.quantity)).toBeLessThanOrEqual(b.q);
            expect(c.amount).toBe(Number(c.quantity) * b.price);
          }
        },
      ),
    );
  });
});
