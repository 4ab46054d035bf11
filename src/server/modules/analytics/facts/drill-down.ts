import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { encodeCursor } from '../../../platform/http/pagination.js';
import { companyTimeZone } from '../../../platform/settings/settings.service.js';
import type { DrillDownItem, DrillDownPage, DrillDownQuery } from './index.js';
import { checkMetric, checkWindow, factConditions, normalise } from './measure.js';
import { sourceRows } from './sources.js';

function decode(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      typeof v[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(v[0]) &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    ) {
      return [v[0], v[1]];
    }
  } catch {
    // any undecodable cursor is the same client error
  }
  throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
}

/**
 * The source records behind one figure of measure() (same metric, window, filter and the cell's
 * keys), newest first, one item per order, shipment, payment, customer, activity or opportunity
 * with what it adds to the figure. Live: it reads the source records, within the actor's scope.
 */
export async function drillDown(db: Db, ctx: Ctx, q: DrillDownQuery): Promise<DrillDownPage> {
  checkWindow(q.from, q.to);
  checkMetric(ctx, q.metric);
  const limit = Math.min(Math.max(1, Math.trunc(q.limit)), 500);
  const tz = await companyTimeZone(db);
  const conds = factConditions(ctx, q.filter, q.keys);
  if (q.filter?.customerId) conds.push(sql`sales_facts_daily.customer_id = ${q.filter.customerId}::uuid`);
  const after = q.cursor ? decode(q.cursor) : undefined;
  const value =
    q.metric === 'units' ? sql`sum(sales_facts_daily.quantity)` : sql`sum(sales_facts_daily.amount)`;
  const rows = await queryRows<{
    kind: DrillDownItem['kind'];
    id: string;
    label: string;
    day: string;
    customer_id: string | null;
    customer_name: string | null;
    owner_id: string | null;
    org_unit_id: string;
    value: string;
  }>(
    db,
    sql`select * from (
        select sales_facts_daily.kind, sales_facts_daily.record_id as id, sales_facts_daily.label,
          max(sales_facts_daily.day)::text as day, sales_facts_daily.customer_id, sales_facts_daily.customer_name,
          sales_facts_daily.owner_id, sales_facts_daily.org_unit_id, ${value}::text as value
        from (${sourceRows(q.metric, tz, { from: q.from, to: q.to })}) as sales_facts_daily
        where ${conds.length ? sql.join(conds, sql` and `) : sql`true`}
        group by 1, 2, 3, 5, 6, 7, 8
      ) g
      ${after ? sql`where (g.day, g.id) < (${after[0]}, ${after[1]}::uuid)` : sql``}
      order by g.day desc, g.id desc
      limit ${limit + 1}`,
  );
  const items = rows.slice(0, limit).map(
    (r): DrillDownItem => ({
      kind: r.kind,
      id: r.id,
      label: r.label,
      day: r.day,
      customerId: r.customer_id,
      customerName: r.customer_name,
      ownerId: r.owner_id,
      orgUnitId: r.org_unit_id,
      value: normalise(String(r.value)),
    }),
  );
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.day, last.id]) : null,
    dataAsOf: new Date().toISOString(),
  };
}
