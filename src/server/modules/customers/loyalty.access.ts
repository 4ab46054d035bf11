import { defineResource } from '../../platform/access/catalog.js';

// Loyalty (积分): a points account per customer. Accounts have no owner of their own: whoever sees
// the customer (its customers scope) sees its points, so the resource is not scoped itself.
// Reps redeem points for their customers; managers and directors also adjust by hand.
export const loyaltyResource = defineResource({
  key: 'loyalty',
  module: 'customers',
  scoped: false,
  actions: ['read', 'redeem', 'adjust'],
  defaults: {
    director: { actions: ['read', 'redeem', 'adjust'] },
    manager: { actions: ['read', 'redeem', 'adjust'] },
    rep: { actions: ['read', 'redeem'] },
    assistant: { actions: ['read'] },
    finance: { actions: ['read'] },
    // Loyalty programmes are marketing's to evaluate.
    marketing: { actions: ['read'] },
  },
});
