import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { attainmentThresholdsUpdate } from '../../../../contracts/index.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { notFound, versionConflict } from '../../../platform/errors.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { factsDataAsOf } from '../../analytics/facts/refresh.js';
import { factsActual } from '../../analytics/index.js';
import { METRIC_KIND } from '../targets/rules.js';
import type { TargetNodeRow } from '../targets/schema.js';
import { actualQueryOf, loadTree, loadVisibleNode, type Tree, visibleIds } from '../targets/tree.js';
import { attainment, DEFAULT_THRESHOLDS, type Thresholds } from './rules.js';
import { attainmentSettings } from './schema.js';

const KEY = 'company';

export async function getThresholds(db: Db): Promise<Thresholds & { version: number }> {
  const [row] = await db.select().from(attainmentSettings).where(eq(attainmentSettings.key, KEY));
  return row
    ? { greenPercent: row.greenPercent, amberPercent: row.amberPercent, version: row.version }
    : { ...DEFAULT_THRESHOLDS, version: 1 };
}

/** The administrator sets the traffic-light thresholds (version-checked, audited). */
export async function updateThresholds(db: Db, ctx: Ctx, input: z.infer<typeof attainmentThresholdsUpdate>) {
  return withTx(db, async (tx) => {
    await tx.insert(attainmentSettings).values({ key: KEY }).onConflictDoNothing();
    const [before] = await tx
      .select()
      .from(attainmentSettings)
      .where(eq(attainmentSettings.key, KEY))
      .for('update');
    if (!before || before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(attainmentSettings)
      .set({
        greenPercent: input.greenPercent,
        amberPercent: input.amberPercent,
        version: sql`${attainmentSettings.version} + 1`,
        updatedAt: sql`now()`,
        updatedBy: ctx.actor?.userId ?? null,
      })
      .where(eq(attainmentSettings.key, KEY))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'attainment_settings',
      entityId: KEY,
      before: { greenPercent: before.greenPercent, amberPercent: before.amberPercent },
      after: { greenPercent: after!.greenPercent, amberPercent: after!.amberPercent },
    });
    return { greenPercent: after!.greenPercent, amberPercent: after!.amberPercent, version: after!.version };
  });
}

async function nodeFigures(
  db: Db,
  tree: Tree,
  node: TargetNodeRow,
  asOf: string,
  thresholds: Thresholds,
  dataAsOf: string | null,
) {
  const plan = tree.plan;
  // A product category or customer target counts within its assignee (actualQueryOf).
  const actual = await factsActual(db, actualQueryOf(tree, node));
  const a = attainment({
    target: BigInt(node.amount),
    actual,
    start: node.periodStart,
    end: node.periodEnd,
    asOf,
    thresholds,
  });
  const n = (v: bigint | null) => (v === null ? null : Number(v));
  return {
    nodeId: node.id,
    planId: plan.id,
    metric: plan.metric,
    metricKind: METRIC_KIND[plan.metric],
    dimension: node.dimension,
    dimensionId: node.dimensionId,
    label: node.label,
    parentId: node.parentId,
    periodKind: node.periodKind,
    periodKey: node.periodKey,
    start: node.periodStart,
    end: node.periodEnd,
    asOf,
    target: Number(a.target),
    actual: Number(a.actual),
    attainmentPercent: a.attainmentPercent,
    gap: Number(a.gap),
    totalDays: a.totalDays,
    elapsedDays: a.elapsedDays,
    remainingDays: a.remainingDays,
    expectedToDate: Number(a.expectedToDate),
    projection: n(a.projection),
    requiredDailyRate: n(a.requiredDailyRate),
    pacePercent: a.pacePercent,
    status: a.status,
    dataAsOf,
  };
}

/** Attainment of one target the reader may see (else 404), live from the facts. */
export async function nodeAttainment(db: Db, ctx: Ctx, nodeId: string) {
  const { tree, node } = await loadVisibleNode(db, ctx, nodeId);
  const asOf = dayIn(await companyTimeZone(db), new Date());
  return nodeFigures(db, tree, node, asOf, await getThresholds(db), await factsDataAsOf(db));
}

/**
 * Attainment of the plan's targets the reader may see: a node and its children (`parentId`), or
 * every visible node (at most 500, tree order).
 */
export async function planAttainment(db: Db, ctx: Ctx, planId: string, parentId?: string) {
  const visible = await visibleIds(db, ctx, planId);
  if (!visible.size) throw notFound();
  const tree = await loadTree(db, planId);
  let nodes = [...tree.nodes.values()].filter((n) => visible.has(n.id));
  if (parentId) {
    if (!visible.has(parentId)) throw notFound();
    nodes = nodes.filter((n) => n.id === parentId || n.parentId === parentId);
  }
  nodes.sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.sortOrder - b.sortOrder);
  const asOf = dayIn(await companyTimeZone(db), new Date());
  const thresholds = await getThresholds(db);
  const dataAsOf = await factsDataAsOf(db);
  const items = [];
  for (const node of nodes.slice(0, 500))
    items.push(await nodeFigures(db, tree, node, asOf, thresholds, dataAsOf));
  return { items, thresholds, dataAsOf };
}
