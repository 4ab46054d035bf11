import { checkAuthzMatrix } from '../../testing/authz.js';

const userIds = new Map<string, string>();

checkAuthzMatrix({
  resource: 'users',
  async recordOwnedBy(username, _t, admin) {
    if (!userIds.size) {
      const all = await admin.get('/users?limit=500');
      for (const u of all.body.items) userIds.set(u.username, u.id);
    }
    return userIds.get(username)!;
  },
  actions: {
    read: (client, id) => client.get(`/users/${id}`),
    history: (client, id) => client.get(`/users/${id}/history`),
    update: async (client, id, admin) => {
      const { version, position } = (await admin.get(`/users/${id}`)).body;
      return client.patch(`/users/${id}`, { position: `${position}`, version });
    },
  },
  // Users are scoped by org unit: a rep or team lead sees their own unit's subtree; out of scope is 404.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      history: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      history: ['allow', 'allow', 'allow'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
    rep01: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
