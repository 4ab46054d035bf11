import { desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { scopeFilter, scopeOf } from '../../../platform/access/scope.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { whereAll } from '../../../platform/http/pagination.js';
import { users } from '../../org/schema.js';
import type { ActualQuery } from './last-year.js';
import { METRIC_KIND, type Metric } from './rules.js';
import {
  type TargetAgreementRow,
  type TargetNodeRow,
  type TargetPlanRow,
  targetAgreements,
  targetNodes,
  targetPlans,
} from './schema.js';

// The allocation tree of one plan, loaded whole: a plan holds at most some thousands of nodes
// (4 regions × 8 teams × 40 reps × 12 months), so rules over it run in memory.

export function actorOf(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('unauthenticated');
  return ctx.actor;
}

/** The targets the reader may see: their own, their unit's subtree, or all. */
export const visibleNodes = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, 'targets', { ownerId: targetNodes.ownerId, orgUnitId: targetNodes.orgUnitId });

export const seesAllTargets = (ctx: Ctx) => !ctx.actor || scopeOf(ctx.actor, 'targets') === 'all';

export interface Tree {
  plan: TargetPlanRow;
  nodes: Map<string, TargetNodeRow>;
  children: Map<string | null, TargetNodeRow[]>;
  /** The latest agreement of each node that has one. */
  agreements: Map<string, TargetAgreementRow>;
}

export async function loadTree(db: Db, planId: string, forUpdate = false): Promise<Tree> {
  const q = db.select().from(targetPlans).where(eq(targetPlans.id, planId));
  const [plan] = forUpdate ? await q.for('update') : await q;
  if (!plan) throw notFound();
  const rows = await db
    .select()
    .from(targetNodes)
    .where(eq(targetNodes.planId, planId))
    .orderBy(targetNodes.sortOrder, targetNodes.periodStart, targetNodes.id);
  const nodes = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<string | null, TargetNodeRow[]>();
  for (const r of rows) {
    const list = children.get(r.parentId) ?? [];
    list.push(r);
    children.set(r.parentId, list);
  }
  const agreementRows = await db
    .select()
    .from(targetAgreements)
    .where(eq(targetAgreements.planId, planId))
    .orderBy(desc(targetAgreements.createdAt), desc(targetAgreements.id));
  const agreements = new Map<string, TargetAgreementRow>();
  for (const a of agreementRows) if (!agreements.has(a.nodeId)) agreements.set(a.nodeId, a);
  return { plan, nodes, children, agreements };
}

/** The ids of the nodes of the plan the reader may see. */
export async function visibleIds(db: Db, ctx: Ctx, planId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: targetNodes.id })
    .from(targetNodes)
    .where(whereAll(eq(targetNodes.planId, planId), visibleNodes(ctx)));
  return new Set(rows.map((r) => r.id));
}

/** A node the reader may see, with its whole tree; anything else is not found. */
export async function loadVisibleNode(db: Db, ctx: Ctx, nodeId: string, forUpdate = false) {
  const [row] = await db
    .select({ planId: targetNodes.planId })
    .from(targetNodes)
    .where(whereAll(eq(targetNodes.id, nodeId), visibleNodes(ctx)));
  if (!row) throw notFound();
  const tree = await loadTree(db, row.planId, forUpdate);
  // Writes lock the plan; an archived plan no longer changes.
  if (forUpdate && tree.plan.archivedAt)
    throw new AppError('invalid_state', { state: ctx.locale === 'en' ? 'archived' : '已归档' });
  return { tree, node: tree.nodes.get(nodeId) as TargetNodeRow };
}

/**
 * May the reader change this node's amount or split it? The node must be theirs to allocate:
 * its parent is in their sight (a manager allocates inside their unit, not their own target), and
 * the company's own target is the director's (targets.create).
 */
export async function assertAllocatable(
  db: Db,
  ctx: Ctx,
  tree: Tree,
  node: TargetNodeRow,
  ownAmount: boolean,
) {
  const actor = actorOf(ctx);
  if (!ownAmount) return;
  if (!node.parentId) {
    if (!actor.permissions.has('targets.create')) throw new AppError('forbidden');
    return;
  }
  const visible = await visibleIds(db, ctx, tree.plan.id);
  if (!visible.has(node.parentId)) throw new AppError('forbidden');
}

export const ancestorsOf = (tree: Tree, node: TargetNodeRow): TargetNodeRow[] => {
  const out: TargetNodeRow[] = [];
  let at = node.parentId ? tree.nodes.get(node.parentId) : undefined;
  while (at) {
    out.push(at);
    at = at.parentId ? tree.nodes.get(at.parentId) : undefined;
  }
  return out;
};

export const descendantsOf = (tree: Tree, node: TargetNodeRow): TargetNodeRow[] => {
  const out: TargetNodeRow[] = [];
  const stack = [...(tree.children.get(node.id) ?? [])];
  while (stack.length) {
    const n = stack.pop() as TargetNodeRow;
    out.push(n);
    stack.push(...(tree.children.get(n.id) ?? []));
  }
  return out;
};

/** A product category or customer target is a part of its assignee's target, not a new assignee. */
export const isPartOfAssignee = (node: Pick<TargetNodeRow, 'dimension'>) =>
  node.dimension === 'product_category' || node.dimension === 'customer';

/**
 * What a node's actual is: its metric over its period for its dimension value — and for a product
 * category or customer, within the assignee it was split from (the nearest company, unit or rep
 * above it), so a rep's category target counts that rep's sales of the category only.
 */
export function actualQueryOf(tree: Tree, node: TargetNodeRow): ActualQuery {
  let within: ActualQuery['within'] = null;
  if (isPartOfAssignee(node)) {
    const assignee = ancestorsOf(tree, node).find((a) => !isPartOfAssignee(a));
    if (assignee?.dimensionId && (assignee.dimension === 'org_unit' || assignee.dimension === 'rep'))
      within = { dimension: assignee.dimension, id: assignee.dimensionId };
  }
  return {
    metric: tree.plan.metric,
    dimension: node.dimension,
    dimensionId: node.dimensionId,
    start: node.periodStart,
    end: node.periodEnd,
    within,
  };
}

/**
 * The agreement in force over a node: its own, or — for a month or week of someone's target, or
 * its part for a product category or customer — that of the target it details, if sent or
 * signed. A team lead's agreement covers the team's total, not how the lead splits it among the
 * reps.
 */
export function coveringAgreement(tree: Tree, node: TargetNodeRow): TargetAgreementRow | undefined {
  let at: TargetNodeRow | undefined = node;
  while (at) {
    const a = tree.agreements.get(at.id);
    if (a && (a.state === 'sent' || a.state === 'signed')) return a;
    const parent: TargetNodeRow | undefined = at.parentId ? tree.nodes.get(at.parentId) : undefined;
    at = parent?.childSplit === 'period' || isPartOfAssignee(at) ? parent : undefined;
  }
  return undefined;
}

/**
 * A published target may change only while no agreement holds it: a signed one needs an approved
 * change request, a sent one must first be rejected by its assignee.
 */
export function assertEditable(tree: Tree, node: TargetNodeRow) {
  if (node.state !== 'published') return;
  const agreement = coveringAgreement(tree, node);
  if (agreement?.state === 'signed') throw new AppError('target_agreement_signed', { node: node.label });
  if (agreement?.state === 'sent') throw new AppError('target_published', { node: node.label });
}

/** An amount as people read it: ¥1,234.56 for money, 12.5 for units, 42 for counts. */
export function formatAmount(metric: Metric, amount: number | bigint): string {
  const n = BigInt(amount);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const group = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const kind = METRIC_KIND[metric];
  let out: string;
  if (kind === 'money')
    out = `¥${group((abs / 100n).toString())}.${(abs % 100n).toString().padStart(2, '0')}`;
  else if (kind === 'quantity') {
    const frac = (abs % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
    out = group((abs / 1000n).toString()) + (frac ? `.${frac}` : '');
  } else out = group(abs.toString());
  return neg ? `-${out}` : out;
}

export async function userNames(db: Db, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function presentNode(tree: Tree, node: TargetNodeRow, names: Map<string, string>) {
  const kids = tree.children.get(node.id) ?? [];
  const childrenSum = kids.length ? kids.reduce((a, k) => a + k.amount, 0) : null;
  const agreement = tree.agreements.get(node.id);
  const covering = coveringAgreement(tree, node);
  return {
    id: node.id,
    planId: node.planId,
    parentId: node.parentId,
    childSplit: node.childSplit,
    dimension: node.dimension,
    dimensionId: node.dimensionId,
    label: node.label,
    period: { kind: node.periodKind, start: node.periodStart, end: node.periodEnd, key: node.periodKey },
    amount: node.amount,
    state: node.state,
    ownerId: node.ownerId,
    ownerName: node.ownerId ? (names.get(node.ownerId) ?? null) : null,
    orgUnitId: node.orgUnitId,
    childrenSum,
    gap: childrenSum === null ? null : childrenSum - node.amount,
    agreement: agreement ? { id: agreement.id, number: agreement.number, state: agreement.state } : null,
    locked: node.state === 'published' && covering?.state === 'signed',
    version: node.version,
  };
}
