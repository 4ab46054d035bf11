import { and, asc, count, eq, exists, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  targetAllocate,
  targetNodeUpdate,
  targetPlanCreate,
  targetPlanListQuery,
  targetPlanUpdate,
  targetPublish,
  targetRollUp,
} from '../../../../contracts/targets.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { roles } from '../../../platform/access/schema.js';
import { recordAudit, recordAudits } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import { customers } from '../../customers/schema.js';
import { productCategories } from '../../orders/catalog/schema.js';
import { orgUnits, userRoles, users } from '../../org/schema.js';
import { METRIC_WORDS, sendAgreement } from './agreements.service.js';
import { lastYearActual } from './last-year.js';
import {
  allocate,
  allocationGap,
  canSplit,
  evenWeights,
  lastYear,
  METRIC_KIND,
  metricSplitsBy,
  type Period,
  type PeriodKind,
  subPeriods,
  withinYear,
  yearPeriod,
} from './rules.js';
import { type TargetDimension, type TargetNodeRow, targetNodes, targetPlans } from './schema.js';
import {
  actorOf,
  actualQueryOf,
  assertAllocatable,
  assertEditable,
  descendantsOf,
  formatAmount,
  isPartOfAssignee,
  loadTree,
  loadVisibleNode,
  presentNode,
  seesAllTargets,
  type Tree,
  userNames,
  visibleIds,
  visibleNodes,
} from './tree.js';

// ---------------------------------------------------------------------------------------------
// Plans

function presentPlan(tree: Tree, visible: Set<string>) {
  const { plan } = tree;
  const root = tree.children.get(null)?.[0];
  // The reader's own top: the company for a director, their region or team for a manager.
  const tops = [...tree.nodes.values()].filter(
    (n) => visible.has(n.id) && (!n.parentId || !visible.has(n.parentId)) && n.periodKind === 'year',
  );
  return {
    id: plan.id,
    name: plan.name,
    fiscalYear: plan.fiscalYear,
    metric: plan.metric,
    metricKind: METRIC_KIND[plan.metric],
    rootNodeId: root && visible.has(root.id) ? root.id : null,
    amount: tops.reduce((a, n) => a + n.amount, 0),
    archived: !!plan.archivedAt,
    version: plan.version,
    createdAt: plan.createdAt.toISOString(),
  };
}

export async function listPlans(db: Db, ctx: Ctx, query: z.infer<typeof targetPlanListQuery>) {
  const page = keyset(
    query,
    { fiscalYear: targetPlans.fiscalYear, name: targetPlans.name },
    targetPlans.id,
    '-fiscalYear',
  );
  const scope = visibleNodes(ctx);
  const filter = whereAll(
    query.fiscalYear ? eq(targetPlans.fiscalYear, query.fiscalYear) : undefined,
    query.metric ? eq(targetPlans.metric, query.metric) : undefined,
    query.q ? sql`${targetPlans.name} ilike ${`%${query.q}%`}` : undefined,
    query.archived ? undefined : isNull(targetPlans.archivedAt),
    scope
      ? exists(
          db
            .select({ one: sql`1` })
            .from(targetNodes)
            .where(and(eq(targetNodes.planId, targetPlans.id), scope)),
        )
      : undefined,
  );
  const rows = await db
    .select()
    .from(targetPlans)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(targetPlans).where(filter);
  const result = page.page(rows, n, (r) => [query.sort?.includes('name') ? r.name : r.fiscalYear, r.id]);
  const items = [];
  for (const plan of result.items) {
    const tree = await loadTree(db, plan.id);
    items.push(presentPlan(tree, await visibleIds(db, ctx, plan.id)));
  }
  return { ...result, items };
}

/** The plan with every node the reader may see, parents before children. */
export async function getPlan(db: Db, ctx: Ctx, id: string) {
  const tree = await loadTree(db, id);
  const visible = await visibleIds(db, ctx, id);
  if (!visible.size && !seesAllTargets(ctx)) throw notFound();
  const ordered: TargetNodeRow[] = [];
  const walk = (parentId: string | null) => {
    for (const n of tree.children.get(parentId) ?? []) {
      if (visible.has(n.id)) ordered.push(n);
      walk(n.id);
    }
  };
  walk(null);
  const names = await userNames(
    db,
    ordered.map((n) => n.ownerId),
  );
  return { plan: presentPlan(tree, visible), nodes: ordered.map((n) => presentNode(tree, n, names)) };
}

/** A director sets the company's annual target: the plan and the root of its allocation tree. */
export async function createPlan(db: Db, ctx: Ctx, input: z.infer<typeof targetPlanCreate>) {
  const actor = actorOf(ctx);
  const id = await withTx(db, async (tx) => {
    const [company] = await tx
      .select()
      .from(orgUnits)
      .where(and(eq(orgUnits.kind, 'company'), isNull(orgUnits.parentId)));
    if (!company) throw new Error('company unit missing');
    const [plan] = await tx
      .insert(targetPlans)
      .values({
        name: input.name,
        fiscalYear: input.fiscalYear,
        metric: input.metric,
        createdBy: actor.userId,
      })
      .returning();
    if (!plan) throw new Error('plan not created');
    const year = yearPeriod(input.fiscalYear);
    const [root] = await tx
      .insert(targetNodes)
      .values({
        planId: plan.id,
        dimension: 'company',
        label: company.name,
        periodKind: 'year',
        periodStart: year.start,
        periodEnd: year.end,
        periodKey: year.key,
        amount: input.amount,
        ownerId: company.headUserId,
        orgUnitId: company.id,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudits(tx, ctx, [
      { action: 'create', entity: 'target_plan', entityId: plan.id, after: plan },
      { action: 'create', entity: 'target_node', entityId: root!.id, after: root! },
    ]);
    return plan.id;
  });
  return getPlan(db, ctx, id);
}

export async function renamePlan(db: Db, ctx: Ctx, id: string, input: z.infer<typeof targetPlanUpdate>) {
  await withTx(db, async (tx) => {
    const tree = await loadTree(tx, id, true);
    if (!seesAllTargets(ctx)) throw notFound();
    if (tree.plan.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(targetPlans)
      .set({ name: input.name, updatedAt: sql`now()`, version: sql`${targetPlans.version} + 1` })
      .where(eq(targetPlans.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'target_plan',
      entityId: id,
      before: tree.plan,
      after: after!,
    });
  });
  return getPlan(db, ctx, id);
}

/** Plans are never deleted: an archived plan stays readable and can no longer change. */
export async function archivePlan(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  await withTx(db, async (tx) => {
    const tree = await loadTree(tx, id, true);
    if (!seesAllTargets(ctx)) throw notFound();
    if (tree.plan.version !== input.version) throw versionConflict();
    if (tree.plan.archivedAt) return;
    const [after] = await tx
      .update(targetPlans)
      .set({ archivedAt: new Date(), updatedAt: sql`now()`, version: sql`${targetPlans.version} + 1` })
      .where(eq(targetPlans.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'archive',
      entity: 'target_plan',
      entityId: id,
      before: tree.plan,
      after: after!,
    });
  });
  return getPlan(db, ctx, id);
}

export async function planHistory(db: Db, ctx: Ctx, id: string) {
  await getPlan(db, ctx, id);
  return recordHistory(db, 'target_plan', id);
}

export async function nodeHistory(db: Db, ctx: Ctx, id: string) {
  await loadVisibleNode(db, ctx, id);
  return recordHistory(db, 'target_node', id);
}

// ---------------------------------------------------------------------------------------------
// Editing and allocating

async function presentOne(db: Db, tree: Tree, id: string) {
  const node = tree.nodes.get(id) as TargetNodeRow;
  return presentNode(tree, node, await userNames(db, [node.ownerId]));
}

export async function getNode(db: Db, ctx: Ctx, id: string) {
  const { tree } = await loadVisibleNode(db, ctx, id);
  return presentOne(db, tree, id);
}

/**
 * Sets one target's own amount to `amountOf(tree, node)`: version-checked, audited as `action`,
 * and the target is a draft afterwards. Only who may set the target's own amount may do it.
 */
async function setOwnAmount(
  db: Db,
  ctx: Ctx,
  id: string,
  version: number,
  action: 'update' | 'roll_up',
  amountOf: (tree: Tree, node: TargetNodeRow) => number,
) {
  const planId = await withTx(db, async (tx) => {
    const { tree, node } = await loadVisibleNode(tx, ctx, id, true);
    await assertAllocatable(tx, ctx, tree, node, true);
    if (node.version !== version) throw versionConflict();
    assertEditable(tree, node);
    const [after] = await tx
      .update(targetNodes)
      .set({
        amount: amountOf(tree, node),
        state: 'draft',
        updatedAt: sql`now()`,
        version: sql`${targetNodes.version} + 1`,
      })
      .where(eq(targetNodes.id, id))
      .returning();
    await recordAudit(tx, ctx, { action, entity: 'target_node', entityId: id, before: node, after: after! });
    return node.planId;
  });
  return presentOne(db, await loadTree(db, planId), id);
}

/**
 * Changes one target's amount. Drafts change freely; a published target whose agreement was
 * rejected (or that never had one) goes back to draft, so its level must be published again.
 */
export function updateNode(db: Db, ctx: Ctx, id: string, input: z.infer<typeof targetNodeUpdate>) {
  return setOwnAmount(db, ctx, id, input.version, 'update', () => input.amount);
}

/**
 * Bottom-up (自下而上汇总): a manager enters the children's amounts first and the draft target
 * becomes their sum. A published target changes only through a change request (409).
 */
export function rollUpNode(db: Db, ctx: Ctx, id: string, input: z.infer<typeof targetRollUp>) {
  return setOwnAmount(db, ctx, id, input.version, 'roll_up', (tree, node) => {
    if (node.state === 'published') throw new AppError('target_published', { node: node.label });
    const children = tree.children.get(node.id) ?? [];
    if (!children.length)
      throw badSplit(node, { 'zh-CN': '没有下级目标可以汇总。', en: 'it has no children to roll up.' }, ctx);
    const sum = children.reduce((a, c) => a + BigInt(c.amount), 0n);
    if (sum > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidField('amount', 'invalid');
    return Number(sum);
  });
}

interface ChildSpec {
  key: string;
  dimension: TargetDimension;
  dimensionId: string | null;
  label: string;
  period: Period;
  ownerId: string | null;
  orgUnitId: string;
}

const periodOf = (n: TargetNodeRow): Period => ({
  kind: n.periodKind,
  start: n.periodStart,
  end: n.periodEnd,
  key: n.periodKey,
});

/** The child of `node` for one unit, rep, category or customer: same period; same assignee unless `who`. */
const childOf = (
  node: TargetNodeRow,
  dimension: TargetDimension,
  id: string,
  label: string,
  who: Pick<ChildSpec, 'ownerId' | 'orgUnitId'> = node,
): ChildSpec => ({
  key: id,
  dimension,
  dimensionId: id,
  label,
  period: periodOf(node),
  ownerId: who.ownerId,
  orgUnitId: who.orgUnitId,
});

const badSplit = (node: TargetNodeRow, reason: Record<'zh-CN' | 'en', string>, ctx: Ctx) =>
  new AppError('target_bad_split', { node: node.label, reason: reason[ctx.locale] });

/** Who a node splits into: sub-units (regions, teams) of its unit, or the reps in it. */
async function dimensionChildren(
  tx: Db,
  ctx: Ctx,
  node: TargetNodeRow,
  dimension: 'org_unit' | 'rep',
): Promise<ChildSpec[]> {
  if (node.dimension !== 'company' && node.dimension !== 'org_unit')
    throw badSplit(
      node,
      {
        'zh-CN': '只有公司或组织的目标可按下级分解。',
        en: 'only a company or org unit target splits by unit or rep.',
      },
      ctx,
    );
  if (dimension === 'org_unit') {
    // Sales units only: head-office departments (finance, warehouse…) carry no sales target.
    const units = await tx
      .select()
      .from(orgUnits)
      .where(
        and(
          eq(orgUnits.parentId, node.orgUnitId),
          isNull(orgUnits.archivedAt),
          ne(orgUnits.kind, 'department'),
        ),
      )
      .orderBy(asc(orgUnits.sortOrder), asc(orgUnits.name));
    return units.map((u) =>
      childOf(node, 'org_unit', u.id, u.name, { ownerId: u.headUserId, orgUnitId: u.id }),
    );
  }
  const reps = await tx
    .selectDistinct({ id: users.id, name: users.name, orgUnitId: users.orgUnitId })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(users.orgUnitId, node.orgUnitId), eq(users.status, 'active'), eq(roles.key, 'rep')))
    .orderBy(asc(users.name), asc(users.id));
  return reps.map((r) => childOf(node, 'rep', r.id, r.name, { ownerId: r.id, orgUnitId: r.orgUnitId }));
}

const DIMENSION_WORDS = {
  product_category: { 'zh-CN': '产品类别', en: 'product category' },
  customer: { 'zh-CN': '客户', en: 'customer' },
} as const;

/** Refuses a split by category or customer of a metric that has no such meaning (422). */
function assertMetricSplits(ctx: Ctx, tree: Tree, dimension: 'product_category' | 'customer') {
  const metric = tree.plan.metric;
  if (!metricSplitsBy(metric, dimension))
    throw new AppError('target_metric_not_by_dimension', {
      metric: METRIC_WORDS[metric]![ctx.locale],
      dimension: DIMENSION_WORDS[dimension][ctx.locale],
    });
}

/** Only a company, unit or rep target splits into product categories or customers (its own parts). */
function assertSplitsIntoParts(ctx: Ctx, node: TargetNodeRow) {
  if (isPartOfAssignee(node))
    throw badSplit(
      node,
      {
        'zh-CN': '产品类别或客户的目标只能再按期间分解。',
        en: 'a product category or customer target splits only by period.',
      },
      ctx,
    );
}

/**
 * The catalog's top-level product categories: each child is the assignee's target for that
 * category (with its subcategories), same period, same owner.
 */
async function categoryChildren(tx: Db, ctx: Ctx, tree: Tree, node: TargetNodeRow): Promise<ChildSpec[]> {
  assertSplitsIntoParts(ctx, node);
  assertMetricSplits(ctx, tree, 'product_category');
  const rows = await tx
    .select({ id: productCategories.id, name: productCategories.name })
    .from(productCategories)
    .where(and(isNull(productCategories.parentId), isNull(productCategories.archivedAt)))
    .orderBy(asc(productCategories.sortOrder), asc(productCategories.name));
  return rows.map((c) => childOf(node, 'product_category', c.id, c.name));
}

/**
 * The key accounts the user picked (or, re-allocating, those split before): customers of the
 * assignee — owned by the rep, or by the unit's subtree; any customer for the company.
 */
async function customerChildren(
  tx: Db,
  ctx: Ctx,
  tree: Tree,
  node: TargetNodeRow,
  picked: string[] | undefined,
): Promise<ChildSpec[]> {
  assertSplitsIntoParts(ctx, node);
  assertMetricSplits(ctx, tree, 'customer');
  const before = (tree.children.get(node.id) ?? []).filter((c) => c.dimension === 'customer');
  const ids = [...new Set(picked ?? before.map((c) => c.dimensionId as string))];
  if (!ids.length) throw invalidField('customerIds', 'required');
  const assignee =
    node.dimension === 'rep' && node.dimensionId
      ? eq(customers.ownerId, node.dimensionId)
      : node.dimension === 'org_unit' && node.dimensionId
        ? sql`${customers.orgUnitId} in (select sub.id from ${orgUnits} sub, ${orgUnits} top
            where top.id = ${node.dimensionId} and sub.path like top.path || '%')`
        : undefined;
  const rows = await tx
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(inArray(customers.id, ids), isNull(customers.mergedIntoId), assignee));
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.findIndex((cid) => !found.has(cid));
  if (missing >= 0) throw invalidField(`customerIds.${missing}`, 'invalid');
  return ids.map((cid) => childOf(node, 'customer', cid, found.get(cid)!.name));
}

function periodChildren(ctx: Ctx, node: TargetNodeRow, kind: PeriodKind): ChildSpec[] {
  if (!canSplit(node.periodKind, kind))
    throw badSplit(
      node,
      {
        'zh-CN': `期间「${node.periodKey}」不能分解为该粒度。`,
        en: `period ${node.periodKey} cannot be split into ${kind}s.`,
      },
      ctx,
    );
  return subPeriods(periodOf(node), kind).map((p) => ({
    key: p.key,
    dimension: node.dimension,
    dimensionId: node.dimensionId,
    label: node.label,
    period: p,
    ownerId: node.ownerId,
    orgUnitId: node.orgUnitId,
  }));
}

/**
 * Splits a target top-down into its children — by sub-unit or rep, or by quarter, month, week or
 * day — evenly, by last year's seasonality, or by given weights. The children are drafts and
 * sum exactly to the parent. Re-running it replaces draft children; published ones stay.
 */
export async function allocateNode(db: Db, ctx: Ctx, id: string, input: z.infer<typeof targetAllocate>) {
  let fellBackToEven = false;
  const planId = await withTx(db, async (tx) => {
    const { tree, node } = await loadVisibleNode(tx, ctx, id, true);
    await assertAllocatable(tx, ctx, tree, node, false);
    if (node.version !== input.version) throw versionConflict();
    let specs: ChildSpec[];
    if (input.split === 'dimension') {
      if (!input.dimension) throw invalidField('dimension', 'required');
      if (input.dimension === 'product_category') specs = await categoryChildren(tx, ctx, tree, node);
      else if (input.dimension === 'customer')
        specs = await customerChildren(tx, ctx, tree, node, input.customerIds);
      else specs = await dimensionChildren(tx, ctx, node, input.dimension);
    } else {
      if (!input.periodKind) throw invalidField('periodKind', 'required');
      specs = periodChildren(ctx, node, input.periodKind);
    }
    if (!specs.length)
      throw badSplit(
        node,
        { 'zh-CN': '没有可分配的下级。', en: 'there is nobody below it to allocate to.' },
        ctx,
      );

    const existing = tree.children.get(node.id) ?? [];
    const published = existing.find((c) => c.state === 'published');
    if (published) throw new AppError('target_published', { node: published.label });
    // The kind of split: by period, or by one dimension (units, reps, categories, customers).
    const kindOf = (c: Pick<TargetNodeRow, 'dimension'>) =>
      node.childSplit === 'period' ? 'period' : c.dimension;
    const newKind = input.split === 'period' ? 'period' : specs[0]!.dimension;
    const sameKind = existing.every((c) => kindOf(c) === newKind);
    if (existing.length && !sameKind && existing.some((c) => tree.agreements.has(c.id)))
      throw badSplit(
        node,
        {
          'zh-CN': '已按另一种方式分解并发出过责任书。',
          en: 'it is already split another way with agreements sent.',
        },
        ctx,
      );

    let weights: (number | bigint)[];
    if (input.method === 'weights') {
      const given = input.weights ?? {};
      const unknown = Object.keys(given).find((k) => !specs.some((s) => s.key === k));
      if (unknown) throw invalidField(`weights.${unknown}`, 'invalid');
      weights = specs.map((s) => given[s.key] ?? 0);
    } else if (input.method === 'seasonality') {
      weights = [];
      for (const s of specs) {
        const ly = lastYear(s.period);
        // The child's actual as attainment will read it (a category within its assignee), a year back.
        const child = {
          ...node,
          id: '',
          parentId: node.id,
          dimension: s.dimension,
          dimensionId: s.dimensionId,
        };
        const q = actualQueryOf(tree, child);
        weights.push(await lastYearActual(tx, { ...q, start: ly.start, end: ly.end }));
      }
      if (weights.every((w) => w === 0n)) fellBackToEven = true;
    } else weights = [];
    if (input.method === 'even' || fellBackToEven)
      weights = input.split === 'period' ? evenWeights(specs.map((s) => s.period)) : specs.map(() => 1);
    const amounts = allocate(BigInt(node.amount), weights);

    // Reuse children with the same key; drop drafts that no longer fit (keeping any with history
    // of agreements at zero).
    const byKey = new Map(
      existing.map((c) => [c.dimensionId && input.split === 'dimension' ? c.dimensionId : c.periodKey, c]),
    );
    const audits: Parameters<typeof recordAudits>[2] = [];
    const kept = new Set<string>();
    for (const [i, s] of specs.entries()) {
      const amount = Number(amounts[i]);
      const match = node.childSplit === input.split && sameKind ? byKey.get(s.key) : undefined;
      if (match) {
        kept.add(match.id);
        if (match.amount !== amount) {
          const [after] = await tx
            .update(targetNodes)
            .set({ amount, sortOrder: i, updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
            .where(eq(targetNodes.id, match.id))
            .returning();
          audits.push({
            action: 'allocate',
            entity: 'target_node',
            entityId: match.id,
            before: match,
            after: after!,
          });
        }
        continue;
      }
      const [created] = await tx
        .insert(targetNodes)
        .values({
          planId: node.planId,
          parentId: node.id,
          dimension: s.dimension,
          dimensionId: s.dimensionId,
          label: s.label,
          periodKind: s.period.kind,
          periodStart: s.period.start,
          periodEnd: s.period.end,
          periodKey: s.period.key,
          amount,
          ownerId: s.ownerId,
          orgUnitId: s.orgUnitId,
          sortOrder: i,
          createdBy: actorOf(ctx).userId,
        })
        .returning();
      audits.push({ action: 'allocate', entity: 'target_node', entityId: created!.id, after: created! });
    }
    for (const old of existing) {
      if (kept.has(old.id)) continue;
      const subtree = [old, ...descendantsOf(tree, old)];
      if (subtree.some((n) => tree.agreements.has(n.id))) {
        await tx
          .update(targetNodes)
          .set({ amount: 0, updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
          .where(eq(targetNodes.id, old.id));
        audits.push({
          action: 'allocate',
          entity: 'target_node',
          entityId: old.id,
          before: old,
          after: { ...old, amount: 0 },
        });
        continue;
      }
      // Draft rows nobody signed: the allocation replaces them; the parent's audit keeps the trace.
      const ids = subtree.map((n) => n.id).reverse();
      for (const nid of ids) await tx.delete(targetNodes).where(eq(targetNodes.id, nid));
      audits.push({ action: 'remove', entity: 'target_node', entityId: old.id, before: old });
    }
    const [parentAfter] = await tx
      .update(targetNodes)
      .set({ childSplit: input.split, updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
      .where(eq(targetNodes.id, node.id))
      .returning();
    audits.push({
      action: 'allocate',
      entity: 'target_node',
      entityId: node.id,
      before: { childSplit: node.childSplit },
      after: {
        childSplit: parentAfter!.childSplit,
        method: fellBackToEven ? 'even' : input.method,
        children: specs
          .map((s, i) => `${s.label} ${s.period.key}: ${formatAmount(tree.plan.metric, amounts[i]!)}`)
          .join('; '),
      },
    });
    await recordAudits(tx, ctx, audits);
    return node.planId;
  });
  const tree = await loadTree(db, planId);
  const names = await userNames(
    db,
    [...tree.nodes.values()].map((n) => n.ownerId),
  );
  return {
    parent: presentNode(tree, tree.nodes.get(id)!, names),
    children: (tree.children.get(id) ?? []).map((c) => presentNode(tree, c, names)),
    fellBackToEven,
  };
}

/**
 * Publishes a level of the allocation: the node's children must sum exactly to it (422 naming
 * the node and the difference, nothing written); then each child becomes binding and each
 * assignee other than the publisher is sent a target agreement to sign.
 */
export async function publishNode(db: Db, ctx: Ctx, id: string, input: z.infer<typeof targetPublish>) {
  const actor = actorOf(ctx);
  const result = await withTx(db, async (tx) => {
    const { tree, node } = await loadVisibleNode(tx, ctx, id, true);
    await assertAllocatable(tx, ctx, tree, node, false);
    if (node.version !== input.version) throw versionConflict();
    const children = tree.children.get(node.id) ?? [];
    if (!children.length)
      throw badSplit(
        node,
        { 'zh-CN': '尚未分解，没有可发布的下级目标。', en: 'it has no children to publish yet.' },
        ctx,
      );
    if (node.parentId && node.state !== 'published')
      throw badSplit(
        node,
        { 'zh-CN': '它本身的目标尚未发布。', en: 'its own target is not published yet.' },
        ctx,
      );
    const gap = allocationGap(
      BigInt(node.amount),
      children.map((c) => BigInt(c.amount)),
    );
    if (gap !== 0n) {
      const m = tree.plan.metric;
      throw new AppError('target_unbalanced', {
        node: `${node.label} ${node.periodKey}`,
        nodeId: node.id,
        amount: formatAmount(m, node.amount),
        sum: formatAmount(m, BigInt(node.amount) + gap),
        difference: formatAmount(m, gap),
      });
    }
    const audits: Parameters<typeof recordAudits>[2] = [];
    if (node.state !== 'published') {
      await tx
        .update(targetNodes)
        .set({ state: 'published', updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
        .where(eq(targetNodes.id, node.id));
      audits.push({
        action: 'publish',
        entity: 'target_node',
        entityId: node.id,
        before: { state: node.state },
        after: { state: 'published' },
      });
    } else {
      await tx
        .update(targetNodes)
        .set({ updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
        .where(eq(targetNodes.id, node.id));
    }
    const drafts = children.filter((c) => c.state === 'draft');
    if (drafts.length) {
      await tx
        .update(targetNodes)
        .set({ state: 'published', updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
        .where(
          inArray(
            targetNodes.id,
            drafts.map((c) => c.id),
          ),
        );
      for (const c of drafts)
        audits.push({
          action: 'publish',
          entity: 'target_node',
          entityId: c.id,
          before: { state: 'draft' },
          after: { state: 'published' },
        });
    }
    await recordAudits(tx, ctx, audits);
    let sent = 0;
    // Units and reps are sent agreements; a product category or customer split is part of the
    // node's own assignee's target, covered by the agreement of that target.
    if (node.childSplit === 'dimension') {
      for (const c of children) {
        if (!c.ownerId || c.ownerId === actor.userId || isPartOfAssignee(c)) continue;
        const latest = tree.agreements.get(c.id);
        if (latest && (latest.state === 'sent' || latest.state === 'signed')) continue;
        await sendAgreement(tx, ctx, tree, { ...c, state: 'published' });
        sent++;
      }
    }
    return { published: drafts.length, agreementsSent: sent, planId: node.planId };
  });
  const tree = await loadTree(db, result.planId);
  return {
    parent: presentNode(tree, tree.nodes.get(id)!, await userNames(db, [tree.nodes.get(id)!.ownerId])),
    published: result.published,
    agreementsSent: result.agreementsSent,
  };
}

/** Guards that a period someone names lies in the plan's year and inside its parent. */
export function assertPeriodInside(tree: Tree, parent: TargetNodeRow, p: Pick<Period, 'start' | 'end'>) {
  const year = tree.plan.fiscalYear;
  if (!withinYear(year, p) || p.start < parent.periodStart || p.end > parent.periodEnd) {
    throw new AppError('target_period_outside_year', {
      node: parent.label,
      start: p.start,
      end: p.end,
      year,
      parentStart: parent.periodStart,
      parentEnd: parent.periodEnd,
    });
  }
}

/**
 * Sets the target of one period below a node by hand — a week or a day on demand, say — which
 * must lie inside the plan's year and the node's own period. An existing target for that period
 * gets the new amount.
 */
export async function setPeriodTarget(
  db: Db,
  ctx: Ctx,
  parentId: string,
  input: { periodKind: PeriodKind; periodStart: string; amount: number; version: number },
) {
  const childId = await withTx(db, async (tx) => {
    const { tree, node } = await loadVisibleNode(tx, ctx, parentId, true);
    await assertAllocatable(tx, ctx, tree, node, false);
    if (node.version !== input.version) throw versionConflict();
    assertPeriodInside(tree, node, { start: input.periodStart, end: input.periodStart });
    if (!canSplit(node.periodKind, input.periodKind))
      throw badSplit(
        node,
        {
          'zh-CN': `期间「${node.periodKey}」不能分解为该粒度。`,
          en: `period ${node.periodKey} cannot be split into ${input.periodKind}s.`,
        },
        ctx,
      );
    if (node.childSplit === 'dimension')
      throw badSplit(
        node,
        { 'zh-CN': '它已按组织或人员分解。', en: 'it is already split by unit or rep.' },
        ctx,
      );
    const existing = tree.children.get(node.id) ?? [];
    if (existing.some((c) => c.periodKind !== input.periodKind))
      throw badSplit(
        node,
        { 'zh-CN': '它已按另一粒度分解。', en: 'it is already split into another kind of period.' },
        ctx,
      );
    const period = subPeriods(periodOf(node), input.periodKind).find(
      (p) => p.start <= input.periodStart && input.periodStart <= p.end,
    ) as Period;
    const match = existing.find((c) => c.periodKey === period.key && c.periodStart === period.start);
    if (match) {
      assertEditable(tree, match);
      const [after] = await tx
        .update(targetNodes)
        .set({
          amount: input.amount,
          state: 'draft',
          updatedAt: sql`now()`,
          version: sql`${targetNodes.version} + 1`,
        })
        .where(eq(targetNodes.id, match.id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'update',
        entity: 'target_node',
        entityId: match.id,
        before: match,
        after: after!,
      });
      return match.id;
    }
    const [created] = await tx
      .insert(targetNodes)
      .values({
        planId: node.planId,
        parentId: node.id,
        dimension: node.dimension,
        dimensionId: node.dimensionId,
        label: node.label,
        periodKind: period.kind,
        periodStart: period.start,
        periodEnd: period.end,
        periodKey: period.key,
        amount: input.amount,
        ownerId: node.ownerId,
        orgUnitId: node.orgUnitId,
        sortOrder: existing.length,
        createdBy: actorOf(ctx).userId,
      })
      .returning();
    await tx
      .update(targetNodes)
      .set({ childSplit: 'period', updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
      .where(eq(targetNodes.id, node.id));
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'target_node',
      entityId: created!.id,
      after: created!,
    });
    return created!.id;
  });
  return getNode(db, ctx, childId);
}
