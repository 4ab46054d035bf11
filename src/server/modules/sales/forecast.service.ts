import { eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { forecastDealsQuery, forecastQuery } from '../../../contracts/forecast.js';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { invalidField } from '../../platform/errors.js';
import { whereAll } from '../../platform/http/pagination.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { customers } from '../customers/schema.js';
import { orgUnits, users } from '../org/schema.js';
import { type CubeRow, forecastMonths, monthBounds, pivotForecast } from './forecast.rules.js';
import { opportunities } from './opportunities.schema.js';
import { visibleOpportunities } from './opportunities.service.js';
import { pipelineStages } from './pipelines.schema.js';

// The forecast: one aggregate query (GROUP BY CUBE) over the opportunities the actor may see.
// Open ones count in the month of their expected close date under their forecast category; won
// ones count as `closed` in the month they were won (closed_at, company time zone); lost ones
// and open ones without an expected close date are left out.

const o = opportunities;

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

interface Frame {
  month: SQL;
  /** The month as a date (first day): cheaper to group on than its text. */
  monthStart: SQL;
  category: SQL;
  weighted: SQL;
  filter: SQL | undefined;
}

/** The month, category and weighted amount of each opportunity, and which ones count. */
async function frame(
  db: Db,
  ctx: Ctx,
  query: Pick<z.infer<typeof forecastQuery>, 'from' | 'to' | 'pipelineId' | 'view'>,
): Promise<Frame & { months: string[] }> {
  const months = forecastMonths(query.from, query.to);
  if (!months) throw invalidField('to', 'invalid');
  const tz = await companyTimeZone(db);
  const { start, end } = monthBounds(query.from, query.to);
  const actor = ctx.actor;
  const filter = whereAll(
    visibleOpportunities(ctx),
    query.pipelineId ? eq(o.pipelineId, query.pipelineId) : undefined,
    query.view === 'mine' && actor ? eq(o.ownerId, actor.userId) : undefined,
    query.view === 'team' && actor
      ? sql`${o.orgUnitId} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.path} like ${`${actor.orgPath}%`})`
      : undefined,
    sql`((${o.status} = 'open' and ${o.expectedCloseDate} >= ${start}::date and ${o.expectedCloseDate} < ${end}::date)
      or (${o.status} = 'won' and ${o.closedAt} >= (${start}::timestamp at time zone ${tz}) and ${o.closedAt} < (${end}::timestamp at time zone ${tz})))`,
  );
  return {
    months,
    filter,
    month: sql`case when ${o.status} = 'won' then to_char(${o.closedAt} at time zone ${tz}, 'YYYY-MM') else to_char(${o.expectedCloseDate}, 'YYYY-MM') end`,
    monthStart: sql`case when ${o.status} = 'won' then date_trunc('month', ${o.closedAt} at time zone ${tz}) else date_trunc('month', ${o.expectedCloseDate}::timestamp) end`,
    category: sql`case when ${o.status} = 'won' then 'closed' else ${o.forecastCategory} end`,
    // round_half_up(amount × probability / 100) in integers (amounts are never negative).
    weighted: sql`case when ${o.status} = 'won' then ${o.amount} else (${o.amount} * ${o.probability} + 50) / 100 end`,
  };
}

/**
 * Month × forecast category, overall and per rep (owner) or team (owner's unit): count,
 * unweighted and weighted amounts, with every subtotal, from one GROUP BY CUBE query.
 */
export async function opportunityForecast(db: Db, ctx: Ctx, query: z.infer<typeof forecastQuery>) {
  const f = await frame(db, ctx, query);
  const key = query.groupBy === 'team' ? o.orgUnitId : o.ownerId;
  const names = query.groupBy === 'team' ? orgUnits : users;
  // Aggregate per (month, category, group) first — a few thousand rows at most — and only then
  // roll those up with CUBE, so the grouping sets never sort the opportunities themselves.
  const result = await db.execute(sql`
    with base as (
      select ${f.monthStart} as month_start, ${f.category} as category, ${key} as grp,
             count(*) as n, sum(${o.amount}) as amount, sum(${f.weighted}) as weighted
      from ${o} where ${f.filter ?? sql`true`}
      group by 1, 2, 3
    ), c as (
      select to_char(month_start, 'YYYY-MM') as month, category, grp,
             grouping(month_start, category, grp)::int as g,
             sum(n)::int as n, sum(amount)::text as amount, sum(weighted)::text as weighted
      from base group by cube (month_start, category, grp)
    )
    select c.*, names.name from c left join ${names} as names on names.id = c.grp`);
  const rows = rowsOf<CubeRow>(result);
  return {
    from: query.from,
    to: query.to,
    months: f.months,
    groupBy: query.groupBy,
    ...pivotForecast(rows, f.months),
  };
}

/** The opportunities behind a figure of the forecast (same rules), largest weighted first. */
export async function forecastDeals(db: Db, ctx: Ctx, query: z.infer<typeof forecastDealsQuery>) {
  const f = await frame(db, ctx, query);
  const where = whereAll(
    f.filter,
    query.month ? sql`${f.month} = ${query.month}` : undefined,
    query.category ? sql`${f.category} = ${query.category}` : undefined,
    query.ownerId ? eq(o.ownerId, query.ownerId) : undefined,
    query.orgUnitId ? eq(o.orgUnitId, query.orgUnitId) : undefined,
  );
  const weighted = sql<string>`${f.weighted}`.mapWith(Number);
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: o.id,
        name: o.name,
        customerId: o.customerId,
        customerName: customers.name,
        stageId: o.stageId,
        stageNameZh: pipelineStages.nameZh,
        stageNameEn: pipelineStages.nameEn,
        status: o.status,
        amount: o.amount,
        probability: o.probability,
        forecastCategory: sql<string>`${f.category}`,
        forecastMonth: sql<string>`${f.month}`,
        weighted,
        expectedCloseDate: o.expectedCloseDate,
        closedAt: o.closedAt,
        ownerId: o.ownerId,
        ownerName: users.name,
        orgUnitId: o.orgUnitId,
      })
      .from(o)
      .innerJoin(customers, eq(customers.id, o.customerId))
      .innerJoin(pipelineStages, eq(pipelineStages.id, o.stageId))
      .innerJoin(users, eq(users.id, o.ownerId))
      .where(where)
      .orderBy(sql`${f.weighted} desc`, o.id)
      .limit(query.limit),
    db.select({ n: sql<number>`count(*)::int` }).from(o).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      forecastCategory: r.forecastCategory as 'pipeline' | 'best_case' | 'commit' | 'closed',
      closedAt: r.closedAt ? r.closedAt.toISOString() : null,
    })),
    total: counted?.n ?? 0,
  };
}
