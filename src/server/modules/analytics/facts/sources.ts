import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../../platform/calendar.js';
import type { Metric } from '../../strategy/targets/rules.js';

// The source records behind each metric, as one SQL row per record (per line for order and
// shipment lines). One definition serves the roll-up refresh, measure() by customer and the
// drill-down, so a figure and the records behind it can never disagree.
//
// Columns: day, owner_id, org_unit_id, category_id, province_code, customer_id, customer_name,
// record_id, kind, label, amount (bigint: fen or 1), quantity (numeric: units).

/** Orders count as booked once confirmed, whatever happened to them after, unless cancelled. */
export const BOOKED_STATES = ['confirmed', 'partially_shipped', 'shipped', 'completed'] as const;

const localDay = (col: SQL, tz: string) => sql`(${col} at time zone ${tz})::date`;

/** Restricts a day expression: a list of days, or an inclusive range, or nothing. */
export interface DayWindow {
  days?: readonly string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function dayCondition(day: SQL, w: DayWindow): SQL {
  const parts: SQL[] = [];
  if (w.days?.length) {
    // The span of the days as a plain range too: the planner estimates it far better than a list.
    const sorted = [...w.days].sort();
    parts.push(sql`${day} between ${sorted[0]}::date and ${sorted.at(-1)}::date`);
  }
  if (w.days) {
    parts.push(
      w.days.length
        ? sql`${day} in (${sql.join(
            w.days.map((d) => sql`${d}::date`),
            sql`, `,
          )})`
        : sql`false`,
    );
  }
  if (w.from) parts.push(sql`${day} >= ${w.from}::date`);
  if (w.to) parts.push(sql`${day} <= ${w.to}::date`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** Consecutive runs of sorted distinct days, as [first, last] pairs. */
function dayRuns(days: readonly string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const d of [...new Set(days)].sort()) {
    const last = runs.at(-1);
    if (last && addDays(last[1], 1) === d) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

/**
 * The same window on the instant column behind a local day, so that an index on the column
 * serves it (the day expression depends on the company time zone, which no index can know):
 * [first day 00:00, day after the last 00:00) in `tz`, one range per run of consecutive days of a
 * list (the refresh's scattered days: a bitmap OR of index ranges instead of a scan). Only
 * narrows what `dayCondition` keeps.
 */
function instantRange(col: SQL, tz: string, w: DayWindow): SQL {
  const range = (first: string | undefined, last: string | undefined) => {
    const parts: SQL[] = [];
    if (first) parts.push(sql`${col} >= (${first}::date)::timestamp at time zone ${tz}`);
    if (last) parts.push(sql`${col} < (${last}::date + 1)::timestamp at time zone ${tz}`);
    return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
  };
  if (w.days?.length) {
    return sql`(${sql.join(
      dayRuns(w.days).map(([a, b]) => range(a, b)),
      sql` or `,
    )})`;
  }
  return range(w.from, w.to);
}

/** The metric's source rows in the company time zone `tz`, limited to `w`. */
export function sourceRows(metric: Metric, tz: string, w: DayWindow): SQL {
  switch (metric) {
    case 'booked_revenue': {
      const day = localDay(sql`o.confirmed_at`, tz);
      return sql`select ${day} as day, o.owner_id, o.org_unit_id, p.category_id, c.province_code,
          o.customer_id, c.name as customer_name, o.id as record_id, 'sales_order'::text as kind,
          o.number as label, l.amount::bigint as amount, 0::numeric as quantity
        from sales_order_lines l
          join sales_orders o on o.id = l.order_id
          join products p on p.id = l.product_id
          join customers c on c.id = o.customer_id
        where o.confirmed_at is not null
          and o.state in (${sql.join(
            BOOKED_STATES.map((s) => sql`${s}`),
            sql`, `,
          )})
          and ${instantRange(sql`o.confirmed_at`, tz, w)} and ${dayCondition(day, w)}`;
    }
    case 'shipped_revenue':
    case 'gross_profit':
    case 'units': {
      const day = localDay(sql`s.posted_at`, tz);
      const amount =
        metric === 'shipped_revenue'
          ? sql`sl.amount::bigint`
          : metric === 'gross_profit'
            ? sql`(sl.amount - round(sl.quantity * coalesce(p.cost_price, 0)))::bigint`
            : sql`0::bigint`;
      const quantity = metric === 'units' ? sql`sl.quantity::numeric` : sql`0::numeric`;
      return sql`select ${day} as day, o.owner_id, o.org_unit_id, p.category_id, c.province_code,
          o.customer_id, c.name as customer_name, s.id as record_id, 'shipment'::text as kind,
          s.number as label, ${amount} as amount, ${quantity} as quantity
        from shipment_lines sl
          join shipments s on s.id = sl.shipment_id
          join sales_orders o on o.id = s.order_id
          join products p on p.id = sl.product_id
          join customers c on c.id = o.customer_id
        where s.posted_at is not null and ${instantRange(sql`s.posted_at`, tz, w)} and ${dayCondition(day, w)}`;
    }
    case 'collected_revenue': {
      const day = sql`pay.received_date`;
      return sql`select ${day} as day, pay.owner_id, pay.org_unit_id, null::uuid as category_id,
          c.province_code, pay.customer_id, c.name as customer_name, pay.id as record_id,
          'payment'::text as kind, pay.number as label, pay.amount::bigint as amount, 0::numeric as quantity
        from payments pay join customers c on c.id = pay.customer_id
        where ${dayCondition(day, w)}`;
    }
    case 'new_customers': {
      const day = localDay(sql`c.created_at`, tz);
      return sql`select ${day} as day, c.owner_id, c.org_unit_id, null::uuid as category_id,
          c.province_code, c.id as customer_id, c.name as customer_name, c.id as record_id,
          'customer'::text as kind, c.name as label, 1::bigint as amount, 0::numeric as quantity
        from customers c
        where c.merged_into_id is null and ${dayCondition(day, w)}`;
    }
    case 'visits': {
      const day = localDay(sql`a.occurred_at`, tz);
      return sql`select ${day} as day, a.owner_id, a.org_unit_id, null::uuid as category_id,
          c.province_code, a.customer_id, c.name as customer_name, a.id as record_id,
          'activity'::text as kind, a.subject as label, 1::bigint as amount, 0::numeric as quantity
        from activities a left join customers c on c.id = a.customer_id
        where a.type = 'visit' and ${dayCondition(day, w)}`;
    }
    case 'opportunities_won': {
      const day = localDay(sql`op.closed_at`, tz);
      return sql`select ${day} as day, op.owner_id, op.org_unit_id, null::uuid as category_id,
          c.province_code, op.customer_id, c.name as customer_name, op.id as record_id,
          'opportunity'::text as kind, op.name as label, 1::bigint as amount, 0::numeric as quantity
        from opportunities op join customers c on c.id = op.customer_id
        where op.status = 'won' and op.closed_at is not null and ${dayCondition(day, w)}`;
    }
  }
}

/**
 * The days whose figures a change since `since` may have moved, per metric: the current day of
 * every source row touched since then, plus the former day an edit or deletion left (read from
 * the audit trail for activities and opportunities, whose day can move).
 */
export function changedDays(metric: Metric, tz: string, since: SQL): SQL {
  switch (metric) {
    case 'booked_revenue':
      return sql`select distinct ${localDay(sql`confirmed_at`, tz)} as day from sales_orders
        where updated_at >= ${since} and confirmed_at is not null`;
    case 'shipped_revenue':
    case 'gross_profit':
    case 'units':
      return sql`select distinct ${localDay(sql`posted_at`, tz)} as day from shipments
        where updated_at >= ${since} and posted_at is not null`;
    case 'collected_revenue':
      return sql`select distinct received_date as day from payments where updated_at >= ${since}`;
    case 'new_customers':
      return sql`select distinct ${localDay(sql`created_at`, tz)} as day from customers
        where updated_at >= ${since}`;
    case 'visits':
      return sql`select distinct ${localDay(sql`occurred_at`, tz)} as day from activities
          where updated_at >= ${since}
        union
        select distinct ${localDay(sql`(changes->'occurredAt'->>'from')::timestamptz`, tz)} from audit_log
          where entity = 'activity' and at >= ${since} and changes->'occurredAt'->>'from' is not null`;
    case 'opportunities_won':
      return sql`select distinct ${localDay(sql`closed_at`, tz)} as day from opportunities
          where updated_at >= ${since} and closed_at is not null
        union
        select distinct ${localDay(sql`(changes->'closedAt'->>'from')::timestamptz`, tz)} from audit_log
          where entity = 'opportunity' and at >= ${since} and changes->'closedAt'->>'from' is not null`;
  }
}
