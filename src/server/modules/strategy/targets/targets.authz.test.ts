import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { submitForApproval } from '../../../platform/approvals/approvals.service.js';
import type { Actor, Ctx } from '../../../platform/context.js';
import { checkAuthzMatrix } from '../../../testing/authz.js';
import { productCategories } from '../../orders/catalog/schema.js';
import { orgUnits, users } from '../../org/schema.js';
import './agreements.service.js';
import { targetAgreements, targetNodes, targetPlans } from './schema.js';

let n = 0;

async function user(db: Db, username: string) {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  return u!;
}

/** A 2027 plan whose only rep-level target belongs to `username`, under their unit's target. */
async function targetOf(db: Db, username: string) {
  const owner = await user(db, username);
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, owner.orgUnitId));
  const [company] = await db.select().from(orgUnits).where(eq(orgUnits.kind, 'company'));
  const [plan] = await db
    .insert(targetPlans)
    .values({ name: `授权测试目标${++n}`, fiscalYear: 2027, metric: 'booked_revenue' })
    .returning();
  const year = {
    periodKind: 'year' as const,
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
    periodKey: '2027',
  };
  const [root] = await db
    .insert(targetNodes)
    .values({
      planId: plan!.id,
      dimension: 'company',
      label: company!.name,
      ...year,
      amount: 1000,
      orgUnitId: company!.id,
      state: 'published',
      childSplit: 'dimension',
    })
    .returning();
  const [unitNode] = await db
    .insert(targetNodes)
    .values({
      planId: plan!.id,
      parentId: root!.id,
      childSplit: 'dimension',
      dimension: 'org_unit',
      dimensionId: unit!.id,
      label: unit!.name,
      ...year,
      amount: 1000,
      ownerId: unit!.headUserId,
      orgUnitId: unit!.id,
      state: 'published',
    })
    .returning();
  const [mine] = await db
    .insert(targetNodes)
    .values({
      planId: plan!.id,
      parentId: unitNode!.id,
      dimension: 'rep',
      dimensionId: owner.id,
      label: owner.name,
      ...year,
      amount: 1000,
      ownerId: owner.id,
      orgUnitId: owner.orgUnitId,
    })
    .returning();
  // Its first month, entered bottom-up, so that it can be rolled up (or split again).
  await db.insert(targetNodes).values({
    planId: plan!.id,
    parentId: mine!.id,
    dimension: 'rep',
    dimensionId: owner.id,
    label: owner.name,
    periodKind: 'month',
    periodStart: '2027-01-01',
    periodEnd: '2027-01-31',
    periodKey: '2027-01',
    amount: 400,
    ownerId: owner.id,
    orgUnitId: owner.orgUnitId,
  });
  await db.update(targetNodes).set({ childSplit: 'period' }).where(eq(targetNodes.id, mine!.id));
  await db
    .insert(productCategories)
    .values({ code: 'AUTHZ-CAT', name: '授权测试类别' })
    .onConflictDoNothing();
  return { plan: plan!, node: mine!, owner };
}

checkAuthzMatrix({
  resource: 'targets',
  async recordOwnedBy(username, t) {
    return (await targetOf(t.database.db, username)).node.id;
  },
  actions: {
    read: (client, id) => client.get(`/target-nodes/${id}`),
    allocate: async (client, id, admin) => {
      const { version } = (await admin.get(`/target-nodes/${id}`)).body;
      return client.patch(`/target-nodes/${id}`, { amount: 900, version });
    },
    rollUp: async (client, id, admin) => {
      const { version } = (await admin.get(`/target-nodes/${id}`)).body;
      return client.post(`/target-nodes/${id}/roll-up`, { version });
    },
    splitByCategory: async (client, id, admin) => {
      const { version } = (await admin.get(`/target-nodes/${id}`)).body;
      return client.post(`/target-nodes/${id}/allocate`, {
        split: 'dimension',
        dimension: 'product_category',
        method: 'even',
        version,
      });
    },
  },
  // Reps see their own targets; managers see and allocate within their unit's subtree; the
  // director everything. Staff outside sales have no targets.
  expect: {
    admin: {
      read: ['allow', 'allow', 'allow'],
      allocate: ['allow', 'allow', 'allow'],
      rollUp: ['allow', 'allow', 'allow'],
      splitByCategory: ['allow', 'allow', 'allow'],
    },
    director: {
      read: ['allow', 'allow', 'allow'],
      allocate: ['allow', 'allow', 'allow'],
      rollUp: ['allow', 'allow', 'allow'],
      splitByCategory: ['allow', 'allow', 'allow'],
    },
    manager01: {
      read: ['allow', 'allow', 'hidden'],
      allocate: ['allow', 'allow', 'hidden'],
      rollUp: ['allow', 'allow', 'hidden'],
      splitByCategory: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      read: ['allow', 'allow', 'hidden'],
      allocate: ['allow', 'allow', 'hidden'],
      rollUp: ['allow', 'allow', 'hidden'],
      splitByCategory: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      read: ['allow', 'hidden', 'hidden'],
      allocate: ['forbidden', 'forbidden', 'forbidden'],
      rollUp: ['forbidden', 'forbidden', 'forbidden'],
      splitByCategory: ['forbidden', 'forbidden', 'forbidden'],
    },
    assistant01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      allocate: ['forbidden', 'forbidden', 'forbidden'],
      rollUp: ['forbidden', 'forbidden', 'forbidden'],
      splitByCategory: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      allocate: ['forbidden', 'forbidden', 'forbidden'],
      rollUp: ['forbidden', 'forbidden', 'forbidden'],
      splitByCategory: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      allocate: ['forbidden', 'forbidden', 'forbidden'],
      rollUp: ['forbidden', 'forbidden', 'forbidden'],
      splitByCategory: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});

checkAuthzMatrix({
  resource: 'target-agreements',
  // An agreement sent to `username` by finance01 (who is nobody's subject here), waiting to be signed.
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const { plan, node, owner } = await targetOf(db, username);
    await db.update(targetNodes).set({ state: 'published' }).where(eq(targetNodes.id, node.id));
    const sender = await user(db, 'finance01');
    const [agreement] = await db
      .insert(targetAgreements)
      .values({
        number: `TA-TEST-${String(n).padStart(6, '0')}`,
        planId: plan.id,
        nodeId: node.id,
        amount: node.amount,
        state: 'sent',
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
        sentBy: sender.id,
        sentAt: new Date(),
      })
      .returning();
    const ctx: Ctx = {
      actor: { userId: sender.id, name: sender.name } as Actor,
      requestId: 'authz',
      locale: 'zh-CN',
    };
    const approval = await submitForApproval(db, ctx, {
      docType: 'target_agreement',
      docId: agreement!.id,
      title: agreement!.number,
      facts: { amount: node.amount },
      addresseeId: owner.id,
    });
    await db
      .update(targetAgreements)
      .set({ approvalRequestId: approval.requestId })
      .where(eq(targetAgreements.id, agreement!.id));
    return agreement!.id;
  },
  actions: {
    read: (client, id) => client.get(`/target-agreements/${id}`),
    sign: (client, id) => client.post(`/target-agreements/${id}/sign`),
  },
  // Only the assignee signs; managers follow their team's agreements without signing for them.
  expect: {
    admin: { read: ['allow', 'allow', 'allow'], sign: ['allow', 'forbidden', 'forbidden'] },
    director: { read: ['allow', 'allow', 'allow'], sign: ['allow', 'forbidden', 'forbidden'] },
    manager01: { read: ['allow', 'allow', 'hidden'], sign: ['allow', 'forbidden', 'hidden'] },
    manager02: { read: ['allow', 'allow', 'hidden'], sign: ['allow', 'forbidden', 'hidden'] },
    rep01: { read: ['allow', 'hidden', 'hidden'], sign: ['allow', 'hidden', 'hidden'] },
    assistant01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      sign: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      sign: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      sign: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
