import { defineResource } from '../../platform/access/catalog.js';

// Complaints (投诉): whoever handles one (its owner) and whoever sees the customer read it. `close`
// records the customer's satisfaction and ends the case; `assign` hands it to another handler.
export const complaintsResource = defineResource({
  key: 'complaints',
  module: 'customers',
  scoped: true,
  actions: ['read', 'create', 'update', 'assign', 'close'],
  defaults: {
    director: { actions: ['read', 'create', 'update', 'assign', 'close'], scope: 'all' },
    manager: { actions: ['read', 'create', 'update', 'assign', 'close'], scope: 'team' },
    rep: { actions: ['read', 'create', 'update', 'close'], scope: 'own' },
    // The service desk takes complaints by phone for its unit.
    assistant: { actions: ['read', 'create'], scope: 'team' },
    // Quality of service and billing disputes: read for analysis.
    marketing: { actions: ['read'], scope: 'all' },
    finance: { actions: ['read'], scope: 'all' },
    partner: { actions: ['read', 'create'], scope: 'own' },
  },
});
