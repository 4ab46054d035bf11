import { describe, expect, it } from 'vitest';
import { as, createTestApp, setupCompany } from '../../testing/app.js';
import { checkAuthzMatrix } from '../../testing/authz.js';

const userIds = new Map<string, string>();
let phoneNo = 0;

checkAuthzMatrix({
  resource: 'leads',
  // A fresh lead per case, captured by the administrator and assigned to the owner.
  async recordOwnedBy(username, _t, admin) {
    if (!userIds.size) {
      const all = await admin.get('/users?limit=500');
      for (const u of all.body.items) userIds.set(u.username, u.id);
      userIds.set('admin', (await admin.get('/auth/me')).body.user.id);
    }
    const lead = (
      await admin.post('/leads', {
        personName: '矩阵测试',
        mobile: `137${String(10000000 + ++phoneNo).slice(-8)}`,
      })
    ).body;
    const assigned = await admin.post(`/leads/${lead.id}/assign`, {
      ownerId: userIds.get(username),
      version: lead.version,
    });
    if (assigned.statusCode !== 200) throw new Error(`assign to ${username}: ${assigned.payload}`);
    return lead.id;
  },
  actions: {
    read: (client, id) => client.get(`/leads/${id}`),
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/leads/${id}`)).body;
      return client.patch(`/leads/${id}`, { needs: '矩阵', version });
    },
    assign: async (client, id, admin) => {
      const { version, ownerId } = (await admin.get(`/leads/${id}`)).body;
      return client.post(`/leads/${id}/assign`, { ownerId, version });
    },
  },
  // Reps see their own leads, managers their unit's subtree, reception its own unit; out of scope is 404.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      assign: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      assign: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      assign: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      assign: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});

describe('capturing leads', () => {
  it('reception and reps may capture; finance may not see or capture leads', async () => {
    const t = await createTestApp();
    try {
      await setupCompany(t.app);
      for (const username of ['assistant01', 'rep07', 'marketing01']) {
        const res = await (await as(t.app, username)).post('/leads', { email: `${username}@lead.example` });
        expect(res.statusCode, username).toBe(201);
      }
      const finance = await as(t.app, 'finance01');
      expect((await finance.post('/leads', { email: 'f@lead.example' })).statusCode).toBe(403);
      expect((await finance.get('/leads')).statusCode).toBe(403);
    } finally {
      await t.close();
    }
  });
});
