import { and, count, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  loyaltyAdjust,
  loyaltyEntryListQuery,
  loyaltyRedeem,
  loyaltySettingsUpdate,
} from '../../../contracts/loyalty.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { users } from '../org/schema.js';
import { findLiveCustomer, isVisibleCustomer } from './customers.service.js';
import {
  badThreshold,
  nextTier,
  pointsForAmount,
  TIER_KEYS,
  TIER_NAMES,
  type TierThresholds,
  tierFor,
  tierRank,
} from './loyalty.js';
import { type LoyaltyEntryKind, loyaltyAccounts, loyaltyEntries, loyaltyRules } from './loyalty.schema.js';
import { customers } from './schema.js';

export const TIER_UP_EVENT = 'customers.loyalty-tier-up';

defineNotificationEvent(TIER_UP_EVENT, {
  title: { 'zh-CN': '{customer} 升级为{tierZh}', en: '{customer} is now {tierEn}' },
  body: {
    'zh-CN': '客户 {customer} 累计积分达到 {lifetime}，会员等级升为{tierZh}。',
    en: 'With {lifetime} lifetime points, {customer} moved up to the {tierEn} tier.',
  },
  label: { 'zh-CN': '我的客户会员等级提升', en: 'A customer of mine moved up a member tier' },
});

type AccountRow = typeof loyaltyAccounts.$inferSelect;
type EntryRow = typeof loyaltyEntries.$inferSelect;
export type LoyaltyRulesRow = typeof loyaltyRules.$inferSelect;

// Rules

/** The loyalty rules row; created with the defaults (1 point per ¥100; 0/1,000/5,000/20,000) on first use. */
export async function getLoyaltyRules(db: Db): Promise<LoyaltyRulesRow> {
  const [row] = await db.select().from(loyaltyRules).where(eq(loyaltyRules.id, 1));
  if (row) return row;
  await db.insert(loyaltyRules).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(loyaltyRules).where(eq(loyaltyRules.id, 1));
  return created!;
}

export const presentLoyaltyRules = (r: LoyaltyRulesRow) => ({
  earn: r.earn,
  tierThresholds: r.tierThresholds,
  version: r.version,
});

const tierCase = (t: TierThresholds) =>
  sql`case when ${loyaltyAccounts.lifetimeEarned} >= ${t.diamond} then 'diamond' when ${loyaltyAccounts.lifetimeEarned} >= ${t.gold} then 'gold' when ${loyaltyAccounts.lifetimeEarned} >= ${t.silver} then 'silver' else 'member' end`;

/**
 * Changes the earning rule or the tier thresholds. New thresholds move every account to the tier
 * its lifetime points now reach, in the same transaction (without tier-up notifications).
 */
export async function updateLoyaltyRules(db: Db, ctx: Ctx, input: z.infer<typeof loyaltySettingsUpdate>) {
  const { version, ...changes } = input;
  if (changes.tierThresholds) {
    const bad = badThreshold(changes.tierThresholds);
    if (bad === 'member') throw invalidField('tierThresholds.member', 'tooBig', { n: 0 });
    if (bad) {
      const below = changes.tierThresholds[TIER_KEYS[TIER_KEYS.indexOf(bad) - 1]!];
      throw invalidField(`tierThresholds.${bad}`, 'tooSmall', { n: below + 1 });
    }
  }
  return withTx(db, async (tx) => {
    const before = await getLoyaltyRules(tx);
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(loyaltyRules)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${loyaltyRules.version} + 1` })
      .where(and(eq(loyaltyRules.id, 1), eq(loyaltyRules.version, version)))
      .returning();
    if (!after) throw versionConflict();
    if (changes.tierThresholds) {
      const tier = tierCase(after.tierThresholds);
      await tx
        .update(loyaltyAccounts)
        .set({ tier: sql`${tier}`, tierChangedAt: sql`now()`, updatedAt: sql`now()` })
        .where(sql`${loyaltyAccounts.tier} <> ${tier}`);
    }
    await recordAudit(tx, ctx, { action: 'update', entity: 'loyalty_rules', entityId: '1', before, after });
    return presentLoyaltyRules(after);
  });
}

// Reading

function presentAccount(customerId: string, a: AccountRow | undefined, thresholds: TierThresholds) {
  const lifetime = a?.lifetimeEarned ?? 0;
  const tier = a?.tier ?? tierFor(lifetime, thresholds);
  return {
    customerId,
    balance: a?.balance ?? 0,
    lifetimeEarned: lifetime,
    tier,
    tierChangedAt: a?.tierChangedAt ? a.tierChangedAt.toISOString() : null,
    nextTier: nextTier(lifetime, thresholds),
    tierThreshold: thresholds[tier],
  };
}
export type LoyaltyAccountView = ReturnType<typeof presentAccount>;

async function accountView(db: Db, customerId: string) {
  const rules = await getLoyaltyRules(db);
  const [a] = await db.select().from(loyaltyAccounts).where(eq(loyaltyAccounts.customerId, customerId));
  return presentAccount(customerId, a, rules.tierThresholds);
}

/** A customer's points, tier and progress; zero for a customer without an account yet. */
export async function getLoyaltyAccount(db: Db, ctx: Ctx, customerId: string) {
  if (!(await isVisibleCustomer(db, ctx, customerId))) throw notFound();
  return accountView(db, customerId);
}

/** The entry that reversed this one, if any (at most one: a unique index). */
const reversedById = sql<
  string | null
>`(select r.id from ${loyaltyEntries} r where r.reverses_id = ${loyaltyEntries.id})`;

function selectEntries(db: Db) {
  return db
    .select({ entry: loyaltyEntries, reversedById, createdByName: users.name })
    .from(loyaltyEntries)
    .leftJoin(users, eq(users.id, loyaltyEntries.createdBy));
}

function presentEntry(e: EntryRow, extra: { reversedById: string | null; createdByName: string | null }) {
  return {
    id: e.id,
    customerId: e.customerId,
    kind: e.kind,
    points: e.points,
    balanceAfter: e.balanceAfter,
    reason: e.reason,
    item: e.item,
    sourceType: e.sourceType,
    sourceId: e.sourceId,
    reversesId: e.reversesId,
    reversedById: extra.reversedById,
    createdBy: e.createdBy,
    createdByName: extra.createdByName,
    createdAt: e.createdAt.toISOString(),
  };
}
export type LoyaltyEntryView = ReturnType<typeof presentEntry>;

async function entryView(db: Db, id: string) {
  const [row] = await selectEntries(db).where(eq(loyaltyEntries.id, id));
  return presentEntry(row!.entry, row!);
}

/** The customer's ledger, newest first. */
export async function listLoyaltyEntries(
  db: Db,
  ctx: Ctx,
  customerId: string,
  query: z.infer<typeof loyaltyEntryListQuery>,
) {
  if (!(await isVisibleCustomer(db, ctx, customerId))) throw notFound();
  const page = keyset(query, { createdAt: loyaltyEntries.createdAt }, loyaltyEntries.id, '-createdAt');
  const filter = whereAll(
    eq(loyaltyEntries.customerId, customerId),
    query.kind ? eq(loyaltyEntries.kind, query.kind) : undefined,
  );
  const rows = await selectEntries(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(loyaltyEntries).where(filter);
  const result = page.page(rows, n, (r) => [r.entry.createdAt, r.entry.id]);
  return { ...result, items: result.items.map((r) => presentEntry(r.entry, r)) };
}

// Writing: every movement of points goes through postEntry.

interface Movement {
  customerId: string;
  kind: LoyaltyEntryKind;
  points: number;
  /** How the lifetime points change: earnings and positive adjustments count, and their reversals. */
  lifetimeDelta: number;
  reason: string;
  item?: string | null;
  sourceType?: string | null;
  sourceId?: string | null;
  reversesId?: string | null;
}

/**
 * Books one entry: locks the customer's account (created on first use), moves the balance with
 * an update that only succeeds while the balance stays at or above zero, recomputes the tier,
 * appends the entry and audits — all in the caller's transaction. An entry for a source already
 * booked is not booked again: the first one is returned (`created: false`).
 */
async function postEntry(tx: Db, ctx: Ctx, m: Movement): Promise<{ entry: EntryRow; created: boolean }> {
  const actorId = ctx.actor?.userId ?? null;
  await tx
    .insert(loyaltyAccounts)
    .values({ customerId: m.customerId, createdBy: actorId })
    .onConflictDoNothing();
  // The row lock serialises every movement of this customer's points (and the source check below).
  const [before] = await tx
    .select()
    .from(loyaltyAccounts)
    .where(eq(loyaltyAccounts.customerId, m.customerId))
    .for('update');
  if (m.sourceType && m.sourceId) {
    const [existing] = await tx
      .select()
      .from(loyaltyEntries)
      .where(and(eq(loyaltyEntries.sourceType, m.sourceType), eq(loyaltyEntries.sourceId, m.sourceId)));
    // The same payment cannot earn points for two customers.
    if (existing && existing.customerId !== m.customerId) {
      throw new AppError('duplicate', { field: 'sourceId' }, [{ path: 'sourceId', message: 'exists' }]);
    }
    if (existing) return { entry: existing, created: false };
  }
  if (m.reversesId) {
    const [done] = await tx
      .select({ id: loyaltyEntries.id })
      .from(loyaltyEntries)
      .where(eq(loyaltyEntries.reversesId, m.reversesId));
    if (done) throw new AppError('loyalty_already_reversed');
  }
  const [moved] = await tx
    .update(loyaltyAccounts)
    .set({
      balance: sql`${loyaltyAccounts.balance} + ${m.points}::int`,
      lifetimeEarned: sql`${loyaltyAccounts.lifetimeEarned} + ${m.lifetimeDelta}::int`,
      updatedAt: sql`now()`,
      version: sql`${loyaltyAccounts.version} + 1`,
    })
    .where(
      and(
        eq(loyaltyAccounts.customerId, m.customerId),
        sql`${loyaltyAccounts.balance} + ${m.points}::int >= 0`,
      ),
    )
    .returning();
  if (!moved) {
    throw new AppError('loyalty_insufficient_points', { balance: before!.balance, points: -m.points });
  }
  const rules = await getLoyaltyRules(tx);
  const tier = tierFor(moved.lifetimeEarned, rules.tierThresholds);
  let after = moved;
  if (tier !== moved.tier) {
    [after] = (await tx
      .update(loyaltyAccounts)
      .set({ tier, tierChangedAt: sql`now()` })
      .where(eq(loyaltyAccounts.customerId, m.customerId))
      .returning()) as [AccountRow];
  }
  const [entry] = await tx
    .insert(loyaltyEntries)
    .values({
      customerId: m.customerId,
      kind: m.kind,
      points: m.points,
      balanceAfter: after.balance,
      reason: m.reason,
      item: m.item ?? null,
      sourceType: m.sourceType ?? null,
      sourceId: m.sourceId ?? null,
      reversesId: m.reversesId ?? null,
      createdBy: actorId,
    })
    .returning();
  await recordAudit(tx, ctx, {
    action: `loyalty_${m.kind}`,
    entity: 'loyalty_account',
    entityId: m.customerId,
    before: { balance: before!.balance, lifetimeEarned: before!.lifetimeEarned, tier: before!.tier },
    after: {
      balance: after.balance,
      lifetimeEarned: after.lifetimeEarned,
      tier: after.tier,
      entryId: entry!.id,
      points: m.points,
      reason: m.reason,
      ...(m.item ? { item: m.item } : {}),
      ...(m.sourceType ? { source: `${m.sourceType}:${m.sourceId}` } : {}),
    },
  });
  if (tierRank(after.tier) > tierRank(before!.tier)) await notifyTierUp(tx, ctx, after);
  return { entry: entry!, created: true };
}

/** Tells the customer's owner (unless the owner made the change) that the customer moved up a tier. */
async function notifyTierUp(tx: Db, ctx: Ctx, account: AccountRow) {
  const [c] = await tx
    .select({ name: customers.name, ownerId: customers.ownerId })
    .from(customers)
    .where(eq(customers.id, account.customerId));
  if (!c?.ownerId || c.ownerId === ctx.actor?.userId) return;
  await notify(tx, {
    userIds: [c.ownerId],
    event: TIER_UP_EVENT,
    params: {
      customer: c.name,
      tierZh: TIER_NAMES[account.tier]['zh-CN'],
      tierEn: TIER_NAMES[account.tier].en,
      lifetime: account.lifetimeEarned,
    },
    link: `/customers/${account.customerId}`,
    entity: 'customer',
    entityId: account.customerId,
  });
}

const lifetimeShare = (e: Pick<EntryRow, 'kind' | 'points'>) =>
  e.kind === 'earn' || (e.kind === 'adjust' && e.points > 0) ? e.points : 0;

/**
 * For the order-to-cash module, in the payment's transaction: points for an amount paid by the
 * loyalty rules (integer fen, rounded down). Idempotent per source: a second call for the same
 * payment books nothing and answers the first entry. Nothing is booked when the amount earns no
 * whole point (`entry: null`). The caller has already checked the customer and the payment.
 */
export async function earnLoyaltyPoints(
  tx: Db,
  ctx: Ctx,
  input: { customerId: string; amountFen: number; sourceType: string; sourceId: string; reason: string },
) {
  return withTx(tx, async (t) => {
    const rules = await getLoyaltyRules(t);
    const points = pointsForAmount(input.amountFen, rules.earn);
    if (points <= 0) return { entry: null, created: false, points: 0 };
    const { entry, created } = await postEntry(t, ctx, {
      customerId: input.customerId,
      kind: 'earn',
      points,
      lifetimeDelta: points,
      reason: input.reason,
      sourceType: input.sourceType,
      sourceId: input.sourceId,
    });
    return {
      entry: presentEntry(entry, { reversedById: null, createdByName: null }),
      created,
      points: entry.points,
    };
  });
}

async function reverseEntry(tx: Db, ctx: Ctx, original: EntryRow, reason: string) {
  if (original.kind === 'reverse') throw new AppError('loyalty_already_reversed');
  return postEntry(tx, ctx, {
    customerId: original.customerId,
    kind: 'reverse',
    points: -original.points,
    lifetimeDelta: -lifetimeShare(original),
    reason,
    reversesId: original.id,
  });
}

/**
 * For the order-to-cash module: undoes the points of a voided payment. Answers `entry: null` when
 * the payment earned nothing; a second call finds the reversal already booked and books nothing.
 * Refused (409 loyalty_insufficient_points) when the customer has already spent the points.
 */
export async function reverseLoyaltyPoints(
  tx: Db,
  ctx: Ctx,
  input: { sourceType: string; sourceId: string; reason: string },
) {
  return withTx(tx, async (t) => {
    const [original] = await t
      .select()
      .from(loyaltyEntries)
      .where(
        and(eq(loyaltyEntries.sourceType, input.sourceType), eq(loyaltyEntries.sourceId, input.sourceId)),
      );
    if (!original) return { entry: null, created: false };
    const [existing] = await t
      .select()
      .from(loyaltyEntries)
      .where(eq(loyaltyEntries.reversesId, original.id));
    if (existing) return { entry: existing, created: false };
    return reverseEntry(t, ctx, original, input.reason);
  });
}

async function movementResult(db: Db, entryId: string, customerId: string) {
  return { entry: await entryView(db, entryId), account: await accountView(db, customerId) };
}

/** A movement someone books on a customer they can see (a redemption, an adjustment). */
async function bookOnVisibleCustomer(db: Db, ctx: Ctx, movement: Omit<Movement, 'sourceType' | 'sourceId'>) {
  const entry = await withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, movement.customerId);
    return (await postEntry(tx, ctx, movement)).entry;
  });
  return movementResult(db, entry.id, movement.customerId);
}

/** Points exchanged for a gift or a privilege (会员特权) by someone who sees the customer. */
export const redeemLoyaltyPoints = (
  db: Db,
  ctx: Ctx,
  customerId: string,
  input: z.infer<typeof loyaltyRedeem>,
) =>
  bookOnVisibleCustomer(db, ctx, {
    customerId,
    kind: 'redeem',
    points: -input.points,
    lifetimeDelta: 0,
    reason: input.reason,
    item: input.item,
  });

/** A manual correction, up or down, with a reason. Positive adjustments count towards the tier. */
export const adjustLoyaltyPoints = (
  db: Db,
  ctx: Ctx,
  customerId: string,
  input: z.infer<typeof loyaltyAdjust>,
) =>
  bookOnVisibleCustomer(db, ctx, {
    customerId,
    kind: 'adjust',
    points: input.points,
    lifetimeDelta: Math.max(0, input.points),
    reason: input.reason,
  });

/** Reverses one entry of the customer's ledger (a mistaken redemption or adjustment), once. */
export async function reverseLoyaltyEntry(
  db: Db,
  ctx: Ctx,
  customerId: string,
  entryId: string,
  reason: string,
) {
  const entry = await withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const [original] = await tx
      .select()
      .from(loyaltyEntries)
      .where(and(eq(loyaltyEntries.id, entryId), eq(loyaltyEntries.customerId, customerId)));
    if (!original) throw notFound();
    return (await reverseEntry(tx, ctx, original, reason)).entry;
  });
  return movementResult(db, entry.id, customerId);
}
