import { defineResource } from '../../platform/access/catalog.js';

// Orders module, first part (issue 5): the catalog, price lists, stock and serial units. None of
// these records is owned by a rep, so the resources are unscoped: a permission is all it takes.

/** Products and categories. `cost` guards the cost price and every margin derived from it. */
export const productsResource = defineResource({
  key: 'products',
  module: 'orders',
  scoped: false,
  actions: ['read', 'create', 'update', 'archive', 'cost'],
  sensitive: ['cost'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'archive', 'cost'] },
    manager: { actions: ['read'] },
    rep: { actions: ['read'] },
    assistant: { actions: ['read'] },
    finance: { actions: ['read', 'cost'] },
    warehouse: { actions: ['read', 'create', 'update'] },
    marketing: { actions: ['read'] },
    partner: { actions: ['read'] },
  },
});

/** Price lists and their rules; `read` also lets a user ask "what price would this customer get". */
export const priceListsResource = defineResource({
  key: 'price-lists',
  module: 'orders',
  scoped: false,
  actions: ['read', 'manage'],
  defaults: {
    director: { actions: ['read', 'manage'] },
    manager: { actions: ['read'] },
    rep: { actions: ['read'] },
    assistant: { actions: ['read'] },
    finance: { actions: ['read'] },
    marketing: { actions: ['read'] },
  },
});

/**
 * Stock: `read` levels, movements and reservations; `receive` purchase receipts; `move`
 * transfers, adjustments and reversals; `count` cycle counts; `reserve` by hand (orders reserve
 * through the service); `manage` locations and reorder points.
 */
export const stockResource = defineResource({
  key: 'stock',
  module: 'orders',
  scoped: false,
  actions: ['read', 'receive', 'move', 'count', 'reserve', 'manage'],
  defaults: {
    director: { actions: ['read'] },
    manager: { actions: ['read', 'reserve'] },
    rep: { actions: ['read'] },
    assistant: { actions: ['read', 'reserve'] },
    finance: { actions: ['read'] },
    warehouse: { actions: ['read', 'receive', 'move', 'count', 'reserve', 'manage'] },
  },
});

/**
 * Serial units sold one by one (a car by VIN, an apartment by building/floor/number). `hold`
 * holds and releases units (销控); `manage` creates projects and units and sets their prices.
 */
export const unitsResource = defineResource({
  key: 'units',
  module: 'orders',
  scoped: false,
  actions: ['read', 'hold', 'manage'],
  defaults: {
    director: { actions: ['read', 'hold', 'manage'] },
    manager: { actions: ['read', 'hold'] },
    rep: { actions: ['read'] },
    assistant: { actions: ['read'] },
    finance: { actions: ['read'] },
    marketing: { actions: ['read'] },
  },
});

/**
 * Invoices (发票) and their credit notes (红字发票), owned like the customer (owner and unit).
 * `create` drafts and edits drafts; `issue` issues, enters the fapiao number and issues credit
 * notes; `void` voids an unpaid invoice. Payments are not invoices' business (receivables).
 */
export const invoicesResource = defineResource({
  key: 'invoices',
  module: 'orders',
  scoped: true,
  actions: ['read', 'create', 'issue', 'void'],
  defaults: {
    director: { actions: ['read', 'create', 'issue', 'void'], scope: 'all' },
    manager: { actions: ['read'], scope: 'team' },
    rep: { actions: ['read'], scope: 'own' },
    assistant: { actions: ['read'], scope: 'team' },
    finance: { actions: ['read', 'create', 'issue', 'void'], scope: 'all' },
  },
});

/**
 * Payments (回款), scoped by the customer's owner like the customer's other money records:
 * finance posts and reverses; a director may reverse; sales read their scope.
 */
export const paymentsResource = defineResource({
  key: 'payments',
  module: 'orders',
  scoped: true,
  actions: ['read', 'post', 'reverse'],
  defaults: {
    director: { actions: ['read', 'reverse'], scope: 'all' },
    manager: { actions: ['read'], scope: 'team' },
    rep: { actions: ['read'], scope: 'own' },
    assistant: { actions: ['read'], scope: 'team' },
    finance: { actions: ['read', 'post', 'reverse'], scope: 'all' },
  },
});

/** Receivables (应收): balances, aging, the due report; `collect` records collection notes (催收). */
export const receivablesResource = defineResource({
  key: 'receivables',
  module: 'orders',
  scoped: true,
  actions: ['read', 'collect'],
  defaults: {
    director: { actions: ['read', 'collect'], scope: 'all' },
    manager: { actions: ['read', 'collect'], scope: 'team' },
    rep: { actions: ['read', 'collect'], scope: 'own' },
    // seed 002: the sales assistant (销售内勤) follows repayments and overdue amounts.
    assistant: { actions: ['read', 'collect'], scope: 'team' },
    finance: { actions: ['read', 'collect'], scope: 'all' },
  },
});

/**
 * Sales orders (销售订单) and their shipments, owned like the customer (owner and unit). `confirm`
 * runs the credit check and reserves stock; `ship` creates, posts and delivers shipments (the
 * warehouse ships every order); `cancel` before anything shipped. `prices` (sensitive) shows unit
 * prices, discounts, amounts and totals on orders, shipments and returns: everyone reading orders
 * has it but the warehouse, which ships by quantity (an administrator may grant it).
 */
export const salesOrdersResource = defineResource({
  key: 'sales-orders',
  module: 'orders',
  scoped: true,
  actions: ['read', 'create', 'update', 'confirm', 'cancel', 'ship', 'prices'],
  sensitive: ['prices'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'confirm', 'cancel', 'ship', 'prices'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update', 'confirm', 'cancel', 'ship', 'prices'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update', 'confirm', 'cancel', 'prices'], scope: 'own' },
    assistant: { actions: ['read', 'create', 'update', 'confirm', 'cancel', 'prices'], scope: 'team' },
    finance: { actions: ['read', 'prices'], scope: 'all' },
    warehouse: { actions: ['read', 'ship'], scope: 'all' },
  },
});

/**
 * Returns and exchanges (退换货, RA-…), owned like their sales order. `create` requests (and
 * cancels one's request), `approve` approves, rejects and closes, `receive` books the goods back
 * into stock (the warehouse).
 */
export const returnsResource = defineResource({
  key: 'returns',
  module: 'orders',
  scoped: true,
  // refund: finance pays back returned value no invoice could credit (退款).
  actions: ['read', 'create', 'approve', 'receive', 'refund'],
  defaults: {
    director: { actions: ['read', 'create', 'approve', 'receive', 'refund'], scope: 'all' },
    manager: { actions: ['read', 'create', 'approve'], scope: 'team' },
    rep: { actions: ['read', 'create'], scope: 'own' },
    assistant: { actions: ['read', 'create'], scope: 'team' },
    finance: { actions: ['read', 'refund'], scope: 'all' },
    warehouse: { actions: ['read', 'receive'], scope: 'all' },
  },
});

/** Production / purchase requests (生产/采购需求) raised by order shortages: the warehouse's list. */
export const productionRequestsResource = defineResource({
  key: 'production-requests',
  module: 'orders',
  scoped: false,
  actions: ['read', 'manage'],
  defaults: {
    director: { actions: ['read', 'manage'] },
    manager: { actions: ['read'] },
    assistant: { actions: ['read'] },
    warehouse: { actions: ['read', 'manage'] },
  },
});

// What quotes, orders, shipments and returns (issues 6 and 7) use: stock only changes through
// the ledger, prices only come from resolution, units only change state through the service.
export { checkFloor, resolvePriceFor } from './pricing/pricing.service.js';
export { openReceivables } from './receivables/items.js';
export {
  onReturnReceived,
  type ReturnReceivedEvent,
  returnedForInvoicing,
} from './returns/returns.service.js';
export { creditExposure, defineCreditExposure } from './sales-orders/credit.js';
export { recordOrderInvoiced } from './sales-orders/sales-orders.service.js';
export {
  postMovements,
  releaseReservation,
  reserveStock,
  reverseMovement,
  stockAvailability,
  transferStock,
} from './stock/ledger.js';
export { markUnitSold, releaseUnitReservation, reserveUnit } from './units/units.service.js';
