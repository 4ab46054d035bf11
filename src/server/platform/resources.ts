import { defineResource } from './access/catalog.js';

// Platform resources: administration only by default (the admin role holds every permission).
defineResource({
  key: 'roles',
  module: 'platform',
  scoped: false,
  actions: ['read', 'manage'],
  defaults: {},
});
defineResource({ key: 'audit', module: 'platform', scoped: false, actions: ['read'], defaults: {} });
defineResource({ key: 'settings', module: 'platform', scoped: false, actions: ['manage'], defaults: {} });
defineResource({ key: 'api-tokens', module: 'platform', scoped: false, actions: ['manage'], defaults: {} });
