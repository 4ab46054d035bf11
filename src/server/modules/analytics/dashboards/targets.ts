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
  const isAssignee = (n: string) =>
    sql`${sql.raw(n)}.dimension = ${q.dimension} and ${
      q.ids
        ? q.ids.length
          ? sql`${sql.raw(n)}.dimension_id in (${sql.join(
              q.ids.map((i) => sql`${i}::uuid`),
              sql`, `,
            )})`
          : sql`false`
        : sql`true`
    }`;
  // In SQL, so that only the months travel (a company split down to a thousand reps' months is
  // tens of thousands of nodes): the assignee's topmost nodes (a year phased into months is one
  // branch, counted once), then down each branch to its highest month nodes.
  const rows = await queryRows<{ month: string; amount: string }>(
    db,
    sql`with recursive nodes as materialized (
        select target_nodes.id, target_nodes.parent_id, target_nodes.dimension, target_nodes.dimension_id,
          target_nodes.period_kind, target_nodes.period_key, target_nodes.amount
        from target_nodes join target_plans p on p.id = target_nodes.plan_id
        where p.metric = ${q.metric} and p.archived_at is null and target_nodes.state = 'published'
          and target_nodes.period_start <= ${q.to}::date and target_nodes.period_end >= ${q.from}::date
          ${scope ? sql`and ${scope}` : sql``}),
      branch as (
        select n.id, n.period_kind, n.period_key, n.amount from nodes n left join nodes parent on parent.id = n.parent_id
        where ${isAssignee('n')} and not coalesce(${isAssignee('parent')}
          and parent.dimension_id is not distinct from n.dimension_id, false)
        union all
        select c.id, c.period_kind, c.period_key, c.amount from branch b join nodes c on c.parent_id = b.id
        where b.period_kind <> 'month')
      select period_key as month, sum(amount)::text as amount from branch
      where period_kind = 'month' and period_key between ${q.from.slice(0, 7)} and ${q.to.slice(0, 7)}
      group by 1`,
  );
  return new Map(rows.map((r) => [r.month, BigInt(r.amount)]));
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
