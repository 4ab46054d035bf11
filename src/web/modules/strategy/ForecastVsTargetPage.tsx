import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import type { EChartsOption } from 'echarts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ForecastCommit,
  ForecastCommitList,
  ForecastVsTarget,
  ForecastVsTargetMonth,
} from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { EChart } from '../analytics/EChart.js';
import { compactYuan, fullYuan } from '../analytics/format.js';
import { useOrgUnits } from '../org/orgData.js';
import { UnitTreeSelect } from '../org/UnitTreeSelect.js';

const SERIES = ['target', 'actual', 'weightedPipeline', 'commit', 'baseline'] as const;
const yuanToFen = (v: number | null | undefined) => Math.round((v ?? 0) * 100);

/** 业绩预测: per month target, actual, weighted pipeline, commit and baseline; reps commit here. */
export function ForecastVsTargetPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const lang = i18n.language;
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs().subtract(2, 'month').startOf('month'),
    dayjs().add(3, 'month').startOf('month'),
  ]);
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  const params = { from: range[0].format('YYYY-MM'), to: range[1].format('YYYY-MM'), orgUnitId };
  const data = useQuery({
    queryKey: ['forecast-vs-target', params],
    queryFn: () => api.get<ForecastVsTarget>('/forecast/vs-target', params),
  });
  const units = useOrgUnits(false, can('org.read') && can('forecast-commits.adjust'));
  const money = (v: number | null) => fullYuan(v, lang);

  const option: EChartsOption | null = data.data
    ? {
        tooltip: { trigger: 'axis', valueFormatter: (v) => compactYuan(v as number, lang) },
        legend: { top: 0, data: SERIES.map((s) => t(`forecastVsTarget.columns.${s}`)) },
        grid: { left: 72, right: 16, top: 40, bottom: 24 },
        xAxis: { type: 'category', data: data.data.months.map((m) => m.month) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compactYuan(v, lang) } },
        series: SERIES.map((s) => ({
          name: t(`forecastVsTarget.columns.${s}`),
          type: 'line' as const,
          connectNulls: false,
          lineStyle: s === 'baseline' ? { type: 'dashed' as const } : undefined,
          data: data.data!.months.map((m) => m[s]),
        })),
      }
    : null;

  const columns: ColumnsType<ForecastVsTargetMonth> = [
    {
      title: t('forecastVsTarget.columns.month'),
      dataIndex: 'month',
      render: (m: string, r) => (
        <Space size={4}>
          {m}
          {r.status === 'current' && <Tag color="blue">{t('forecastVsTarget.current')}</Tag>}
        </Space>
      ),
    },
    ...(
      [
        'target',
        'actual',
        'weightedPipeline',
        'commit',
        'bestCase',
        'baseline',
        'smoothing',
        'remaining',
      ] as const
    ).map((k) => ({
      title: t(`forecastVsTarget.columns.${k}`),
      dataIndex: k,
      align: 'right' as const,
      responsive: k === 'smoothing' || k === 'bestCase' ? (['xl'] as ['xl']) : undefined,
      render: (v: number | null) => money(v),
    })),
    {
      title: t('forecastVsTarget.columns.coverage'),
      dataIndex: 'coveragePercent',
      align: 'right',
      render: (v: number | null) => (v === null ? '—' : `${v}%`),
    },
  ];

  return (
    <div data-testid="forecast-vs-target">
      <PageHeader
        title={t('forecastVsTarget.title')}
        hint={t('forecastVsTarget.hint')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              picker="month"
              value={range}
              allowClear={false}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
            {can('org.read') && can('forecast-commits.adjust') && (
              <UnitTreeSelect
                style={{ minWidth: 180 }}
                allowClear
                placeholder={t('forecastVsTarget.allUnits')}
                value={orgUnitId}
                onChange={(v) => setOrgUnitId(v ?? undefined)}
                units={units.data?.items ?? []}
              />
            )}
          </Space>
        }
      />
      {data.isLoading ? (
        <Skeleton active />
      ) : data.isError || !data.data ? (
        <Empty description={t('forecastVsTarget.loadFailed')} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]}>
            {(['target', 'actual', 'weightedPipeline', 'commit'] as const).map((k) => (
              <Col key={k} xs={12} lg={4}>
                <Statistic
                  title={t(`forecastVsTarget.columns.${k}`)}
                  value={compactYuan(data.data.total[k], lang)}
                />
              </Col>
            ))}
            <Col xs={12} lg={4}>
              <Statistic
                title={t('forecastVsTarget.columns.coverage')}
                value={data.data.total.coveragePercent === null ? '—' : `${data.data.total.coveragePercent}%`}
              />
            </Col>
            <Col xs={12} lg={4}>
              <Statistic
                title={t('forecastVsTarget.method')}
                value={t(`forecastVsTarget.methods.${data.data.baselineMethod}`)}
                valueStyle={{ fontSize: 16 }}
              />
              <div style={{ color: 'rgba(0,0,0,0.45)' }}>
                {t('forecastVsTarget.historyMonths', { n: data.data.historyMonths })}
              </div>
            </Col>
          </Row>
          <Card size="small">
            {option && <EChart option={option} height={300} testId="forecast-chart" />}
          </Card>
          <Table<ForecastVsTargetMonth>
            rowKey="month"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={data.data.months}
            scroll={{ x: true }}
            data-testid="forecast-months"
          />
          <div style={{ color: 'rgba(0,0,0,0.45)' }}>
            {t('forecastVsTarget.dataAsOf', {
              at: data.data.dataAsOf ? formatTime(data.data.dataAsOf) : '—',
            })}
          </div>
        </Space>
      )}
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {can('forecast-commits.submit') && (
          <Col xs={24} xl={10}>
            <MyCommitCard />
          </Col>
        )}
        {can('forecast-commits.adjust') && (
          <Col xs={24} xl={14}>
            <TeamCommitsCard orgUnitId={orgUnitId} />
          </Col>
        )}
      </Row>
    </div>
  );
}

interface CommitValues {
  commit: number | null;
  bestCase: number | null;
  note?: string;
}

/** My commit for a month (this month by default): submit or revise until the month ends. */
function MyCommitCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const key = month.format('YYYY-MM');
  const mine = useQuery({
    queryKey: ['forecast-commits', key, 'mine'],
    queryFn: () => api.get<ForecastCommitList>('/forecast-commits', { month: key, view: 'mine' }),
  });
  const current = mine.data?.items[0];
  const save = async (v: CommitValues) => {
    try {
      await api.put<ForecastCommit>(`/forecast-commits/mine/${key}`, {
        commitAmount: yuanToFen(v.commit),
        bestCaseAmount: yuanToFen(v.bestCase),
        note: v.note ?? '',
        ...(current ? { version: current.version } : {}),
      });
      void message.success(t('forecastVsTarget.commit.saved'));
      await queryClient.invalidateQueries({ queryKey: ['forecast-commits'] });
      await queryClient.invalidateQueries({ queryKey: ['forecast-vs-target'] });
    } catch (err) {
      showError(err, message);
    }
  };
  return (
    <Card
      size="small"
      title={t('forecastVsTarget.commit.title')}
      extra={
        <DatePicker picker="month" value={month} allowClear={false} onChange={(d) => d && setMonth(d)} />
      }
    >
      {mine.isLoading ? (
        <Skeleton active />
      ) : (
        <Form<CommitValues>
          key={`${key}-${current?.version ?? 0}`}
          layout="vertical"
          disabled={mine.data ? !mine.data.open : false}
          initialValues={{
            commit: current ? current.commitAmount / 100 : null,
            bestCase: current ? current.bestCaseAmount / 100 : null,
            note: current?.note ?? '',
          }}
          onFinish={save}
        >
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="commit"
                label={t('forecastVsTarget.commit.commit')}
                rules={[{ required: true }]}
              >
                <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="commit-amount" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="bestCase"
                label={t('forecastVsTarget.commit.bestCase')}
                rules={[{ required: true }]}
              >
                <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="commit-best-case" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="note" label={t('forecastVsTarget.commit.note')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {current?.adjustedCommitAmount !== null && current?.adjustedCommitAmount !== undefined && (
            <p data-testid="commit-adjusted">
              {t('forecastVsTarget.commit.adjustedBy', {
                name: current.adjustedByName ?? '',
                amount: fullYuan(current.adjustedCommitAmount, i18n.language),
                note: current.adjustmentNote ?? '',
              })}
            </p>
          )}
          <Space>
            <Button type="primary" htmlType="submit" data-testid="commit-submit">
              {current ? t('forecastVsTarget.commit.revise') : t('forecastVsTarget.commit.submit')}
            </Button>
            {mine.data && !mine.data.open && <Tag>{t('forecastVsTarget.commit.closed')}</Tag>}
          </Space>
        </Form>
      )}
    </Card>
  );
}

/** The team's commits of a month; a manager adjusts one with a reason. */
function TeamCommitsCard({ orgUnitId }: { orgUnitId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const [adjusting, setAdjusting] = useState<ForecastCommit | null>(null);
  const [form] = Form.useForm<CommitValues>();
  const key = month.format('YYYY-MM');
  const team = useQuery({
    queryKey: ['forecast-commits', key, 'team', orgUnitId],
    queryFn: () => api.get<ForecastCommitList>('/forecast-commits', { month: key, view: 'team', orgUnitId }),
  });
  const money = (v: number | null) => fullYuan(v, i18n.language);
  const adjust = async (v: CommitValues) => {
    if (!adjusting) return;
    try {
      await api.post(`/forecast-commits/${adjusting.id}/adjust`, {
        commitAmount: yuanToFen(v.commit),
        bestCaseAmount: yuanToFen(v.bestCase),
        note: v.note ?? '',
        version: adjusting.version,
      });
      setAdjusting(null);
      await queryClient.invalidateQueries({ queryKey: ['forecast-commits'] });
      await queryClient.invalidateQueries({ queryKey: ['forecast-vs-target'] });
    } catch (err) {
      showError(err, message);
    }
  };
  const columns: ColumnsType<ForecastCommit> = [
    { title: t('forecastVsTarget.commit.rep'), dataIndex: 'ownerName' },
    { title: t('forecastVsTarget.commit.unit'), dataIndex: 'orgUnitName', responsive: ['lg'] },
    { title: t('forecastVsTarget.commit.commit'), dataIndex: 'commitAmount', align: 'right', render: money },
    {
      title: t('forecastVsTarget.commit.bestCase'),
      dataIndex: 'bestCaseAmount',
      align: 'right',
      render: money,
    },
    {
      title: t('forecastVsTarget.commit.adjusted'),
      dataIndex: 'adjustedCommitAmount',
      align: 'right',
      render: (v: number | null, c) =>
        v === null ? '—' : <span title={c.adjustmentNote ?? ''}>{money(v)}</span>,
    },
    { title: t('forecastVsTarget.commit.note'), dataIndex: 'note', responsive: ['xl'] },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, c) =>
        c.open && (
          <Button
            size="small"
            onClick={() => {
              setAdjusting(c);
              form.setFieldsValue({
                commit: (c.adjustedCommitAmount ?? c.commitAmount) / 100,
                bestCase: (c.adjustedBestCaseAmount ?? c.bestCaseAmount) / 100,
                note: c.adjustmentNote ?? '',
              });
            }}
          >
            {t('forecastVsTarget.commit.adjust')}
          </Button>
        ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('forecastVsTarget.commit.teamTitle', {
        commit: money(team.data?.totalCommit ?? 0),
        bestCase: money(team.data?.totalBestCase ?? 0),
      })}
      extra={
        <DatePicker picker="month" value={month} allowClear={false} onChange={(d) => d && setMonth(d)} />
      }
    >
      <Table<ForecastCommit>
        rowKey="id"
        size="small"
        pagination={false}
        loading={team.isLoading}
        columns={columns}
        dataSource={team.data?.items ?? []}
        data-testid="team-commits"
      />
      <Modal
        open={!!adjusting}
        title={t('forecastVsTarget.commit.adjustTitle', { name: adjusting?.ownerName ?? '' })}
        onCancel={() => setAdjusting(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<CommitValues> form={form} layout="vertical" onFinish={adjust}>
          <Form.Item name="commit" label={t('forecastVsTarget.commit.commit')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="bestCase"
            label={t('forecastVsTarget.commit.bestCase')}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('forecastVsTarget.commit.reason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
