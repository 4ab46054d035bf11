import type { Ctx } from '../../../platform/context.js';

// Who sees what an order is worth. Prices are a sensitive action of sales orders
// (`sales-orders.prices`): every role that reads orders has it out of the box except the
// warehouse, and an administrator can grant or withdraw it per role. Without it, orders, their
// lines, shipments, returns and the order's history are answered without unit prices,
// discounts, amounts or totals: the keys are left out, not zeroed (the contract marks them
// optional), so nothing can be mistaken for a price of 0.

export const PRICES_PERMISSION = 'sales-orders.prices';

/** Whether the caller sees order prices (the system itself does). */
export const seesOrderPrices = (ctx: Ctx): boolean =>
  !ctx.actor || ctx.actor.permissions.has(PRICES_PERMISSION);

/** The money keys of an order head (summary or detail). */
export const ORDER_PRICE_KEYS = ['total', 'tax', 'totalExclTax', 'invoicedAmount'] as const;
/** The money keys of an order line. The tax rate is not a price and stays. */
export const LINE_PRICE_KEYS = [
  'listPrice',
  'discountPercent',
  'unitPrice',
  'floorPrice',
  'amount',
  'tax',
] as const;
/** The money keys of a shipment and of its lines. */
export const SHIPMENT_PRICE_KEYS = ['amount'] as const;
/** The money keys of a return (with its refunds), its lines and the lines one may return. */
export const RETURN_PRICE_KEYS = [
  'amount',
  'uncreditedAmount',
  'refundedAmount',
  'refundDue',
  'unitPrice',
  'creditedAmount',
] as const;
/** What an order's audit entries carry that reveals prices (lines are "product × qty @ price = amount"). */
export const HISTORY_PRICE_KEYS = [...ORDER_PRICE_KEYS, ...LINE_PRICE_KEYS, 'lines'] as const;

type Without<T, K extends PropertyKey> = Omit<T, K & keyof T> & Partial<Pick<T, K & keyof T>>;

/** A copy of `value` without the given keys (the type keeps them, optional). */
export function omitKeys<T extends object, K extends PropertyKey>(
  value: T,
  keys: readonly K[],
): Without<T, K> {
  const copy = { ...value } as Record<PropertyKey, unknown>;
  for (const k of keys) delete copy[k];
  return copy as Without<T, K>;
}

/** An order summary as the viewer may see it. */
export function summaryForViewer<T extends object>(summary: T, sees: boolean) {
  return sees ? summary : omitKeys(summary, ORDER_PRICE_KEYS);
}

/** A shipment as the viewer may see it: without its amount and its lines' amounts. */
export function shipmentForViewer<T extends { lines: object[] }>(shipment: T, sees: boolean) {
  if (sees) return shipment;
  return {
    ...omitKeys(shipment, SHIPMENT_PRICE_KEYS),
    lines: shipment.lines.map((l) => omitKeys(l, SHIPMENT_PRICE_KEYS)),
  };
}

/** An order with lines and shipments as the viewer may see it. */
export function orderForViewer<T extends { lines: object[]; shipments: { lines: object[] }[] }>(
  order: T,
  sees: boolean,
) {
  if (sees) return order;
  return {
    ...omitKeys(order, ORDER_PRICE_KEYS),
    lines: order.lines.map((l) => omitKeys(l, LINE_PRICE_KEYS)),
    shipments: order.shipments.map((s) => shipmentForViewer(s, false)),
  };
}

/** A return (summary, detail or the returnable lines) as the viewer may see it. */
export function returnForViewer<T extends object>(ret: T, sees: boolean) {
  if (sees) return ret;
  const copy = omitKeys(ret, RETURN_PRICE_KEYS) as Record<string, unknown>;
  if (Array.isArray(copy.lines)) copy.lines = copy.lines.map((l: object) => omitKeys(l, RETURN_PRICE_KEYS));
  if (Array.isArray(copy.creditNotes))
    copy.creditNotes = copy.creditNotes.map((c: object) => omitKeys(c, ['total']));
  if (Array.isArray(copy.refunds)) copy.refunds = copy.refunds.map((r: object) => omitKeys(r, ['amount']));
  return copy as Without<T, (typeof RETURN_PRICE_KEYS)[number]>;
}

/**
 * An order's history as the viewer may see it: without price changes; an update whose every
 * change was a price disappears.
 */
export function historyForViewer<E extends { action: string; changes: unknown }>(
  items: E[],
  sees: boolean,
): E[] {
  if (sees) return items;
  return items
    .map((e) => {
      if (!e.changes || typeof e.changes !== 'object') return e;
      return { ...e, changes: stripDeep(e.changes, new Set<string>(HISTORY_PRICE_KEYS)) };
    })
    .filter(
      (e) =>
        e.action !== 'update' ||
        !e.changes ||
        typeof e.changes !== 'object' ||
        Object.keys(e.changes as object).length > 0,
    );
}

/** Audit changes are `{ key: { from, to } }` or `{ before, after }` snapshots: drop price keys at any depth. */
function stripDeep(value: unknown, keys: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => stripDeep(v, keys));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!keys.has(k)) out[k] = stripDeep(v, keys);
  return out;
}
