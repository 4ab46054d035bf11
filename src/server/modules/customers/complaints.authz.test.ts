import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from './activities.fixtures.js';
import { complaints } from './complaints.schema.js';

let n = 0;

checkAuthzMatrix({
  resource: 'complaints',
  // A resolved complaint (so `close` applies) handled by the owner of the customer it is about.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `投诉授权客户${++n}`, owner: username });
    const [c] = await db
      .insert(complaints)
      .values({
        number: `CP-TEST-${String(n).padStart(6, '0')}`,
        customerId: customer.id,
        subject: '交货延迟',
        category: 'delivery',
        severity: 'medium',
        channel: 'phone',
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
        status: 'resolved',
        slaDueAt: new Date(Date.now() + 72 * 3_600_000),
        resolution: '已补发',
        resolvedAt: new Date(),
      })
      .returning();
    return c!.id;
  },
  actions: {
    read: (client, id) => client.get(`/complaints/${id}`),
    // A new complaint on the same customer: a customer one cannot see is an invalid reference (400),
    // which for this table is the same as not found.
    create: async (client, id, admin) => {
      const { customerId } = (await admin.get(`/complaints/${id}`)).body;
      const res = await client.post('/complaints', {
        customerId,
        subject: '服务态度',
        category: 'service',
        severity: 'low',
        channel: 'visit',
      });
      return res.statusCode === 400 && res.body.code === 'invalid_reference' ? { statusCode: 404 } : res;
    },
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/complaints/${id}`)).body;
      return client.patch(`/complaints/${id}`, { description: '客户补充说明', version });
    },
    assign: async (client, id, admin) => {
      const { ownerId, version } = (await admin.get(`/complaints/${id}`)).body;
      return client.post(`/complaints/${id}/assign`, { ownerId, version });
    },
    close: async (client, id, admin) => {
      const { version } = (await admin.get(`/complaints/${id}`)).body;
      return client.post(`/complaints/${id}/close`, { satisfaction: 5, version });
    },
  },
  // Who sees the customer sees its complaints: reps their own, team leads and region managers
  // their subtree, directors, marketing and finance everything. Reps close their own cases; only
  // managers hand one to someone else; reception records them; partners record on their customers.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      assign: ['allow', 'allow', 'allow'],
      close: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      assign: ['allow', 'allow', 'allow'],
      close: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      assign: ['allow', 'allow', 'hidden'],
      close: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      assign: ['allow', 'allow', 'hidden'],
      close: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      create: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
      close: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
      close: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
      close: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['allow', 'hidden', 'hidden'],
      create: ['allow', 'hidden', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      assign: ['forbidden', 'forbidden', 'forbidden'],
      close: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
