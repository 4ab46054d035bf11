import { Decimal } from 'decimal.js';

// Price resolution (issue 5 item 2): one pure function, no database. The service loads the
// candidate lists and rules; this file decides which list applies, which rule and tier, the
// floor and the rounding, and explains every step so the UI can show why.

export const PRICE_CHANNELS = ['direct', 'store', 'online', 'partner'] as const;
export type PriceChannel = (typeof PRICE_CHANNELS)[number];
export const PRICE_ROUNDINGS = ['none', 'yuan', 'eight_nine'] as const;
export type PriceRounding = (typeof PRICE_ROUNDINGS)[number];
export const CUSTOMER_GRADES = ['A', 'B', 'C'] as const;

/** Defaults of the 8/9 rule's bound: raise at most 1% of the unit price and at most ¥100. */
export const EIGHT_NINE_DEFAULT_PERCENT = '1';
export const EIGHT_NINE_DEFAULT_MAX_RAISE = 10_000;

export interface PricingProduct {
  id: string;
  /** Category ids from the root down to the product's own category ([] without a category). */
  categoryPath: readonly string[];
  /** Catalog list price in fen, tax inclusive. */
  listPrice: number;
}

export interface PricingCustomer {
  id: string;
  grade: string | null;
  /** The customer's org unit path, '/root/region/team/'. */
  orgUnitPath: string | null;
  partnerTier: string | null;
}

export interface CandidateRule {
  id: string;
  productId: string | null;
  categoryId: string | null;
  /** Decimal string; the tier applies from this quantity on ('0' = the base price). */
  minQuantity: string;
  /** Fixed unit price in fen, or null when the rule is a percentage of the list price. */
  price: number | null;
  /** Percentage of the list price as a decimal string ('95' = 95%), or null. */
  percent: string | null;
  floorPrice: number | null;
}

export interface CandidateList {
  id: string;
  code: string;
  name: string;
  priority: number;
  status: 'active' | 'archived';
  /** Business dates 'YYYY-MM-DD', inclusive; null = open. */
  effectiveFrom: string | null;
  effectiveTo: string | null;
  channel: PriceChannel | null;
  regionId: string | null;
  customerGrade: string | null;
  partnerTier: string | null;
  customerId: string | null;
  rounding: PriceRounding;
  /** 8/9 rule bound: the raise may be at most this percentage of the price … */
  roundingMaxPercent: string;
  /** … and at most this many fen. */
  roundingMaxRaise: number;
  rules: CandidateRule[];
}

export interface PriceRequest {
  product: PricingProduct;
  customer: PricingCustomer | null;
  channel: PriceChannel;
  date: string;
  quantity: string;
  lists: CandidateList[];
}

export type SkipReason =
  | 'archived'
  | 'not_yet_effective'
  | 'expired'
  | 'channel'
  | 'region'
  | 'grade'
  | 'partner_tier'
  | 'customer'
  | 'no_rule'
  | 'tier_not_reached';
export type TieBreak = 'priority' | 'specificity' | 'effective_from' | 'code';

export interface ListRef {
  id: string;
  code: string;
  name: string;
}

/** Machine-readable steps, in order; the UI localises them (pricing.step.* keys). */
export type ExplanationStep =
  | { step: 'list_skipped'; list: ListRef; reason: SkipReason }
  | { step: 'list_matched'; list: ListRef; priority: number; specificity: number }
  | { step: 'list_lost'; list: ListRef; to: ListRef; on: TieBreak }
  | { step: 'rule'; ruleId: string; target: 'product' | 'category'; categoryId: string | null }
  | { step: 'tier'; minQuantity: string; quantity: string; tiers: number }
  | { step: 'fixed_price'; price: number }
  | { step: 'percent_of_list'; percent: string; listPrice: number; price: number }
  | { step: 'catalog_price'; listPrice: number }
  | { step: 'floor'; floor: number | null }
  | {
      step: 'rounding';
      mode: PriceRounding;
      from: number;
      to: number;
      applied: boolean;
      /** For the 8/9 rule: the raise allowed (fen). */
      bound?: number;
    };

export interface PriceResolution {
  unitPrice: number;
  listPrice: number;
  priceList: ListRef | null;
  ruleId: string | null;
  /** The minimum quantity of the tier used, or null without a list. */
  tier: string | null;
  floor: number | null;
  rounding: { mode: PriceRounding; from: number; to: number; applied: boolean } | null;
  explanation: ExplanationStep[];
}

const ref = (l: CandidateList): ListRef => ({ id: l.id, code: l.code, name: l.name });

/**
 * How specific a list is: a list for one named customer outranks any list without one; among
 * the others, more conditions win (华东 + grade A beats grade A alone).
 */
export function specificity(
  l: Pick<CandidateList, 'channel' | 'regionId' | 'customerGrade' | 'partnerTier' | 'customerId'>,
) {
  const others = [l.channel, l.regionId, l.customerGrade, l.partnerTier].filter((c) => c !== null).length;
  return (l.customerId !== null ? 10 : 0) + others;
}

/**
 * The order lists compete in: higher priority first, then the more specific list, then the one
 * effective most recently (an open start counts as oldest), then code (so the answer never
 * depends on the order the lists were loaded in). Returns negative when a ranks first, and what
 * decided.
 */
export function compareLists(a: CandidateList, b: CandidateList): [number, TieBreak] {
  if (a.priority !== b.priority) return [b.priority - a.priority, 'priority'];
  const s = specificity(b) - specificity(a);
  if (s !== 0) return [s, 'specificity'];
  const fa = a.effectiveFrom ?? '';
  const fb = b.effectiveFrom ?? '';
  if (fa !== fb) return [fa > fb ? -1 : 1, 'effective_from'];
  if (a.code !== b.code) return [a.code < b.code ? -1 : 1, 'code'];
  return [a.id < b.id ? -1 : a.id > b.id ? 1 : 0, 'code'];
}

/** Why a list does not apply to this customer, channel and date, or null when it does. */
export function conditionMismatch(
  list: CandidateList,
  customer: PricingCustomer | null,
  channel: PriceChannel,
  date: string,
): SkipReason | null {
  if (list.status !== 'active') return 'archived';
  if (list.effectiveFrom && date < list.effectiveFrom) return 'not_yet_effective';
  if (list.effectiveTo && date > list.effectiveTo) return 'expired';
  if (list.channel && list.channel !== channel) return 'channel';
  if (list.regionId && !customer?.orgUnitPath?.includes(`/${list.regionId}/`)) return 'region';
  if (list.customerGrade && customer?.grade !== list.customerGrade) return 'grade';
  if (list.partnerTier && customer?.partnerTier !== list.partnerTier) return 'partner_tier';
  if (list.customerId && customer?.id !== list.customerId) return 'customer';
  return null;
}

/**
 * The rules of one list that price this product: its own rules if it has any, else those of
 * its deepest category that has rules (a product rule beats a category rule; a sub-category's
 * beats its parent's).
 */
export function rulesForProduct(list: CandidateList, product: PricingProduct): CandidateRule[] {
  const own = list.rules.filter((r) => r.productId === product.id);
  if (own.length) return own;
  for (let i = product.categoryPath.length - 1; i >= 0; i--) {
    const byCategory = list.rules.filter(
      (r) => r.productId === null && r.categoryId === product.categoryPath[i],
    );
    if (byCategory.length) return byCategory;
  }
  return [];
}

/** A rule's unit price in fen: fixed, or the percentage of the list price rounded half up to the fen. */
export function rulePrice(rule: CandidateRule, listPrice: number): number {
  if (rule.price !== null) return rule.price;
  return new Decimal(listPrice)
    .times(rule.percent ?? '100')
    .dividedBy(100)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
}

/**
 * The tier that applies for a quantity: among the tiers reached (min quantity ≤ quantity), the
 * one giving the lowest price (reaching a higher tier never costs more; on a tie, the higher
 * tier). Null when no tier is reached.
 */
export function pickTier(rules: CandidateRule[], quantity: string, listPrice: number) {
  const q = new Decimal(quantity);
  let best: { rule: CandidateRule; price: number } | null = null;
  const sorted = [...rules].sort(
    (a, b) => new Decimal(a.minQuantity).comparedTo(b.minQuantity) || (a.id < b.id ? -1 : 1),
  );
  for (const rule of sorted) {
    if (new Decimal(rule.minQuantity).greaterThan(q)) break;
    const price = rulePrice(rule, listPrice);
    if (!best || price <= best.price) best = { rule, price };
  }
  return best;
}

/** The floor of the tier used, else the nearest lower tier's of the same rule set, else none. */
function floorOf(rules: CandidateRule[], chosen: CandidateRule): number | null {
  if (chosen.floorPrice !== null) return chosen.floorPrice;
  const lower = rules
    .filter((r) => r.floorPrice !== null && new Decimal(r.minQuantity).lessThan(chosen.minQuantity))
    .sort((a, b) => new Decimal(b.minQuantity).comparedTo(a.minQuantity));
  return lower[0]?.floorPrice ?? null;
}

/**
 * seed 000 八九原则: the unit price's last two yuan digits go UP to the nearest …80 or …90
 * (whole yuan, no fen) when that raises it by at most the bound — `maxPercent` of the price and
 * at most `maxRaise` fen, whichever is smaller — otherwise the price stays as it was.
 * E.g. ¥12,345.00 → ¥12,380 (raise ¥35 ≤ min(¥123.45, ¥100)); ¥158,800 → ¥158,880; ¥7,995 →
 * unchanged (¥8,080 would be ¥85 up, more than 1% = ¥79.95). The raise is below ¥90 (plus the
 * fen), so with the default bound every price from ¥9,000 up gets an 8/9 ending.
 */
export function eightNine(price: number, maxPercent: string, maxRaise: number) {
  const yuan = Math.ceil(price / 100);
  const hundreds = Math.floor(yuan / 100) * 100;
  const tail = yuan - hundreds;
  const target = tail <= 80 ? hundreds + 80 : tail <= 90 ? hundreds + 90 : hundreds + 180;
  const rounded = target * 100;
  const bound = Math.min(
    new Decimal(price).times(maxPercent).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_FLOOR).toNumber(),
    maxRaise,
  );
  const applied = rounded - price <= bound;
  return { price: applied ? rounded : price, applied, bound };
}

/** Whole yuan, half up. */
export const roundToYuan = (price: number) =>
  new Decimal(price).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(100).toNumber();

/**
 * (product, customer, channel, date, quantity, candidate lists) → the unit price, the list
 * used, the floor and why. Without a matching list the catalog list price applies, unrounded
 * and without a floor.
 */
export function resolvePrice(req: PriceRequest): PriceResolution {
  const { product, customer, channel, date, quantity } = req;
  const explanation: ExplanationStep[] = [];
  const ranked = [...req.lists].sort((a, b) => compareLists(a, b)[0]);

  let winner: {
    list: CandidateList;
    rules: CandidateRule[];
    tier: { rule: CandidateRule; price: number };
  } | null = null;
  // Every candidate is explained: skipped (and why), the winner, and those that would have
  // applied but rank below it.
  for (const list of ranked) {
    const mismatch = conditionMismatch(list, customer, channel, date);
    const rules = mismatch ? [] : rulesForProduct(list, product);
    const tier = rules.length ? pickTier(rules, quantity, product.listPrice) : null;
    const reason: SkipReason | null =
      mismatch ?? (!rules.length ? 'no_rule' : !tier ? 'tier_not_reached' : null);
    if (reason) explanation.push({ step: 'list_skipped', list: ref(list), reason });
    else if (winner)
      explanation.push({
        step: 'list_lost',
        list: ref(list),
        to: ref(winner.list),
        on: compareLists(winner.list, list)[1],
      });
    else {
      explanation.push({
        step: 'list_matched',
        list: ref(list),
        priority: list.priority,
        specificity: specificity(list),
      });
      winner = { list, rules, tier: tier! };
    }
  }

  if (!winner) {
    explanation.push({ step: 'catalog_price', listPrice: product.listPrice });
    return {
      unitPrice: product.listPrice,
      listPrice: product.listPrice,
      priceList: null,
      ruleId: null,
      tier: null,
      floor: null,
      rounding: null,
      explanation,
    };
  }

  const { list, rules, tier } = winner;
  const rule = tier.rule;
  explanation.push({
    step: 'rule',
    ruleId: rule.id,
    target: rule.productId ? 'product' : 'category',
    categoryId: rule.productId ? null : rule.categoryId,
  });
  explanation.push({
    step: 'tier',
    minQuantity: new Decimal(rule.minQuantity).toString(),
    quantity: new Decimal(quantity).toString(),
    tiers: rules.length,
  });
  explanation.push(
    rule.price !== null
      ? { step: 'fixed_price', price: rule.price }
      : {
          step: 'percent_of_list',
          percent: new Decimal(rule.percent!).toString(),
          listPrice: product.listPrice,
          price: tier.price,
        },
  );
  const floor = floorOf(rules, rule);
  explanation.push({ step: 'floor', floor });

  let unitPrice = tier.price;
  let rounding: PriceResolution['rounding'] = null;
  if (list.rounding === 'yuan') {
    const to = roundToYuan(unitPrice);
    rounding = { mode: 'yuan', from: unitPrice, to, applied: to !== unitPrice };
    explanation.push({ step: 'rounding', ...rounding });
    unitPrice = to;
  } else if (list.rounding === 'eight_nine') {
    const r = eightNine(unitPrice, list.roundingMaxPercent, list.roundingMaxRaise);
    rounding = { mode: 'eight_nine', from: unitPrice, to: r.price, applied: r.applied };
    explanation.push({ step: 'rounding', ...rounding, bound: r.bound });
    unitPrice = r.price;
  }

  return {
    unitPrice,
    listPrice: product.listPrice,
    priceList: ref(list),
    ruleId: rule.id,
    tier: new Decimal(rule.minQuantity).toString(),
    floor,
    rounding,
    explanation,
  };
}

/** Whether selling at `unitPrice` goes below the resolved floor (and so needs approval). */
export function checkFloor(resolved: Pick<PriceResolution, 'floor'>, unitPrice: number) {
  const belowFloor = resolved.floor !== null && unitPrice < resolved.floor;
  return { belowFloor, floor: resolved.floor, shortfall: belowFloor ? resolved.floor! - unitPrice : 0 };
}
