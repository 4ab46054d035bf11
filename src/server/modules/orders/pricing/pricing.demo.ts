import type { Faker } from '@faker-js/faker';
import type { Db } from '../../../db/client.js';
import { priceListRules, priceLists } from './schema.js';

// Demo price lists of the vehicle dealer: eight lists covering every kind of condition — channel,
// region, customer grade, dates and quantity tiers — with floors on the dealer and promotion
// lists and the 8/9 ending in the stores. Deterministic for a given faker seed and month.

export interface DemoPricingInput {
  products: { id: string; listPrice: number; categoryId?: string }[];
  /** Org units used as regions: the first is 华东, the second 华南. */
  regions: { id: string }[];
  now?: Date;
}

type Rule = typeof priceListRules.$inferInsert;

const pct = (fen: number, percent: number) => Math.round((fen * percent) / 100);
const toYuan = (fen: number) => Math.round(fen / 100) * 100;

export async function seedPricingDemo(
  tx: Db,
  faker: Faker,
  input: DemoPricingInput,
): Promise<{ priceLists: number; rules: number }> {
  // A promotion running this month and next, so the tester shows it winning today.
  const now = input.now ?? new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 0));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const promo = day(first).slice(0, 7).replace('-', '');
  const categories = [...new Set(input.products.map((p) => p.categoryId).filter((c): c is string => !!c))];
  const byCategory = (percent: string): Omit<Rule, 'priceListId'>[] =>
    categories.length
      ? categories.map((categoryId) => ({ categoryId, percent }))
      : input.products.map((p) => ({ productId: p.id, percent }));
  // Vehicles are the expensive half of the catalog: volume tiers and promotions are for them.
  const sorted = [...input.products].sort((a, b) => b.listPrice - a.listPrice || (a.id < b.id ? -1 : 1));
  const vehicles = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 2)));
  const promoted = faker.helpers.arrayElements(vehicles, Math.max(1, Math.round(vehicles.length * 0.3)));

  const lists: { list: typeof priceLists.$inferInsert; rules: Omit<Rule, 'priceListId'>[] }[] = [
    {
      list: { code: 'DEALER', name: '经销商价', channel: 'partner', priority: 20 },
      rules: input.products.map((p) => ({
        productId: p.id,
        price: toYuan(pct(p.listPrice, 90)),
        floorPrice: toYuan(pct(p.listPrice, 86)),
      })),
    },
    {
      list: { code: 'KEY-ACCOUNT', name: '大客户价', customerGrade: 'A', priority: 10 },
      rules: byCategory('95'),
    },
    {
      list: { code: 'EAST', name: '华东区域价', regionId: input.regions[0]?.id ?? null, priority: 5 },
      rules: byCategory('98'),
    },
    {
      list: {
        code: 'SOUTH',
        name: '华南区域价',
        regionId: input.regions[1]?.id ?? input.regions[0]?.id ?? null,
        priority: 5,
      },
      rules: byCategory('97'),
    },
    {
      list: { code: 'STORE', name: '门店零售价', channel: 'store', priority: 5, rounding: 'eight_nine' },
      rules: byCategory('100'),
    },
    {
      list: { code: 'ONLINE', name: '网店价', channel: 'online', priority: 5, rounding: 'yuan' },
      rules: byCategory('97.5'),
    },
    {
      list: {
        code: `PROMO-${promo}`,
        name: '年末冲量促销价',
        priority: 50,
        effectiveFrom: day(first),
        effectiveTo: day(last),
      },
      rules: promoted.map((p) => ({
        productId: p.id,
        price: toYuan(pct(p.listPrice, faker.helpers.arrayElement([88, 90, 92]))),
        floorPrice: toYuan(pct(p.listPrice, 85)),
      })),
    },
    {
      list: { code: 'FLEET', name: '车队批量价', channel: 'direct', priority: 8 },
      rules: vehicles.flatMap((p) => [
        { productId: p.id, minQuantity: '5', percent: '97', floorPrice: toYuan(pct(p.listPrice, 90)) },
        { productId: p.id, minQuantity: '10', percent: '95' },
        { productId: p.id, minQuantity: '20', percent: '92', floorPrice: toYuan(pct(p.listPrice, 87)) },
      ]),
    },
  ];

  let rules = 0;
  for (const { list, rules: listRules } of lists) {
    const [row] = await tx.insert(priceLists).values(list).returning({ id: priceLists.id });
    for (let i = 0; i < listRules.length; i += 500) {
      const chunk = listRules.slice(i, i + 500).map((r) => ({ ...r, priceListId: row!.id }));
      await tx.insert(priceListRules).values(chunk);
    }
    rules += listRules.length;
  }
  return { priceLists: lists.length, rules };
}
