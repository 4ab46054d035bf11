import dayjs from 'dayjs';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField } from '../../../platform/errors.js';
import { companyTimeZone } from '../../../platform/settings/settings.service.js';
import type { Metric } from '../../strategy/targets/rules.js';
import type { FactFilter, FactGroupBy, MeasureQuery, MeasureResult } from './index.js';
import { factsDataAsOf } from './refresh.js';
import { salesFactsDaily as f } from './schema.js';
import { sourceRows } from './sources.js';

/** The resource whose data scope limits every figure (a rep: own; a manager: the unit's subtree). */
export const FACTS_RESOURCE = 'sales-facts';

const GROUP_KEYS: Record<FactGroupBy, SQL> = {
  day: sql`to_char(${f.day}, 'YYYY-MM-DD')`,
  week: sql`to_char(${f.day}, 'IYYY-"W"IW')`,
  month: sql`to_char(${f.day}, 'YYYY-MM')`,
  quarter: sql`to_char(${f.day}, 'YYYY-"Q"Q')`,
  year: sql`to_char(${f.day}, 'YYYY')`,
  orgUnit: sql`coalesce(${f.orgUnitId}::text, '')`,
  rep: sql`coalesce(${f.ownerId}::text, '')`,
  category: sql`coalesce(${f.categoryId}::text, '')`,
  province: sql`coalesce(${f.provinceCode}, '')`,
};

export const isGroupKey = (k: string): k is FactGroupBy => Object.hasOwn(GROUP_KEYS, k);

const validDay = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && dayjs(d, 'YYYY-MM-DD').format('YYYY-MM-DD') === d;

export function checkWindow(from: string, to: string): void {
  if (!validDay(from)) throw invalidField('from', 'format');
  if (!validDay(to)) throw invalidField('to', 'format');
  if (from > to || dayjs(to).diff(dayjs(from), 'day') > 3660) throw invalidField('to', 'factsWindow');
}

/** Gross profit is revenue less cost: like every margin, only for those who may see costs. */
export function checkMetric(ctx: Ctx, metric: Metric): void {
  if (metric === 'gross_profit' && ctx.actor && !ctx.actor.permissions.has('products.cost'))
    throw new AppError('forbidden', { permission: 'products.cost' });
}

/**
 * The conditions of a filter, a cell's keys and the actor's scope, on columns named like the
 * roll-up's (`sales_facts_daily`): the source-row subquery is aliased to the same name.
 */
export function factConditions(
  ctx: Ctx,
  filter: FactFilter | undefined,
  keys?: Record<string, string>,
): SQL[] {
  const conds: SQL[] = [];
  const scope = scopeFilter(ctx.actor, FACTS_RESOURCE, { ownerId: f.ownerId, orgUnitId: f.orgUnitId });
  if (scope) conds.push(scope);
  if (filter?.orgUnitId) {
    conds.push(sql`${f.orgUnitId} in (select sub.id from org_units sub, org_units top
      where top.id = ${filter.orgUnitId}::uuid and sub.path like top.path || '%')`);
  }
  if (filter?.repId) conds.push(sql`${f.ownerId} = ${filter.repId}::uuid`);
  if (filter?.categoryId) {
    conds.push(sql`${f.categoryId} in (with recursive tree as (
        select id from product_categories where id = ${filter.categoryId}::uuid
        union all select pc.id from product_categories pc join tree on pc.parent_id = tree.id)
      select id from tree)`);
  }
  if (filter?.provinceCode !== undefined) conds.push(sql`${GROUP_KEYS.province} = ${filter.provinceCode}`);
  for (const [k, v] of Object.entries(keys ?? {})) {
    if (!isGroupKey(k))
      throw invalidField(`keys.${k}`, 'oneOf', { values: Object.keys(GROUP_KEYS).join(', ') });
    conds.push(sql`${GROUP_KEYS[k]} = ${v}`);
  }
  return conds;
}

/**
 * The rows to aggregate: the roll-up, or the live source records of one customer (indexed).
 * `perRep`: the query neither groups nor filters by category or province, so whole months may
 * come from the per-rep monthly roll-up.
 */
export function factSource(
  metric: Metric,
  tz: string,
  from: string,
  to: string,
  customerId?: string,
  daily = false,
  live = false,
  perRep = false,
): SQL {
  if (!customerId && !live) {
    const split = daily ? null : wholeMonths(from, to);
    if (!split) return sql`${f}`;
    // Whole months from the monthly roll-up (dated on their first day), the edges from the daily one.
    const cols = sql`owner_id, org_unit_id, category_id, province_code, amount, quantity, metric`;
    const edges = split.edges.map(
      ([a, b]) =>
        sql`select day, ${cols} from sales_facts_daily where metric = ${metric} and day between ${a}::date and ${b}::date`,
    );
    const months = perRep
      ? sql`select month as day, owner_id, org_unit_id, null::uuid as category_id, null::text as province_code,
            amount, quantity, metric from sales_facts_monthly_rep
          where metric = ${metric} and month between ${split.first}::date and ${split.last}::date`
      : sql`select month as day, ${cols} from sales_facts_monthly
          where metric = ${metric} and month between ${split.first}::date and ${split.last}::date`;
    return sql`(${sql.join([months, ...edges], sql` union all `)}) as sales_facts_daily`;
  }
  return sql`(select src.*, ${metric}::text as metric from (${sourceRows(metric, tz, { from, to })}) src
    where ${customerId ? sql`src.customer_id = ${customerId}::uuid` : sql`true`}) as sales_facts_daily`;
}

/**
 * The whole calendar months inside [from, to] (first days of the first and last) and the day
 * ranges left at the edges; null when no whole month fits.
 */
export function wholeMonths(
  from: string,
  to: string,
): { first: string; last: string; edges: [string, string][] } | null {
  const start = dayjs(from);
  const end = dayjs(to);
  const first = start.date() === 1 ? start : start.add(1, 'month').startOf('month');
  const lastEnd = end.isSame(end.endOf('month'), 'day') ? end : end.startOf('month').subtract(1, 'day');
  if (first.isAfter(lastEnd)) return null;
  const edges: [string, string][] = [];
  if (first.isAfter(start)) edges.push([from, first.subtract(1, 'day').format('YYYY-MM-DD')]);
  if (lastEnd.isBefore(end)) edges.push([lastEnd.add(1, 'day').format('YYYY-MM-DD'), to]);
  return { first: first.format('YYYY-MM-DD'), last: lastEnd.startOf('month').format('YYYY-MM-DD'), edges };
}

/**
 * A metric's total over [from, to] (company-time-zone days, inclusive), grouped by any of the
 * period grains and dimensions, within the actor's data scope. Exact: fen and counts as whole
 * numbers, units with up to three decimals, all as strings.
 */
export async function measure(db: Db, ctx: Ctx, q: MeasureQuery): Promise<MeasureResult> {
  checkWindow(q.from, q.to);
  checkMetric(ctx, q.metric);
  const groupBy = [...new Set(q.groupBy ?? [])];
  for (const g of groupBy) if (!isGroupKey(g)) throw invalidField('groupBy', 'oneOf');
  const tz = await companyTimeZone(db);
  const conds = [
    sql`${f.metric} = ${q.metric}`,
    sql`${f.day} between ${q.from}::date and ${q.to}::date`,
    ...factConditions(ctx, q.filter),
  ];
  const value =
    q.metric === 'units' ? sql`coalesce(sum(${f.quantity}), 0)` : sql`coalesce(sum(${f.amount}), 0)`;
  const selected = groupBy.map((g, i) => sql`${GROUP_KEYS[g]} as ${sql.identifier(`k${i}`)}`);
  const query = sql`select ${sql.join([...selected, sql`${value}::text as value`], sql`, `)}
    from ${factSource(
      q.metric,
      tz,
      q.from,
      q.to,
      q.filter?.customerId,
      groupBy.includes('day') || groupBy.includes('week'),
      q.live,
      !groupBy.includes('category') &&
        !groupBy.includes('province') &&
        !q.filter?.categoryId &&
        q.filter?.provinceCode === undefined,
    )}
    where ${sql.join(conds, sql` and `)}
    ${
      groupBy.length
        ? sql`group by ${sql.join(
            groupBy.map((_, i) => sql.raw(String(i + 1))),
            sql`, `,
          )} order by ${sql.join(
            groupBy.map((_, i) => sql.raw(String(i + 1))),
            sql`, `,
          )}`
        : sql``
    }`;
  const rows = await queryRows<Record<string, string>>(db, query);
  const dataAsOf = q.filter?.customerId || q.live ? new Date().toISOString() : await factsDataAsOf(db);
  return {
    rows: rows.map((r) => ({
      keys: Object.fromEntries(groupBy.map((g, i) => [g, String(r[`k${i}`] ?? '')])),
      value: normalise(String(r.value ?? '0')),
    })),
    dataAsOf,
  };
}

/** '12.500' → '12.5', '7.000' → '7': the same figure whatever engine summed it. */
export function normalise(v: string): string {
  if (!v.includes('.')) return v;
  const t = v.replace(/0+$/, '').replace(/\.$/, '');
  return t === '-0' ? '0' : t;
}
