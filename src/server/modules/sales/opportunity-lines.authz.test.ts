import { systemCtx } from '../../platform/context.js';
import { checkAuthzMatrix } from '../../testing/authz.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { makeProduct } from '../orders/pricing/pricing.fixtures.js';
import { createOpportunity } from './opportunities.service.js';

let n = 0;
let productId: string | undefined;

// Product lines and the line price follow the opportunity: read with opportunities.read, replace
// with opportunities.update, both within the actor's data scope (out of scope = 404).
checkAuthzMatrix({
  resource: 'opportunities (product lines)',
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    productId ??= (await makeProduct(db, { sku: 'AUTHZ-LINE', name: '授权测试产品', listPrice: 10_000 })).id;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `明细授权客户${++n}`, owner: username });
    return createOpportunity(
      db,
      systemCtx(),
      { name: `明细授权商机${n}`, customerId: customer.id },
      { owner: { ownerId: owner.id, orgUnitId: owner.orgUnitId } },
    );
  },
  actions: {
    read: (client, id) => client.get(`/opportunities/${id}/lines`),
    price: (client, id) => client.get(`/opportunities/${id}/lines/price?productId=${productId}&quantity=2`),
    replace: async (client, id, admin) => {
      const { version } = (await admin.get(`/opportunities/${id}`)).body;
      return client.put(`/opportunities/${id}/lines`, { version, lines: [{ productId, quantity: '2' }] });
    },
  },
  expect: {
    director: {
      read: ['allow', 'allow', 'allow'],
      price: ['allow', 'allow', 'allow'],
      replace: ['allow', 'allow', 'allow'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      price: ['allow', 'allow', 'hidden'],
      replace: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      price: ['allow', 'hidden', 'hidden'],
      replace: ['allow', 'hidden', 'hidden'],
    },
    assistant01: {
      read: ['allow', 'allow', 'hidden'],
      price: ['allow', 'allow', 'hidden'],
      replace: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['allow', 'allow', 'allow'],
      price: ['allow', 'allow', 'allow'],
      replace: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['allow', 'hidden', 'hidden'],
      price: ['allow', 'hidden', 'hidden'],
      replace: ['allow', 'hidden', 'hidden'],
    },
  },
});
