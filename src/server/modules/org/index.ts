import { defineResource } from '../../platform/access/catalog.js';
import './attachables.js';

/** Users are an owned resource: a manager sees the users of their unit subtree. */
export const usersResource = defineResource({
  key: 'users',
  module: 'org',
  scoped: true,
  actions: ['read', 'manage'],
  defaults: {
    director: { actions: ['read'], scope: 'all' },
    manager: { actions: ['read'], scope: 'team' },
    rep: { actions: ['read'], scope: 'team' },
    assistant: { actions: ['read'], scope: 'team' },
    finance: { actions: ['read'], scope: 'all' },
    warehouse: { actions: ['read'], scope: 'team' },
    marketing: { actions: ['read'], scope: 'all' },
  },
});

export const orgResource = defineResource({
  key: 'org',
  module: 'org',
  scoped: false,
  actions: ['read', 'manage'],
  defaults: {
    director: { actions: ['read'] },
    manager: { actions: ['read'] },
    rep: { actions: ['read'] },
    assistant: { actions: ['read'] },
    finance: { actions: ['read'] },
    warehouse: { actions: ['read'] },
    marketing: { actions: ['read'] },
  },
});

export { divisionName, isKnownDivision, listDivisions } from './divisions.js';
export { createCompanyUnit, listOrgUnits } from './org-units.service.js';
export { orgUnits, territoryAssignments, userRoles, users } from './schema.js';
export { createUser, getUser } from './users.service.js';

import './import-export.js';
