// Loyalty rules (seed 004 §3: 积分奖励、会员特权), pure and tested in loyalty.test.ts.

/** Member tiers, lowest first; their names come from the locale keys `loyalty.tiers.<key>`. */
export const TIER_KEYS = ['member', 'silver', 'gold', 'diamond'] as const;
export type TierKey = (typeof TIER_KEYS)[number];

/** Lifetime points from which each tier starts; `member` always starts at 0. */
export type TierThresholds = Record<TierKey, number>;

export interface EarnRule {
  /** `points` points for every full `perYuan` yuan paid. */
  points: number;
  perYuan: number;
}

export const DEFAULT_EARN_RULE: EarnRule = { points: 1, perYuan: 100 };
export const DEFAULT_TIER_THRESHOLDS: TierThresholds = {
  member: 0,
  silver: 1000,
  gold: 5000,
  diamond: 20000,
};

/**
 * Points earned for a payment: whole multiples of the rule's amount, counted on fen in integer
 * arithmetic and rounded down (¥199.99 at 1 point per ¥100 earns 1 point).
 */
export function pointsForAmount(amountFen: number, rule: EarnRule): number {
  if (amountFen <= 0 || rule.points <= 0 || rule.perYuan <= 0) return 0;
  return Number((BigInt(amountFen) * BigInt(rule.points)) / (BigInt(rule.perYuan) * 100n));
}

/** The highest tier whose threshold the lifetime points reach. */
export function tierFor(lifetimePoints: number, thresholds: TierThresholds): TierKey {
  let tier: TierKey = 'member';
  for (const key of TIER_KEYS) if (lifetimePoints >= thresholds[key]) tier = key;
  return tier;
}

export const tierRank = (tier: TierKey) => TIER_KEYS.indexOf(tier);

/** The next tier up and the points still missing, or null at the top. */
export function nextTier(
  lifetimePoints: number,
  thresholds: TierThresholds,
): { tier: TierKey; threshold: number; missing: number } | null {
  const current = tierRank(tierFor(lifetimePoints, thresholds));
  const next = TIER_KEYS[current + 1];
  if (!next) return null;
  return { tier: next, threshold: thresholds[next], missing: thresholds[next] - lifetimePoints };
}

/** Thresholds must start at 0 and rise strictly tier by tier; returns the first offending tier. */
export function badThreshold(thresholds: TierThresholds): TierKey | null {
  if (thresholds.member !== 0) return 'member';
  for (let i = 1; i < TIER_KEYS.length; i++) {
    const key = TIER_KEYS[i]!;
    if (thresholds[key] <= thresholds[TIER_KEYS[i - 1]!]) return key;
  }
  return null;
}

/** Tier names for server-side texts (notifications); the web uses its locale files. */
export const TIER_NAMES: Record<TierKey, { 'zh-CN': string; en: string }> = {
  member: { 'zh-CN': '普通会员', en: 'Member' },
  silver: { 'zh-CN': '银卡会员', en: 'Silver' },
  gold: { 'zh-CN': '金卡会员', en: 'Gold' },
  diamond: { 'zh-CN': '钻石会员', en: 'Diamond' },
};
