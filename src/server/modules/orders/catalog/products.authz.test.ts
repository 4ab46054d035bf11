import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { products } from './schema.js';

// Products are nobody's: a permission is all it takes, so own / same team / other team agree.
let n = 0;
const newProduct = async (t: TestApp) => {
  const [p] = await t.database.db
    .insert(products)
    .values({ sku: `AUTHZ-${++n}`, name: '授权测试商品', uom: '件', listPrice: 10_000, costPrice: 6_000 })
    .returning();
  return p!.id;
};

type Client_ = Client;
const actions = {
  read: (c: Client_, id: string) => c.get(`/products/${id}`),
  create: (c: Client_) =>
    c.post('/products', { sku: `NEW-${++n}`, name: '新商品', uom: '件', listPrice: 100 }),
  update: async (c: Client_, id: string, admin: Client_) => {
    const { version } = (await admin.get(`/products/${id}`)).body;
    return c.patch(`/products/${id}`, { listPrice: 12_000, version });
  },
  archive: async (c: Client_, id: string, admin: Client_) => {
    const { version } = (await admin.get(`/products/${id}`)).body;
    return c.post(`/products/${id}/archive`, { version });
  },
  setCost: async (c: Client_, id: string, admin: Client_) => {
    const { version } = (await admin.get(`/products/${id}`)).body;
    return c.patch(`/products/${id}`, { costPrice: 5_000, version });
  },
  // Seeing the cost is not a status code: the field is there or not.
  seeCost: async (c: Client_, id: string) => {
    const res = await c.get(`/products/${id}`);
    return { statusCode: res.statusCode === 200 && !('costPrice' in res.body) ? 403 : res.statusCode };
  },
};
const all = (o: Outcome): [Outcome, Outcome, Outcome] => [o, o, o];
const row = (r: Record<keyof typeof actions, Outcome>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, all(v)])) as Record<
    string,
    [Outcome, Outcome, Outcome]
  >;
const A = 'allow' as const;
const F = 'forbidden' as const;

// The sales floor reads the catalog; the director runs it; the warehouse keeps it but never sees
// costs; finance sees costs without changing products.
const EXPECT = {
  admin: row({ read: A, create: A, update: A, archive: A, setCost: A, seeCost: A }),
  director: row({ read: A, create: A, update: A, archive: A, setCost: A, seeCost: A }),
  manager01: row({ read: A, create: F, update: F, archive: F, setCost: F, seeCost: F }),
  manager02: row({ read: A, create: F, update: F, archive: F, setCost: F, seeCost: F }),
  rep01: row({ read: A, create: F, update: F, archive: F, setCost: F, seeCost: F }),
  assistant01: row({ read: A, create: F, update: F, archive: F, setCost: F, seeCost: F }),
  marketing01: row({ read: A, create: F, update: F, archive: F, setCost: F, seeCost: F }),
  partner01: row({ read: A, create: F, update: F, archive: F, setCost: F, seeCost: F }),
};

checkAuthzMatrix({
  resource: 'products',
  recordOwnedBy: (_owner, t) => newProduct(t),
  actions,
  expect: EXPECT,
});

// Finance and the warehouse are not in the shared actor table; the same actions, as a table.
describe('authorization matrix: products (finance and warehouse)', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupCompany(t.app);
  });
  afterAll(() => t.close());
  const table: Record<string, Record<keyof typeof actions, Outcome>> = {
    finance01: { read: A, create: F, update: F, archive: F, setCost: F, seeCost: A },
    warehouse01: { read: A, create: A, update: A, archive: F, setCost: F, seeCost: F },
  };
  const cases = Object.entries(table).flatMap(([actor, r]) =>
    Object.entries(r).map(([action, expected]) => ({ actor, action, expected })),
  );
  it.each(cases)('$actor $action → $expected', async ({ actor, action, expected }) => {
    const client = await as(t.app, actor);
    const id = await newProduct(t);
    const res = await actions[action as keyof typeof actions](client, id, admin);
    const outcome =
      res.statusCode < 300 ? 'allow' : res.statusCode === 403 ? 'forbidden' : `unexpected ${res.statusCode}`;
    expect(outcome).toBe(expected);
  });
});
