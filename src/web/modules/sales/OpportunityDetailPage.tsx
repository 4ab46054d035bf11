import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Space,
  Steps,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { OpportunityDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { RecordHistory } from '../platform/HistoryDrawer.js';
import { BidsSection } from './BidsSection.js';
import { OpportunityForm } from './OpportunityForm.js';
import { OpportunityLinesPanel } from './OpportunityLinesPanel.js';
import {
  LoseDialog,
  localName,
  OpportunityStatusTag,
  useLossReasonLabel,
  usePipelines,
  useStageMove,
  yuanShort,
} from './OpportunityParts.js';
import { StagePlaybook } from './PlaybookPanel.js';

/** Seconds as "3 天 4 小时" / "3 d 4 h". */
function useDuration() {
  const { t } = useTranslation();
  return (s: number) => {
    const d = Math.floor(s / 86_400);
    const h = Math.floor((s % 86_400) / 3600);
    return d ? t('opportunities.daysHours', { d, h }) : t('opportunities.hours', { h: Math.max(h, 0) });
  };
}

/** One opportunity: its stages as steps (click one to move there), facts, competitors and history. */
export function OpportunityDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const duration = useDuration();
  const lossLabel = useLossReasonLabel();
  const pipelines = usePipelines();
  const [editing, setEditing] = useState(false);
  const [losing, setLosing] = useState(false);
  const q = useQuery({
    queryKey: ['opportunity', id],
    queryFn: () => api.get<OpportunityDetail>(`/opportunities/${id}`),
  });
  const o = q.data;
  const pipeline = pipelines.data?.items.find((p) => p.id === o?.pipelineId);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['opportunity', id] });
    void client.invalidateQueries({ queryKey: ['opportunities'] });
    void client.invalidateQueries({ queryKey: ['history'] });
  };
  const move = useStageMove(pipeline, refresh);
  if (!o) return <Card loading />;

  const openStages = pipeline?.stages.filter((s) => s.kind === 'open') ?? [];
  const closedStage = pipeline?.stages.find((s) => s.kind === o.status);
  const steps = [...openStages, ...(closedStage && o.status !== 'open' ? [closedStage] : [])];
  const current = steps.findIndex((s) => s.id === o.stageId);
  const canUpdate = can('opportunities.update') && o.status === 'open';

  async function reopen() {
    try {
      await api.post(`/opportunities/${o!.id}/reopen`, { version: o!.version });
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <>
      <PageHeader
        title={
          <Space>
            {o.name}
            <OpportunityStatusTag o={o} />
          </Space>
        }
        hint={<Link to={`/customers/${o.customerId}`}>{o.customerName}</Link>}
        extra={
          <Space wrap>
            {can('quotes.create') && (
              <Link to={`/sales/quotes/new?customerId=${o.customerId}&opportunityId=${o.id}`}>
                <Button data-testid="opportunity-new-quote">{t('quotes.new')}</Button>
              </Link>
            )}
            {canUpdate && (
              <Button onClick={() => setEditing(true)} data-testid="opportunity-edit">
                {t('common.edit')}
              </Button>
            )}
            {canUpdate && (
              <Button
                type="primary"
                onClick={() => void move.attempt(o, 'win')}
                data-testid="opportunity-win"
              >
                {t('opportunities.win')}
              </Button>
            )}
            {canUpdate && (
              <Button danger onClick={() => setLosing(true)} data-testid="opportunity-lose">
                {t('opportunities.lose')}
              </Button>
            )}
            {o.status !== 'open' && can('opportunities.assign') && (
              <Popconfirm title={t('opportunities.reopenConfirm')} onConfirm={() => void reopen()}>
                <Button data-testid="opportunity-reopen">{t('opportunities.reopen')}</Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={current}
          status={o.status === 'lost' ? 'error' : o.status === 'won' ? 'finish' : 'process'}
          onChange={
            canUpdate
              ? (i) => {
                  const to = steps[i];
                  if (to && to.id !== o.stageId) void move.attempt(o, to);
                }
              : undefined
          }
          items={steps.map((s) => ({ title: localName(s), description: `${s.probability}%` }))}
          data-testid="opportunity-steps"
        />
        <Descriptions style={{ marginTop: 16 }} column={{ xs: 1, md: 4 }}>
          <Descriptions.Item label={t('opportunities.amount')}>{yuanShort(o.amount)}</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.probability')}>
            {o.probability}%
            {o.probabilityOverridden && <Tag style={{ marginLeft: 4 }}>{t('opportunities.overridden')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('opportunities.forecastCategory')}>
            {t(`opportunities.forecasts.${o.forecastCategory}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('opportunities.expectedCloseDate')}>
            {o.expectedCloseDate ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'overview',
            label: t('opportunities.tabs.overview'),
            children: (
              <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
                <Descriptions.Item label={t('opportunities.owner')}>{o.ownerName}</Descriptions.Item>
                <Descriptions.Item label={t('opportunities.nextStep')}>{o.nextStep ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('opportunities.stageEnteredAt')}>
                  {formatTime(o.stageEnteredAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t('opportunities.lastActivityAt')}>
                  {formatTime(o.lastActivityAt)}
                </Descriptions.Item>
                {o.status === 'lost' && (
                  <Descriptions.Item label={t('opportunities.lossReason')}>
                    {lossLabel(o.lossReason)}
                  </Descriptions.Item>
                )}
                {o.status === 'lost' && (
                  <Descriptions.Item label={t('opportunities.competitorLostTo')}>
                    {o.lostToCompetitor ?? '—'}
                  </Descriptions.Item>
                )}
                {o.closeNote && (
                  <Descriptions.Item label={t('opportunities.note')}>{o.closeNote}</Descriptions.Item>
                )}
                <Descriptions.Item label={t('opportunities.checklistDone')}>
                  {pipeline?.stages
                    .flatMap((s) =>
                      s.checklist
                        .filter((c) => o.checklist[s.id]?.includes(c.key))
                        .map((c) => `${localName(s)}: ${localName({ nameZh: c.textZh, nameEn: c.textEn })}`),
                    )
                    .join('; ') || '—'}
                </Descriptions.Item>
              </Descriptions>
            ),
          },
          {
            key: 'playbook',
            label: t('playbooks.tab'),
            children: <StagePlaybook stageId={o.stageId} />,
          },
          {
            key: 'products',
            label: t('forecast.lines.tab'),
            children: <OpportunityLinesPanel opportunity={o} canEdit={canUpdate} />,
          },
          {
            key: 'competitors',
            label: t('opportunities.tabs.competitors'),
            children: (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={o.competitors}
                columns={[
                  { title: t('opportunities.competitorName'), dataIndex: 'name' },
                  {
                    title: t('opportunities.competitorPrice'),
                    dataIndex: 'price',
                    align: 'right',
                    render: (v: number | null) => (v === null ? '—' : yuanShort(v)),
                  },
                  { title: t('opportunities.strengths'), dataIndex: 'strengths' },
                  { title: t('opportunities.weaknesses'), dataIndex: 'weaknesses' },
                ]}
              />
            ),
          },
          ...(can('bids.read')
            ? [
                {
                  key: 'bids',
                  label: t('bids.onOpportunity'),
                  children: <BidsSection opportunityId={o.id} customerId={o.customerId} />,
                },
              ]
            : []),
          {
            key: 'stages',
            label: t('opportunities.tabs.stageHistory'),
            children: (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={o.stageHistory}
                data-testid="opportunity-stage-history"
                columns={[
                  {
                    title: t('opportunities.stage'),
                    dataIndex: 'stageId',
                    render: (_: unknown, h) => localName({ nameZh: h.stageNameZh, nameEn: h.stageNameEn }),
                  },
                  { title: t('opportunities.enteredAt'), dataIndex: 'enteredAt', render: formatTime },
                  { title: t('opportunities.exitedAt'), dataIndex: 'exitedAt', render: formatTime },
                  { title: t('opportunities.timeInStage'), dataIndex: 'secondsInStage', render: duration },
                  { title: t('opportunities.movedBy'), dataIndex: 'enteredByName' },
                ]}
              />
            ),
          },
          {
            key: 'history',
            label: t('opportunities.tabs.history'),
            children: <RecordHistory path={`/opportunities/${o.id}/history`} />,
          },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('opportunities.updatedAt', { at: formatTime(o.updatedAt) })}
      </Typography.Text>
      {move.modal}
      <OpportunityForm
        open={editing}
        opportunity={o}
        onClose={(saved) => {
          setEditing(false);
          if (saved) refresh();
        }}
      />
      <LoseDialog
        opportunity={losing ? o : null}
        onClose={(changed) => {
          setLosing(false);
          if (changed) refresh();
        }}
      />
    </>
  );
}
