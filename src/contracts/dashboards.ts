import { z } from 'zod';
import { id } from './common.js';

// Role dashboards (issue 8, item 6): one response per dashboard, a list of widgets, each a small
// table (columns × rows) the web draws as a chart, drills into and exports to Excel.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'format' });

export const dashboardRoles = ['director', 'manager', 'rep'] as const;
export const dashboardRole = z.enum(dashboardRoles);
export type DashboardRole = z.infer<typeof dashboardRole>;

export const widgetKeys = [
  // director (and the manager's team version)
  'revenueTrend',
  'regionAttainment',
  'provinceSales',
  'funnel',
  'productMix',
  'leaderboard',
  'aging',
  'pipelineCoverage',
  'newCustomers',
  // manager
  'visitsPerRep',
  'dueFollowUps',
  'stalledOpportunities',
  // rep
  'myTargets',
  'myPipeline',
  'myDay',
] as const;
export const widgetKey = z.enum(widgetKeys);
export type WidgetKey = (typeof widgetKeys)[number];

/**
 * `period` picks the current month, quarter or year (company time zone) that contains `date`
 * (default today); `from` + `to` together set any other window instead.
 */
export const dashboardQuery = z
  .object({
    period: z.enum(['month', 'quarter', 'year']).default('year'),
    date: day.optional(),
    from: day.optional(),
    to: day.optional(),
    /** The org unit and its subtree; must be within the caller's data scope (else 404). */
    orgUnitId: id.optional(),
  })
  .strict();
export type DashboardQuery = z.infer<typeof dashboardQuery>;

/** How a value column reads: fen, a count, units, a percentage (e.g. '87.5'), a ratio, days or text. */
export const widgetUnit = z.enum(['fen', 'count', 'quantity', 'percent', 'ratio', 'days', 'text']);
export const widgetColumn = z.object({ key: z.string(), unit: widgetUnit });

export const widgetRow = z.object({
  /** What the drill-down needs: a month, org unit, province, category, rep, stage, bucket… */
  key: z.string(),
  label: z.string(),
  /** Exact decimal strings per column key; null = no figure (e.g. no target). */
  values: z.record(z.string(), z.string().nullable()),
});
export type WidgetRow = z.infer<typeof widgetRow>;

export const widget = z.object({
  key: widgetKey,
  /** When the figures were last brought up to date (ISO timestamp); null = never. */
  dataAsOf: z.string().nullable(),
  columns: z.array(widgetColumn),
  rows: z.array(widgetRow),
  /** Whether a row opens the records behind it. */
  drillable: z.boolean(),
});
export type Widget = z.infer<typeof widget>;

export const dashboard = z
  .object({
    role: dashboardRole,
    from: z.string(),
    to: z.string(),
    today: z.string(),
    orgUnitId: z.string().nullable(),
    widgets: z.array(widget),
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof dashboard>;

export const widgetParams = z.object({ widget: widgetKey }).strict();

export const widgetRecordsQuery = dashboardQuery
  .extend({
    /** The row's key as the widget returned it. */
    row: z.string().max(100),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const widgetRecord = z.object({
  kind: z.enum(['sales_order', 'shipment', 'payment', 'customer', 'activity', 'opportunity']),
  id: z.string(),
  label: z.string(),
  day: z.string().nullable(),
  customerName: z.string().nullable(),
  /** In the widget's unit (fen, count, units), or null. */
  value: z.string().nullable(),
});

export const widgetRecordsPage = z.object({
  items: z.array(widgetRecord),
  nextCursor: z.string().nullable(),
  dataAsOf: z.string().nullable(),
});
export type WidgetRecordsPage = z.infer<typeof widgetRecordsPage>;
