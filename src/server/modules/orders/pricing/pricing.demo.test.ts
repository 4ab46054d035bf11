import { Faker, zh_CN } from '@faker-js/faker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { unitByName } from '../../customers/activities.fixtures.js';
import { seedPricingDemo } from './pricing.demo.js';
import { makeCategory, makeProduct } from './pricing.fixtures.js';
import { resolvePriceFor } from './pricing.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
});
afterAll(() => t.close());

it('the demo seeds eight lists whose prices resolve: dealers at 90%, stores with the 8/9 ending', async () => {
  const db = t.database.db;
  const cat = await makeCategory(db, '轻型卡车');
  const truck = await makeProduct(db, {
    sku: 'D-LT',
    name: '轻卡',
    listPrice: 12_680_000,
    categoryId: cat.id,
  });
  const van = await makeProduct(db, { sku: 'D-VAN', name: '厢货', listPrice: 8_960_000, categoryId: cat.id });
  const faker = new Faker({ locale: [zh_CN] });
  faker.seed(5);
  const result = await seedPricingDemo(db, faker, {
    products: [truck, van].map((p) => ({ id: p.id, listPrice: p.listPrice, categoryId: p.categoryId! })),
    regions: [{ id: await unitByName(db, '华东') }, { id: await unitByName(db, '华南') }],
  });
  expect(result.priceLists).toBe(8);
  expect(result.rules).toBeGreaterThan(8);
  const date = `${new Date().getFullYear()}-03-01`;
  const dealer = await resolvePriceFor(db, { productId: truck.id, channel: 'partner', quantity: '1', date });
  expect(dealer).toMatchObject({ priceList: { code: 'DEALER' }, unitPrice: 11_412_000, floor: 10_904_800 });
  const store = await resolvePriceFor(db, { productId: van.id, channel: 'store', quantity: '1', date });
  expect(store).toMatchObject({ priceList: { code: 'STORE' }, unitPrice: 8_968_000 });
});
