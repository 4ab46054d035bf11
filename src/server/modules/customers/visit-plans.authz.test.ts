import { checkAuthzMatrix } from '../../testing/authz.js';
import { userByName } from './activities.fixtures.js';
import { visitPlans } from './visit-plans.schema.js';

let n = 0;

checkAuthzMatrix({
  resource: 'visit-plans',
  // A submitted plan of the owner, each on a day of its own (one plan per person per day).
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const day = new Date(Date.UTC(2030, 0, 1) + ++n * 86_400_000).toISOString().slice(0, 10);
    const [plan] = await db
      .insert(visitPlans)
      .values({
        day,
        status: 'submitted',
        submittedAt: new Date(),
        goalVisits: 3,
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
      })
      .returning();
    return plan!.id;
  },
  actions: {
    read: (client, id) => client.get(`/visit-plans/${id}`),
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/visit-plans/${id}`)).body;
      return client.patch(`/visit-plans/${id}`, { goalDeals: 2, version });
    },
  },
  // Everyone plans their own days; managers read their subtree's submitted plans and the director
  // reads all, but only the owner changes a plan (403 for a manager who can see it).
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'forbidden', 'forbidden'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'forbidden', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'forbidden', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
