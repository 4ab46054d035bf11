import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VAT_RATES } from '../../../../contracts/catalog.js';
import {
  canDo,
  computeInvoice,
  creditLine,
  dueDateFor,
  invoiceActions,
  isOverdue,
  missingBuyerFields,
  stateAfterPayment,
  taxOf,
} from './rules.js';

const line = fc.record({
  quantity: fc
    .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 999 }))
    .map(([i, d]) => `${i}.${String(d).padStart(3, '0')}`),
  unitPrice: fc.integer({ min: 0, max: 100_000_000 }),
  taxRate: fc.constantFrom(...VAT_RATES),
});

describe('invoice rules', () => {
  it('Σ line tax = total tax, Σ lines = total, and the rate groups add up to both', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const inv = computeInvoice(lines);
        expect(inv.lines.reduce((s, l) => s + l.taxAmount, 0)).toBe(inv.taxTotal);
        expect(inv.lines.reduce((s, l) => s + l.amount, 0)).toBe(inv.total);
        expect(inv.byRate.reduce((s, g) => s + g.amount, 0)).toBe(inv.total);
        expect(inv.byRate.reduce((s, g) => s + g.taxAmount, 0)).toBe(inv.taxTotal);
        for (const g of inv.byRate) expect(g.amountExclTax).toBe(g.amount - g.taxAmount);
        // One group per distinct rate, highest first.
        expect(new Set(inv.byRate.map((g) => g.taxRate)).size).toBe(inv.byRate.length);
        const rates = inv.byRate.map((g) => Number(g.taxRate));
        expect([...rates].sort((a, b) => b - a)).toEqual(rates);
        for (const l of inv.lines) expect(l.taxAmount).toBeLessThanOrEqual(l.amount);
      }),
    );
  });

  it('computes the tax inside a tax-inclusive amount, rounded half up', () => {
    expect(taxOf(11_300, '0.13')).toBe(1_300);
    expect(taxOf(6_000_000, '0.13')).toBe(690_265);
    expect(taxOf(100_000, '0.06')).toBe(5_660);
    expect(taxOf(12_345, '0')).toBe(0);
  });

  it('moves through the states by payment and refuses what each state forbids', () => {
    const base = { total: 10_000, creditedAmount: 0, paidAmount: 0 };
    expect(invoiceActions({ ...base, state: 'draft' })).toEqual(['update', 'issue', 'void']);
    expect(invoiceActions({ ...base, state: 'issued' })).toEqual(['void', 'credit']);
    expect(canDo({ ...base, state: 'partially_paid', paidAmount: 1 }, 'void')).toBe(false);
    expect(canDo({ ...base, state: 'issued' }, 'update')).toBe(false);
    expect(invoiceActions({ ...base, state: 'void' })).toEqual([]);
    expect(stateAfterPayment({ ...base, paidAmount: 0 })).toBe('issued');
    expect(stateAfterPayment({ ...base, paidAmount: 5_000 })).toBe('partially_paid');
    expect(stateAfterPayment({ ...base, creditedAmount: 2_000, paidAmount: 8_000 })).toBe('paid');
  });

  it('lists what a 专票 lacks', () => {
    const buyer = {
      buyerTitle: '甲公司',
      buyerTaxId: null,
      buyerAddressPhone: ' ',
      buyerBankAccount: '工行 123',
    };
    expect(missingBuyerFields('special', buyer)).toEqual(['buyerTaxId', 'buyerAddressPhone']);
    expect(missingBuyerFields('general', buyer)).toEqual([]);
  });

  it('never credits more than is left on a line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }),
        (qty, price, takes) => {
          const l = {
            quantity: String(qty),
            unitPrice: price,
            amount: qty * price,
            taxRate: '0.13',
            creditedQuantity: '0',
            creditedAmount: 0,
          };
          for (const take of takes) {
            const r = creditLine(l, String(take));
            if (r.ok) {
              l.creditedQuantity = String(Number(l.creditedQuantity) + take);
              l.creditedAmount += r.amount;
            }
            expect(Number(l.creditedQuantity)).toBeLessThanOrEqual(qty);
            expect(l.creditedAmount).toBeLessThanOrEqual(l.amount);
          }
          // Crediting the whole rest leaves exactly nothing.
          const restQty = qty - Number(l.creditedQuantity);
          if (restQty > 0) {
            const r = creditLine(l, String(restQty));
            expect(r.ok && r.amount).toBe(l.amount - l.creditedAmount);
          }
        },
      ),
    );
  });

  it('dates: due = issue + terms; overdue only when open and past due', () => {
    expect(dueDateFor('2026-01-31', 30)).toBe('2026-03-02');
    const inv = {
      state: 'issued' as const,
      total: 100,
      creditedAmount: 0,
      paidAmount: 0,
      dueDate: '2026-03-02',
    };
    expect(isOverdue(inv, '2026-03-03')).toBe(true);
    expect(isOverdue(inv, '2026-03-02')).toBe(false);
    expect(isOverdue({ ...inv, state: 'paid', paidAmount: 100 }, '2026-04-01')).toBe(false);
    expect(isOverdue({ ...inv, state: 'draft' }, '2026-04-01')).toBe(false);
  });
});
