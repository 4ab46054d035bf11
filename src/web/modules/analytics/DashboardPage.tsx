import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Progress,
  Row,
  Segmented,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dashboard, DashboardRole, Widget } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { useOrgUnits } from '../org/orgData.js';
import { UnitTreeSelect } from '../org/UnitTreeSelect.js';
import { downloadFile } from '../platform/ExportButton.js';
import { EChart } from './EChart.js';
import { formatCell } from './format.js';
import { WidgetRecordsDrawer } from './WidgetRecordsDrawer.js';
import { chartOf, rowLabel } from './widgetCharts.js';

type Period = 'month' | 'quarter' | 'year';

const STATUS_COLORS: Record<string, string> = {
  green: 'green',
  amber: 'orange',
  red: 'red',
  not_started: 'default',
};
type Params = { [k: string]: string | undefined };

/** Widgets drawn across the full width (a map, a long leaderboard). */
const WIDE = new Set<Widget['key']>(['revenueTrend', 'provinceSales', 'leaderboard', 'myTargets', 'myDay']);

/**
 * Column spans on a wide screen: narrow widgets go two to a row; one left without a partner
 * (the next is wide, or it is the last) takes the whole row instead of leaving half of it empty.
 */
function wideSpans(keys: Widget['key'][]): number[] {
  const spans: number[] = [];
  let i = 0;
  while (i < keys.length) {
    const pairs = !WIDE.has(keys[i]!) && i + 1 < keys.length && !WIDE.has(keys[i + 1]!);
    spans.push(...(pairs ? [12, 12] : [24]));
    i += pairs ? 2 : 1;
  }
  return spans;
}

/** A role's dashboard (数据看板): period and org unit filters, then one card per widget. */
export function DashboardPage({ dashboard: role }: { dashboard: DashboardRole }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [period, setPeriod] = useState<Period>(role === 'rep' ? 'month' : 'year');
  const [anchor, setAnchor] = useState<Dayjs | null>(null);
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  const [drill, setDrill] = useState<{ widget: Widget; row: string; title: string } | null>(null);

  const params: Params = useMemo(
    () => ({
      period,
      date: anchor && !range ? anchor.format('YYYY-MM-DD') : undefined,
      from: range ? range[0].format('YYYY-MM-DD') : undefined,
      to: range ? range[1].format('YYYY-MM-DD') : undefined,
      orgUnitId,
    }),
    [period, anchor, range, orgUnitId],
  );
  const dashboard = useQuery({
    queryKey: ['dashboard', role, params],
    queryFn: () => api.get<Dashboard>(`/dashboards/${role}`, params),
  });
  const units = useOrgUnits(false, role !== 'rep' && can('org.read'));
  const widgets = dashboard.data?.widgets ?? [];
  const spans = wideSpans(widgets.map((w) => w.key));

  return (
    <div data-testid={`dashboard-${role}`}>
      <PageHeader
        title={t(`dashboards.titles.${role}`)}
        hint={dashboard.data && t('dashboards.window', { from: dashboard.data.from, to: dashboard.data.to })}
        extra={
          <Space wrap>
            <Segmented<Period>
              value={period}
              onChange={(v) => {
                setPeriod(v);
                setRange(null);
              }}
              options={(['month', 'quarter', 'year'] as const).map((p) => ({
                value: p,
                label: t(`dashboards.periods.${p}`),
              }))}
              data-testid="dashboard-period"
            />
            <DatePicker
              picker={period}
              value={anchor}
              onChange={(d) => {
                setAnchor(d);
                setRange(null);
              }}
              allowClear
              placeholder={t('dashboards.current')}
            />
            <DatePicker.RangePicker
              value={range}
              onChange={(v) => setRange(v?.[0] && v[1] ? [v[0], v[1]] : null)}
              allowClear
              placeholder={[t('dashboards.from'), t('dashboards.to')]}
            />
            {role !== 'rep' && can('org.read') && (
              <UnitTreeSelect
                style={{ minWidth: 180 }}
                allowClear
                placeholder={t('dashboards.allUnits')}
                value={orgUnitId}
                onChange={(v) => setOrgUnitId(v ?? undefined)}
                units={units.data?.items ?? []}
                data-testid="dashboard-org-unit"
              />
            )}
          </Space>
        }
      />
      {dashboard.isLoading ? (
        <Skeleton active />
      ) : dashboard.isError ? (
        <Empty description={t('dashboards.loadFailed')} />
      ) : (
        <Row gutter={[16, 16]}>
          {widgets.map((w, i) => (
            <Col key={w.key} xs={24} xl={spans[i]}>
              <WidgetCard
                role={role}
                widget={w}
                params={params}
                fetching={dashboard.isFetching}
                onDrill={(row, title) => setDrill({ widget: w, row, title })}
              />
            </Col>
          ))}
        </Row>
      )}
      {drill && (
        <WidgetRecordsDrawer
          role={role}
          widget={drill.widget}
          row={drill.row}
          rowTitle={drill.title}
          params={params}
          onClose={() => setDrill(null)}
        />
      )}
    </div>
  );
}

function WidgetCard({
  role,
  widget,
  params,
  fetching,
  onDrill,
}: {
  role: DashboardRole;
  widget: Widget;
  params: Params;
  fetching: boolean;
  onDrill: (row: string, title: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const chart = useMemo(() => chartOf(widget, t, i18n.language), [widget, t, i18n.language]);
  const empty =
    widget.rows.length === 0 ||
    widget.rows.every((r) => Object.values(r.values).every((v) => v === null || v === '0'));
  const drillRow = (index: number) => {
    const r = widget.rows[index];
    if (widget.drillable && r) onDrill(r.key, rowLabel(widget, r.label, t));
  };

  async function exportExcel() {
    setExporting(true);
    await downloadFile(
      `/dashboards/${role}/widgets/${widget.key}/export`,
      { ...params, format: 'xlsx' },
      message,
    );
    setExporting(false);
  }

  return (
    <Card
      size="small"
      loading={fetching && empty}
      title={t(`dashboards.widgets.${widget.key}`)}
      data-testid={`widget-${widget.key}`}
      extra={
        <Space size="small">
          {widget.dataAsOf && (
            <Tooltip title={t('dashboards.dataAsOfHint')}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dashboards.dataAsOf', { time: formatTime(widget.dataAsOf) })}
              </Typography.Text>
            </Tooltip>
          )}
          <Button
            size="small"
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={exportExcel}
            data-testid={`widget-${widget.key}-export`}
          >
            {t('dashboards.exportExcel')}
          </Button>
        </Space>
      }
    >
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboards.empty')} />
      ) : chart ? (
        <EChart
          option={chart.option}
          map={chart.map}
          height={chart.height}
          testId={`widget-${widget.key}-chart`}
          onClick={(e) => {
            if (widget.key === 'provinceSales') {
              const i = widget.rows.findIndex((r) => r.label.startsWith(e.name));
              if (i >= 0) drillRow(i);
            } else drillRow(e.dataIndex);
          }}
        />
      ) : (
        <WidgetTable widget={widget} onRow={drillRow} />
      )}
      {widget.drillable && chart && !empty && (
        <Flex justify="end">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('dashboards.clickToDrill')}
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}

/** Widgets without a chart (my targets, my day, a rep's due follow-ups) as a small table. */
function WidgetTable({ widget, onRow }: { widget: Widget; onRow: (index: number) => void }) {
  const { t, i18n } = useTranslation();
  const moneyMetric = (key: string) =>
    ['booked_revenue', 'shipped_revenue', 'collected_revenue', 'gross_profit'].includes(key);
  const cell = (row: Widget['rows'][number], column: string) => {
    const v = row.values[column];
    if (
      widget.key === 'myTargets' &&
      ['actual', 'target', 'gap', 'projection', 'requiredDailyRate'].includes(column)
    )
      return moneyMetric(row.key)
        ? formatCell({ ...widget, columns: [{ key: column, unit: 'fen' }] }, column, v, i18n.language)
        : (v ?? '—');
    if (widget.key === 'myTargets' && column === 'status')
      return v ? <Tag color={STATUS_COLORS[v]}>{t(`dashboards.status.${v}`)}</Tag> : '—';
    if (widget.key === 'myTargets' && column === 'attainment')
      return v === null ? (
        '—'
      ) : (
        <Progress percent={Math.min(100, Number(v))} format={() => `${v}%`} size="small" />
      );
    if (widget.key === 'myDay' && column === 'kind') return t(`dashboards.myDay.${v}`);
    if (widget.key === 'myDay' && column === 'status') return t(`dashboards.myDay.status.${v}`);
    if (widget.key === 'myDay' && column === 'time') return v && v.length > 8 ? formatTime(v) : (v ?? '—');
    return formatCell(widget, column, v, i18n.language);
  };
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={widget.rows}
      onRow={(_, index) => ({
        onClick: () => index !== undefined && onRow(index),
        style: widget.drillable ? { cursor: 'pointer' } : {},
      })}
      columns={[
        {
          title: t('dashboards.columns.name'),
          dataIndex: 'label',
          render: (l: string) => rowLabel(widget, l, t),
        },
        ...widget.columns.map((c) => ({
          title: t(`dashboards.columns.${c.key}`),
          key: c.key,
          align: (c.unit === 'text' && widget.key === 'myDay' ? 'left' : 'right') as 'left' | 'right',
          render: (_: unknown, r: Widget['rows'][number]) => cell(r, c.key),
        })),
      ]}
    />
  );
}

export const DirectorDashboardPage = () => <DashboardPage dashboard="director" />;
export const ManagerDashboardPage = () => <DashboardPage dashboard="manager" />;
export const RepDashboardPage = () => <DashboardPage dashboard="rep" />;
