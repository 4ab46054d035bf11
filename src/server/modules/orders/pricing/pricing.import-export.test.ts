import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile, readWorkbook, workbook } from '../../../platform/import-export/testing.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeProduct } from './pricing.fixtures.js';
import { priceListRules } from './schema.js';

// A pricing clerk keeps dealer prices in Excel: the sheet goes in as (list code, SKU, min
// quantity, price or %, floor), upserted by (list, SKU, min quantity), and comes back out the same.

let t: TestApp;
let director: Client;
let dealerId: string;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  await makeProduct(t.database.db, { sku: 'LT-3100', name: '星辰轻卡 3100', listPrice: 12_680_000 });
  await makeProduct(t.database.db, { sku: 'VAN-E5', name: '新能源物流车 E5', listPrice: 15_880_000 });
  const res = await director.post('/price-lists', {
    code: 'DEALER',
    name: '经销商价',
    channel: 'partner',
    priority: 20,
  });
  dealerId = res.body.id;
});
afterAll(() => t.close());

const HEADER = ['价目表编码', '商品编码', '起订量', '价格(元)或折扣%', '底价(元)'];

async function importSheet(rows: string[][], duplicates = 'update') {
  const { payload, headers } = multipartFile('prices.xlsx', await workbook([HEADER, ...rows]));
  const up = await director.request('POST', '/imports?entity=prices', payload, headers);
  expect(up.statusCode, up.payload).toBe(201);
  const current = (await director.get(`/imports/${up.body.id}`)).body;
  const run = await director.post(`/imports/${up.body.id}/run`, {
    mode: 'batches',
    duplicates,
    version: current.version,
  });
  expect(run.statusCode, run.payload).toBe(200);
  await runDueJobs(t.database.db, { kinds: ['import.process'] });
  const done = (await director.get(`/imports/${up.body.id}`)).body;
  const errors = (await director.get(`/imports/${up.body.id}/errors?phase=run&limit=500`)).body.items as {
    row: number;
    column: string | null;
  }[];
  return { done, errors: errors.map((e) => [e.row, e.column]) };
}

const liveRules = () =>
  t.database.db
    .select()
    .from(priceListRules)
    .where(and(eq(priceListRules.priceListId, dealerId), isNull(priceListRules.archivedAt)));

describe('prices import and export', () => {
  it('imports fixed prices, a percentage and tiers, and reports bad rows by column', async () => {
    const { done, errors } = await importSheet([
      ['DEALER', 'LT-3100', '', '118,000', '115000'],
      ['DEALER', 'LT-3100', '10', '96%', ''],
      ['DEALER', 'VAN-E5', '1', '¥152,800.50', ''],
      ['NOPE', 'VAN-E5', '', '100', ''],
      ['DEALER', 'NOPE-1', '', '100', ''],
      ['DEALER', 'VAN-E5', '5', '600%', ''],
      ['DEALER', 'VAN-E5', '5', '12元3角', ''],
    ]);
    expect(done.status).toBe('done');
    expect(errors).toEqual([
      [5, '价目表编码'],
      [6, '商品编码'],
      [7, '价格(元)或折扣%'],
      [8, '价格(元)或折扣%'],
    ]);
    const rules = await liveRules();
    expect(rules.map((r) => [r.minQuantity, r.price, r.percent, r.floorPrice]).sort()).toEqual(
      [
        ['0.000', 11_800_000, null, 11_500_000],
        ['10.000', null, '96.000', null],
        ['1.000', 15_280_050, null, null],
      ].sort(),
    );
  });

  it('a second sheet updates the same (list, SKU, min quantity) instead of adding rules', async () => {
    const { errors } = await importSheet([['DEALER', 'lt-3100', '0', '117500', '114000']]);
    expect(errors).toEqual([]);
    const rules = await liveRules();
    expect(rules).toHaveLength(3);
    expect(rules.find((r) => r.minQuantity === '0.000')).toMatchObject({
      price: 11_750_000,
      floorPrice: 11_400_000,
      version: 2,
    });
  });

  it('exports the prices so they can be edited and imported back', async () => {
    const res = await director.get(`/price-lists/prices/export?format=xlsx&priceListId=${dealerId}`);
    expect(res.statusCode, res.payload.slice(0, 300)).toBe(200);
    const rows = await readWorkbook(res.rawPayload);
    expect(rows[0]).toEqual([
      '价目表编码',
      '价目表名称',
      '商品编码',
      '商品名称',
      '起订量',
      '价格(元)或折扣%',
      '底价(元)',
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => [r[2], r[4], r[5], r[6] ?? ''])
        .sort(),
    ).toEqual(
      [
        ['LT-3100', '0', '117500', '114000'],
        ['LT-3100', '10', '96%', ''],
        ['VAN-E5', '1', '152800.5', ''],
      ].sort(),
    );
  });

  it('a rep may export but not import prices', async () => {
    const rep = await as(t.app, 'rep01');
    const { payload, headers } = multipartFile(
      'prices.xlsx',
      await workbook([HEADER, ['DEALER', 'LT-3100', '', '1', '']]),
    );
    const up = await rep.request('POST', '/imports?entity=prices', payload, headers);
    expect(up.statusCode).toBe(403);
    expect((await rep.get('/price-lists/prices/export?format=csv')).statusCode).toBe(200);
  });
});
