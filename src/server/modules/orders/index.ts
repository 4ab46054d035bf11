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

// What quotes, orders, shipments and returns (issues 6 and 7) use: stock only changes through
// the ledger, prices only come from resolution, units only change state through the service.
export { checkFloor, resolvePriceFor } from './pricing/pricing.service.js';
export {
  postMovements,
  releaseReservation,
  reserveStock,
  reverseMovement,
  stockAvailability,
  transferStock,
} from './stock/ledger.js';
export { markUnitSold, releaseUnitReservation, reserveUnit } from './units/units.service.js';
