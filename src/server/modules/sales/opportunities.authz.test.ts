import { systemCtx } from '../../platform/context.js';
import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { createOpportunity } from './opportunities.service.js';

let n = 0;

checkAuthzMatrix({
  resource: 'opportunities',
  // An opportunity in 拜访 (no exit requirements) on a customer of the same owner.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `商机授权客户${++n}`, owner: username });
    return createOpportunity(
      db,
      systemCtx(),
      { name: `授权测试商机${n}`, customerId: customer.id, amount: 10_000_00 },
      { owner: { ownerId: owner.id, orgUnitId: owner.orgUnitId } },
    );
  },
  actions: {
    read: (client, id) => client.get(`/opportunities/${id}`),
    // Another opportunity for the same customer: a customer one cannot see is an invalid
    // reference (400), which here is the same as not found.
    create: async (client, id, admin) => {
      const { customerId } = (await admin.get(`/opportunities/${id}`)).body;
      const res = await client.post('/opportunities', { name: '追加采购', customerId });
      return res.statusCode === 400 && res.body.code === 'invalid_reference' ? { statusCode: 404 } : res;
    },
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/opportunities/${id}`)).body;
      return client.patch(`/opportunities/${id}`, { nextStep: '约技术交流', version });
    },
    move: async (client, id, admin) => {
      const { version, pipelineId } = (await admin.get(`/opportunities/${id}`)).body;
      const pipeline = (await admin.get(`/pipelines/${pipelineId}`)).body;
      return client.post(`/opportunities/${id}/move`, { stageId: pipeline.stages[1].id, version });
    },
    lose: async (client, id, admin) => {
      const { version } = (await admin.get(`/opportunities/${id}`)).body;
      return client.post(`/opportunities/${id}/lose`, { version, reasonCode: 'price' });
    },
  },
  // Reps work their own opportunities, team leads (manager02) their team's, region managers
  // (manager01) their region's, the director all; a rep of another team gets 404, not 403.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      move: ['allow', 'allow', 'allow'],
      lose: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      create: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      move: ['allow', 'allow', 'allow'],
      lose: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      move: ['allow', 'allow', 'hidden'],
      lose: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      create: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      move: ['allow', 'allow', 'hidden'],
      lose: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      create: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      move: ['allow', 'hidden', 'hidden'],
      lose: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      move: ['forbidden', 'forbidden', 'forbidden'],
      lose: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      create: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      move: ['forbidden', 'forbidden', 'forbidden'],
      lose: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['allow', 'hidden', 'hidden'],
      create: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      move: ['allow', 'hidden', 'hidden'],
      lose: ['allow', 'hidden', 'hidden'],
    },
  },
});
