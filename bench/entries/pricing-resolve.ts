import { eq } from 'drizzle-orm';
import { productCategories, products } from '../../src/server/modules/orders/catalog/schema.js';
import {
  type CandidateList,
  resolvePrice,
} from '../../src/server/modules/orders/pricing/price-resolution.js';
import { resolvePriceFor } from '../../src/server/modules/orders/pricing/pricing.service.js';
import { priceListRules, priceLists } from '../../src/server/modules/orders/pricing/schema.js';
import type { TaskEntry } from '../lib/entry.js';
import { withPeakRss } from '../lib/load.js';

const LISTS = 200;
const RULES_PER_LIST = 50; // 10,000 rules
const PRODUCTS = 1_000;
const CHANNELS = ['direct', 'store', 'online', 'partner'] as const;

/** Milliseconds per call of `fn`, `n` times after a warm-up: p50, p99 and calls/s. */
async function perCall(n: number, fn: (i: number) => Promise<unknown> | unknown) {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i);
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    times.push(performance.now() - s);
  }
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), rate: n / seconds, seconds };
}

const ms = (v: number) => (v < 1 ? v.toFixed(3) : v.toFixed(2));

/**
 * Issue 5 item 9: price resolution with 10,000 price-list rules over 200 lists (every list
 * prices the measured product, by product or by its category, a third with quantity tiers, with
 * channel / grade / date conditions). Per call: the service path (load candidates + resolve),
 * the pure function alone on the same candidates, and the baseline — a bare indexed single-row
 * select of the product's list price on the same connection.
 */
export const pricingResolveEntry: TaskEntry = {
  kind: 'task',
  name: 'pricing-resolve',
  title: 'price resolution, 10k rules (per call)',
  async run(ctx) {
    const db = ctx.database.db;
    const [category] = await db
      .insert(productCategories)
      .values({ code: `BENCH-PRICING-${Date.now()}`, name: '压测类别' })
      .returning();
    const stamp = Date.now().toString(36);
    const items = await db
      .insert(products)
      .values(
        Array.from({ length: PRODUCTS }, (_, i) => ({
          sku: `BP-${stamp}-${i}`,
          name: `压测商品${i}`,
          uom: '台',
          listPrice: 1_000_000 + i * 1_000,
          categoryId: category!.id,
        })),
      )
      .returning({ id: products.id });
    const hot = items[0]!.id;
    for (let l = 0; l < LISTS; l++) {
      const [list] = await db
        .insert(priceLists)
        .values({
          code: `BENCH-${stamp}-${l}`,
          name: `压测价目表${l}`,
          priority: l % 17,
          channel: l % 3 === 0 ? CHANNELS[l % 4] : null,
          customerGrade: l % 5 === 0 ? (['A', 'B', 'C'] as const)[l % 3] : null,
          effectiveFrom: l % 7 === 0 ? '2020-01-01' : null,
          rounding: l % 4 === 0 ? 'eight_nine' : 'none',
        })
        .returning({ id: priceLists.id });
      const rules: (typeof priceListRules.$inferInsert)[] = [];
      // The measured product: by itself in half the lists (tiers in a third), by category in the rest.
      if (l % 2 === 0) {
        rules.push({ priceListId: list!.id, productId: hot, price: 900_000 + l, floorPrice: 800_000 });
        if (l % 3 === 0)
          rules.push({ priceListId: list!.id, productId: hot, minQuantity: '10', percent: '90' });
      } else rules.push({ priceListId: list!.id, categoryId: category!.id, percent: String(80 + (l % 20)) });
      for (let k = 1; rules.length < RULES_PER_LIST; k++)
        rules.push({
          priceListId: list!.id,
          productId: items[1 + ((l * 37 + k) % (PRODUCTS - 1))]!.id,
          price: 950_000 + k,
        });
      await db.insert(priceListRules).values(rules);
    }

    const requests = Array.from({ length: 64 }, (_, i) => ({
      productId: hot,
      channel: CHANNELS[i % 4]!,
      date: '2026-05-20',
      quantity: String(1 + (i % 15)),
    }));
    // The same candidates the service loads, for the pure function alone.
    const loaded = await db
      .select({ list: priceLists, rule: priceListRules })
      .from(priceListRules)
      .innerJoin(priceLists, eq(priceLists.id, priceListRules.priceListId));
    const candidates = new Map<string, CandidateList>();
    for (const { list, rule } of loaded) {
      if (rule.productId !== hot && rule.categoryId !== category!.id) continue;
      const c = candidates.get(list.id) ?? {
        ...list,
        rules: [],
      };
      c.rules.push(rule);
      candidates.set(list.id, c as CandidateList);
    }
    const lists = [...candidates.values()];

    const { result, peakRss } = await withPeakRss(async () => {
      const service = await perCall(2_000, (i) => resolvePriceFor(db, requests[i % requests.length]!));
      const pure = await perCall(20_000, (i) =>
        resolvePrice({
          product: { id: hot, categoryPath: [category!.id], listPrice: 1_000_000 },
          customer: null,
          ...requests[i % requests.length]!,
          lists,
        }),
      );
      const baseline = await perCall(2_000, () =>
        db.select({ listPrice: products.listPrice }).from(products).where(eq(products.id, hot)),
      );
      return { service, pure, baseline };
    });
    const { service, pure, baseline } = result;
    return {
      rate: service.rate,
      unit: 'calls/s',
      total: 2_000,
      seconds: service.seconds,
      peakRss,
      baseline: { label: 'indexed select of list price', rate: baseline.rate },
      notes: [
        `${LISTS} lists, ${LISTS * RULES_PER_LIST} rules; ${lists.length} lists are candidates for the measured product`,
        `service (load + resolve): p50 ${ms(service.p50)} ms, p99 ${ms(service.p99)} ms`,
        `pure resolvePrice on ${lists.length} candidate lists: p50 ${ms(pure.p50)} ms, p99 ${ms(pure.p99)} ms`,
        `baseline select: p50 ${ms(baseline.p50)} ms, p99 ${ms(baseline.p99)} ms; service p99 = ${(service.p99 / baseline.p99).toFixed(1)}× baseline p99`,
      ],
    };
  },
};
