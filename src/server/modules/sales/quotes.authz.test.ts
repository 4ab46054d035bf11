import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { makeProduct } from '../orders/pricing/pricing.fixtures.js';
import { quoteLines, quoteRevisions, quotes } from './quotes.schema.js';

let n = 0;
let productId: string | undefined;

checkAuthzMatrix({
  resource: 'quotes',
  // A draft quote (so edits apply) owned by the user, on their customer.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    productId ??= (await makeProduct(db, { sku: 'QA-1', name: '授权测试产品', listPrice: 100_000 })).id;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `报价授权客户${++n}`, owner: username });
    const [q] = await db
      .insert(quotes)
      .values({
        number: `Q-TEST-${String(n).padStart(6, '0')}`,
        customerId: customer.id,
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
        validUntil: '2099-12-31',
        total: 100_000,
      })
      .returning();
    const [r] = await db
      .insert(quoteRevisions)
      .values({
        quoteId: q!.id,
        revision: 1,
        validUntil: '2099-12-31',
        listTotal: 100_000,
        subtotal: 100_000,
        total: 100_000,
      })
      .returning();
    await db.insert(quoteLines).values({
      revisionId: r!.id,
      seq: 1,
      productId,
      productName: '授权测试产品',
      sku: 'QA-1',
      uom: '台',
      quantity: '1',
      listPrice: 100_000,
      unitPrice: 100_000,
      amount: 100_000,
      netAmount: 100_000,
      taxRate: '0.13',
      tax: 11_504,
    });
    return q!.id;
  },
  actions: {
    read: (client, id) => client.get(`/quotes/${id}`),
    pdf: (client, id) => client.get(`/quotes/${id}/pdf`),
    update: async (client, id, admin) => {
      const { version } = (await admin.get(`/quotes/${id}`)).body;
      return client.patch(`/quotes/${id}`, { notes: '请尽快确认', version });
    },
    list: async (client, id) => {
      const res = await client.get('/quotes?limit=500');
      if (res.statusCode !== 200) return res;
      return { statusCode: res.body.items.some((r: { id: string }) => r.id === id) ? 200 : 404 };
    },
  },
  // Reps their own, managers and assistants their team, directors everything; marketing and
  // dealers do not quote.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      pdf: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      list: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      pdf: ['allow', 'allow', 'allow'],
      update: ['allow', 'allow', 'allow'],
      list: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      pdf: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      list: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      pdf: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      list: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      pdf: ['allow', 'hidden', 'hidden'],
      update: ['allow', 'hidden', 'hidden'],
      list: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      pdf: ['allow', 'allow', 'hidden'],
      update: ['allow', 'allow', 'hidden'],
      list: ['allow', 'allow', 'hidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      pdf: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      list: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      pdf: ['forbidden', 'forbidden', 'forbidden'],
      update: ['forbidden', 'forbidden', 'forbidden'],
      list: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
