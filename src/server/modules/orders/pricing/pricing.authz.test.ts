import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { makeProduct } from './pricing.fixtures.js';
import { priceLists } from './schema.js';

// Price lists are company-wide (no owner): a permission is all it takes, so own, same-team and
// other-team records answer alike. Everyone in sales reads them and may ask the tester; only the
// director manages them by default; partners see none.

let n = 0;
let productId: string | undefined;

async function listFor(t: TestApp) {
  const db = t.database.db;
  productId ??= (await makeProduct(db, { sku: 'AUTHZ-1', name: '授权测试车', listPrice: 10_000_000 })).id;
  const [row] = await db
    .insert(priceLists)
    .values({ code: `AUTHZ-${++n}`, name: `授权价目表${n}` })
    .returning();
  return row!.id;
}

const versionOf = async (admin: Client, id: string) =>
  (await admin.get(`/price-lists/${id}`)).body.version as number;

const actions = {
  read: (client: Client, id: string) => client.get(`/price-lists/${id}`),
  rules: (client: Client, id: string) => client.get(`/price-lists/${id}/rules`),
  resolve: (client: Client) =>
    client.post('/price-lists/resolve', { productId: productId!, channel: 'direct', quantity: '1' }),
  productPrices: (client: Client) => client.get(`/products/${productId!}/prices`),
  update: async (client: Client, id: string, admin: Client) =>
    client.patch(`/price-lists/${id}`, { priority: 1, version: await versionOf(admin, id) }),
  addRule: (client: Client, id: string) =>
    client.post(`/price-lists/${id}/rules`, { productId: productId!, price: 100 }),
  archive: async (client: Client, id: string, admin: Client) =>
    client.post(`/price-lists/${id}/archive`, { version: await versionOf(admin, id) }),
};

const all = (o: Outcome): [Outcome, Outcome, Outcome] => [o, o, o];
const reader = {
  read: all('allow'),
  rules: all('allow'),
  resolve: all('allow'),
  productPrices: all('allow'),
  update: all('forbidden'),
  addRule: all('forbidden'),
  archive: all('forbidden'),
};
const manager = Object.fromEntries(Object.keys(actions).map((a) => [a, all('allow')]));
const none = Object.fromEntries(Object.keys(actions).map((a) => [a, all('forbidden')]));

checkAuthzMatrix({
  resource: 'price-lists',
  recordOwnedBy: (_owner, t) => listFor(t),
  actions,
  expect: {
    admin: manager,
    director: manager,
    manager01: reader,
    manager02: reader,
    rep01: reader,
    assistant01: reader,
    marketing01: reader,
    partner01: none,
  },
});

describe('authorization: price lists for finance and the warehouse', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupCompany(t.app);
    productId = undefined; // a fresh database: the matrix's product is not in it
  });
  afterAll(() => t.close());

  it.each([
    ['finance01', reader],
    ['warehouse01', none],
  ] as const)('%s', async (username, expected) => {
    const client = await as(t.app, username);
    for (const [action, outcomes] of Object.entries(expected)) {
      const id = await listFor(t);
      const res = await actions[action as keyof typeof actions](client, id, admin);
      const outcome =
        res.statusCode < 300 ? 'allow' : res.statusCode === 403 ? 'forbidden' : `status ${res.statusCode}`;
      expect(`${action}: ${outcome}`).toBe(`${action}: ${outcomes[0]}`);
    }
  });
});
