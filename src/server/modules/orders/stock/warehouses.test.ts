import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { orgUnits } from '../../org/schema.js';
import { warehouses } from './schema.js';
import { seedWarehousesDemo } from './stock.demo.js';
import { makeProduct, receive, userId } from './stock.fixtures.js';

let t: TestApp;
let keeper: Client;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  keeper = await as(t.app, 'warehouse01');
});
afterAll(() => t.close());

async function unitId(name: string) {
  const [u] = await t.database.db.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.name, name));
  return u!.id;
}

describe('stock locations', () => {
  it('the warehouse supervisor opens the 华东 regional warehouse in Nanjing with its manager', async () => {
    const res = await keeper.post('/warehouses', {
      code: 'WH-EAST',
      name: '华东区域仓',
      kind: 'warehouse',
      orgUnitId: await unitId('华东'),
      provinceCode: '32',
      cityCode: '3201',
      address: '江宁区汽车产业园 8 号',
      managerId: await userId(t.database.db, 'warehouse01'),
    });
    expect(res.statusCode, res.payload).toBe(201);
    expect(res.body).toMatchObject({
      code: 'WH-EAST',
      kind: 'warehouse',
      orgUnitName: '华东',
      regionName: '江苏省 南京市',
      managerName: expect.any(String),
      status: 'active',
      productsInStock: 0,
      version: 1,
    });
    const list = await (await as(t.app, 'rep01')).get('/warehouses?q=华东');
    expect(list.statusCode).toBe(200);
    expect(list.body.items.map((w: { code: string }) => w.code)).toEqual(['WH-EAST']);
    const [audit] = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, res.body.id));
    expect(audit).toMatchObject({ action: 'create', entity: 'warehouse' });
  });

  it('a second location with the same code (any case) is refused and nothing is written', async () => {
    const before = (await t.database.db.select().from(warehouses)).length;
    const res = await keeper.post('/warehouses', { code: 'wh-east', name: '重复仓' });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('duplicate');
    expect((await t.database.db.select().from(warehouses)).length).toBe(before);
  });

  it('a city outside its province and an unknown manager are reported together, in English too', async () => {
    keeper.locale = 'en';
    const res = await keeper.post('/warehouses', {
      code: 'WH-BAD',
      name: '错误仓',
      provinceCode: '44',
      cityCode: '3201',
      managerId: '01900000-0000-7000-8000-000000000000',
    });
    keeper.locale = 'zh-CN';
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['cityCode', 'managerId']);
    expect(res.body.title).toBe('The request is not valid');
    const [none] = await t.database.db.select().from(warehouses).where(eq(warehouses.code, 'WH-BAD'));
    expect(none).toBeUndefined();
  });

  it('an edit on a stale version gets 409 and changes nothing; a new province drops the old city', async () => {
    const created = (
      await keeper.post('/warehouses', {
        code: 'ST-SZ',
        name: '深圳门店',
        kind: 'store',
        provinceCode: '44',
        cityCode: '4403',
      })
    ).body;
    const moved = await keeper.patch(`/warehouses/${created.id}`, { provinceCode: '45', version: 1 });
    expect(moved.statusCode, moved.payload).toBe(200);
    expect(moved.body).toMatchObject({ provinceCode: '45', cityCode: null, version: 2 });
    const stale = await keeper.patch(`/warehouses/${created.id}`, { name: '南宁门店', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect((await keeper.get(`/warehouses/${created.id}`)).body.name).toBe('深圳门店');
  });

  it('a location still holding stock cannot be archived; once emptied it can, and it leaves the list', async () => {
    const wh = (await keeper.post('/warehouses', { code: 'WH-SW', name: '西南区域仓' })).body;
    const other = (await keeper.post('/warehouses', { code: 'WH-CTR', name: '上海总仓' })).body;
    const product = await makeProduct(t.database.db, { name: '轻卡 4.2 米厢式' });
    await receive(t.database.db, wh.id, product.id, '3');
    expect((await keeper.get(`/warehouses/${wh.id}`)).body.productsInStock).toBe(1);

    const refused = await keeper.post(`/warehouses/${wh.id}/archive`, { version: wh.version });
    expect(refused.statusCode).toBe(409);
    expect(refused.body.code).toBe('location_has_stock');
    expect(refused.body.detail).toContain('西南区域仓');
    expect((await keeper.get(`/warehouses/${wh.id}`)).body.status).toBe('active');

    const moved = await keeper.post('/stock/transfers', {
      fromWarehouseId: wh.id,
      toWarehouseId: other.id,
      productId: product.id,
      quantity: '3',
    });
    expect(moved.statusCode, moved.payload).toBe(201);
    const archived = await keeper.post(`/warehouses/${wh.id}/archive`, { version: wh.version });
    expect(archived.statusCode, archived.payload).toBe(200);
    expect(archived.body.status).toBe('archived');
    const active = (await keeper.get('/warehouses?limit=500')).body.items.map(
      (w: { code: string }) => w.code,
    );
    expect(active).not.toContain('WH-SW');
    const all = (await keeper.get('/warehouses?status=all&limit=500')).body.items.map(
      (w: { code: string }) => w.code,
    );
    expect(all).toContain('WH-SW');

    // An archived location takes no stock.
    const back = await keeper.post('/stock/transfers', {
      fromWarehouseId: other.id,
      toWarehouseId: wh.id,
      productId: product.id,
      quantity: '1',
    });
    expect(back.statusCode).toBe(409);
    expect(back.body.code).toBe('location_archived');

    const restored = await keeper.post(`/warehouses/${wh.id}/restore`, { version: archived.body.version });
    expect(restored.body.status).toBe('active');
  });

  it('a reorder point is set per location and product, and low stock is flagged against available', async () => {
    const wh = (await keeper.post('/warehouses', { code: 'WH-N', name: '华北区域仓' })).body;
    const product = await makeProduct(t.database.db, { name: '刹车片套装' });
    await receive(t.database.db, wh.id, product.id, '12');
    const set = await keeper.put(`/stock/levels/${wh.id}/${product.id}/reorder`, {
      reorderPoint: '15',
      reorderQuantity: '40',
    });
    expect(set.statusCode, set.payload).toBe(200);
    expect(set.body).toMatchObject({
      onHand: '12',
      available: '12',
      reorderPoint: '15',
      reorderQuantity: '40',
      low: true,
    });
    const low = await keeper.get(`/stock/levels?lowOnly=true&warehouseId=${wh.id}`);
    expect(low.body.items.map((l: { productId: string }) => l.productId)).toEqual([product.id]);

    const bad = await keeper.put(`/stock/levels/${wh.id}/${product.id}/reorder`, {
      reorderPoint: '-1',
      reorderQuantity: '0',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'reorderPoint',
      'reorderQuantity',
    ]);

    const rep = await as(t.app, 'rep01');
    expect(
      (
        await rep.put(`/stock/levels/${wh.id}/${product.id}/reorder`, {
          reorderPoint: null,
          reorderQuantity: null,
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('demo locations', () => {
  it('the demo company gets a central warehouse, three regional ones and a store, each in a real city', async () => {
    const regions = await t.database.db
      .select({ id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(inArray(orgUnits.name, ['华东', '华南', '华北', '西南']));
    const faker = new Faker({ locale: [zh_CN, en, base], seed: 7 });
    const seeded = await seedWarehousesDemo(t.database.db, faker, { regions });
    expect(seeded.map((w) => w.code)).toEqual(['WH-SH', 'WH-GZ', 'WH-BJ', 'WH-CD', 'ST-HZ']);
    const shown = await Promise.all(seeded.map(async (w) => (await keeper.get(`/warehouses/${w.id}`)).body));
    expect(shown[0]).toMatchObject({ name: '上海总仓', orgUnitId: null, regionName: '上海市 嘉定区' });
    expect(shown[4]).toMatchObject({ kind: 'store', orgUnitName: '华东', regionName: '浙江省 杭州市' });
    expect(shown.every((w) => w.regionName && w.managerId === null)).toBe(true);
  });
});
