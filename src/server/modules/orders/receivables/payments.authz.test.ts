import { checkAuthzMatrix } from '../../../testing/authz.js';
import { customerWithInstallments } from './receivables.fixtures.js';

let n = 0;
const key = () => ({ 'idempotency-key': `authz-${++n}-${Date.now()}` });

// The record is a customer owned by the given user with one open installment; `read` opens its
// receivables, `post` posts a payment for it (an unseen customer is an invalid reference → hidden).
checkAuthzMatrix({
  resource: 'payments',
  async recordOwnedBy(username, t) {
    const { customer } = await customerWithInstallments(t.database.db, username, [
      { amount: 100_000, dueDaysAgo: 3 },
    ]);
    return customer.id;
  },
  actions: {
    receivables: (client, id) => client.get(`/receivables/customers/${id}`),
    post: async (client, id) => {
      const res = await client.post(
        '/payments',
        { customerId: id, amount: 100, method: 'cash', receivedDate: new Date().toISOString().slice(0, 10) },
        key(),
      );
      return res.statusCode === 400 && res.body.code === 'invalid_reference' ? { statusCode: 404 } : res;
    },
  },
  expect: {
    director: { receivables: ['allow', 'allow', 'allow'], post: ['forbidden', 'forbidden', 'forbidden'] },
    manager01: { receivables: ['allow', 'allow', 'hidden'], post: ['forbidden', 'forbidden', 'forbidden'] },
    rep01: { receivables: ['allow', 'hidden', 'hidden'], post: ['forbidden', 'forbidden', 'forbidden'] },
    assistant01: { receivables: ['allow', 'allow', 'hidden'], post: ['forbidden', 'forbidden', 'forbidden'] },
    marketing01: {
      receivables: ['forbidden', 'forbidden', 'forbidden'],
      post: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
