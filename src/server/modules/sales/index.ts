import { defineResource } from '../../platform/access/catalog.js';

// Sales module (issue 6): pipelines, opportunities, quotes, bids, contracts. Opportunities,
// quotes and contracts are owned records (owner_id + org_unit_id): reps see their own, managers
// their unit's subtree, directors everything. Margins on quotes and contracts need products.cost.

/** Pipelines and their stages, loss reasons and playbooks: the sales process itself. */
export const pipelinesResource = defineResource({
  key: 'pipelines',
  module: 'sales',
  scoped: false,
  actions: ['read', 'manage'],
  defaults: {
    director: { actions: ['read', 'manage'] },
    manager: { actions: ['read'] },
    rep: { actions: ['read'] },
    assistant: { actions: ['read'] },
    finance: { actions: ['read'] },
    marketing: { actions: ['read'] },
    partner: { actions: ['read'] },
  },
});

export const opportunitiesResource = defineResource({
  key: 'opportunities',
  module: 'sales',
  scoped: true,
  actions: ['read', 'create', 'update', 'delete', 'assign'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'delete', 'assign'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update', 'assign'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update'], scope: 'own' },
    assistant: { actions: ['read'], scope: 'team' },
    finance: { actions: ['read'], scope: 'all' },
    marketing: { actions: ['read'], scope: 'all' },
    partner: { actions: ['read', 'create', 'update'], scope: 'own' },
  },
});

/** Contracts: `review` decides contract reviews (finance, legal, director through approvals). */
export const contractsResource = defineResource({
  key: 'contracts',
  module: 'sales',
  scoped: true,
  actions: ['read', 'create', 'update', 'terminate'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'terminate'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update'], scope: 'own' },
    assistant: { actions: ['read', 'create', 'update'], scope: 'team' },
    finance: { actions: ['read'], scope: 'all' },
  },
});

/**
 * Bids (投标): owned like opportunities. `bond` records the bid bond's payment and refund (投标保证金):
 * finance books the money on every bid without editing the bid itself.
 */
export const bidsResource = defineResource({
  key: 'bids',
  module: 'sales',
  scoped: true,
  actions: ['read', 'create', 'update', 'bond'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'bond'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update', 'bond'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update', 'bond'], scope: 'own' },
    assistant: { actions: ['read', 'update', 'bond'], scope: 'team' },
    finance: { actions: ['read', 'bond'], scope: 'all' },
  },
});

/** Quotes (报价单) with revisions; discounts go through approvals. Margins need products.cost. */
export const quotesResource = defineResource({
  key: 'quotes',
  module: 'sales',
  scoped: true,
  actions: ['read', 'create', 'update'],
  defaults: {
    director: { actions: ['read', 'create', 'update'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update'], scope: 'own' },
    assistant: { actions: ['read', 'create', 'update'], scope: 'team' },
    finance: { actions: ['read'], scope: 'all' },
  },
});
