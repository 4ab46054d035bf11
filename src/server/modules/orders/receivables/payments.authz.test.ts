import { dayIn } from '../../../platform/settings/settings.service.js';
import type { Client } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { customerWithInstallments } from './receivables.fixtures.js';

let n = 0;
const key = () => ({ 'idempotency-key': `authz-${++n}-${Date.now()}` });
// The company's today (Shanghai): from 16:00 UTC the UTC date is a day behind.
const today = () => dayIn('Asia/Shanghai', new Date());

/** A payment the administrator posts for the customer, so that others can read or reverse it. */
async function paymentOf(admin: Client, customerId: string): Promise<string> {
  const res = await admin.post(
    '/payments',
    { customerId, amount: 50_000, method: 'bank_transfer', receivedDate: today() },
    key(),
  );
  if (res.statusCode !== 201) throw new Error(`payment not posted: ${res.payload}`);
  return res.body.id;
}

type Row = [Outcome, Outcome, Outcome];
const ALL: Row = ['allow', 'allow', 'allow'];
const OWN: Row = ['allow', 'hidden', 'hidden'];
const TEAM: Row = ['allow', 'allow', 'hidden'];
const NO: Row = ['forbidden', 'forbidden', 'forbidden'];

// The record is a customer owned by the given user with one open installment. `receivables` opens
// its receivables, `payment` reads a payment of it, `post` posts one (an unseen customer is an
// invalid reference → hidden) and `reverse` reverses one.
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
    payment: async (client, id, admin) => client.get(`/payments/${await paymentOf(admin, id)}`),
    post: async (client, id) => {
      const res = await client.post(
        '/payments',
        { customerId: id, amount: 100, method: 'cash', receivedDate: today() },
        key(),
      );
      return res.statusCode === 400 && res.body.code === 'invalid_reference' ? { statusCode: 404 } : res;
    },
    reverse: async (client, id, admin) =>
      client.post(`/payments/${await paymentOf(admin, id)}/reverse`, { reason: '重复登记' }),
  },
  // Finance posts and reverses every customer's payments; the director reads all and may reverse;
  // sales read their scope (a rep their own customers'); the warehouse, marketing and partners
  // see no money at all.
  expect: {
    admin: { receivables: ALL, payment: ALL, post: ALL, reverse: ALL },
    director: { receivables: ALL, payment: ALL, post: NO, reverse: ALL },
    finance01: { receivables: ALL, payment: ALL, post: ALL, reverse: ALL },
    manager01: { receivables: TEAM, payment: TEAM, post: NO, reverse: NO },
    manager02: { receivables: TEAM, payment: TEAM, post: NO, reverse: NO },
    rep01: { receivables: OWN, payment: OWN, post: NO, reverse: NO },
    assistant01: { receivables: TEAM, payment: TEAM, post: NO, reverse: NO },
    warehouse01: { receivables: NO, payment: NO, post: NO, reverse: NO },
    marketing01: { receivables: NO, payment: NO, post: NO, reverse: NO },
    partner01: { receivables: NO, payment: NO, post: NO, reverse: NO },
  },
});
