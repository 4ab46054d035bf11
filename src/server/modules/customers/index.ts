import { defineResource } from '../../platform/access/catalog.js';
import './complaints.access.js';
import './loyalty.access.js';

// Customers module: leads, customers (with their contacts), activities. Owned records: reps see
// their own, managers their unit's subtree, directors everything. `claim` takes a record from
// the public pool; `assign` gives one to someone else.
export const leadsResource = defineResource({
  key: 'leads',
  module: 'customers',
  scoped: true,
  actions: ['read', 'create', 'update', 'delete', 'assign', 'claim', 'convert'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'delete', 'assign', 'claim', 'convert'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update', 'assign', 'claim', 'convert'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update', 'claim', 'convert'], scope: 'own' },
    // Reception staff log walk-ins and inbound calls for their unit.
    assistant: { actions: ['read', 'create'], scope: 'team' },
    marketing: { actions: ['read', 'create', 'update'], scope: 'all' },
    partner: { actions: ['read', 'update', 'convert'], scope: 'own' },
  },
});

export const customersResource = defineResource({
  key: 'customers',
  module: 'customers',
  scoped: true,
  actions: ['read', 'create', 'update', 'delete', 'assign', 'claim', 'merge'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'delete', 'assign', 'claim', 'merge'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update', 'assign', 'claim', 'merge'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update', 'claim'], scope: 'own' },
    assistant: { actions: ['read'], scope: 'team' },
    finance: { actions: ['read'], scope: 'all' },
    marketing: { actions: ['read'], scope: 'all' },
    partner: { actions: ['read', 'create', 'update'], scope: 'own' },
  },
});

export const activitiesResource = defineResource({
  key: 'activities',
  module: 'customers',
  scoped: true,
  actions: ['read', 'create', 'update', 'delete'],
  defaults: {
    director: { actions: ['read'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update', 'delete'], scope: 'own' },
    assistant: { actions: ['read', 'create'], scope: 'team' },
    marketing: { actions: ['read'], scope: 'all' },
    partner: { actions: ['read', 'create', 'update'], scope: 'own' },
  },
});

/** Cadence, pool rules and lists of the module: the administrator's (and a director's) to set. */
export const customerSettingsResource = defineResource({
  key: 'customer-settings',
  module: 'customers',
  scoped: false,
  actions: ['manage'],
  defaults: { director: { actions: ['manage'] } },
});

/** For the order-to-cash module: points for a payment (idempotent per payment) and their reversal. */
export { earnLoyaltyPoints, reverseLoyaltyPoints } from './loyalty.service.js';

/**
 * Visit plans (拜访计划): a rep plans their own days; a draft is theirs alone, a submitted plan is
 * seen by their managers (team) and the director (all). Only the owner writes to a plan.
 */
export const visitPlansResource = defineResource({
  key: 'visit-plans',
  module: 'customers',
  scoped: true,
  actions: ['read', 'create', 'update'],
  defaults: {
    director: { actions: ['read'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update'], scope: 'own' },
    assistant: { actions: ['read'], scope: 'team' },
  },
});
