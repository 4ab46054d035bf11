import type { Metric } from '../../strategy/targets/rules.js';

// Sales facts (issue 8, item 7): a daily roll-up of the eight target metrics per rep, org unit,
// product category and customer province, refreshed incrementally by a job. Dashboards and
// attainment read figures through measure() and the records behind a figure through drillDown().
// docs/analytics-facts.md explains the metrics and the refresh.

export type { Metric };

export const FACT_DIMENSIONS = ['orgUnit', 'rep', 'category', 'province'] as const;
export type FactDimension = (typeof FACT_DIMENSIONS)[number];
export const FACT_GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type FactGrain = (typeof FACT_GRAINS)[number];
export type FactGroupBy = FactGrain | FactDimension;

export interface FactFilter {
  /** The org unit and every unit below it. */
  orgUnitId?: string | undefined;
  repId?: string | undefined;
  /** The product category and its subcategories (order-line metrics only). */
  categoryId?: string | undefined;
  /** One customer: read from the source records (indexed), not from the roll-up. */
  customerId?: string | undefined;
  /** A customer province code (e.g. '44'); `''` for customers without one. */
  provinceCode?: string | undefined;
}

export interface MeasureQuery {
  metric: Metric;
  /** Calendar days in the company time zone, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  groupBy?: FactGroupBy[] | undefined;
  filter?: FactFilter | undefined;
  /** Read the source records instead of the roll-up: exact to the second, slower. */
  live?: boolean | undefined;
}

export interface MeasureRow {
  /**
   * One entry per groupBy key: day/week/month/quarter/year → the period key ('2027-03-15',
   * '2027-W05', '2027-03', '2027-Q1', '2027'); orgUnit/rep/category → the id ('' = none);
   * province → the code ('' = none).
   */
  keys: Record<string, string>;
  /** Exact decimal string: fen for money metrics, a count, or units with up to 3 decimals. */
  value: string;
}

export interface MeasureResult {
  rows: MeasureRow[];
  /** When the roll-up last caught up with the source records (ISO timestamp); null = never. */
  dataAsOf: string | null;
}

export interface DrillDownQuery {
  metric: Metric;
  from: string;
  to: string;
  filter?: FactFilter | undefined;
  /** The cell's keys as measure() returned them, e.g. { month: '2027-03', rep: '…' }. */
  keys?: Record<string, string> | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One source record behind a figure: an order, shipment line, payment, customer, activity or opportunity. */
export interface DrillDownItem {
  kind: 'sales_order' | 'shipment' | 'payment' | 'customer' | 'activity' | 'opportunity';
  /** The record to open (for a shipment line: the shipment). */
  id: string;
  /** Order/shipment/payment number, customer or opportunity name, activity subject. */
  label: string;
  day: string;
  customerId: string | null;
  customerName: string | null;
  ownerId: string | null;
  orgUnitId: string;
  /** What the record adds to the figure, in the metric's unit (same as MeasureRow.value). */
  value: string;
}

export interface DrillDownPage {
  items: DrillDownItem[];
  nextCursor: string | null;
  dataAsOf: string | null;
}

export { drillDown } from './drill-down.js';
export { measure } from './measure.js';
export { factsDataAsOf, type RefreshResult, refreshFacts } from './refresh.js';
