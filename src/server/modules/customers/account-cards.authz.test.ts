import { checkAuthzMatrix } from '../../testing/authz.js';
import { monthOf } from './account-cards.js';
import { accountReviews } from './account-cards.schema.js';
import { makeCustomer, userByName } from './activities.fixtures.js';

let n = 0;
const lastMonth = () => monthOf(new Date(Date.now() - 35 * 86_400_000), 'Asia/Shanghai');

checkAuthzMatrix({
  // The cards reuse the customers resource: customers.read to read, customers.update to write,
  // and a team (or company-wide) customers scope over the customer for the manager's comment.
  resource: 'customers (account plan and monthly reviews)',
  // A customer of the given owner with last month's review by that owner.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `策略卡授权客户${++n}`, owner: username, grade: 'A' });
    await db.insert(accountReviews).values({
      customerId: customer.id,
      month: lastMonth(),
      scoreEnthusiasm: 4,
      scoreSales: 3,
      scorePayment: 5,
      scorePriceDiscipline: 4,
      scoreCapability: 3,
      overall: '3.8',
      reviewerId: owner.id,
    });
    return customer.id;
  },
  actions: {
    readPlan: (client, id) => client.get(`/customers/${id}/account-plan`),
    savePlan: (client, id) =>
      client.put(`/customers/${id}/account-plan`, { relationshipGoals: '成为首选供应商' }),
    readReviews: (client, id) => client.get(`/customers/${id}/account-reviews`),
    writeReview: (client, id) =>
      client.post(`/customers/${id}/account-reviews`, {
        month: monthOf(new Date(), 'Asia/Shanghai'),
        scores: { enthusiasm: 4, sales: 4, payment: 4, priceDiscipline: 4, capability: 4 },
      }),
    comment: async (client, id, admin) => {
      const [review] = (await admin.get(`/customers/${id}/account-reviews`)).body.items;
      return client.post(`/customers/${id}/account-reviews/${review.id}/comment`, {
        comment: '回款要再盯紧',
        version: review.version,
      });
    },
  },
  expect: {
    admin: {
      readPlan: ['allow', 'allow', 'allow'],
      savePlan: ['allow', 'allow', 'allow'],
      readReviews: ['allow', 'allow', 'allow'],
      writeReview: ['allow', 'allow', 'allow'],
      comment: ['allow', 'allow', 'allow'],
    },
    director: {
      readPlan: ['allow', 'allow', 'allow'],
      savePlan: ['allow', 'allow', 'allow'],
      readReviews: ['allow', 'allow', 'allow'],
      writeReview: ['allow', 'allow', 'allow'],
      comment: ['allow', 'allow', 'allow'],
    },
    manager01: {
      readPlan: ['allow', 'allow', 'hidden'],
      savePlan: ['allow', 'allow', 'hidden'],
      readReviews: ['allow', 'allow', 'hidden'],
      writeReview: ['allow', 'allow', 'hidden'],
      comment: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      readPlan: ['allow', 'allow', 'hidden'],
      savePlan: ['allow', 'allow', 'hidden'],
      readReviews: ['allow', 'allow', 'hidden'],
      writeReview: ['allow', 'allow', 'hidden'],
      comment: ['allow', 'allow', 'hidden'],
    },
    // A rep writes the cards of their own customers; the comment is a manager's.
    rep01: {
      readPlan: ['allow', 'hidden', 'hidden'],
      savePlan: ['allow', 'hidden', 'hidden'],
      readReviews: ['allow', 'hidden', 'hidden'],
      writeReview: ['allow', 'hidden', 'hidden'],
      comment: ['forbidden', 'hidden', 'hidden'],
    },
    assistant01: {
      readPlan: ['allow', 'allow', 'hidden'],
      savePlan: ['forbidden', 'forbidden', 'forbidden'],
      readReviews: ['allow', 'allow', 'hidden'],
      writeReview: ['forbidden', 'forbidden', 'forbidden'],
      comment: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      readPlan: ['allow', 'allow', 'allow'],
      savePlan: ['forbidden', 'forbidden', 'forbidden'],
      readReviews: ['allow', 'allow', 'allow'],
      writeReview: ['forbidden', 'forbidden', 'forbidden'],
      comment: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      readPlan: ['allow', 'hidden', 'hidden'],
      savePlan: ['allow', 'hidden', 'hidden'],
      readReviews: ['allow', 'hidden', 'hidden'],
      writeReview: ['allow', 'hidden', 'hidden'],
      comment: ['forbidden', 'hidden', 'hidden'],
    },
  },
});
