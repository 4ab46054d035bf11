import { systemCtx } from '../../platform/context.js';
import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { createBid } from './bids.service.js';

let n = 0;
const deadline = () => new Date(Date.now() + 20 * 86_400_000).toISOString();

checkAuthzMatrix({
  resource: 'bids',
  // A bid in preparation on a customer of the same owner.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `投标授权客户${++n}`, owner: username });
    return createBid(
      db,
      systemCtx(),
      {
        tenderNumber: `AUTHZ-${n}`,
        projectName: `授权测试项目${n}`,
        customerId: customer.id,
        submissionDeadline: deadline(),
        bidPrice: 50_000_00,
      },
      { owner: { ownerId: owner.id, orgUnitId: owner.orgUnitId } },
    );
  },
  actions: {
    read: (client, id) => client.get(`/bids/${id}`),
    // Another bid for the same customer: a customer one cannot see is an invalid reference (400),
    // which here is the same as not found.
    create: async (client, id, admin) => {
      const { customerId } = (await admin.get(`/bids/${id}`)).body;
      const res = await client.post('/bids', {
        tenderNumber: `AUTHZ-NEW-${++n}`,
        projectName: '二期',
        customerId,
        submissionDeadline: deadline(),
      });
      return res.statusCode === 400 && res.body.code === 'invalid_reference' ? { statusCode: 404 } : res;
    },
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/bids/${id}`)).body;
      return client.patch(`/bids/${id}`, { note: '已购买标书', version });
    },
    submit: async (client, id, admin) => {
      const { version } = (await admin.get(`/bids/${id}`)).body;
      return client.post(`/bids/${id}/submit`, { version });
    },
    bond: async (client, id, admin) => {
      const { version } = (await admin.get(`/bids/${id}`)).body;
      const paidOn = new Date().toISOString().slice(0, 10);
      return client.post(`/bids/${id}/bond`, {
        amount: 10_000_00,
        method: 'guarantee_letter',
        paidOn,
        version,
      });
    },
  },
  // Reps their own bids, team leads (manager02) their team's, region managers (manager01) their
  // region's, the director all; assistants work their team's bids but do not open new ones;
  // finance sees every bid and books bonds, nothing else; marketing and partners have no access.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      submit: ['allow', 'allow', 'allow'],
      bond: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      submit: ['allow', 'allow', 'allow'],
      bond: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      submit: ['allow', 'allow', 'hidden'],
      bond: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      submit: ['allow', 'allow', 'hidden'],
      bond: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      create: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      submit: ['allow', 'hidden', 'hidden'],
      bond: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      update: ['allow', 'allow', 'hidden'],
      submit: ['allow', 'allow', 'hidden'],
      bond: ['allow', 'allow', 'hidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      submit: ['forbidden', 'forbidden', 'forbidden'],
      bond: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      submit: ['forbidden', 'forbidden', 'forbidden'],
      bond: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
