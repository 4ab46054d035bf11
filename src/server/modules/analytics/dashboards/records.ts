import { z } from 'zod';
import type {
  DashboardRole,
  WidgetKey,
  WidgetRecordsPage,
  widgetRecordsQuery,
} from '../../../../contracts/dashboards.js';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField, notFound } from '../../../platform/errors.js';
import { agingRows } from '../../orders/receivables/receivables.service.js';
import { forecastDeals } from '../../sales/forecast.service.js';
import { METRICS as TARGET_METRICS } from '../../strategy/targets/rules.js';
import { drillDown, type FactFilter, type Metric } from '../facts/index.js';
import {
  AGING_KEYS,
  allDueFollowUps,
  DASHBOARD_WIDGETS,
  resolveScope,
  type Scope,
  stalledOpportunityRows,
  subtreeIds,
} from './dashboards.service.js';

// The records behind one figure of a widget (the drill-down drawer), newest or largest first,
// in pages. Fact-based widgets read the facts' own drill-down; the others page their source list.

type Query = z.infer<typeof widgetRecordsQuery>;

const offsetCursor = z.coerce.number().int().min(0);

function pageOf<T>(all: T[], q: Query, map: (t: T) => WidgetRecordsPage['items'][number]): WidgetRecordsPage {
  const parsed = offsetCursor.safeParse(q.cursor ?? '0');
  if (!parsed.success) throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
  const start = parsed.data;
  const items = all.slice(start, start + q.limit).map(map);
  return {
    items,
    nextCursor: start + q.limit < all.length ? String(start + q.limit) : null,
    dataAsOf: new Date().toISOString(),
  };
}

async function facts(
  db: Db,
  ctx: Ctx,
  s: Scope,
  q: Query,
  metric: Metric,
  extra: { keys?: Record<string, string>; filter?: FactFilter },
): Promise<WidgetRecordsPage> {
  const page = await drillDown(db, ctx, {
    metric,
    from: s.window.from,
    to: s.window.to,
    filter: { ...s.filter, ...extra.filter },
    keys: extra.keys,
    limit: q.limit,
    cursor: q.cursor,
  });
  return {
    items: page.items.map((i) => ({
      kind: i.kind,
      id: i.id,
      label: i.label,
      day: i.day,
      customerName: i.customerName,
      value: i.value,
    })),
    nextCursor: page.nextCursor,
    dataAsOf: page.dataAsOf,
  };
}

const REVENUE: Metric = 'booked_revenue';
const METRICS = new Set<string>(TARGET_METRICS);

/** GET /dashboards/widgets/{widget}/records: what makes up one row of a widget. */
export async function widgetRecords(
  db: Db,
  ctx: Ctx,
  role: DashboardRole,
  widget: WidgetKey,
  q: Query,
): Promise<WidgetRecordsPage> {
  if (!DASHBOARD_WIDGETS[role].includes(widget)) throw notFound();
  const s = await resolveScope(db, ctx, role, q);
  const row = q.row;
  switch (widget) {
    case 'revenueTrend':
      return facts(db, ctx, s, q, REVENUE, { keys: { month: row } });
    case 'newCustomers':
      return facts(db, ctx, s, q, 'new_customers', { keys: { month: row } });
    case 'regionAttainment': {
      // Only a unit within the dashboard's own unit (or scope) can be opened.
      if (s.orgUnitId && !(await subtreeIds(db, s.orgUnitId)).has(row)) throw invalidField('row', 'invalid');
      return facts(db, ctx, s, q, REVENUE, { filter: { orgUnitId: row } });
    }
    case 'provinceSales':
      return facts(db, ctx, s, q, REVENUE, { keys: { province: row } });
    case 'productMix':
      return facts(db, ctx, s, q, REVENUE, { keys: { category: row } });
    case 'leaderboard':
      return facts(db, ctx, s, q, REVENUE, { keys: { rep: row } });
    case 'visitsPerRep':
      return facts(db, ctx, s, q, 'visits', { keys: { rep: row } });
    case 'myTargets':
      if (!METRICS.has(row)) throw invalidField('row', 'invalid');
      return facts(db, ctx, s, q, row as Metric, {});
    case 'aging': {
      const bucket = AGING_KEYS.find((k) => k === row);
      if (!bucket) throw invalidField('row', 'invalid');
      const report = await agingRows(
        db,
        ctx,
        { by: 'customer', sort: '-overdue', limit: 500, ...(s.repId ? { ownerId: s.repId } : {}) },
        null,
      );
      const withBucket = report.items.filter((r) => r[bucket] > 0).sort((a, b) => b[bucket] - a[bucket]);
      return pageOf(withBucket, q, (r) => ({
        kind: 'customer',
        id: r.customerId ?? r.key,
        label: r.name,
        day: null,
        customerName: r.name,
        value: String(r[bucket]),
      }));
    }
    case 'funnel':
    case 'pipelineCoverage':
    case 'myPipeline': {
      const months =
        widget === 'myPipeline' && /^\d{4}-\d{2}$/.test(row)
          ? { from: row, to: row }
          : { from: s.window.from.slice(0, 7), to: s.window.to.slice(0, 7) };
      const deals = await forecastDeals(db, ctx, {
        ...months,
        view: s.repId ? 'mine' : 'all',
        limit: 500,
      });
      const units = s.orgUnitId ? await subtreeIds(db, s.orgUnitId) : null;
      const list = deals.items.filter(
        (d) =>
          (!units || units.has(d.orgUnitId)) &&
          (widget !== 'funnel' ||
            (row === 'won' ? d.status === 'won' : d.stageId === row && d.status === 'open')) &&
          (widget !== 'pipelineCoverage' || d.status === 'open'),
      );
      return pageOf(list, q, (d) => ({
        kind: 'opportunity',
        id: d.id,
        label: d.name,
        day: d.expectedCloseDate,
        customerName: d.customerName,
        value: String(widget === 'funnel' ? d.amount : d.weighted),
      }));
    }
    case 'dueFollowUps': {
      const items = await allDueFollowUps(db, ctx, s);
      const mine = s.repId ? items : items.filter((i) => i.ownerId === row);
      return pageOf(mine, q, (i) => ({
        kind: 'customer',
        id: i.customerId,
        label: i.name,
        day: i.followUpDueAt.slice(0, 10),
        customerName: i.name,
        value: String(i.overdueDays),
      }));
    }
    case 'stalledOpportunities': {
      const rows = (await stalledOpportunityRows(db, ctx, s)).filter((r) => r.owner_id === row);
      return pageOf(rows, q, (r) => ({
        kind: 'opportunity',
        id: r.id,
        label: r.name,
        day: new Date(r.last_at).toISOString().slice(0, 10),
        customerName: r.customer_name,
        value: r.amount,
      }));
    }
    default:
      throw invalidField('widget', 'invalid');
  }
}
