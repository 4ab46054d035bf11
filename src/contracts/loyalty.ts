import { z } from 'zod';
import { id, isoDateTime, listQuery, requiredText, version } from './common.js';

// Loyalty (积分 / 会员等级): a points account per customer, its ledger, redemption, manual
// adjustment and the rules (earning per yuan paid, tier thresholds).

export const memberTier = z.enum(['member', 'silver', 'gold', 'diamond']);
export type MemberTier = z.infer<typeof memberTier>;
export const loyaltyEntryKind = z.enum(['earn', 'redeem', 'adjust', 'reverse']);

export const loyaltyAccount = z.object({
  customerId: id,
  balance: z.number().int(),
  lifetimeEarned: z.number().int(),
  tier: memberTier,
  tierChangedAt: isoDateTime.nullable(),
  /** The next tier up and the lifetime points still missing; null at the top tier. */
  nextTier: z.object({ tier: memberTier, threshold: z.number().int(), missing: z.number().int() }).nullable(),
  /** The current tier's threshold, for a progress bar. */
  tierThreshold: z.number().int(),
});
export type LoyaltyAccount = z.infer<typeof loyaltyAccount>;

export const loyaltyEntry = z.object({
  id,
  customerId: id,
  kind: loyaltyEntryKind,
  points: z.number().int(),
  balanceAfter: z.number().int(),
  reason: z.string(),
  item: z.string().nullable(),
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  reversesId: id.nullable(),
  /** Set when a later entry reversed this one. */
  reversedById: id.nullable(),
  createdBy: id.nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
});
export type LoyaltyEntry = z.infer<typeof loyaltyEntry>;

/** What a redemption, adjustment or reversal answers: the entry written and the account after it. */
export const loyaltyMovement = z.object({ entry: loyaltyEntry, account: loyaltyAccount });

const points = z.number().int().min(1).max(100_000_000);

export const loyaltyRedeem = z
  .object({
    points,
    /** What the points were exchanged for. */
    item: requiredText(200),
    reason: requiredText(500),
  })
  .strict();

export const loyaltyAdjust = z
  .object({
    /** Signed: positive adds points, negative takes them away. */
    points: z
      .number()
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((n) => n !== 0, { message: 'invalid' }),
    reason: requiredText(500),
  })
  .strict();

export const loyaltyReverse = z.object({ reason: requiredText(500) }).strict();

export const loyaltyEntryParams = z.object({ id, entryId: id }).strict();

export const loyaltyEntryListQuery = listQuery.extend({ kind: loyaltyEntryKind.optional() }).strict();

const tierThresholds = z.object({
  member: z.number().int(),
  silver: z.number().int(),
  gold: z.number().int(),
  diamond: z.number().int(),
});

export const loyaltySettings = z.object({
  /** `points` points for every full `perYuan` yuan paid (default 1 per ¥100). */
  earn: z.object({ points: z.number().int(), perYuan: z.number().int() }),
  /** Lifetime points from which each tier starts. */
  tierThresholds,
  version,
});
export type LoyaltySettingsDto = z.infer<typeof loyaltySettings>;

const threshold = z.number().int().min(0).max(1_000_000_000);

export const loyaltySettingsUpdate = z
  .object({
    earn: z
      .object({
        points: z.number().int().min(0).max(10_000),
        perYuan: z.number().int().min(1).max(1_000_000),
      })
      .strict()
      .optional(),
    tierThresholds: z
      .object({ member: threshold, silver: threshold, gold: threshold, diamond: threshold })
      .strict()
      .optional(),
    version,
  })
  .strict();
