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
defineResource({ key: 'jobs', module: 'platform', scoped: false, actions: ['read', 'manage'], defaults: {} });
// Attachments: what a role may do with files at all; each record's own permissions and data
// scope still decide which records' files (platform/files/attachables.ts).
defineResource({
  key: 'attachments',
  module: 'platform',
  scoped: false,
  actions: ['read', 'write'],
  defaults: Object.fromEntries(
    (
      ['director', 'manager', 'rep', 'assistant', 'finance', 'warehouse', 'marketing', 'partner'] as const
    ).map((role) => [role, { actions: ['read', 'write'] }]),
  ),
});
defineResource({
  key: 'notifications',
  module: 'platform',
  scoped: false,
  actions: ['manage'],
  defaults: {},
});
// Import history of everyone (each user always sees their own imports).
defineResource({ key: 'imports', module: 'platform', scoped: false, actions: ['read'], defaults: {} });
// Custom fields on record types; every signed-in user reads them to fill in forms.
defineResource({
  key: 'custom-fields',
  module: 'platform',
  scoped: false,
  actions: ['manage'],
  defaults: {},
});
// Saved views: everyone keeps private views of the lists they read; `share` publishes one to
// everyone who reads the list, `manage` removes or edits anyone's shared views.
defineResource({
  key: 'views',
  module: 'platform',
  scoped: false,
  actions: ['share', 'manage'],
  defaults: {
    director: { actions: ['share', 'manage'] },
    manager: { actions: ['share'] },
  },
});
