import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../../platform/context.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { createReceipt } from './receipts.service.js';
import { makeProduct, makeWarehouse } from './stock.fixtures.js';

// Receipts and counts belong to no one: the stock permissions are all it takes, so own / same
// team / other team agree. The warehouse receives and counts; the sales floor and finance read;
// marketing and partners do not see stock at all.

/** A draft receipt of one unit at a new location. */
async function newReceipt(t: TestApp): Promise<string> {
  const db = t.database.db;
  const wh = await makeWarehouse(db);
  const p = await makeProduct(db);
  return createReceipt(db, systemCtx('authz'), {
    supplierName: '授权测试供应商',
    warehouseId: wh.id,
    lines: [{ productId: p.id, quantity: '1' }],
  });
}

const actions = {
  read: (c: Client, id: string) => c.get(`/purchase-receipts/${id}`),
  create: async (c: Client, id: string, admin: Client) => {
    const r = (await admin.get(`/purchase-receipts/${id}`)).body;
    return c.post('/purchase-receipts', {
      supplierName: '另一家供应商',
      warehouseId: r.warehouseId,
      lines: [{ productId: r.lines[0].productId, quantity: '2' }],
    });
  },
  update: async (c: Client, id: string, admin: Client) => {
    const { version } = (await admin.get(`/purchase-receipts/${id}`)).body;
    return c.patch(`/purchase-receipts/${id}`, { note: '到货少一箱', version });
  },
  post: async (c: Client, id: string, admin: Client) => {
    const { version } = (await admin.get(`/purchase-receipts/${id}`)).body;
    return c.post(`/purchase-receipts/${id}/post`, { version });
  },
  reverse: async (c: Client, id: string, admin: Client) => {
    const draft = (await admin.get(`/purchase-receipts/${id}`)).body;
    const posted = (await admin.post(`/purchase-receipts/${id}/post`, { version: draft.version })).body;
    return c.post(`/purchase-receipts/${id}/reverse`, { version: posted.version, reason: '退货' });
  },
  count: async (c: Client, id: string, admin: Client) => {
    const { warehouseId } = (await admin.get(`/purchase-receipts/${id}`)).body;
    return c.post('/cycle-counts', { warehouseId });
  },
  readCounts: (c: Client) => c.get('/cycle-counts'),
  lowStock: (c: Client) => c.get('/stock/low-stock'),
};
type Action = keyof typeof actions;
const all = (o: Outcome): [Outcome, Outcome, Outcome] => [o, o, o];
const row = (r: Record<Action, Outcome>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, all(v)])) as Record<
    string,
    [Outcome, Outcome, Outcome]
  >;
const A = 'allow' as const;
const F = 'forbidden' as const;
const readOnly = row({
  read: A,
  create: F,
  update: F,
  post: F,
  reverse: F,
  count: F,
  readCounts: A,
  lowStock: A,
});
const none = row({
  read: F,
  create: F,
  update: F,
  post: F,
  reverse: F,
  count: F,
  readCounts: F,
  lowStock: F,
});

checkAuthzMatrix({
  resource: 'purchase receipts and cycle counts',
  recordOwnedBy: (_owner, t) => newReceipt(t),
  actions,
  expect: {
    admin: row({ read: A, create: A, update: A, post: A, reverse: A, count: A, readCounts: A, lowStock: A }),
    director: readOnly,
    manager01: readOnly,
    manager02: readOnly,
    rep01: readOnly,
    assistant01: readOnly,
    marketing01: none,
    partner01: none,
  },
});

describe('authorization matrix: purchase receipts and cycle counts (finance and warehouse)', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupCompany(t.app);
  });
  afterAll(() => t.close());
  const table: Record<string, Record<Action, Outcome>> = {
    finance01: { read: A, create: F, update: F, post: F, reverse: F, count: F, readCounts: A, lowStock: A },
    warehouse01: { read: A, create: A, update: A, post: A, reverse: A, count: A, readCounts: A, lowStock: A },
  };
  const cases = Object.entries(table).flatMap(([actor, r]) =>
    Object.entries(r).map(([action, expected]) => ({ actor, action, expected })),
  );
  it.each(cases)('$actor $action → $expected', async ({ actor, action, expected }) => {
    const client = await as(t.app, actor);
    const id = await newReceipt(t);
    const res = await actions[action as Action](client, id, admin);
    const outcome =
      res.statusCode < 300 ? 'allow' : res.statusCode === 403 ? 'forbidden' : `unexpected ${res.statusCode}`;
    expect(outcome).toBe(expected);
  });
});
