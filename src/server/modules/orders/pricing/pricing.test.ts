import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { ADMIN, as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer, unitByName } from '../../customers/activities.fixtures.js';
import { archiveProduct, makeCategory, makeProduct } from './pricing.fixtures.js';
import { checkFloor, resolvePriceFor } from './pricing.service.js';
import { priceListRules, priceLists } from './schema.js';

// The story of issue 5 item 2: the director builds price lists with tiers and a floor, a rep asks
// "what price would this customer get", and the right list wins by channel, region, grade, date
// and quantity, with the 8/9 rounding visible.

let t: TestApp;
let admin: Client;
let director: Client;
let rep: Client;
let truck: { id: string };
let archived: { id: string };
let vehicles: { id: string };
let lightTrucks: { id: string };
let eastFleet: { id: string };
let southShop: { id: string };
let rep07Customer: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  director = await as(t.app, 'director');
  rep = await as(t.app, 'rep01');
  const db = t.database.db;
  vehicles = await makeCategory(db, '整车');
  lightTrucks = await makeCategory(db, '轻型卡车', vehicles.id);
  truck = await makeProduct(db, {
    sku: 'LT-3100',
    name: '星辰轻卡 3100',
    listPrice: 12_680_000,
    categoryId: lightTrucks.id,
  });
  archived = await makeProduct(db, {
    sku: 'OLD-1',
    name: '停产车型',
    listPrice: 9_900_000,
    categoryId: lightTrucks.id,
  });
  await archiveProduct(db, archived.id);
  eastFleet = await makeCustomer(db, { name: '华东快运车队', owner: 'rep01', grade: 'A' });
  southShop = await makeCustomer(db, { name: '南方汽配城', owner: 'rep01', unit: '华南', grade: 'B' });
  rep07Customer = await makeCustomer(db, { name: '别组客户', owner: 'rep07', grade: 'A' });
});
afterAll(() => t.close());

async function createList(body: Record<string, unknown>) {
  const res = await director.post('/price-lists', body);
  expect(res.statusCode, res.payload).toBe(201);
  return res.body as { id: string; version: number; code: string };
}
async function addRule(listId: string, body: Record<string, unknown>) {
  const res = await director.post(`/price-lists/${listId}/rules`, body);
  expect(res.statusCode, res.payload).toBe(201);
  return res.body as { id: string; version: number };
}
const ask = (body: Record<string, unknown>) =>
  rep.post('/price-lists/resolve', { productId: truck.id, quantity: '1', date: '2026-03-10', ...body });

describe('price lists: the director builds them, a rep asks the tester', () => {
  let fleet: { id: string; version: number };
  let tier10: { id: string; version: number };

  it('the director creates lists for a channel, a region, a grade, a promotion and volume tiers', async () => {
    const east = await unitByName(t.database.db, '华东');
    const store = await createList({
      code: 'STORE',
      name: '门店零售价',
      channel: 'store',
      priority: 5,
      rounding: 'eight_nine',
    });
    await addRule(store.id, { categoryId: vehicles.id, percent: '97.35' });
    const eastList = await createList({ code: 'EAST', name: '华东区域价', regionId: east, priority: 5 });
    await addRule(eastList.id, { productId: truck.id, price: 12_500_000, floorPrice: 12_000_000 });
    const key = await createList({ code: 'KEY', name: '大客户价', customerGrade: 'A', priority: 10 });
    await addRule(key.id, { categoryId: lightTrucks.id, percent: '95' });
    const promo = await createList({
      code: 'MID-YEAR',
      name: '年中促销价',
      priority: 50,
      effectiveFrom: '2026-06-01',
      effectiveTo: '2026-06-30',
    });
    await addRule(promo.id, { productId: truck.id, price: 11_980_000, floorPrice: 11_500_000 });
    fleet = await createList({ code: 'FLEET', name: '车队批量价', channel: 'direct', priority: 8 });
    await addRule(fleet.id, { productId: truck.id, minQuantity: '5', percent: '96', floorPrice: 11_800_000 });
    tier10 = await addRule(fleet.id, { productId: truck.id, minQuantity: '10', percent: '93' });

    const lists = await rep.get('/price-lists');
    expect(lists.statusCode).toBe(200);
    expect(lists.body.items.map((l: { code: string }) => l.code)).toEqual([
      'MID-YEAR',
      'KEY',
      'FLEET',
      'EAST',
      'STORE',
    ]);
    expect(lists.body.items.find((l: { code: string }) => l.code === 'EAST')).toMatchObject({
      regionName: '华东',
      ruleCount: 1,
    });
  });

  it('a walk-in buyer in a store gets the store price with the 8/9 ending', async () => {
    const res = await ask({ channel: 'store' });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({
      unitPrice: 12_348_000,
      listPrice: 12_680_000,
      priceList: { code: 'STORE' },
      rounding: { mode: 'eight_nine', from: 12_343_980, to: 12_348_000, applied: true },
    });
    expect(res.payload).not.toContain('cost');
  });

  it('an A customer of 华东 gets the key-account price: grade (priority 10) beats region (5)', async () => {
    const res = await ask({ channel: 'direct', customerId: eastFleet.id });
    expect(res.body).toMatchObject({ unitPrice: 12_046_000, priceList: { code: 'KEY' }, floor: null });
    const steps = res.body.explanation as { step: string; list?: { code: string }; reason?: string }[];
    expect(steps.find((s) => s.step === 'list_lost')).toMatchObject({
      list: { code: 'EAST' },
      to: { code: 'KEY' },
      on: 'priority',
    });
    // The volume list is for 5 or more: it is skipped, not beaten.
    expect(steps.find((s) => s.list?.code === 'FLEET')).toMatchObject({
      step: 'list_skipped',
      reason: 'tier_not_reached',
    });
  });

  it('a B customer of 华南 is outside 华东: no list applies and the catalog price stands', async () => {
    const res = await ask({ channel: 'direct', customerId: southShop.id });
    expect(res.body).toMatchObject({ unitPrice: 12_680_000, priceList: null, floor: null });
    expect(res.body.explanation.at(-1)).toEqual({ step: 'catalog_price', listPrice: 12_680_000 });
  });

  it('12 trucks bought direct reach the 10+ tier, with the floor inherited from the 5+ tier', async () => {
    const res = await ask({ channel: 'direct', customerId: southShop.id, quantity: '12' });
    expect(res.body).toMatchObject({
      unitPrice: 11_792_400,
      priceList: { code: 'FLEET' },
      tier: '10',
      floor: 11_800_000,
    });
  });

  it('in June the promotion wins over every other list', async () => {
    const res = await ask({ channel: 'direct', customerId: eastFleet.id, date: '2026-06-18' });
    expect(res.body).toMatchObject({
      unitPrice: 11_980_000,
      priceList: { code: 'MID-YEAR' },
      floor: 11_500_000,
    });
  });

  it('resolvePriceFor and checkFloor serve quotes and orders', async () => {
    const resolved = await resolvePriceFor(t.database.db, {
      productId: truck.id,
      customerId: eastFleet.id,
      channel: 'direct',
      date: '2026-06-18',
      quantity: '2',
    });
    expect(checkFloor(resolved, 11_400_000)).toEqual({
      belowFloor: true,
      floor: 11_500_000,
      shortfall: 100_000,
    });
    expect(checkFloor(resolved, 11_500_000).belowFloor).toBe(false);
  });

  it('a rep cannot test prices for a customer outside their scope (nothing about it is shown)', async () => {
    const res = await ask({ channel: 'direct', customerId: rep07Customer.id });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0].path).toBe('customerId');
  });

  it("the product's prices tab lists every list and tier that prices it", async () => {
    const res = await rep.get(`/products/${truck.id}/prices`);
    expect(res.statusCode).toBe(200);
    expect(res.body.listPrice).toBe(12_680_000);
    expect(
      res.body.items.map(
        (i: { priceList: { code: string }; minQuantity: string }) => `${i.priceList.code}:${i.minQuantity}`,
      ),
    ).toEqual(['MID-YEAR:0', 'KEY:0', 'FLEET:5', 'FLEET:10', 'EAST:0', 'STORE:0']);
    expect(
      res.body.items.find((i: { priceList: { code: string } }) => i.priceList.code === 'KEY'),
    ).toMatchObject({ target: 'category', price: 12_046_000 });
  });

  it('changing a tier needs the current version; a stale one is refused and nothing changes', async () => {
    const ok = await director.patch(`/price-lists/${fleet.id}/rules/${tier10.id}`, {
      percent: '92',
      version: tier10.version,
    });
    expect(ok.statusCode, ok.payload).toBe(200);
    expect(ok.body).toMatchObject({ percent: '92', price: null, version: tier10.version + 1 });
    const stale = await director.patch(`/price-lists/${fleet.id}/rules/${tier10.id}`, {
      percent: '80',
      version: tier10.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    const [row] = await t.database.db.select().from(priceListRules).where(eq(priceListRules.id, tier10.id));
    expect(row!.percent).toBe('92.000');
  });

  it('archiving a rule keeps it readable and stops it from pricing', async () => {
    const rules = await director.get(`/price-lists/${fleet.id}/rules`);
    const rule = rules.body.items.find((r: { minQuantity: string }) => r.minQuantity === '10');
    const res = await director.post(`/price-lists/${fleet.id}/rules/${rule.id}/archive`, {
      version: rule.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.archived).toBe(true);
    const after = await ask({ channel: 'direct', customerId: southShop.id, quantity: '12' });
    expect(after.body).toMatchObject({ tier: '5', unitPrice: 12_172_800 });
    const all = await director.get(`/price-lists/${fleet.id}/rules?includeArchived=true`);
    expect(all.body.total).toBe(2);
  });

  it('archiving a list stops it applying; the audit trail has every step', async () => {
    const list = (await director.get(`/price-lists/${fleet.id}`)).body;
    const res = await director.post(`/price-lists/${fleet.id}/archive`, { version: list.version });
    expect(res.body.status).toBe('archived');
    const after = await ask({ channel: 'direct', customerId: southShop.id, quantity: '12' });
    expect(after.body.priceList).toBeNull();
    const added = await director.post(`/price-lists/${fleet.id}/rules`, { productId: truck.id, price: 1 });
    expect(added.statusCode).toBe(409);
    expect(added.body.code).toBe('price_list_archived');
    const history = await director.get(`/price-lists/${fleet.id}/history`);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['archive', 'create']);
    const ruleAudits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'price_list_rule'), eq(auditLog.action, 'archive')));
    expect(ruleAudits).toHaveLength(1);
  });
});

describe('price lists: bad input is refused with nothing written', () => {
  it('refuses a rule with both a price and a percentage, or neither, or both a product and a category', async () => {
    const list = await createList({ code: 'BAD-1', name: '测试' });
    for (const body of [
      { productId: truck.id, price: 100, percent: '90' },
      { productId: truck.id },
      { productId: truck.id, categoryId: vehicles.id, price: 100 },
      { productId: truck.id, price: -1 },
      { productId: truck.id, percent: '0' },
      { productId: truck.id, percent: '501' },
      { productId: truck.id, price: 100, floorPrice: -5 },
      { productId: truck.id, price: 100, minQuantity: '-1' },
    ]) {
      const res = await director.post(`/price-lists/${list.id}/rules`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const rows = await t.database.db
      .select()
      .from(priceListRules)
      .where(eq(priceListRules.priceListId, list.id));
    expect(rows).toHaveLength(0);
  });

  it('refuses a new rule for an archived product with a clear message', async () => {
    const list = await createList({ code: 'BAD-2', name: '测试' });
    const res = await director.post(`/price-lists/${list.id}/rules`, { productId: archived.id, price: 100 });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('price_rule_product_archived');
    expect(res.body.detail).toContain('OLD-1');
  });

  it('refuses a second rule for the same product and minimum quantity', async () => {
    const list = await createList({ code: 'BAD-3', name: '测试' });
    await addRule(list.id, { productId: truck.id, minQuantity: '5', price: 100 });
    const res = await director.post(`/price-lists/${list.id}/rules`, {
      productId: truck.id,
      minQuantity: '5.000',
      price: 90,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('price_rule_exists');
  });

  it('refuses a list ending before it starts, an unknown region, a duplicate code; in English too', async () => {
    director.locale = 'en';
    const dates = await director.post('/price-lists', {
      code: 'BAD-4',
      name: 'x',
      effectiveFrom: '2026-05-01',
      effectiveTo: '2026-04-30',
    });
    expect(dates.statusCode).toBe(400);
    expect(dates.body.errors[0].path).toBe('effectiveTo');
    const region = await director.post('/price-lists', { code: 'BAD-5', name: 'x', regionId: truck.id });
    expect(region.statusCode).toBe(400);
    const dup = await director.post('/price-lists', { code: 'store', name: 'x' });
    expect(dup.statusCode).toBe(409);
    expect(dup.body.title).toBe('Duplicate');
    director.locale = 'zh-CN';
    const written = await t.database.db.select().from(priceLists).where(eq(priceLists.name, 'x'));
    expect(written).toHaveLength(0);
  });

  it('the tester refuses a zero or negative quantity', async () => {
    expect((await ask({ channel: 'direct', quantity: '0' })).statusCode).toBe(400);
    expect((await ask({ channel: 'direct', quantity: '-2' })).statusCode).toBe(400);
  });

  it('a list update with a stale version is a 409', async () => {
    const list = await createList({ code: 'BAD-6', name: '测试' });
    expect(
      (await director.patch(`/price-lists/${list.id}`, { priority: 3, version: list.version })).statusCode,
    ).toBe(200);
    const stale = await director.patch(`/price-lists/${list.id}`, { priority: 4, version: list.version });
    expect(stale.statusCode).toBe(409);
    void admin;
    void ADMIN;
  });
});
