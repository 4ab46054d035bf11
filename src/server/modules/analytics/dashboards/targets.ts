import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import type { Ctx } from '../../../platform/context.js';
import { targetNodes } from '../../strategy/targets/schema.js';
import type { Metric } from '../facts/index.js';

// Published targets behind the dashboards, within the caller's `targets` scope. A target node
// counts when its whole period lies inside the window; per assignee the coarsest period kind
// present is used (the year node, else its quarters, else its months…), so a year and the months
// it was phased into are never added together.
// TODO(attainment): switch to the attainment module's exported reader once it lands.

const KINDS = ['year', 'quarter', 'month', 'week', 'day'];

export type TargetDimension = 'company' | 'org_unit' | 'rep';

/** Target per assignee id ('' for the company) over [from, to]; assignees without one are absent. */
export async function targetsFor(
  db: Db,
  ctx: Ctx,
  q: { metric: Metric; from: string; to: string; dimension: TargetDimension; ids?: string[] },
): Promise<Map<string, bigint>> {
  const rows = await queryRows<{ dim_id: string; kind: string; amount: string }>(
    db,
    sql`select coalesce(target_nodes.dimension_id::text, '') as dim_id, target_nodes.period_kind as kind, sum(target_nodes.amount)::text as amount
      from target_nodes join target_plans p on p.id = target_nodes.plan_id
      where ${conditions(ctx, q)}
      group by 1, 2`,
  );
  const best = new Map<string, { rank: number; amount: bigint }>();
  for (const r of rows) {
    const rank = KINDS.indexOf(r.kind);
    const seen = best.get(r.dim_id);
    if (!seen || rank < seen.rank) best.set(r.dim_id, { rank, amount: BigInt(r.amount) });
  }
  return new Map([...best].map(([k, v]) => [k, v.amount]));
}

/**
 * Monthly targets ('YYYY-MM' → amount) of one assignee over [from, to]. A node is split one way
 * only, so a company or region split into regions, teams and reps has no months of its own: its
 * month is the sum of the months below it (each branch counted at its highest month nodes), which
 * the exact allocation makes equal to its own target phased the same way.
 */
export async function monthlyTargets(
  db: Db,
  ctx: Ctx,
  q: { metric: Metric; from: string; to: string; dimension: TargetDimension; ids?: string[] },
): Promise<Map<string, bigint>> {
  const scope = scopeFilter(ctx.actor, 'targets', {
    ownerId: targetNodes.ownerId,
    orgUnitId: targetNodes.orgUnitId,
  });
  const nodes = await queryRows<{
    id: string;
    parent_id: string | null;
    dimension: string;
    dimension_id: string | null;
    period_kind: string;
    period_key: string;
    amount: string;
  }>(
    db,
    sql`select target_nodes.id::text, target_nodes.parent_id::text, target_nodes.dimension, target_nodes.dimension_id::text,
        target_nodes.period_kind, target_nodes.period_key, target_nodes.amount::text
      from target_nodes join target_plans p on p.id = target_nodes.plan_id
      where p.metric = ${q.metric} and p.archived_at is null and target_nodes.state = 'published'
        and target_nodes.period_start <= ${q.to}::date and target_nodes.period_end >= ${q.from}::date
        ${scope ? sql`and ${scope}` : sql``}`,
  );
  const children = new Map<string, typeof nodes>();
  for (const n of nodes) {
    if (!n.parent_id) continue;
    const list = children.get(n.parent_id) ?? [];
    list.push(n);
    children.set(n.parent_id, list);
  }
  const months = new Map<string, bigint>();
  const inWindow = (key: string) => key >= q.from.slice(0, 7) && key <= q.to.slice(0, 7);
  const addMonths = (node: (typeof nodes)[number]) => {
    if (node.period_kind === 'month') {
      if (inWindow(node.period_key))
        months.set(node.period_key, (months.get(node.period_key) ?? 0n) + BigInt(node.amount));
      return;
    }
    for (const child of children.get(node.id) ?? []) addMonths(child);
  };
  const isAssignee = (n: (typeof nodes)[number]) =>
    n.dimension === q.dimension && (q.ids ? q.ids.includes(n.dimension_id ?? '') : true);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // The assignee's topmost nodes: a year phased into months is one branch, counted once.
  for (const n of nodes) {
    const parent = n.parent_id ? byId.get(n.parent_id) : undefined;
    if (isAssignee(n) && !(parent && isAssignee(parent) && parent.dimension_id === n.dimension_id))
      addMonths(n);
  }
  return months;
}

function conditions(
  ctx: Ctx,
  q: { metric: Metric; from: string; to: string; dimension: TargetDimension; ids?: string[] },
): SQL {
  const conds: SQL[] = [
    sql`p.metric = ${q.metric}`,
    sql`p.archived_at is null`,
    sql`target_nodes.state = 'published'`,
    sql`target_nodes.dimension = ${q.dimension}`,
    sql`target_nodes.period_start >= ${q.from}::date`,
    sql`target_nodes.period_end <= ${q.to}::date`,
  ];
  if (q.ids) {
    conds.push(
      q.ids.length
        ? sql`target_nodes.dimension_id in (${sql.join(
            q.ids.map((i) => sql`${i}::uuid`),
            sql`, `,
          )})`
        : sql`false`,
    );
  }
  const scope = scopeFilter(ctx.actor, 'targets', {
    ownerId: targetNodes.ownerId,
    orgUnitId: targetNodes.orgUnitId,
  });
  if (scope) conds.push(scope);
  return sql.join(conds, sql` and `);
}
