import { Decimal } from 'decimal.js';
import {
  type DashboardRole,
  dashboardQuery,
  type WidgetKey,
  type WidgetRow,
  widgetKeys,
} from '../../../../contracts/dashboards.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { defineExporter, type Label } from '../../../platform/import-export/definitions.js';
import { DASHBOARD_WIDGETS, getWidget } from './dashboards.service.js';

// "导出 Excel" per widget: GET /dashboards/{role}/widgets/{widget}/export?format=xlsx&<filters>
// writes the widget's own rows (the same figures the chart shows) through the platform exporter,
// so the caller's data scope applies and headers are in the caller's language.

export const WIDGET_TITLES: Record<WidgetKey, Label> = {
  revenueTrend: { 'zh-CN': '销售额趋势与目标', en: 'Revenue vs target by month' },
  regionAttainment: { 'zh-CN': '区域目标达成', en: 'Attainment by region' },
  provinceSales: { 'zh-CN': '各省销售额', en: 'Revenue by province' },
  funnel: { 'zh-CN': '销售漏斗与阶段转化', en: 'Funnel and stage conversion' },
  productMix: { 'zh-CN': '产品结构', en: 'Product mix' },
  leaderboard: { 'zh-CN': '销售排行榜', en: 'Leaderboard' },
  aging: { 'zh-CN': '应收账龄', en: 'Receivables aging' },
  pipelineCoverage: { 'zh-CN': '商机覆盖率', en: 'Pipeline coverage' },
  newCustomers: { 'zh-CN': '新增客户', en: 'New customers' },
  visitsPerRep: { 'zh-CN': '人均拜访', en: 'Visits per rep' },
  dueFollowUps: { 'zh-CN': '待跟进客户', en: 'Due follow-ups' },
  stalledOpportunities: { 'zh-CN': '停滞商机', en: 'Stalled opportunities' },
  myTargets: { 'zh-CN': '我的目标与达成', en: 'My targets and attainment' },
  myPipeline: { 'zh-CN': '我的商机', en: 'My pipeline' },
  myDay: { 'zh-CN': '我的一天', en: 'My day' },
};

const ROW_HEADER: Partial<Record<WidgetKey, Label>> = {
  revenueTrend: { 'zh-CN': '月份', en: 'Month' },
  newCustomers: { 'zh-CN': '月份', en: 'Month' },
  myPipeline: { 'zh-CN': '预计成交月份', en: 'Expected close month' },
  regionAttainment: { 'zh-CN': '区域', en: 'Region' },
  provinceSales: { 'zh-CN': '省份', en: 'Province' },
  funnel: { 'zh-CN': '阶段', en: 'Stage' },
  productMix: { 'zh-CN': '产品类别', en: 'Category' },
  aging: { 'zh-CN': '账龄', en: 'Aging' },
  myTargets: { 'zh-CN': '指标', en: 'Metric' },
  dueFollowUps: { 'zh-CN': '客户/负责人', en: 'Customer / owner' },
  myDay: { 'zh-CN': '事项', en: 'Item' },
};
const DEFAULT_ROW_HEADER: Label = { 'zh-CN': '名称', en: 'Name' };

export const COLUMN_LABELS: Record<string, Label> = {
  actual: { 'zh-CN': '实际', en: 'Actual' },
  target: { 'zh-CN': '目标', en: 'Target' },
  attainment: { 'zh-CN': '达成率(%)', en: 'Attainment (%)' },
  share: { 'zh-CN': '占比(%)', en: 'Share (%)' },
  count: { 'zh-CN': '数量', en: 'Count' },
  amount: { 'zh-CN': '金额', en: 'Amount' },
  reached: { 'zh-CN': '到达数', en: 'Reached' },
  conversion: { 'zh-CN': '转化率(%)', en: 'Conversion (%)' },
  weighted: { 'zh-CN': '加权金额', en: 'Weighted' },
  remaining: { 'zh-CN': '剩余目标', en: 'Remaining target' },
  coverage: { 'zh-CN': '覆盖率(%)', en: 'Coverage (%)' },
  visits: { 'zh-CN': '拜访次数', en: 'Visits' },
  perDay: { 'zh-CN': '日均拜访', en: 'Visits per day' },
  due: { 'zh-CN': '待跟进', en: 'Due' },
  overdue: { 'zh-CN': '已逾期', en: 'Overdue' },
  overdueDays: { 'zh-CN': '逾期天数', en: 'Days overdue' },
  gap: { 'zh-CN': '差距', en: 'Gap' },
  projection: { 'zh-CN': '期末预计', en: 'Projection' },
  requiredDailyRate: { 'zh-CN': '每日需完成', en: 'Required per day' },
  kind: { 'zh-CN': '类型', en: 'Type' },
  time: { 'zh-CN': '时间', en: 'Time' },
  status: { 'zh-CN': '状态', en: 'Status' },
};

/** Row labels that are codes on the wire (aging buckets, metrics, the funnel's won row). */
export const ROW_LABELS: Record<string, Label> = {
  notDue: { 'zh-CN': '未到期', en: 'Not due' },
  d1_30: { 'zh-CN': '1–30天', en: '1–30 days' },
  d31_60: { 'zh-CN': '31–60天', en: '31–60 days' },
  d61_90: { 'zh-CN': '61–90天', en: '61–90 days' },
  over90: { 'zh-CN': '90天以上', en: 'Over 90 days' },
  booked_revenue: { 'zh-CN': '订单额', en: 'Booked revenue' },
  shipped_revenue: { 'zh-CN': '发货额', en: 'Shipped revenue' },
  collected_revenue: { 'zh-CN': '回款额', en: 'Collected revenue' },
  gross_profit: { 'zh-CN': '毛利', en: 'Gross profit' },
  units: { 'zh-CN': '销量', en: 'Units' },
  new_customers: { 'zh-CN': '新客户', en: 'New customers' },
  visits: { 'zh-CN': '拜访', en: 'Visits' },
  opportunities_won: { 'zh-CN': '赢单数', en: 'Opportunities won' },
  coverage: { 'zh-CN': '覆盖率', en: 'Coverage' },
};

const STATUS_LABELS: Record<string, Label> = {
  green: { 'zh-CN': '正常', en: 'On track' },
  amber: { 'zh-CN': '预警', en: 'At risk' },
  red: { 'zh-CN': '落后', en: 'Behind' },
  not_started: { 'zh-CN': '未开始', en: 'Not started' },
};

const MONEY_METRICS = new Set(['booked_revenue', 'shipped_revenue', 'collected_revenue', 'gross_profit']);

/** Fen as yuan (a number cell); counts and percentages as numbers; text as it is. */
function cell(widget: WidgetKey, row: WidgetRow, column: string, unit: string, locale: Locale) {
  const v = row.values[column];
  if (v === null || v === undefined) return null;
  if (unit === 'status') return STATUS_LABELS[v]?.[locale] ?? v;
  const money =
    unit === 'fen' ||
    (widget === 'myTargets' &&
      ['actual', 'target', 'gap', 'projection', 'requiredDailyRate'].includes(column) &&
      MONEY_METRICS.has(row.key));
  if (money) return new Decimal(v).div(100).toNumber();
  if (unit === 'text') return widget === 'myTargets' ? Number(v) : v;
  return Number(v);
}

/** The columns a widget's sheet has (they do not depend on the data). */
const SHEET_COLUMNS: Record<WidgetKey, [string, string][]> = {
  revenueTrend: [
    ['actual', 'fen'],
    ['target', 'fen'],
    ['attainment', 'percent'],
  ],
  regionAttainment: [
    ['actual', 'fen'],
    ['target', 'fen'],
    ['attainment', 'percent'],
  ],
  provinceSales: [['actual', 'fen']],
  funnel: [
    ['count', 'count'],
    ['amount', 'fen'],
    ['reached', 'count'],
    ['conversion', 'percent'],
  ],
  productMix: [
    ['actual', 'fen'],
    ['share', 'percent'],
  ],
  leaderboard: [
    ['actual', 'fen'],
    ['target', 'fen'],
    ['attainment', 'percent'],
  ],
  aging: [['amount', 'fen']],
  pipelineCoverage: [
    ['weighted', 'fen'],
    ['target', 'fen'],
    ['actual', 'fen'],
    ['remaining', 'fen'],
    ['coverage', 'percent'],
  ],
  newCustomers: [['count', 'count']],
  visitsPerRep: [
    ['visits', 'count'],
    ['perDay', 'ratio'],
  ],
  dueFollowUps: [
    ['due', 'count'],
    ['overdue', 'count'],
    ['overdueDays', 'days'],
  ],
  stalledOpportunities: [
    ['count', 'count'],
    ['amount', 'fen'],
  ],
  myTargets: [
    ['actual', 'text'],
    ['target', 'text'],
    ['attainment', 'percent'],
    ['gap', 'text'],
    ['projection', 'text'],
    ['requiredDailyRate', 'text'],
    ['status', 'status'],
  ],
  myPipeline: [
    ['count', 'count'],
    ['amount', 'fen'],
    ['weighted', 'fen'],
  ],
  myDay: [
    ['kind', 'text'],
    ['time', 'text'],
    ['status', 'text'],
  ],
};

const yuanSuffix: Label = { 'zh-CN': '（元）', en: ' (yuan)' };

export function rowLabel(row: WidgetRow, locale: Locale): string {
  return ROW_LABELS[row.label]?.[locale] ?? row.label;
}

for (const role of ['director', 'manager', 'rep'] as DashboardRole[]) {
  for (const widget of widgetKeys) {
    if (!DASHBOARD_WIDGETS[role].includes(widget)) continue;
    defineExporter<WidgetRow, typeof dashboardQuery>({
      entity: `dashboard-${role}-${widget}`,
      label: WIDGET_TITLES[widget],
      path: `/dashboards/${role}/widgets/${widget}`,
      permission: `dashboards.${role}`,
      query: dashboardQuery,
      columns: [
        {
          key: 'label',
          label: ROW_HEADER[widget] ?? DEFAULT_ROW_HEADER,
          value: (r, l) => rowLabel(r, l),
        },
        ...SHEET_COLUMNS[widget].map(([key, unit]) => ({
          key,
          label: {
            'zh-CN': `${COLUMN_LABELS[key]!['zh-CN']}${unit === 'fen' ? yuanSuffix['zh-CN'] : ''}`,
            en: `${COLUMN_LABELS[key]!.en}${unit === 'fen' ? yuanSuffix.en : ''}`,
          },
          value: (r: WidgetRow, l: Locale) => cell(widget, r, key, unit, l),
        })),
      ],
      rows: async function* (db, ctx, query) {
        yield (await getWidget(db, ctx, role, widget, query)).rows;
      },
    });
  }
}
