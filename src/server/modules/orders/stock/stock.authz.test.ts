import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.js';
import { systemCtx } from '../../../platform/context.js';
import { ADMIN, as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { postMovements, reserveStock } from './ledger.js';
import { makeProduct, makeWarehouse, receive } from './stock.fixtures.js';

// The stock resource is unscoped (no owner): what a role may do is the same on every location, so
// the matrix is actor × action. Warehouse staff move, count and keep locations; sales reserve;
// everyone in sales, finance and management reads; marketing and partners see no stock.

type Outcome = 'allow' | 'forbidden';
const A: Outcome = 'allow';
const F: Outcome = 'forbidden';

const ACTIONS = [
  'levels',
  'movements',
  'availability',
  'locations',
  'adjust',
  'transfer',
  'reverse',
  'reserve',
  'release',
  'manageLocation',
  'reorder',
] as const;
type Action = (typeof ACTIONS)[number];

const EXPECT: Record<string, Outcome[]> = {
  //               levels movements avail locations adjust transfer reverse reserve release manage reorder
  admin: [A, A, A, A, A, A, A, A, A, A, A],
  director: [A, A, A, A, F, F, F, F, F, F, F],
  manager01: [A, A, A, A, F, F, F, A, A, F, F],
  rep01: [A, A, A, A, F, F, F, F, F, F, F],
  assistant01: [A, A, A, A, F, F, F, A, A, F, F],
  finance01: [A, A, A, A, F, F, F, F, F, F, F],
  warehouse01: [A, A, A, A, A, A, A, A, A, A, A],
  marketing01: [F, F, F, F, F, F, F, F, F, F, F],
  partner01: [F, F, F, F, F, F, F, F, F, F, F],
};

let t: TestApp;
let db: Db;
let from: { id: string };
let to: { id: string };
let product: { id: string };
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  db = t.database.db;
  from = await makeWarehouse(db, { name: '授权测试仓A' });
  to = await makeWarehouse(db, { name: '授权测试仓B' });
  product = await makeProduct(db, { name: '授权测试配件' });
  await receive(db, from.id, product.id, '1000');
});
afterAll(() => t.close());

const perform: Record<Action, (c: Client) => Promise<{ statusCode: number }>> = {
  levels: (c) => c.get('/stock/levels'),
  movements: (c) => c.get('/stock/movements'),
  availability: (c) => c.post('/stock/availability', { lines: [{ productId: product.id, quantity: '1' }] }),
  locations: (c) => c.get('/warehouses'),
  adjust: (c) =>
    c.post('/stock/adjustments', {
      warehouseId: from.id,
      productId: product.id,
      quantity: '1',
      reason: 'count_gain',
    }),
  transfer: (c) =>
    c.post('/stock/transfers', {
      fromWarehouseId: from.id,
      toWarehouseId: to.id,
      productId: product.id,
      quantity: '1',
    }),
  reverse: async (c) => {
    const [m] = await db.transaction((tx) =>
      postMovements(tx as unknown as Db, systemCtx('test'), {
        sourceType: 'opening',
        movements: [{ kind: 'receipt', warehouseId: from.id, productId: product.id, quantity: '1' }],
      }),
    );
    return c.post(`/stock/movements/${m!.id}/reverse`, { reason: '录入错误' });
  },
  reserve: (c) =>
    c.post('/stock/reservations', {
      key: `AUTHZ-R-${++n}`,
      warehouseId: from.id,
      productId: product.id,
      quantity: '1',
    }),
  release: async (c) => {
    const key = `AUTHZ-L-${++n}`;
    await db.transaction((tx) =>
      reserveStock(tx as unknown as Db, systemCtx('test'), {
        key,
        warehouseId: from.id,
        productId: product.id,
        quantity: '1',
        sourceType: 'manual',
      }),
    );
    return c.post(`/stock/reservations/${key}/release`, {});
  },
  manageLocation: (c) => c.post('/warehouses', { code: `AUTHZ-${++n}`, name: `授权门店${n}`, kind: 'store' }),
  reorder: (c) =>
    c.put(`/stock/levels/${from.id}/${product.id}/reorder`, { reorderPoint: '5', reorderQuantity: '20' }),
};

describe('authorization matrix: stock', () => {
  const clients = new Map<string, Client>();
  const cases = Object.entries(EXPECT).flatMap(([actor, outcomes]) =>
    ACTIONS.map((action, i) => ({ actor, action, expected: outcomes[i]! })),
  );
  it.each(cases)('$actor $action → $expected', async ({ actor, action, expected }) => {
    let client = clients.get(actor);
    if (!client) {
      client = actor === 'admin' ? await as(t.app, ADMIN.username, ADMIN.password) : await as(t.app, actor);
      clients.set(actor, client);
    }
    const res = await perform[action](client);
    const outcome =
      res.statusCode >= 200 && res.statusCode < 300
        ? 'allow'
        : res.statusCode === 403
          ? 'forbidden'
          : `unexpected ${res.statusCode}`;
    expect(outcome).toBe(expected);
  });
});
