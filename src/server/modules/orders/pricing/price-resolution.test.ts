import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CandidateList,
  type CandidateRule,
  checkFloor,
  eightNine,
  PRICE_CHANNELS,
  type PriceChannel,
  type PriceRequest,
  type PricingCustomer,
  type PricingProduct,
  resolvePrice,
} from './price-resolution.js';

// Price resolution, the pure rule: a table of named cases from the seeds, then invariants.

const ROOT = '00000000-0000-7000-8000-000000000001';
const EAST = '00000000-0000-7000-8000-0000000000e1';
const EAST_TEAM = '00000000-0000-7000-8000-0000000000e2';
const SOUTH = '00000000-0000-7000-8000-0000000000f1';
const VEHICLES = 'cat-vehicles';
const LIGHT_TRUCKS = 'cat-light-trucks';

// 轻卡 LT-3100, list price ¥126,800.
const truck: PricingProduct = {
  id: 'p-truck',
  categoryPath: [VEHICLES, LIGHT_TRUCKS],
  listPrice: 12_680_000,
};
// 刹车片 (a part), list price ¥368.
const pads: PricingProduct = { id: 'p-pads', categoryPath: ['cat-parts'], listPrice: 36_800 };

const fleetA: PricingCustomer = {
  id: 'c-fleet',
  grade: 'A',
  orgUnitPath: `/${ROOT}/${EAST}/${EAST_TEAM}/`,
  partnerTier: null,
};
const southB: PricingCustomer = {
  id: 'c-south',
  grade: 'B',
  orgUnitPath: `/${ROOT}/${SOUTH}/`,
  partnerTier: null,
};
const dealerGold: PricingCustomer = {
  id: 'c-dealer',
  grade: 'B',
  orgUnitPath: `/${ROOT}/${EAST}/`,
  partnerTier: 'gold',
};

let ruleSeq = 0;
const rule = (r: Partial<CandidateRule>): CandidateRule => ({
  id: `r${++ruleSeq}`,
  productId: null,
  categoryId: null,
  minQuantity: '0',
  price: null,
  percent: null,
  floorPrice: null,
  ...r,
});
const list = (l: Partial<CandidateList> & Pick<CandidateList, 'code' | 'rules'>): CandidateList => ({
  id: `l-${l.code}`,
  name: l.code,
  priority: 0,
  status: 'active',
  effectiveFrom: null,
  effectiveTo: null,
  channel: null,
  regionId: null,
  customerGrade: null,
  partnerTier: null,
  customerId: null,
  rounding: 'none',
  roundingMaxPercent: '1',
  roundingMaxRaise: 10_000,
  ...l,
});

// The demo's eight lists, reduced to what the cases need.
const LISTS: CandidateList[] = [
  list({
    code: 'DEALER',
    channel: 'partner',
    priority: 20,
    rules: [rule({ productId: truck.id, price: 11_800_000, floorPrice: 11_500_000 })],
  }),
  list({
    code: 'DEALER-GOLD',
    channel: 'partner',
    partnerTier: 'gold',
    priority: 20,
    rules: [rule({ productId: truck.id, price: 11_600_000, floorPrice: 11_300_000 })],
  }),
  list({
    code: 'KEY-ACCOUNT',
    customerGrade: 'A',
    priority: 10,
    rules: [rule({ categoryId: VEHICLES, percent: '95' })],
  }),
  list({
    code: 'EAST',
    regionId: EAST,
    priority: 5,
    rules: [rule({ productId: truck.id, price: 12_500_000 })],
  }),
  list({
    code: 'SOUTH',
    regionId: SOUTH,
    priority: 5,
    rules: [rule({ productId: truck.id, price: 12_450_000 })],
  }),
  list({
    code: 'STORE',
    channel: 'store',
    priority: 5,
    rounding: 'eight_nine',
    rules: [
      rule({ categoryId: LIGHT_TRUCKS, percent: '97.35' }),
      rule({ categoryId: 'cat-parts', percent: '100' }),
    ],
  }),
  list({
    code: 'ONLINE',
    channel: 'online',
    priority: 5,
    rules: [rule({ categoryId: VEHICLES, percent: '98' })],
  }),
  list({
    code: 'MID-YEAR',
    priority: 50,
    effectiveFrom: '2026-06-01',
    effectiveTo: '2026-06-30',
    rules: [rule({ productId: truck.id, price: 11_980_000, floorPrice: 11_500_000 })],
  }),
  list({
    code: 'FLEET-VOLUME',
    channel: 'direct',
    priority: 8,
    rules: [
      rule({ productId: truck.id, minQuantity: '5', percent: '96', floorPrice: 11_800_000 }),
      rule({ productId: truck.id, minQuantity: '10', percent: '93' }),
      rule({ productId: truck.id, minQuantity: '20', percent: '90', floorPrice: 11_000_000 }),
    ],
  }),
];

interface Case {
  name: string;
  product?: PricingProduct;
  customer: PricingCustomer | null;
  channel: PriceChannel;
  date?: string;
  quantity?: string;
  list: string | null;
  unitPrice: number;
  floor?: number | null;
  tier?: string | null;
}

const CASES: Case[] = [
  {
    name: 'a walk-in buyer in a store pays the store price, 8/9-rounded (¥123,439.80 → ¥123,480)',
    customer: null,
    channel: 'store',
    list: 'STORE',
    unitPrice: 12_348_000,
  },
  {
    name: 'an online buyer gets 98% of list',
    customer: null,
    channel: 'online',
    list: 'ONLINE',
    unitPrice: 12_426_400,
  },
  {
    name: 'a direct sale to nobody in particular is the catalog price',
    customer: null,
    channel: 'direct',
    list: null,
    unitPrice: 12_680_000,
  },
  {
    name: 'an A fleet customer of 华东 gets the key-account price (grade beats region on priority)',
    customer: fleetA,
    channel: 'direct',
    list: 'KEY-ACCOUNT',
    unitPrice: 12_046_000,
  },
  {
    name: 'a B customer of 华南 gets the 华南 regional price',
    customer: southB,
    channel: 'direct',
    list: 'SOUTH',
    unitPrice: 12_450_000,
  },
  {
    name: 'a dealer (partner channel) gets the dealer price with its floor',
    customer: southB,
    channel: 'partner',
    list: 'DEALER',
    unitPrice: 11_800_000,
    floor: 11_500_000,
  },
  {
    name: 'a gold dealer wins over the plain dealer list on specificity',
    customer: dealerGold,
    channel: 'partner',
    list: 'DEALER-GOLD',
    unitPrice: 11_600_000,
    floor: 11_300_000,
  },
  {
    name: 'in June the mid-year promotion beats everything',
    customer: fleetA,
    channel: 'direct',
    date: '2026-06-15',
    list: 'MID-YEAR',
    unitPrice: 11_980_000,
    floor: 11_500_000,
  },
  {
    name: 'on 1 July the promotion is over',
    customer: southB,
    channel: 'direct',
    date: '2026-07-01',
    list: 'SOUTH',
    unitPrice: 12_450_000,
  },
  {
    name: 'the promotion applies on its first day (dates inclusive)',
    customer: null,
    channel: 'online',
    date: '2026-06-01',
    list: 'MID-YEAR',
    unitPrice: 11_980_000,
  },
  {
    name: '4 trucks bought direct by a B customer do not reach the volume tier',
    customer: southB,
    channel: 'direct',
    quantity: '4',
    list: 'SOUTH',
    unitPrice: 12_450_000,
  },
  {
    name: '5 trucks reach the first volume tier (96%)',
    customer: southB,
    channel: 'direct',
    quantity: '5',
    list: 'FLEET-VOLUME',
    unitPrice: 12_172_800,
    floor: 11_800_000,
    tier: '5',
  },
  {
    name: '12 trucks reach the 10+ tier (93%), floor inherited from the 5+ tier',
    customer: southB,
    channel: 'direct',
    quantity: '12',
    list: 'FLEET-VOLUME',
    unitPrice: 11_792_400,
    floor: 11_800_000,
    tier: '10',
  },
  {
    name: '20 trucks reach the 20+ tier (90%) with its own floor',
    customer: southB,
    channel: 'direct',
    quantity: '20',
    list: 'FLEET-VOLUME',
    unitPrice: 11_412_000,
    floor: 11_000_000,
    tier: '20',
  },
  {
    name: 'a part in the store: ¥368 is too small for 8/9 within ¥3.68, stays ¥368',
    product: pads,
    customer: null,
    channel: 'store',
    list: 'STORE',
    unitPrice: 36_800,
  },
  {
    name: 'a part bought by an A customer: the key-account list has no rule for parts',
    product: pads,
    customer: fleetA,
    channel: 'direct',
    list: null,
    unitPrice: 36_800,
  },
];

describe('price resolution: cases from the seeds', () => {
  it.each(CASES)('$name', (c) => {
    const r = resolvePrice({
      product: c.product ?? truck,
      customer: c.customer,
      channel: c.channel,
      date: c.date ?? '2026-03-10',
      quantity: c.quantity ?? '1',
      lists: LISTS,
    });
    expect(r.priceList?.code ?? null).toBe(c.list);
    expect(r.unitPrice).toBe(c.unitPrice);
    if (c.floor !== undefined) expect(r.floor).toBe(c.floor);
    if (c.tier !== undefined) expect(r.tier).toBe(c.tier);
  });

  it('explains the store price step by step: skipped lists, the winner, the losers, the 8/9 rounding', () => {
    const r = resolvePrice({
      product: truck,
      customer: null,
      channel: 'store',
      date: '2026-03-10',
      quantity: '1',
      lists: LISTS,
    });
    const steps = r.explanation.map((s) => s.step);
    expect(steps).toContain('list_skipped');
    expect(r.explanation.find((s) => s.step === 'list_skipped' && s.list.code === 'MID-YEAR')).toMatchObject({
      reason: 'not_yet_effective',
    });
    expect(r.explanation.find((s) => s.step === 'list_skipped' && s.list.code === 'DEALER')).toMatchObject({
      reason: 'channel',
    });
    expect(r.explanation.find((s) => s.step === 'list_skipped' && s.list.code === 'EAST')).toMatchObject({
      reason: 'region',
    });
    expect(r.explanation.find((s) => s.step === 'list_matched')).toMatchObject({ list: { code: 'STORE' } });
    expect(r.explanation.find((s) => s.step === 'percent_of_list')).toMatchObject({
      percent: '97.35',
      price: 12_343_980,
    });
    expect(r.explanation.at(-1)).toEqual({
      step: 'rounding',
      mode: 'eight_nine',
      from: 12_343_980,
      to: 12_348_000,
      applied: true,
      bound: 10_000,
    });
    expect(r.rounding).toEqual({ mode: 'eight_nine', from: 12_343_980, to: 12_348_000, applied: true });
  });

  it('names the list that lost and on what', () => {
    const r = resolvePrice({
      product: truck,
      customer: dealerGold,
      channel: 'partner',
      date: '2026-03-10',
      quantity: '1',
      lists: LISTS,
    });
    expect(r.explanation.find((s) => s.step === 'list_lost')).toEqual({
      step: 'list_lost',
      list: { id: 'l-DEALER', code: 'DEALER', name: 'DEALER' },
      to: { id: 'l-DEALER-GOLD', code: 'DEALER-GOLD', name: 'DEALER-GOLD' },
      on: 'specificity',
    });
  });

  it('a product rule wins over its category rule in the same list', () => {
    const l = list({
      code: 'X',
      rules: [rule({ categoryId: VEHICLES, percent: '90' }), rule({ productId: truck.id, price: 100 })],
    });
    expect(
      resolvePrice({
        product: truck,
        customer: null,
        channel: 'direct',
        date: '2026-01-01',
        quantity: '1',
        lists: [l],
      }).unitPrice,
    ).toBe(100);
  });

  it('a sub-category rule wins over its parent category rule', () => {
    const l = list({
      code: 'X',
      rules: [
        rule({ categoryId: VEHICLES, percent: '90' }),
        rule({ categoryId: LIGHT_TRUCKS, percent: '80' }),
      ],
    });
    const r = resolvePrice({
      product: truck,
      customer: null,
      channel: 'direct',
      date: '2026-01-01',
      quantity: '1',
      lists: [l],
    });
    expect(r.unitPrice).toBe(10_144_000);
    expect(r.explanation.find((s) => s.step === 'rule')).toMatchObject({
      target: 'category',
      categoryId: LIGHT_TRUCKS,
    });
  });

  it('a list for one customer beats the same-priority list for its grade', () => {
    const mine = list({
      code: 'Z-MINE',
      customerId: fleetA.id,
      rules: [rule({ productId: truck.id, price: 1 })],
    });
    const grade = list({
      code: 'A-GRADE',
      customerGrade: 'A',
      rules: [rule({ productId: truck.id, price: 2 })],
    });
    expect(
      resolvePrice({
        product: truck,
        customer: fleetA,
        channel: 'direct',
        date: '2026-01-01',
        quantity: '1',
        lists: [grade, mine],
      }).priceList?.code,
    ).toBe('Z-MINE');
  });

  it('on equal priority and specificity the most recently effective list wins, then the code', () => {
    const older = list({
      code: 'A-OLD',
      effectiveFrom: '2025-01-01',
      rules: [rule({ productId: truck.id, price: 1 })],
    });
    const newer = list({
      code: 'B-NEW',
      effectiveFrom: '2026-01-01',
      rules: [rule({ productId: truck.id, price: 2 })],
    });
    const open = list({ code: 'AA-OPEN', rules: [rule({ productId: truck.id, price: 3 })] });
    expect(
      resolvePrice({
        product: truck,
        customer: null,
        channel: 'direct',
        date: '2026-02-01',
        quantity: '1',
        lists: [older, open, newer],
      }).priceList?.code,
    ).toBe('B-NEW');
    const twin = list({
      code: 'A-TWIN',
      effectiveFrom: '2026-01-01',
      rules: [rule({ productId: truck.id, price: 4 })],
    });
    expect(
      resolvePrice({
        product: truck,
        customer: null,
        channel: 'direct',
        date: '2026-02-01',
        quantity: '1',
        lists: [newer, twin],
      }).priceList?.code,
    ).toBe('A-TWIN');
  });

  it('an archived list never applies', () => {
    const l = list({ code: 'X', status: 'archived', rules: [rule({ productId: truck.id, price: 1 })] });
    const r = resolvePrice({
      product: truck,
      customer: null,
      channel: 'direct',
      date: '2026-01-01',
      quantity: '1',
      lists: [l],
    });
    expect(r.priceList).toBeNull();
    expect(r.explanation[0]).toMatchObject({ step: 'list_skipped', reason: 'archived' });
  });

  it('rounds to whole yuan half up when the list says so', () => {
    const l = list({
      code: 'Y',
      rounding: 'yuan',
      rules: [rule({ productId: truck.id, price: 12_345_650 })],
    });
    expect(
      resolvePrice({
        product: truck,
        customer: null,
        channel: 'direct',
        date: '2026-01-01',
        quantity: '1',
        lists: [l],
      }).unitPrice,
    ).toBe(12_345_700);
  });

  it('checkFloor: below the floor needs approval, at the floor does not, no floor never does', () => {
    expect(checkFloor({ floor: 11_500_000 }, 11_499_999)).toEqual({
      belowFloor: true,
      floor: 11_500_000,
      shortfall: 1,
    });
    expect(checkFloor({ floor: 11_500_000 }, 11_500_000).belowFloor).toBe(false);
    expect(checkFloor({ floor: null }, 0).belowFloor).toBe(false);
  });
});

describe('the 8/9 rule (八九原则)', () => {
  it.each([
    // [price fen, expected fen, applied] with the default bound: min(1%, ¥100)
    [1_234_500, 1_238_000, true], // ¥12,345 → ¥12,380 (+¥35)
    [1_238_100, 1_239_000, true], // ¥12,381 → ¥12,390 (+¥9)
    [1_239_100, 1_248_000, true], // ¥12,391 → ¥12,480 (+¥89 ≤ ¥100 and ≤ ¥123.91)
    [15_895_000, 15_898_000, true], // ¥158,950 → ¥158,980 (+¥30)
    [15_880_000, 15_888_000, true], // ¥158,800 → ¥158,880 (+¥80)
    [15_888_000, 15_888_000, true], // already ends in 80
    [15_899_500, 15_908_000, true], // ¥158,995 → ¥159,080 (+¥85)
    [12_343_980, 12_348_000, true], // ¥123,439.80 → ¥123,480 (+¥40.20)
    [800_000, 808_000, true], // ¥8,000 → ¥8,080 (+¥80 ≤ 1% = ¥80)
    [799_500, 799_500, false], // ¥7,995 → ¥8,080 would be +¥85 > 1% (¥79.95): unchanged
    [1_234_500, 1_234_500, false, '0.2'], // with a 0.2% bound (¥24.69) the +¥35 is too much
    [36_800, 36_800, false], // ¥368: ¥380 is +¥12 > 1% (¥3.68)
  ] as [number, number, boolean, string?][])(
    '%i fen → %i fen (applied: %s)',
    (price, expected, applied, pct) => {
      const r = eightNine(price, pct ?? '1', 10_000);
      expect(r.price).toBe(expected);
      expect(r.applied).toBe(applied);
    },
  );
});

// ------------------------------------------------------------------------------------------------
// Invariants

const productArb = fc.record({
  id: fc.constantFrom('p1', 'p2'),
  categoryPath: fc.constantFrom([], ['c1'], ['c1', 'c2']),
  listPrice: fc.integer({ min: 0, max: 100_000_000 }),
});
const dateArb = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const qtyArb = fc
  .integer({ min: 1, max: 100_000 })
  .map((n) => (n % 7 === 0 ? `${n / 1000}` : String(n % 500 || 1)));
const ruleArb = fc
  .record({
    id: fc.uuid(),
    productId: fc.constantFrom(null, 'p1', 'p2'),
    categoryId: fc.constantFrom(null, 'c1', 'c2'),
    minQuantity: fc.constantFrom('0', '1', '5', '10', '20.5', '100'),
    price: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
    percent: fc.constantFrom('50', '90', '95.5', '100', '120'),
    floorPrice: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
  })
  .map((r) => ({
    ...r,
    // exactly one target and one basis, as the database enforces
    categoryId: r.productId ? null : (r.categoryId ?? 'c1'),
    percent: r.price === null ? r.percent : null,
  }));
const listArb = fc.record({
  id: fc.uuid(),
  code: fc.stringMatching(/^[A-Z]{1,4}$/),
  name: fc.constant('n'),
  priority: fc.integer({ min: -3, max: 3 }),
  status: fc.constantFrom('active', 'active', 'archived') as fc.Arbitrary<'active' | 'archived'>,
  effectiveFrom: fc.option(dateArb, { nil: null }),
  effectiveTo: fc.option(dateArb, { nil: null }),
  channel: fc.option(fc.constantFrom(...PRICE_CHANNELS), { nil: null }),
  regionId: fc.option(fc.constantFrom('east', 'south'), { nil: null }),
  customerGrade: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null }),
  partnerTier: fc.option(fc.constantFrom('gold', 'silver'), { nil: null }),
  customerId: fc.option(fc.constantFrom('cust1', 'cust2'), { nil: null }),
  rounding: fc.constantFrom('none', 'yuan', 'eight_nine') as fc.Arbitrary<'none' | 'yuan' | 'eight_nine'>,
  roundingMaxPercent: fc.constantFrom('0', '1', '2.5'),
  roundingMaxRaise: fc.constantFrom(0, 5_000, 10_000),
  rules: fc.array(ruleArb, { maxLength: 6 }),
});
const customerArb = fc.option(
  fc.record({
    id: fc.constantFrom('cust1', 'cust2', 'cust3'),
    grade: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null }),
    orgUnitPath: fc.constantFrom('/root/east/team/', '/root/south/', null),
    partnerTier: fc.option(fc.constantFrom('gold', 'silver'), { nil: null }),
  }),
  { nil: null },
);
const requestArb: fc.Arbitrary<PriceRequest> = fc.record({
  product: productArb,
  customer: customerArb,
  channel: fc.constantFrom(...PRICE_CHANNELS),
  date: dateArb,
  quantity: qtyArb,
  lists: fc.uniqueArray(listArb, { maxLength: 6, selector: (l) => l.id }),
});

describe('price resolution: invariants', () => {
  it('is a whole, non-negative number of fen, and the floor too', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const r = resolvePrice(req);
        expect(Number.isSafeInteger(r.unitPrice)).toBe(true);
        expect(r.unitPrice).toBeGreaterThanOrEqual(0);
        if (r.floor !== null) expect(Number.isSafeInteger(r.floor) && r.floor >= 0).toBe(true);
      }),
    );
  });

  it('does not depend on the order the candidate lists come in', () => {
    fc.assert(
      fc.property(requestArb, fc.nat(), (req, seed) => {
        const shuffled = [...req.lists].sort(
          (a, b) => ((a.id.charCodeAt(seed % 8) ^ seed) % 5) - ((b.id.charCodeAt(seed % 8) ^ seed) % 5),
        );
        const a = resolvePrice(req);
        const b = resolvePrice({ ...req, lists: shuffled.reverse() });
        expect(b.unitPrice).toBe(a.unitPrice);
        expect(b.priceList).toEqual(a.priceList);
        expect(b.explanation).toEqual(a.explanation);
      }),
    );
  });

  it('never uses a list outside its dates or that is archived or whose conditions fail', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const r = resolvePrice(req);
        if (!r.priceList) return;
        const used = req.lists.find((l) => l.id === r.priceList!.id)!;
        expect(used.status).toBe('active');
        if (used.effectiveFrom) expect(req.date >= used.effectiveFrom).toBe(true);
        if (used.effectiveTo) expect(req.date <= used.effectiveTo).toBe(true);
        if (used.channel) expect(used.channel).toBe(req.channel);
        if (used.customerId) expect(req.customer?.id).toBe(used.customerId);
        if (used.customerGrade) expect(req.customer?.grade).toBe(used.customerGrade);
      }),
    );
  });

  it('a higher-priority list that applies always wins', () => {
    fc.assert(
      fc.property(requestArb, fc.integer({ min: 0, max: 100_000 }), (req, price) => {
        const top = {
          id: 'top',
          code: 'TOP',
          name: 'top',
          priority: 99,
          status: 'active' as const,
          effectiveFrom: null,
          effectiveTo: null,
          channel: null,
          regionId: null,
          customerGrade: null,
          partnerTier: null,
          customerId: null,
          rounding: 'none' as const,
          roundingMaxPercent: '1',
          roundingMaxRaise: 10_000,
          rules: [
            {
              id: 'top-r',
              productId: req.product.id,
              categoryId: null,
              minQuantity: '0',
              price,
              percent: null,
              floorPrice: null,
            },
          ],
        };
        const r = resolvePrice({ ...req, lists: [...req.lists, top] });
        expect(r.priceList?.code).toBe('TOP');
        expect(r.unitPrice).toBe(price);
      }),
    );
  });

  it('buying more never raises the unit price within one list', () => {
    fc.assert(
      fc.property(
        requestArb,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        (req, q, more) => {
          const one = req.lists.find((l) => l.status === 'active');
          if (!one) return;
          const single = {
            ...one,
            effectiveFrom: null,
            effectiveTo: null,
            channel: null,
            regionId: null,
            customerGrade: null,
            partnerTier: null,
            customerId: null,
          };
          const small = resolvePrice({ ...req, quantity: String(q), lists: [single] });
          const large = resolvePrice({ ...req, quantity: String(q + more), lists: [single] });
          if (small.priceList) expect(large.unitPrice).toBeLessThanOrEqual(small.unitPrice);
        },
      ),
    );
  });

  it('the 8/9 rule never lowers a price, stays within its bound, and ends in …80 or …90 yuan when applied', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.constantFrom('0', '0.5', '1', '2', '5'),
        fc.integer({ min: 0, max: 100_000 }),
        (price, pct, cap) => {
          const r = eightNine(price, pct, cap);
          expect(r.price).toBeGreaterThanOrEqual(price);
          expect(r.price - price).toBeLessThanOrEqual(r.bound);
          expect(r.bound).toBeLessThanOrEqual(cap);
          if (r.applied) {
            expect(r.price % 100).toBe(0);
            expect([80, 90]).toContain((r.price / 100) % 100);
          } else expect(r.price).toBe(price);
        },
      ),
    );
  });

  it('the 8/9 rule is monotone: a higher price never rounds to less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000 }), (p, d) => {
        expect(eightNine(p + d, '1', 10_000).price).toBeGreaterThanOrEqual(eightNine(p, '1', 10_000).price);
      }),
    );
  });

  it('without any list that applies, the catalog list price is the price', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const r = resolvePrice({
          ...req,
          lists: req.lists.map((l) => ({ ...l, status: 'archived' as const })),
        });
        expect(r.unitPrice).toBe(req.product.listPrice);
        expect(r.priceList).toBeNull();
        expect(r.floor).toBeNull();
      }),
    );
  });
});
