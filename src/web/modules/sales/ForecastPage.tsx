import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Drawer, Empty, Segmented, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Forecast, ForecastBlock, ForecastDeal, ForecastDeals } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { PageHeader } from '../../app/PageHeader.js';
import { localName, usePipelines, yuanShort } from './OpportunityParts.js';

const CATEGORIES = ['pipeline', 'best_case', 'commit', 'closed'] as const;
type Category = (typeof CATEGORIES)[number];
const COLORS: Record<Category, string> = {
  pipeline: '#bfbfbf',
  best_case: '#69b1ff',
  commit: '#1677ff',
  closed: '#52c41a',
};

type Figures = { count: number; amount: number; weighted: number };
interface Drill {
  month?: string;
  category?: Category;
  ownerId?: string;
  orgUnitId?: string;
  title: string;
}

/** The value shown: weighted or unweighted, per the toggle. */
const pick = (f: Figures | undefined, weighted: boolean) => (f ? (weighted ? f.weighted : f.amount) : 0);

function cell(block: ForecastBlock, month: string, category: Category) {
  return block.cells.find((c) => c.month === month && c.category === category);
}

/** A figure that opens the opportunities behind it. */
function Figure({
  f,
  weighted,
  onOpen,
  testId,
}: {
  f?: Figures;
  weighted: boolean;
  onOpen: () => void;
  testId?: string;
}) {
  if (!f || f.count === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
      <Typography.Link onClick={onOpen} data-testid={testId}>
        {yuanShort(pick(f, weighted))}
      </Typography.Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {f.count}
      </Typography.Text>
    </Space>
  );
}

/** One stacked bar per month: the categories' share, scaled to the largest month. */
function StackedBars({ data, weighted }: { data: Forecast; weighted: boolean }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...data.byMonth.map((m) => pick(m, weighted)));
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="forecast-chart">
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 8, height: 180 }}>
        {data.months.map((month) => (
          <div
            key={month}
            style={{ flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'stretch' }}
          >
            <div style={{ height: 150, display: 'flex', flexDirection: 'column-reverse' }}>
              {CATEGORIES.map((c) => {
                const v = pick(cell(data, month, c), weighted);
                if (!v) return null;
                return (
                  <Tooltip key={c} title={`${t(`opportunities.forecasts.${c}`)} ${yuanShort(v)}`}>
                    <div style={{ height: `${(v / max) * 150}px`, background: COLORS[c], minHeight: 2 }} />
                  </Tooltip>
                );
              })}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
              {month}
            </Typography.Text>
          </div>
        ))}
      </div>
      <Space style={{ marginTop: 8 }} wrap>
        {CATEGORIES.map((c) => (
          <Space key={c} size={4}>
            <span style={{ display: 'inline-block', width: 10, height: 10, background: COLORS[c] }} />
            <Typography.Text style={{ fontSize: 12 }}>{t(`opportunities.forecasts.${c}`)}</Typography.Text>
          </Space>
        ))}
      </Space>
    </Card>
  );
}

/** The opportunities behind a figure, biggest weighted first. */
function DealsDrawer({
  drill,
  query,
  onClose,
}: {
  drill: Drill | null;
  query: Record<string, string | undefined>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const params = {
    ...query,
    month: drill?.month,
    category: drill?.category,
    ownerId: drill?.ownerId,
    orgUnitId: drill?.orgUnitId,
  };
  const deals = useQuery({
    queryKey: ['forecast-deals', params],
    queryFn: () => api.get<ForecastDeals>('/opportunities/forecast/deals', params),
    enabled: !!drill,
  });
  const columns: ColumnsType<ForecastDeal> = [
    {
      title: t('opportunities.name'),
      dataIndex: 'name',
      render: (v: string, d) => <Link to={`/sales/opportunities/${d.id}`}>{v}</Link>,
    },
    { title: t('opportunities.customer'), dataIndex: 'customerName' },
    { title: t('opportunities.owner'), dataIndex: 'ownerName' },
    {
      title: t('opportunities.stage'),
      key: 'stage',
      render: (_, d) => localName({ nameZh: d.stageNameZh, nameEn: d.stageNameEn }),
    },
    { title: t('forecast.month'), dataIndex: 'forecastMonth' },
    { title: t('opportunities.amount'), dataIndex: 'amount', align: 'right', render: yuanShort },
    {
      title: t('opportunities.probability'),
      dataIndex: 'probability',
      align: 'right',
      render: (v: number) => `${v}%`,
    },
    { title: t('forecast.weighted'), dataIndex: 'weighted', align: 'right', render: yuanShort },
  ];
  return (
    <Drawer open={!!drill} onClose={onClose} size="large" title={drill?.title} data-testid="forecast-deals">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={deals.isLoading}
        dataSource={deals.data?.items ?? []}
        columns={columns}
        footer={() =>
          deals.data && deals.data.total > deals.data.items.length
            ? t('forecast.moreDeals', { shown: deals.data.items.length, total: deals.data.total })
            : null
        }
      />
    </Drawer>
  );
}

/**
 * The sales forecast: expected-close month × forecast category, weighted or unweighted, with the
 * same per rep or per team; every figure opens the opportunities behind it.
 */
export function ForecastPage() {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(2, 'month'), dayjs().add(5, 'month')]);
  const [pipelineId, setPipelineId] = useState<string | undefined>();
  const [view, setView] = useState<'all' | 'team' | 'mine'>('all');
  const [groupBy, setGroupBy] = useState<'rep' | 'team'>('rep');
  const [weighted, setWeighted] = useState(true);
  const [drill, setDrill] = useState<Drill | null>(null);
  const query = { from: range[0].format('YYYY-MM'), to: range[1].format('YYYY-MM'), pipelineId, view };
  const q = useQuery({
    queryKey: ['forecast', query, groupBy],
    queryFn: () => api.get<Forecast>('/opportunities/forecast', { ...query, groupBy }),
  });
  const data = q.data;
  const catLabel = (c: Category) => t(`opportunities.forecasts.${c}`);

  type GridRow = { key: string; label: string; category?: Category };
  const gridRows: GridRow[] = [
    ...CATEGORIES.map((c) => ({ key: c, label: catLabel(c), category: c })),
    { key: 'total', label: t('forecast.total') },
  ];
  const gridColumns: ColumnsType<GridRow> = data
    ? [
        { title: t('forecast.category'), dataIndex: 'label', fixed: 'left', width: 120 },
        ...data.months.map((month) => ({
          title: month,
          key: month,
          align: 'right' as const,
          render: (_: unknown, r: GridRow) => {
            const f = r.category
              ? cell(data, month, r.category)
              : data.byMonth.find((m) => m.month === month);
            return (
              <Figure
                f={f}
                weighted={weighted}
                testId={`forecast-cell-${month}-${r.key}`}
                onOpen={() => setDrill({ month, category: r.category, title: `${month} ${r.label}` })}
              />
            );
          },
        })),
        {
          title: t('forecast.total'),
          key: 'total',
          align: 'right',
          render: (_: unknown, r: GridRow) => (
            <Figure
              f={r.category ? data.byCategory.find((c) => c.category === r.category) : data.total}
              weighted={weighted}
              testId={`forecast-total-${r.key}`}
              onOpen={() => setDrill({ category: r.category, title: r.label })}
            />
          ),
        },
      ]
    : [];

  type Group = Forecast['groups'][number];
  const groupColumns: ColumnsType<Group> = data
    ? [
        {
          title: groupBy === 'rep' ? t('forecast.rep') : t('forecast.team'),
          dataIndex: 'name',
          fixed: 'left',
          width: 140,
        },
        ...data.months.map((month) => ({
          title: month,
          key: month,
          align: 'right' as const,
          render: (_: unknown, g: Group) => (
            <Figure
              f={g.byMonth.find((m) => m.month === month)}
              weighted={weighted}
              onOpen={() =>
                setDrill({
                  month,
                  ...(groupBy === 'rep' ? { ownerId: g.id } : { orgUnitId: g.id }),
                  title: `${g.name} ${month}`,
                })
              }
            />
          ),
        })),
        ...CATEGORIES.map((c) => ({
          title: catLabel(c),
          key: c,
          align: 'right' as const,
          render: (_: unknown, g: Group) => (
            <Figure
              f={g.byCategory.find((x) => x.category === c)}
              weighted={weighted}
              onOpen={() =>
                setDrill({
                  category: c,
                  ...(groupBy === 'rep' ? { ownerId: g.id } : { orgUnitId: g.id }),
                  title: `${g.name} ${catLabel(c)}`,
                })
              }
            />
          ),
        })),
        {
          title: t('forecast.total'),
          key: 'total',
          align: 'right',
          render: (_: unknown, g: Group) => (
            <Figure
              f={g.total}
              weighted={weighted}
              onOpen={() =>
                setDrill({ ...(groupBy === 'rep' ? { ownerId: g.id } : { orgUnitId: g.id }), title: g.name })
              }
            />
          ),
        },
      ]
    : [];

  return (
    <>
      <PageHeader title={t('forecast.title')} hint={t('forecast.hint')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          picker="month"
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          data-testid="forecast-range"
        />
        <Select
          allowClear
          placeholder={t('forecast.allPipelines')}
          style={{ width: 180 }}
          value={pipelineId}
          onChange={setPipelineId}
          options={(pipelines.data?.items ?? []).map((p) => ({ value: p.id, label: localName(p) }))}
        />
        <Segmented
          value={view}
          onChange={(v) => setView(v as typeof view)}
          options={(['all', 'team', 'mine'] as const).map((v) => ({
            value: v,
            label: t(`forecast.views.${v}`),
          }))}
        />
        <Segmented
          value={weighted ? 'weighted' : 'amount'}
          onChange={(v) => setWeighted(v === 'weighted')}
          options={[
            { value: 'weighted', label: t('forecast.weighted') },
            { value: 'amount', label: t('forecast.unweighted') },
          ]}
          data-testid="forecast-weighted"
        />
        <Segmented
          value={groupBy}
          onChange={(v) => setGroupBy(v as typeof groupBy)}
          options={[
            { value: 'rep', label: t('forecast.byRep') },
            { value: 'team', label: t('forecast.byTeam') },
          ]}
        />
      </Space>
      {data && data.total.count === 0 && !q.isLoading ? (
        <Empty description={t('forecast.empty')} />
      ) : (
        <>
          {data && <StackedBars data={data} weighted={weighted} />}
          <Table
            rowKey="key"
            size="small"
            loading={q.isLoading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={gridColumns}
            dataSource={data ? gridRows : []}
            data-testid="forecast-grid"
            style={{ marginBottom: 16 }}
          />
          <Table
            rowKey="id"
            size="small"
            loading={q.isLoading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={groupColumns}
            dataSource={data?.groups ?? []}
            data-testid="forecast-groups"
          />
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t('forecast.rule')}
      </Typography.Paragraph>
      <DealsDrawer drill={drill} query={query} onClose={() => setDrill(null)} />
    </>
  );
}
