import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { contractInstallments, contracts } from './contracts.schema.js';

let n = 0;

checkAuthzMatrix({
  resource: 'contracts',
  // An active contract (so complete and terminate apply) owned by the user, on their customer.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `合同授权客户${++n}`, owner: username });
    const [c] = await db
      .insert(contracts)
      .values({
        number: `C-TEST-${String(n).padStart(6, '0')}`,
        title: '设备采购合同',
        customerId: customer.id,
        ourParty: '星辰汽车销售有限公司',
        amount: 1_000_000,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        signedDate: '2026-01-05',
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
        state: 'active',
      })
      .returning();
    await db
      .insert(contractInstallments)
      .values({ contractId: c!.id, seq: 1, dueDate: '2026-06-30', amount: 1_000_000 });
    return c!.id;
  },
  actions: {
    read: (client, id) => client.get(`/contracts/${id}`),
    // Completing stands for the owner's updates (edits are draft-only, so they would answer 409).
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/contracts/${id}`)).body;
      return client.post(`/contracts/${id}/complete`, { version });
    },
    terminate: async (client, id, admin) => {
      const { version } = (await admin.get(`/contracts/${id}`)).body;
      return client.post(`/contracts/${id}/terminate`, { reason: '客户破产', version });
    },
    ledger: async (client, id) => {
      const res = await client.get('/contract-ledger?limit=500');
      if (res.statusCode !== 200) return res;
      return { statusCode: res.body.items.some((r: { id: string }) => r.id === id) ? 200 : 404 };
    },
  },
  // Reps their own, managers their team, finance reads everything, directors do everything.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      terminate: ['allow', 'allow', 'allow'],
      ledger: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      terminate: ['allow', 'allow', 'allow'],
      ledger: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      terminate: ['forbidden', 'forbidden', 'forbidden'],
      ledger: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      terminate: ['forbidden', 'forbidden', 'forbidden'],
      ledger: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      terminate: ['forbidden', 'forbidden', 'forbidden'],
      ledger: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      terminate: ['forbidden', 'forbidden', 'forbidden'],
      ledger: ['allow', 'allow', 'hidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      terminate: ['forbidden', 'forbidden', 'forbidden'],
      ledger: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      terminate: ['forbidden', 'forbidden', 'forbidden'],
      ledger: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
