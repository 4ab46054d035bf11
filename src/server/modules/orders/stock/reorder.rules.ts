import { Decimal } from 'decimal.js';

// Low stock (补货提醒), free of the database. A level is low when what can still be promised —
// available = on hand − reserved — is at or below its reorder point. The alert goes out once per
// dip: it is stamped when sent and the stamp is cleared when available rises above the point.

export interface LevelForReorder {
  onHand: string;
  reserved: string;
  reorderPoint: string | null;
  reorderQuantity: string | null;
  lowStockNotifiedAt: Date | null;
}

export const availableOf = (l: Pick<LevelForReorder, 'onHand' | 'reserved'>) =>
  new Decimal(l.onHand).minus(l.reserved);

export function isLow(l: Pick<LevelForReorder, 'onHand' | 'reserved' | 'reorderPoint'>): boolean {
  if (l.reorderPoint === null) return false;
  return availableOf(l).lessThanOrEqualTo(l.reorderPoint);
}

/**
 * What to order: the level's reorder quantity when set, else enough to get back to twice the
 * point (2 × point − available), at least 1.
 */
export function suggestedOrderQuantity(
  l: Pick<LevelForReorder, 'onHand' | 'reserved' | 'reorderPoint' | 'reorderQuantity'>,
): string {
  if (l.reorderQuantity !== null) return new Decimal(l.reorderQuantity).toString();
  const point = new Decimal(l.reorderPoint ?? 0);
  return Decimal.max(1, point.times(2).minus(availableOf(l))).toString();
}

/** What the alert job does with a level: notify (and stamp), re-arm (clear the stamp), or nothing. */
export function reorderAlertAction(l: LevelForReorder): 'notify' | 'rearm' | 'none' {
  const low = isLow(l);
  if (low && !l.lowStockNotifiedAt) return 'notify';
  if (!low && l.lowStockNotifiedAt) return 'rearm';
  return 'none';
}
