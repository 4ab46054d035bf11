import { Decimal } from 'decimal.js';
import type { FieldError } from '../../../platform/errors.js';
import type { MovementLine } from './ledger.js';

// Rules of a purchase receipt's lines, free of the database: what a line must carry for its
// product's tracking mode, the serials it may not repeat, its cost, and the movements it posts.

export type TrackingMode = 'none' | 'batch' | 'serial';

export interface ReceiptLineDraft {
  productId: string;
  quantity?: string | undefined;
  unitCost?: number | null | undefined;
  batchNo?: string | null | undefined;
  serialNos?: string[] | undefined;
  producedOn?: string | null | undefined;
  expiresOn?: string | null | undefined;
}

export interface NormalisedLine {
  productId: string;
  quantity: string;
  unitCost: number | null;
  batchNo: string | null;
  serialNos: string[];
  producedOn: string | null;
  expiresOn: string | null;
}

/**
 * Checks the lines against their products' tracking and returns them normalised, or the field
 * errors (paths `lines.<i>.<field>`) — every problem at once. A serial line's quantity is the
 * number of its serials; a serial may appear once in the whole receipt. A draft may still lack
 * its batch or serials (known when the goods arrive); a receipt to post (`complete`) may not.
 */
export function checkReceiptLines(
  lines: ReceiptLineDraft[],
  trackingOf: (productId: string) => TrackingMode,
  opts: { mayEnterCost: boolean; complete: boolean },
): { lines: NormalisedLine[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const seenSerials = new Map<string, string>();
  const out: NormalisedLine[] = [];
  lines.forEach((line, i) => {
    const at = (field: string) => `lines.${i}.${field}`;
    const mode = trackingOf(line.productId);
    const batchNo = line.batchNo?.trim() || null;
    const serialNos = (line.serialNos ?? []).map((s) => s.trim()).filter(Boolean);
    let quantity = line.quantity?.trim();
    if (line.unitCost !== undefined && line.unitCost !== null && !opts.mayEnterCost) {
      errors.push({ path: at('unitCost'), message: 'costNotAllowed' });
    }
    if (mode !== 'batch' && batchNo) errors.push({ path: at('batchNo'), message: 'trackingNotUsed' });
    if (mode !== 'serial' && serialNos.length)
      errors.push({ path: at('serialNos'), message: 'trackingNotUsed' });
    if (opts.complete && mode === 'batch' && !batchNo)
      errors.push({ path: at('batchNo'), message: 'required' });
    if (mode === 'serial') {
      if (opts.complete && !serialNos.length) errors.push({ path: at('serialNos'), message: 'required' });
      serialNos.forEach((serial, j) => {
        const key = `${line.productId}|${serial.toUpperCase()}`;
        if (seenSerials.has(key)) {
          errors.push({ path: `${at('serialNos')}.${j}`, message: 'serialRepeated', params: { serial } });
        }
        seenSerials.set(key, serial);
      });
      if (quantity && serialNos.length && !new Decimal(quantity).equals(serialNos.length)) {
        errors.push({ path: at('quantity'), message: 'serialCount', params: { n: serialNos.length } });
      }
      quantity = String(serialNos.length || quantity || '');
    }
    if (!quantity || !isPositiveQuantity(quantity))
      errors.push({ path: at('quantity'), message: 'quantity' });
    if (line.producedOn && line.expiresOn && line.expiresOn < line.producedOn) {
      errors.push({ path: at('expiresOn'), message: 'expiryBeforeProduction' });
    }
    out.push({
      productId: line.productId,
      quantity: quantity ?? '',
      unitCost: line.unitCost ?? null,
      batchNo: mode === 'batch' ? batchNo : null,
      serialNos: mode === 'serial' ? serialNos : [],
      producedOn: mode === 'batch' ? (line.producedOn ?? null) : null,
      expiresOn: mode === 'batch' ? (line.expiresOn ?? null) : null,
    });
  });
  return { lines: out, errors };
}

function isPositiveQuantity(v: string): boolean {
  if (!/^\d{1,12}(\.\d{1,3})?$/.test(v)) return false;
  return new Decimal(v).greaterThan(0);
}

/** quantity × unit cost in fen, half-up to the fen (ARCHITECTURE: half-up per line). */
export function lineCost(quantity: string, unitCost: number | null): number | null {
  if (unitCost === null) return null;
  return new Decimal(quantity).times(unitCost).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Totals are sums of the rounded lines; the cost is null when no line has one. */
export function receiptTotals(lines: { quantity: string; unitCost: number | null }[]) {
  let quantity = new Decimal(0);
  let cost: number | null = null;
  for (const l of lines) {
    quantity = quantity.plus(l.quantity);
    const c = lineCost(l.quantity, l.unitCost);
    if (c !== null) cost = (cost ?? 0) + c;
  }
  return { quantity: quantity.toString(), cost };
}

/** The movements a receipt posts: one per line, one per serial for serial-tracked lines. */
export function receiptMovements(warehouseId: string, lines: NormalisedLine[]): MovementLine[] {
  return lines.flatMap((l): MovementLine[] =>
    l.serialNos.length
      ? l.serialNos.map((serialNo) => ({
          kind: 'receipt',
          warehouseId,
          productId: l.productId,
          quantity: '1',
          serialNo,
          unitCost: l.unitCost,
        }))
      : [
          {
            kind: 'receipt',
            warehouseId,
            productId: l.productId,
            quantity: l.quantity,
            batchNo: l.batchNo,
            unitCost: l.unitCost,
          },
        ],
  );
}
