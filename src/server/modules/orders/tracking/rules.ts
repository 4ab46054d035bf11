import type { SalesOrderStateValue } from '../../../../contracts/sales-orders.js';
import { phoneDigits, type TrackingStateValue } from '../../../../contracts/tracking.js';

/**
 * What a customer sees of an order's state. A draft is not an order yet (it is "not found"); a
 * pending credit check is internal and shows as `processing`, like a confirmed order.
 */
export function publicState(state: SalesOrderStateValue): TrackingStateValue | null {
  switch (state) {
    case 'draft':
      return null;
    case 'pending_credit':
    case 'confirmed':
      return 'processing';
    default:
      return state;
  }
}

/** Order numbers are typed by hand: spaces dropped, upper case ("so-2026-000123 " → "SO-2026-000123"). */
export const normaliseOrderNumber = (value: string) => value.replace(/\s+/g, '').toUpperCase();

/**
 * Whether the given phone is one of the numbers on file, compared as digits without the +86
 * prefix. Only whole numbers match: a suffix or a prefix of a number is not enough.
 */
export function phoneMatches(given: string, onFile: readonly (string | null | undefined)[]): boolean {
  const digits = phoneDigits(given);
  if (digits.length < 11) return false;
  return onFile.some((p) => !!p && phoneDigits(p) === digits);
}
