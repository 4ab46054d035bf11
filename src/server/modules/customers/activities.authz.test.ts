import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from './activities.fixtures.js';
import { activities } from './schema.js';

let n = 0;

checkAuthzMatrix({
  resource: 'activities',
  // A fresh activity (delete consumes it) logged by the owner on their own customer.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `授权测试客户${++n}`, owner: username, grade: 'B' });
    const [a] = await db
      .insert(activities)
      .values({
        type: 'visit',
        subject: '拜访',
        customerId: customer.id,
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
      })
      .returning();
    return a!.id;
  },
  actions: {
    read: (client, id) => client.get(`/activities/${id}`),
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/activities/${id}`)).body;
      return client.patch(`/activities/${id}`, { outcome: '已报价', version });
    },
    delete: (client, id) => client.delete(`/activities/${id}`),
  },
  // Reps keep their own; team leads and region managers read and correct their subtree's;
  // directors read everything; reception staff read their unit's; only the logger deletes.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      delete: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      delete: ['forbidden', 'forbidden', 'forbidden'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      delete: ['forbidden', 'forbidden', 'forbidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      delete: ['forbidden', 'forbidden', 'forbidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      delete: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      delete: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      delete: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      delete: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
