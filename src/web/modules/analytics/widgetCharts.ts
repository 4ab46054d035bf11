import type { EChartsOption } from 'echarts';
import type { TFunction } from 'i18next';
import type { Widget } from '../../../contracts/index.js';
import { compactYuan, mapName } from './format.js';

// One ECharts option per widget kind: the server decides the figures, these only draw them.

const yuanNumber = (fen: string | null | undefined) =>
  fen === null || fen === undefined ? null : Number(fen) / 100;

/** The row label as shown: codes (aging buckets, metrics, the funnel's won row) are translated. */
export function rowLabel(widget: Widget, label: string, t: TFunction): string {
  if (widget.key === 'aging') return t(`dashboards.aging.${label}`);
  if (widget.key === 'myTargets') return t(`dashboards.metrics.${label}`);
  return label || t('dashboards.none');
}

export interface ChartSpec {
  option: EChartsOption;
  map?: boolean;
  height?: number;
}

/** The chart of a widget, or null when the widget reads better as a table. */
export function chartOf(widget: Widget, t: TFunction, locale: string): ChartSpec | null {
  const labels = widget.rows.map((r) => rowLabel(widget, r.label, t));
  const col = (key: string) => widget.rows.map((r) => r.values[key] ?? null);
  const money = (v: unknown) => compactYuan(v as number, locale);
  const moneyAxis = {
    type: 'value' as const,
    axisLabel: { formatter: (v: number) => compactYuan(v * 100, locale) },
  };
  const moneyTooltip = {
    trigger: 'axis' as const,
    valueFormatter: (v: unknown) =>
      v === null || v === undefined ? '—' : compactYuan(Number(v) * 100, locale),
  };
  const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
  switch (widget.key) {
    case 'revenueTrend':
    case 'regionAttainment':
      return {
        option: {
          tooltip: moneyTooltip,
          legend: { top: 0 },
          grid,
          xAxis: { type: 'category', data: labels },
          yAxis: moneyAxis,
          series: [
            { name: t('dashboards.columns.actual'), type: 'bar', data: col('actual').map(yuanNumber) },
            {
              name: t('dashboards.columns.target'),
              type: widget.key === 'revenueTrend' ? 'line' : 'bar',
              data: col('target').map(yuanNumber),
            },
          ],
        },
      };
    case 'provinceSales': {
      const values = widget.rows.map((r) => Number(r.values.actual) / 100);
      return {
        map: true,
        height: 360,
        option: {
          tooltip: {
            trigger: 'item',
            formatter: (p) =>
              `${(p as { name: string }).name}: ${money(Number((p as { value: number }).value ?? 0) * 100)}`,
          },
          visualMap: {
            min: 0,
            max: Math.max(1, ...values),
            left: 8,
            bottom: 8,
            calculable: true,
            formatter: (v: unknown) => compactYuan(Number(v) * 100, locale),
            text: [t('dashboards.high'), t('dashboards.low')],
          },
          series: [
            {
              type: 'map',
              map: 'china',
              roam: false,
              data: widget.rows
                .filter((r) => r.key)
                .map((r) => ({ name: mapName(r.label), value: Number(r.values.actual) / 100 })),
            },
          ],
        },
      };
    }
    case 'funnel':
      return {
        option: {
          tooltip: {
            trigger: 'item',
            formatter: (p) => {
              const i = (p as { dataIndex: number }).dataIndex;
              const r = widget.rows[i]!;
              return `${labels[i]}<br/>${t('dashboards.columns.count')}: ${r.values.count}<br/>${t('dashboards.columns.amount')}: ${money(r.values.amount)}<br/>${t('dashboards.columns.conversion')}: ${r.values.conversion ?? '—'}%`;
            },
          },
          series: [
            {
              type: 'funnel',
              sort: 'none',
              left: '10%',
              width: '80%',
              label: { show: true, position: 'inside' },
              data: widget.rows.map((r, i) => ({ name: labels[i], value: Number(r.values.reached) })),
            },
          ],
        },
      };
    case 'productMix':
      return {
        option: {
          tooltip: {
            trigger: 'item',
            formatter: (p) =>
              `${(p as { name: string }).name}: ${money(Number((p as { value: number }).value) * 100)} (${(p as { percent: number }).percent}%)`,
          },
          legend: { type: 'scroll', bottom: 0 },
          series: [
            {
              type: 'pie',
              radius: ['40%', '68%'],
              data: widget.rows.map((r, i) => ({ name: labels[i], value: Number(r.values.actual) / 100 })),
            },
          ],
        },
      };
    case 'leaderboard':
      return {
        height: Math.max(200, widget.rows.length * 28 + 60),
        option: {
          tooltip: moneyTooltip,
          legend: { top: 0 },
          grid,
          yAxis: { type: 'category', inverse: true, data: labels },
          xAxis: moneyAxis,
          series: [
            { name: t('dashboards.columns.actual'), type: 'bar', data: col('actual').map(yuanNumber) },
            { name: t('dashboards.columns.target'), type: 'bar', data: col('target').map(yuanNumber) },
          ],
        },
      };
    case 'aging':
    case 'myPipeline':
    case 'stalledOpportunities': {
      const key = 'amount';
      const series: EChartsOption['series'] = [
        { name: t(`dashboards.columns.${key}`), type: 'bar', data: col(key).map(yuanNumber) },
      ];
      if (widget.key === 'myPipeline')
        series.push({
          name: t('dashboards.columns.weighted'),
          type: 'bar',
          data: col('weighted').map(yuanNumber),
        });
      return {
        option: {
          tooltip: moneyTooltip,
          legend: { top: 0 },
          grid,
          xAxis: { type: 'category', data: labels },
          yAxis: moneyAxis,
          series,
        },
      };
    }
    case 'pipelineCoverage': {
      const values = widget.rows[0]?.values;
      // No figure: the target is already reached (nothing remains to cover), or there is none.
      const reached = values?.coverage === null && values.remaining === '0';
      const coverage = reached ? 300 : Number(values?.coverage ?? 0);
      const formatter =
        values?.coverage != null
          ? '{value}%'
          : t(reached ? 'dashboards.coverageReached' : 'dashboards.coverageNoTarget');
      return {
        option: {
          series: [
            {
              type: 'gauge',
              min: 0,
              max: 300,
              progress: { show: true },
              // Without a figure there is nothing to point at: the words stand alone in the dial.
              pointer: { show: values?.coverage != null },
              // The figure and its name below the pointer's pivot, where they don't overlap it.
              detail: {
                formatter,
                offsetCenter: [0, values?.coverage != null ? '45%' : '10%'],
                // A word ("target reached") in a smaller size than the figure, so it fits inside the dial.
                fontSize: values?.coverage != null ? 20 : 13,
              },
              title: { offsetCenter: [0, '75%'] },
              data: [{ value: coverage, name: t('dashboards.columns.coverage') }],
            },
          ],
        },
      };
    }
    case 'newCustomers':
    case 'visitsPerRep': {
      const key = widget.key === 'newCustomers' ? 'count' : 'perDay';
      return {
        option: {
          tooltip: { trigger: 'axis' },
          grid,
          xAxis: { type: 'category', data: labels },
          yAxis: { type: 'value' },
          series: [
            {
              name: t(`dashboards.columns.${key}`),
              type: 'bar',
              data: col(key).map((v) => (v === null ? null : Number(v))),
            },
          ],
        },
      };
    }
    case 'dueFollowUps':
      if (widget.columns.some((c) => c.key === 'overdueDays')) return null;
      return {
        option: {
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid,
          xAxis: { type: 'category', data: labels },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            { name: t('dashboards.columns.due'), type: 'bar', data: col('due').map(Number) },
            { name: t('dashboards.columns.overdue'), type: 'bar', data: col('overdue').map(Number) },
          ],
        },
      };
    default:
      return null;
  }
}
