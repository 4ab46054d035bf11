import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReceiptLines, lineCost, receiptMovements, receiptTotals } from './receipts.rules.js';
import { isLow, reorderAlertAction, suggestedOrderQuantity } from './reorder.rules.js';

const modes = { oil: 'batch', van: 'serial', bolt: 'none' } as const;
const trackingOf = (id: string) => modes[id as keyof typeof modes];

describe('receipt lines', () => {
  it('a serial line counts its serials and posts one movement per serial', () => {
    const { lines, errors } = checkReceiptLines(
      [
        { productId: 'van', serialNos: [' VIN-1 ', 'VIN-2'] },
        { productId: 'oil', quantity: '12.5', batchNo: 'B1' },
      ],
      trackingOf,
      { mayEnterCost: true, complete: true },
    );
    expect(errors).toEqual([]);
    expect(lines[0]).toMatchObject({ quantity: '2', serialNos: ['VIN-1', 'VIN-2'] });
    expect(
      receiptMovements('w', lines).map((m) => [m.productId, m.quantity, m.serialNo ?? m.batchNo]),
    ).toEqual([
      ['van', '1', 'VIN-1'],
      ['van', '1', 'VIN-2'],
      ['oil', '12.5', 'B1'],
    ]);
  });

  it('a draft may wait for its batch and serials; a receipt to post may not', () => {
    const lines = [
      { productId: 'oil', quantity: '3' },
      { productId: 'van', quantity: '2' },
    ];
    expect(checkReceiptLines(lines, trackingOf, { mayEnterCost: false, complete: false }).errors).toEqual([]);
    expect(
      checkReceiptLines(lines, trackingOf, { mayEnterCost: false, complete: true }).errors.map((e) => e.path),
    ).toEqual(['lines.0.batchNo', 'lines.1.serialNos']);
  });

  it('names a serial given twice, a serial count that disagrees, and a cost from someone who may not see costs', () => {
    const { errors } = checkReceiptLines(
      [
        { productId: 'van', quantity: '3', serialNos: ['A', 'B'] },
        { productId: 'van', serialNos: ['a'] },
        { productId: 'bolt', quantity: '1', unitCost: 100 },
      ],
      trackingOf,
      { mayEnterCost: false, complete: true },
    );
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['lines.0.quantity', 'serialCount'],
      ['lines.1.serialNos.0', 'serialRepeated'],
      ['lines.2.unitCost', 'costNotAllowed'],
    ]);
  });

  it('the total cost is the sum of lines rounded half-up', () => {
    expect(lineCost('0.5', 1)).toBe(1);
    expect(lineCost('2', null)).toBeNull();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            q: fc.integer({ min: 1, max: 10_000_000 }),
            c: fc.integer({ min: 0, max: 10_000_000 }),
          }),
        ),
        (rows) => {
          const lines = rows.map((r) => ({ quantity: new Decimal(r.q).div(1000).toString(), unitCost: r.c }));
          const totals = receiptTotals(lines);
          const sum = lines.reduce((s, l) => s + lineCost(l.quantity, l.unitCost)!, 0);
          expect(totals.cost).toBe(lines.length ? sum : null);
        },
      ),
    );
  });
});

describe('reorder rule', () => {
  const at = (onHand: string, reserved: string, point: string | null, notified: Date | null = null) => ({
    onHand,
    reserved,
    reorderPoint: point,
    reorderQuantity: null,
    lowStockNotifiedAt: notified,
  });
  it('is low when available (on hand − reserved) is at or below the point', () => {
    expect(isLow(at('10', '5', '5'))).toBe(true);
    expect(isLow(at('10', '4', '5'))).toBe(false);
    expect(isLow(at('0', '0', null))).toBe(false);
  });
  it('alerts once per dip and re-arms when stock recovers', () => {
    expect(reorderAlertAction(at('3', '0', '5'))).toBe('notify');
    expect(reorderAlertAction(at('3', '0', '5', new Date()))).toBe('none');
    expect(reorderAlertAction(at('6', '0', '5', new Date()))).toBe('rearm');
    expect(reorderAlertAction(at('6', '0', '5'))).toBe('none');
  });
  it('suggests the reorder quantity, else twice the point less what is available, never below one', () => {
    expect(suggestedOrderQuantity({ ...at('3', '0', '5'), reorderQuantity: '24' })).toBe('24');
    expect(suggestedOrderQuantity(at('3', '1', '5'))).toBe('8');
    expect(suggestedOrderQuantity(at('0', '0', '0'))).toBe('1');
  });
});
