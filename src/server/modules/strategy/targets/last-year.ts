import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { companyTimeZone } from '../../../platform/settings/settings.service.js';
import { salesOrders } from '../../orders/sales-orders/schema.js';
import { orgUnits } from '../../org/schema.js';
import type { Metric } from './rules.js';
import type { TargetDimension } from './schema.js';

/** What last year's actual is asked for: one metric, one dimension value, one date range. */
export interface ActualQuery {
  metric: Metric;
  dimension: TargetDimension;
  /** The org unit, user, category or customer; null for the whole company. */
  dimensionId: string | null;
  /** Calendar days in the company time zone, inclusive. */
  start: string;
  end: string;
  /**
   * For a product category or a customer: the assignee whose sales count — the rep, or the org
   * unit's subtree; absent (or null) for the whole company.
   */
  within?: { dimension: 'org_unit' | 'rep'; id: string } | null | undefined;
}

/**
 * The port seasonality allocation reads last year's actuals through, in the metric's smallest
 * unit. The attainment module (issue 8, item 4) installs the full implementation with
 * setLastYearActual; until then booked revenue is read from confirmed sales orders and every other
 * metric answers 0, which makes a seasonality split fall back to an even one.
 */
export type LastYearActual = (tx: Db, query: ActualQuery) => Promise<bigint>;

/** Orders count as booked once confirmed, whatever happened to them after (shipping, invoicing). */
const BOOKED = ['confirmed', 'partially_shipped', 'shipped', 'completed'] as const;

export const bookedRevenueActual: LastYearActual = async (tx, q) => {
  if (q.metric !== 'booked_revenue') return 0n;
  const tz = await companyTimeZone(tx);
  const day = sql`(${salesOrders.confirmedAt} at time zone ${tz})::date`;
  let dimension: ReturnType<typeof sql> | ReturnType<typeof eq> | undefined;
  if (q.dimension === 'rep' && q.dimensionId) dimension = eq(salesOrders.ownerId, q.dimensionId);
  else if (q.dimension === 'customer' && q.dimensionId) dimension = eq(salesOrders.customerId, q.dimensionId);
  else if (q.dimension === 'org_unit' && q.dimensionId) {
    dimension = sql`${salesOrders.orgUnitId} in (select sub.id from ${orgUnits} sub, ${orgUnits} top
      where top.id = ${q.dimensionId} and sub.path like top.path || '%')`;
  } else if (q.dimension === 'product_category') return 0n;
  const within =
    q.within?.dimension === 'rep'
      ? eq(salesOrders.ownerId, q.within.id)
      : q.within?.dimension === 'org_unit'
        ? sql`${salesOrders.orgUnitId} in (select sub.id from ${orgUnits} sub, ${orgUnits} top
            where top.id = ${q.within.id} and sub.path like top.path || '%')`
        : undefined;
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${salesOrders.total}), 0)::text` })
    .from(salesOrders)
    .where(
      and(
        inArray(salesOrders.state, [...BOOKED]),
        sql`${day} between ${q.start}::date and ${q.end}::date`,
        dimension,
        within,
      ),
    );
  return BigInt(row?.total ?? '0');
};

let port: LastYearActual = bookedRevenueActual;

/** Installs the implementation of last year's actuals (the attainment module calls this once). */
export function setLastYearActual(fn: LastYearActual): void {
  port = fn;
}

export const lastYearActual: LastYearActual = (tx, q) => port(tx, q);
