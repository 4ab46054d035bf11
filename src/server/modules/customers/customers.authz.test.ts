import { eq } from 'drizzle-orm';
import { systemCtx } from '../../platform/context.js';
import { checkAuthzMatrix } from '../../testing/authz.js';
import { users } from '../org/schema.js';
import { createCustomer } from './customers.service.js';

let serial = 0;

checkAuthzMatrix({
  resource: 'customers',
  // A fresh customer per case, owned by the given demo user (in their org unit).
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
    serial += 1;
    const created = await createCustomer(
      db,
      systemCtx(),
      { name: `矩阵测试客户${serial}号`, confirmDuplicate: true },
      { owner: { ownerId: owner!.id } },
    );
    return created.id;
  },
  actions: {
    read: (client, id) => client.get(`/customers/${id}`),
    history: (client, id) => client.get(`/customers/${id}/history`),
    contacts: (client, id) => client.get(`/customers/${id}/contacts`),
    update: (client, id) => client.patch(`/customers/${id}`, { industry: '汽车零售', version: 1 }),
    addContact: (client, id) => client.post(`/customers/${id}/contacts`, { name: '王芳' }),
  },
  // Reps see their own customers, managers their unit's subtree, directors all; out of scope is 404.
  // Assistants read their unit's customers and change none.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      history: ['allow', 'allow', 'allow'],
      contacts: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      addContact: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      history: ['allow', 'allow', 'allow'],
      contacts: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      addContact: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      contacts: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      addContact: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      contacts: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      addContact: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      history: ['allow', 'hidden', 'hidden'],
      contacts: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      addContact: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      history: ['allow', 'allow', 'hidden'],
      contacts: ['allow', 'allow', 'hidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      addContact: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      history: ['allow', 'allow', 'allow'],
      contacts: ['allow', 'allow', 'allow'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      addContact: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['allow', 'hidden', 'hidden'],
      history: ['allow', 'hidden', 'hidden'],
      contacts: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      addContact: ['allow', 'hidden', 'hidden'],
    },
  },
});
