import type { Faker } from '@faker-js/faker';
import type { Db } from '../../db/client.js';
import { monthOf, overallRating, type ReviewScores } from './account-cards.js';
import { accountPlans, accountReviews } from './account-cards.schema.js';
import { DEFAULT_EARN_RULE, DEFAULT_TIER_THRESHOLDS, pointsForAmount, tierFor } from './loyalty.js';
import { loyaltyAccounts, loyaltyEntries } from './loyalty.schema.js';

// Demo loyalty and account cards: about a third of the owned customers earned points on payments
// over the last 18 months (some redeemed part of them), one in twenty has an account plan, and
// one in ten has monthly reviews for the last few months. Rows are written directly, in batches.

export interface DemoLoyaltyCustomer {
  id: string;
  ownerId: string | null;
  orgUnitId: string;
}

const DAY_MS = 86_400_000;
const BATCH = 500;

const GIFTS = [
  '免费保养券一张',
  '原厂脚垫一套',
  '贵宾休息室年卡',
  '代驾服务两次',
  '行车记录仪一台',
  '洗车卡十次',
];
const GOALS = [
  '成为其首选供应商',
  '年内进入其合格供应商名录',
  '从单一产品扩展到全系列合作',
  '维持份额并提升回款速度',
];
const FOCUS = ['商务车、新能源车', '高端车型与延保服务', '经济型车型批量采购', '配件与售后服务包'];
const STRATEGY = [
  '每月拜访决策人一次；季度组织试驾活动；年底前完成框架协议。',
  '先以小批量订单建立信任，再推动年度采购计划。',
  '联合市场部做区域推广，提高终端动销。',
];
const RISKS = [
  '回款周期偏长，需控制账期',
  '资金实力一般，注意授信额度',
  '有低价倾销迹象，需守住价格体系',
  '暂无明显风险',
];

async function insertBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

const monthsBack = (now: Date, n: number) =>
  monthOf(new Date(now.getTime() - n * 30.5 * DAY_MS), 'Asia/Shanghai');

export async function demoLoyalty(
  tx: Db,
  faker: Faker,
  customers: DemoLoyaltyCustomer[],
  now: Date,
): Promise<{ accounts: number; entries: number; plans: number; reviews: number }> {
  const owned = customers.filter((c) => c.ownerId);
  const accounts: (typeof loyaltyAccounts.$inferInsert)[] = [];
  const entries: (typeof loyaltyEntries.$inferInsert)[] = [];
  let payment = 0;

  for (const customer of faker.helpers.arrayElements(owned, Math.round(owned.length / 3))) {
    const moves = Array.from({ length: faker.number.int({ min: 1, max: 8 }) }, () =>
      faker.date.between({ from: new Date(now.getTime() - 540 * DAY_MS), to: now }),
    ).sort((a, b) => a.getTime() - b.getTime());
    let balance = 0;
    let lifetime = 0;
    for (const at of moves) {
      // Payments of ¥5,000 to ¥300,000; now and then a redemption of part of the balance.
      if (balance >= 200 && faker.datatype.boolean(0.2)) {
        const points = faker.number.int({ min: 100, max: Math.min(balance, 2000) });
        balance -= points;
        entries.push({
          customerId: customer.id,
          kind: 'redeem',
          points: -points,
          balanceAfter: balance,
          reason: '会员积分兑换',
          item: faker.helpers.arrayElement(GIFTS),
          createdBy: customer.ownerId,
          createdAt: at,
        });
        continue;
      }
      const amountFen = faker.number.int({ min: 500_000, max: 30_000_000 });
      const points = pointsForAmount(amountFen, DEFAULT_EARN_RULE);
      if (!points) continue;
      balance += points;
      lifetime += points;
      payment += 1;
      entries.push({
        customerId: customer.id,
        kind: 'earn',
        points,
        balanceAfter: balance,
        reason: `回款 ¥${(amountFen / 100).toFixed(2)}`,
        sourceType: 'demo-payment',
        sourceId: `DEMO-PAY-${payment}`,
        createdAt: at,
      });
    }
    if (!lifetime) continue;
    accounts.push({
      customerId: customer.id,
      balance,
      lifetimeEarned: lifetime,
      tier: tierFor(lifetime, DEFAULT_TIER_THRESHOLDS),
      createdAt: moves[0]!,
      updatedAt: moves.at(-1)!,
    });
  }
  const withAccount = new Set(accounts.map((a) => a.customerId));
  await insertBatches(accounts, (b) => tx.insert(loyaltyAccounts).values(b));
  await insertBatches(
    entries.filter((e) => withAccount.has(e.customerId)),
    (b) => tx.insert(loyaltyEntries).values(b),
  );

  const plans = faker.helpers.arrayElements(owned, Math.round(owned.length / 20)).map((c) => ({
    customerId: c.id,
    relationshipGoals: faker.helpers.arrayElement(GOALS),
    annualTarget: BigInt(faker.number.int({ min: 50, max: 2000 }) * 1_000_000),
    productFocus: faker.helpers.arrayElement(FOCUS),
    strategy: faker.helpers.arrayElement(STRATEGY),
    creditRisk: faker.helpers.arrayElement(RISKS),
    priceRisk: faker.helpers.arrayElement(RISKS),
    supportNeeded: faker.datatype.boolean(0.5) ? '需要市场部提供试驾车和宣传物料' : null,
    updatedBy: c.ownerId,
    createdBy: c.ownerId,
  }));
  await insertBatches(plans, (b) => tx.insert(accountPlans).values(b));

  const reviews: (typeof accountReviews.$inferInsert)[] = [];
  const score = () =>
    faker.helpers.weightedArrayElement(
      [1, 2, 3, 4, 5].map((value, i) => ({ value, weight: [1, 3, 8, 10, 5][i]! })),
    );
  for (const c of faker.helpers.arrayElements(owned, Math.round(owned.length / 10))) {
    // The last one to three months, so some are missing this month's review.
    const from = faker.number.int({ min: 0, max: 1 });
    const to = faker.number.int({ min: 1, max: 3 });
    for (let back = from; back <= to; back++) {
      const scores: ReviewScores = {
        enthusiasm: score(),
        sales: score(),
        payment: score(),
        priceDiscipline: score(),
        capability: score(),
      };
      reviews.push({
        customerId: c.id,
        month: monthsBack(now, back),
        scoreEnthusiasm: scores.enthusiasm,
        scoreSales: scores.sales,
        scorePayment: scores.payment,
        scorePriceDiscipline: scores.priceDiscipline,
        scoreCapability: scores.capability,
        overall: overallRating(scores).toFixed(1),
        summary: scores.sales >= 4 ? '本月提车稳定，合作积极' : '本月销量一般，需加强跟进',
        issues: scores.payment <= 2 ? '有尾款逾期' : null,
        nextActions: '下月安排拜访并跟进回款',
        reviewerId: c.ownerId!,
        createdBy: c.ownerId,
      });
    }
  }
  await insertBatches(reviews, (b) => tx.insert(accountReviews).values(b).onConflictDoNothing());
  return { accounts: accounts.length, entries: entries.length, plans: plans.length, reviews: reviews.length };
}
