import { base, Faker, zh_CN } from '@faker-js/faker';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { systemCtx } from '../../platform/context.js';
import { notifications } from '../../platform/notifications/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, userByName } from './activities.fixtures.js';
import { earnLoyaltyPoints, reverseLoyaltyPoints } from './index.js';
import { demoLoyalty } from './loyalty.demo.js';
import {
  badThreshold,
  DEFAULT_EARN_RULE,
  DEFAULT_TIER_THRESHOLDS,
  nextTier,
  pointsForAmount,
  tierFor,
} from './loyalty.js';
import { loyaltyAccounts, loyaltyEntries } from './loyalty.schema.js';

let t: TestApp;
let director: Client;
let manager02: Client;
let rep01: Client;
let rep07: Client;
const db = () => t.database.db;
const system = systemCtx('payments-test');

/** The invariant of the ledger: the account's balance is the sum of its entries. */
async function ledger(customerId: string) {
  const [sum] = await db()
    .select({ points: sql<number>`coalesce(sum(${loyaltyEntries.points}), 0)::int`, n: count() })
    .from(loyaltyEntries)
    .where(eq(loyaltyEntries.customerId, customerId));
  const [account] = await db()
    .select()
    .from(loyaltyAccounts)
    .where(eq(loyaltyAccounts.customerId, customerId));
  return { sum: Number(sum!.points), entries: sum!.n, balance: account?.balance ?? 0, account };
}

const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  manager02 = await as(t.app, 'manager02');
  rep01 = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
});
afterAll(() => t.close());

describe('loyalty rules (pure)', () => {
  it('earns 1 point per full ¥100 paid, counted on fen and rounded down', () => {
    const rule = DEFAULT_EARN_RULE;
    expect(pointsForAmount(0, rule)).toBe(0);
    expect(pointsForAmount(9_999, rule)).toBe(0);
    expect(pointsForAmount(10_000, rule)).toBe(1);
    expect(pointsForAmount(19_999, rule)).toBe(1);
    expect(pointsForAmount(1_234_567, rule)).toBe(123);
    expect(pointsForAmount(1_234_567, { points: 3, perYuan: 10 })).toBe(3703);
    expect(pointsForAmount(-50_000, rule)).toBe(0);
    // Integer arithmetic all the way: no float drift on big amounts.
    expect(pointsForAmount(900_719_925_474_099, rule)).toBe(90_071_992_547);
  });

  it('puts lifetime points in the highest tier reached: 普通 0, 银卡 1,000, 金卡 5,000, 钻石 20,000', () => {
    const tiers = DEFAULT_TIER_THRESHOLDS;
    expect(tierFor(0, tiers)).toBe('member');
    expect(tierFor(999, tiers)).toBe('member');
    expect(tierFor(1000, tiers)).toBe('silver');
    expect(tierFor(4999, tiers)).toBe('silver');
    expect(tierFor(5000, tiers)).toBe('gold');
    expect(tierFor(20000, tiers)).toBe('diamond');
    expect(nextTier(1200, tiers)).toEqual({ tier: 'gold', threshold: 5000, missing: 3800 });
    expect(nextTier(25000, tiers)).toBeNull();
  });

  it('accepts thresholds that start at 0 and rise', () => {
    expect(badThreshold(DEFAULT_TIER_THRESHOLDS)).toBeNull();
    expect(badThreshold({ member: 10, silver: 100, gold: 200, diamond: 300 })).toBe('member');
    expect(badThreshold({ member: 0, silver: 100, gold: 100, diamond: 300 })).toBe('gold');
  });
});

describe('earning points from payments', () => {
  it('a payment of ¥12,345.67 earns 123 points once, however often it is reported', async () => {
    const c = await makeCustomer(db(), { name: '上海积分汽车服务有限公司', owner: 'rep01', grade: 'A' });
    const first = await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 1_234_567,
      sourceType: 'payment',
      sourceId: 'PAY-2026-000001',
      reason: '回款 PAY-2026-000001',
    });
    expect(first).toMatchObject({ created: true, points: 123, entry: { kind: 'earn', balanceAfter: 123 } });
    const again = await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 1_234_567,
      sourceType: 'payment',
      sourceId: 'PAY-2026-000001',
      reason: '回款 PAY-2026-000001',
    });
    expect(again).toMatchObject({ created: false, points: 123, entry: { id: first.entry!.id } });
    // The same payment reported for another customer is refused, not booked twice.
    const other = await makeCustomer(db(), {
      name: '上海另一家汽车服务有限公司',
      owner: 'rep01',
      grade: 'B',
    });
    await expect(
      earnLoyaltyPoints(db(), system, {
        customerId: other.id,
        amountFen: 1_234_567,
        sourceType: 'payment',
        sourceId: 'PAY-2026-000001',
        reason: '回款 PAY-2026-000001',
      }),
    ).rejects.toMatchObject({ code: 'duplicate' });
    // Too small to earn a whole point: nothing is booked.
    const small = await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 9_999,
      sourceType: 'payment',
      sourceId: 'PAY-2026-000002',
      reason: '回款',
    });
    expect(small).toEqual({ entry: null, created: false, points: 0 });

    const res = await rep01.get(`/customers/${c.id}/loyalty`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      balance: 123,
      lifetimeEarned: 123,
      tier: 'member',
      nextTier: { tier: 'silver', threshold: 1000, missing: 877 },
    });
    expect(await ledger(c.id)).toMatchObject({ sum: 123, balance: 123, entries: 1 });
  });

  it('a customer moving up to 银卡 notifies its owner; a voided payment takes the points back', async () => {
    const c = await makeCustomer(db(), { name: '苏州升级客户有限公司', owner: 'rep01', grade: 'B' });
    const rep01Id = (await userByName(db(), 'rep01')).id;
    await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 8_000_000,
      sourceType: 'payment',
      sourceId: 'PAY-UP-1',
      reason: '回款',
    });
    await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 3_000_000,
      sourceType: 'payment',
      sourceId: 'PAY-UP-2',
      reason: '回款',
    });
    const account = (await rep01.get(`/customers/${c.id}/loyalty`)).body;
    expect(account).toMatchObject({
      balance: 1100,
      lifetimeEarned: 1100,
      tier: 'silver',
      tierThreshold: 1000,
    });
    const sent = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, rep01Id), eq(notifications.event, 'customers.loyalty-tier-up')));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.params).toMatchObject({
      customer: '苏州升级客户有限公司',
      tierZh: '银卡会员',
      lifetime: 1100,
    });
    expect(sent[0]!.link).toBe(`/customers/${c.id}`);

    const voided = await reverseLoyaltyPoints(db(), system, {
      sourceType: 'payment',
      sourceId: 'PAY-UP-2',
      reason: '回款作废',
    });
    expect(voided.entry).toMatchObject({ kind: 'reverse', points: -300, balanceAfter: 800 });
    // Reported twice: booked once.
    const twice = await reverseLoyaltyPoints(db(), system, {
      sourceType: 'payment',
      sourceId: 'PAY-UP-2',
      reason: '回款作废',
    });
    expect(twice.created).toBe(false);
    expect((await rep01.get(`/customers/${c.id}/loyalty`)).body).toMatchObject({
      balance: 800,
      lifetimeEarned: 800,
      tier: 'member',
    });
    expect(await ledger(c.id)).toMatchObject({ sum: 800, balance: 800, entries: 3 });
  });
});

describe('redeeming and adjusting', () => {
  it('a rep redeems points for a service voucher; the ledger shows who, what and the balance after', async () => {
    const c = await makeCustomer(db(), { name: '杭州兑换客户有限公司', owner: 'rep01', grade: 'A' });
    await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 5_000_000,
      sourceType: 'payment',
      sourceId: 'PAY-R-1',
      reason: '回款',
    });
    const audits = await auditCount();
    const res = await rep01.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 120,
      item: '免费保养券一张',
      reason: '老客户回馈',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body.entry).toMatchObject({
      kind: 'redeem',
      points: -120,
      balanceAfter: 380,
      item: '免费保养券一张',
      reason: '老客户回馈',
      createdByName: expect.any(String),
    });
    // Redeeming spends the balance, not the lifetime points that decide the tier.
    expect(res.body.account).toMatchObject({ balance: 380, lifetimeEarned: 500, tier: 'member' });
    expect(await auditCount()).toBe(audits + 1);

    const list = await rep01.get(`/customers/${c.id}/loyalty/entries`);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((e: { kind: string }) => e.kind)).toEqual(['redeem', 'earn']);
    expect(await ledger(c.id)).toMatchObject({ sum: 380, balance: 380 });
  });

  it('ten simultaneous redemptions of 30 from 100 points: exactly three succeed, the balance ends at 10', async () => {
    const c = await makeCustomer(db(), { name: '南京并发兑换有限公司', owner: 'rep01', grade: 'B' });
    const added = await manager02.post(`/customers/${c.id}/loyalty/adjust`, {
      points: 100,
      reason: '开业礼',
    });
    expect(added.statusCode).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        rep01.post(`/customers/${c.id}/loyalty/redeem`, { points: 30, item: `礼品${i}`, reason: '兑换' }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((s) => s === 201)).toHaveLength(3);
    expect(codes.filter((s) => s === 409)).toHaveLength(7);
    expect(results.find((r) => r.statusCode === 409)!.body.code).toBe('loyalty_insufficient_points');
    expect(await ledger(c.id)).toMatchObject({ sum: 10, balance: 10, entries: 4 });
  });

  it('a manager corrects points up and down, never below zero, and reverses a mistaken redemption once', async () => {
    const c = await makeCustomer(db(), { name: '无锡调整客户有限公司', owner: 'rep02', grade: 'B' });
    const up = await manager02.post(`/customers/${c.id}/loyalty/adjust`, {
      points: 1200,
      reason: '补录历史消费',
    });
    expect(up.body.account).toMatchObject({ balance: 1200, lifetimeEarned: 1200, tier: 'silver' });
    const down = await manager02.post(`/customers/${c.id}/loyalty/adjust`, {
      points: -200,
      reason: '重复录入',
    });
    expect(down.statusCode).toBe(201);
    expect(down.body.account).toMatchObject({ balance: 1000, lifetimeEarned: 1200, tier: 'silver' });
    const tooMuch = await manager02.post(`/customers/${c.id}/loyalty/adjust`, {
      points: -1001,
      reason: '扣减',
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'loyalty_insufficient_points', title: '积分余额不足' });
    expect(tooMuch.body.detail).toContain('1000');

    const redeemed = await manager02.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 500,
      item: '贵宾休息室',
      reason: '会员特权',
    });
    const entryId = redeemed.body.entry.id;
    const reversed = await manager02.post(`/customers/${c.id}/loyalty/entries/${entryId}/reverse`, {
      reason: '客户未使用',
    });
    expect(reversed.statusCode).toBe(201);
    expect(reversed.body.entry).toMatchObject({ kind: 'reverse', points: 500, reversesId: entryId });
    expect(reversed.body.account.balance).toBe(1000);
    const again = await manager02.post(`/customers/${c.id}/loyalty/entries/${entryId}/reverse`, {
      reason: '再冲',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('loyalty_already_reversed');
    const entries = (await manager02.get(`/customers/${c.id}/loyalty/entries`)).body.items;
    expect(entries.find((e: { id: string }) => e.id === entryId).reversedById).toBe(reversed.body.entry.id);
    expect(await ledger(c.id)).toMatchObject({ sum: 1000, balance: 1000, entries: 4 });
  });

  it('refuses bad input with localised errors and writes nothing', async () => {
    const c = await makeCustomer(db(), { name: '宁波错误输入客户有限公司', owner: 'rep01', grade: 'A' });
    await manager02.post(`/customers/${c.id}/loyalty/adjust`, { points: 50, reason: '初始' });
    const before = await ledger(c.id);
    const audits = await auditCount();

    const noReason = await rep01.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 10,
      item: '礼品',
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toContain('reason');
    const noItem = await rep01.post(`/customers/${c.id}/loyalty/redeem`, { points: 10, reason: '兑换' });
    expect(noItem.statusCode).toBe(400);
    const zero = await manager02.post(`/customers/${c.id}/loyalty/adjust`, { points: 0, reason: '无' });
    expect(zero.statusCode).toBe(400);
    const fractional = await rep01.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 1.5,
      item: '礼品',
      reason: '兑换',
    });
    expect(fractional.statusCode).toBe(400);
    const over = await rep01.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 51,
      item: '礼品',
      reason: '兑换',
    });
    expect(over.statusCode).toBe(409);
    expect(over.body.title).toBe('积分余额不足');
    rep01.locale = 'en';
    const overEn = await rep01.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 51,
      item: 'Gift',
      reason: 'x',
    });
    expect(overEn.body.title).toBe('Not enough points');
    expect(overEn.body.detail).toBe('The customer has 50 points; 51 points cannot be taken.');
    rep01.locale = 'zh-CN';
    // A rep may redeem but not adjust.
    const repAdjust = await rep01.post(`/customers/${c.id}/loyalty/adjust`, {
      points: 10,
      reason: '私自加分',
    });
    expect(repAdjust.statusCode).toBe(403);

    expect(await ledger(c.id)).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });
});

describe('who sees and moves points', () => {
  it('a rep of 华南 can neither read nor redeem the points of a 华东 customer; the director can', async () => {
    const c = await makeCustomer(db(), { name: '上海可见性客户有限公司', owner: 'rep01', grade: 'A' });
    await manager02.post(`/customers/${c.id}/loyalty/adjust`, { points: 300, reason: '初始' });
    expect((await rep07.get(`/customers/${c.id}/loyalty`)).statusCode).toBe(404);
    expect((await rep07.get(`/customers/${c.id}/loyalty/entries`)).statusCode).toBe(404);
    const steal = await rep07.post(`/customers/${c.id}/loyalty/redeem`, {
      points: 10,
      item: '礼品',
      reason: '兑换',
    });
    expect(steal.statusCode).toBe(404);
    expect((await ledger(c.id)).balance).toBe(300);
    expect((await director.get(`/customers/${c.id}/loyalty`)).body.balance).toBe(300);
  });
});

describe('loyalty settings', () => {
  it('the director changes the tier thresholds; tiers follow at once; bad thresholds are refused', async () => {
    const c = await makeCustomer(db(), { name: '常州门槛客户有限公司', owner: 'rep01', grade: 'B' });
    await manager02.post(`/customers/${c.id}/loyalty/adjust`, { points: 3000, reason: '补录' });
    expect((await rep01.get(`/customers/${c.id}/loyalty`)).body.tier).toBe('silver');

    const current = (await rep01.get('/loyalty-settings')).body;
    expect(current).toMatchObject({
      earn: { points: 1, perYuan: 100 },
      tierThresholds: { member: 0, silver: 1000, gold: 5000, diamond: 20000 },
    });
    expect(
      (
        await rep01.patch('/loyalty-settings', {
          earn: { points: 2, perYuan: 100 },
          version: current.version,
        })
      ).statusCode,
    ).toBe(403);

    const bad = await director.patch('/loyalty-settings', {
      tierThresholds: { member: 0, silver: 3000, gold: 2500, diamond: 20000 },
      version: current.version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'tierThresholds.gold', message: '不能小于 3001' }]);

    const saved = await director.patch('/loyalty-settings', {
      earn: { points: 2, perYuan: 100 },
      tierThresholds: { member: 0, silver: 500, gold: 2500, diamond: 10000 },
      version: current.version,
    });
    expect(saved.statusCode).toBe(200);
    expect((await rep01.get(`/customers/${c.id}/loyalty`)).body).toMatchObject({
      tier: 'gold',
      nextTier: { tier: 'diamond', missing: 7000 },
    });
    const stale = await director.patch('/loyalty-settings', {
      earn: { points: 1, perYuan: 100 },
      version: current.version,
    });
    expect(stale.statusCode).toBe(409);
    // The new rule earns 2 points per ¥100.
    const earned = await earnLoyaltyPoints(db(), system, {
      customerId: c.id,
      amountFen: 100_000,
      sourceType: 'payment',
      sourceId: 'PAY-RULE-1',
      reason: '回款',
    });
    expect(earned.points).toBe(20);
    await director.patch('/loyalty-settings', {
      earn: { points: 1, perYuan: 100 },
      tierThresholds: { member: 0, silver: 1000, gold: 5000, diamond: 20000 },
      version: saved.body.version,
    });
  });
});

describe('demo data', () => {
  it('gives some customers points, plans and reviews, with every balance equal to its ledger', async () => {
    const owned = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        makeCustomer(db(), { name: `演示积分客户${i}号`, owner: 'rep04', grade: 'A' }),
      ),
    );
    const faker = new Faker({ locale: [zh_CN, base], seed: 7 });
    const counts = await demoLoyalty(db(), faker, owned, new Date());
    expect(counts.accounts).toBeGreaterThan(0);
    expect(counts.plans + counts.reviews).toBeGreaterThan(0);
    for (const c of owned) {
      const l = await ledger(c.id);
      expect(l.balance).toBe(l.sum);
      expect(l.balance).toBeGreaterThanOrEqual(0);
    }
  });
});
