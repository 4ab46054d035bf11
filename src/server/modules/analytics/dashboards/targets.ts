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

/** Monthly targets ('YYYY-MM' → amount) of one assignee, from its month nodes. */
export async function monthlyTargets(
  db: Db,
  ctx: Ctx,
  q: { metric: Metric; from: string; to: string; dimension: TargetDimension; ids?: string[] },
): Promise<Map<string, bigint>> {
  const rows = await queryRows<{ month: string; amount: string }>(
    db,
    sql`select target_nodes.period_key as month, sum(target_nodes.amount)::text as amount
      from target_nodes join target_plans p on p.id = target_nodes.plan_id
      where ${conditions(ctx, q)} and target_nodes.period_kind = 'month'
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
