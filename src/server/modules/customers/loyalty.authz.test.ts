import { systemCtx } from '../../platform/context.js';
import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer } from './activities.fixtures.js';
import { earnLoyaltyPoints } from './loyalty.service.js';

let n = 0;

checkAuthzMatrix({
  resource: 'loyalty',
  // A customer of the given owner with 1,000 points from a payment.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const customer = await makeCustomer(db, { name: `积分授权客户${++n}`, owner: username, grade: 'B' });
    await earnLoyaltyPoints(db, systemCtx(), {
      customerId: customer.id,
      amountFen: 10_000_000,
      sourceType: 'payment',
      sourceId: `authz-${n}`,
      reason: '回款',
    });
    return customer.id;
  },
  actions: {
    read: (client, id) => client.get(`/customers/${id}/loyalty`),
    entries: (client, id) => client.get(`/customers/${id}/loyalty/entries`),
    redeem: (client, id) =>
      client.post(`/customers/${id}/loyalty/redeem`, { points: 1, item: '礼品', reason: '兑换' }),
    adjust: (client, id) => client.post(`/customers/${id}/loyalty/adjust`, { points: 1, reason: '补录' }),
  },
  // Points follow the customer's scope. Reps redeem for their own customers; managers and
  // directors also adjust; assistants and marketing only read; partners have no loyalty access.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      entries: ['allow', 'allow', 'allow'],
      redeem: ['allow', 'allow', 'allow'],
      adjust: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      entries: ['allow', 'allow', 'allow'],
      redeem: ['allow', 'allow', 'allow'],
      adjust: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      entries: ['allow', 'allow', 'hidden'],
      redeem: ['allow', 'allow', 'hidden'],
      adjust: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      entries: ['allow', 'allow', 'hidden'],
      redeem: ['allow', 'allow', 'hidden'],
      adjust: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      entries: ['allow', 'hidden', 'hidden'],
      redeem: ['allow', 'hidden', 'hidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      entries: ['allow', 'allow', 'hidden'],
      redeem: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      entries: ['allow', 'allow', 'allow'],
      redeem: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      entries: ['forbidden', 'forbidden', 'forbidden'],
      redeem: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
