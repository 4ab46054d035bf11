import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Kanban, Opportunity, Pipeline, PipelineStage } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { SavedViews } from '../../app/SavedViews.js';
import { useSession } from '../../app/session.js';
import { OpportunityForm } from './OpportunityForm.js';
import {
  LoseDialog,
  localName,
  OpportunityStatusTag,
  stageLabel,
  usePipelines,
  useStageMove,
  yuanShort,
} from './OpportunityParts.js';

type Filters = { q?: string; status?: string };

/** 商机: a board by stage (drag a card to move it) or a list, mine or my team's. */
export function OpportunitiesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const pipelines = usePipelines();
  const [mode, setMode] = useState<'kanban' | 'list'>('kanban');
  const [view, setView] = useState<'mine' | 'team'>('team');
  const [pipelineId, setPipelineId] = useState<string | undefined>();
  const [filters, setFilters] = useState<Filters>({});
  const [filterForm] = Form.useForm<Filters>();
  const [creating, setCreating] = useState(false);
  const pipeline = pipelines.data?.items.find((p) => p.id === pipelineId) ?? pipelines.data?.items[0];

  return (
    <>
      <PageHeader
        title={t('opportunities.title')}
        hint={t('opportunities.hint')}
        extra={
          can('opportunities.create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="opportunity-new"
            >
              {t('opportunities.new')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as 'kanban' | 'list')}
          options={[
            { value: 'kanban', label: t('opportunities.kanban') },
            { value: 'list', label: t('opportunities.list') },
          ]}
          data-testid="opportunity-mode"
        />
        <Segmented
          value={view}
          onChange={(v) => setView(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('opportunities.mine') },
            { value: 'team', label: t('opportunities.team') },
          ]}
        />
        <Select
          style={{ minWidth: 180 }}
          value={pipeline?.id}
          onChange={setPipelineId}
          options={(pipelines.data?.items ?? []).map((p) => ({ value: p.id, label: localName(p) }))}
        />
      </Space>
      <Form
        form={filterForm}
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        {mode === 'list' && (
          <Form.Item>
            <SavedViews
              listKey="opportunities"
              value={{ ...filters, view, pipelineId: pipeline?.id }}
              onChange={(v) => {
                const next = { q: v.q as string | undefined, status: v.status as string | undefined };
                filterForm.setFieldsValue(next);
                setFilters(next);
                if (v.view === 'mine' || v.view === 'team') setView(v.view);
                if (typeof v.pipelineId === 'string') setPipelineId(v.pipelineId);
              }}
            />
          </Form.Item>
        )}
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('opportunities.search')} style={{ width: 240 }} />
        </Form.Item>
        {mode === 'list' && (
          <Form.Item name="status">
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('opportunities.status')}
              options={(['open', 'won', 'lost'] as const).map((s) => ({
                value: s,
                label: t(`opportunities.statuses.${s}`),
              }))}
            />
          </Form.Item>
        )}
      </Form>
      {pipeline &&
        (mode === 'kanban' ? (
          <OpportunityBoard pipeline={pipeline} view={view} q={filters.q} />
        ) : (
          <OpportunityList pipelineId={pipeline.id} view={view} filters={filters} />
        ))}
      <OpportunityForm
        open={creating}
        onClose={(id) => {
          setCreating(false);
          if (id) navigate(`/sales/opportunities/${id}`);
        }}
      />
    </>
  );
}

function OpportunityList({
  pipelineId,
  view,
  filters,
}: {
  pipelineId: string;
  view: string;
  filters: Filters;
}) {
  const { t } = useTranslation();
  const { list, rows } = usePagedList<Opportunity>(
    ['opportunities', 'list', pipelineId, view, filters],
    '/opportunities',
    {
      pipelineId,
      view,
      ...filters,
    },
  );
  const columns: ColumnsType<Opportunity> = [
    {
      title: t('opportunities.name'),
      dataIndex: 'name',
      render: (n: string, o) => <Link to={`/sales/opportunities/${o.id}`}>{n}</Link>,
    },
    { title: t('opportunities.customer'), dataIndex: 'customerName', responsive: ['md'] },
    { title: t('opportunities.stage'), dataIndex: 'stageId', render: (_: unknown, o) => stageLabel(o) },
    {
      title: t('opportunities.amount'),
      dataIndex: 'amount',
      align: 'right',
      render: (v: number) => yuanShort(v),
    },
    { title: t('opportunities.probability'), dataIndex: 'probability', render: (v: number) => `${v}%` },
    { title: t('opportunities.expectedCloseDate'), dataIndex: 'expectedCloseDate', responsive: ['lg'] },
    { title: t('opportunities.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
    {
      title: t('opportunities.status'),
      dataIndex: 'status',
      render: (_: unknown, o) => <OpportunityStatusTag o={o} />,
    },
  ];
  return (
    <Table
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={list.isLoading}
      pagination={false}
      footer={() => <LoadMore list={list} />}
      data-testid="opportunity-list"
    />
  );
}

/**
 * The board: one column per stage with its count and sums. Cards are dragged with the browser's
 * own drag and drop; a drop on an open stage moves, on the won stage wins, on the lost stage asks
 * for the loss reason. The server decides: a refused move shows what is missing.
 */
function OpportunityBoard({
  pipeline,
  view,
  q,
}: {
  pipeline: Pipeline;
  view: string;
  q?: string | undefined;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const client = useQueryClient();
  const board = useQuery({
    queryKey: ['opportunities', 'kanban', pipeline.id, view, q],
    queryFn: () => api.get<Kanban>('/opportunities/kanban', { pipelineId: pipeline.id, view, q }),
  });
  const [dragged, setDragged] = useState<Opportunity | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [losing, setLosing] = useState<Opportunity | null>(null);
  const move = useStageMove(pipeline, () => undefined);
  const canMove = can('opportunities.update');

  function drop(stage: PipelineStage, e: DragEvent) {
    e.preventDefault();
    setOver(null);
    const o = dragged;
    setDragged(null);
    if (!o || o.stageId === stage.id || o.status !== 'open') return;
    if (stage.kind === 'lost') setLosing(o);
    else void move.attempt(o, stage.kind === 'won' ? 'win' : stage);
  }

  return (
    <>
      <Flex gap={12} style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="opportunity-board">
        {pipeline.stages.map((stage) => {
          const col = board.data?.columns.find((c) => c.stageId === stage.id);
          return (
            <Card
              key={stage.id}
              size="small"
              style={{
                minWidth: 240,
                width: 240,
                flex: '0 0 auto',
                background: over === stage.id ? '#e6f4ff' : undefined,
              }}
              title={
                <Flex justify="space-between">
                  <span>
                    {localName(stage)}{' '}
                    <Typography.Text type="secondary">{stage.probability}%</Typography.Text>
                  </span>
                  <Badge count={col?.count ?? 0} showZero color="#8c8c8c" />
                </Flex>
              }
              extra={null}
              onDragOver={(e) => {
                if (!canMove || !dragged) return;
                e.preventDefault();
                setOver(stage.id);
              }}
              onDragLeave={() => setOver((s) => (s === stage.id ? null : s))}
              onDrop={(e) => drop(stage, e)}
              data-testid={`board-column-${stage.position}`}
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('opportunities.columnSum', {
                  amount: yuanShort(col?.amount ?? 0),
                  weighted: yuanShort(col?.weightedAmount ?? 0),
                })}
              </Typography.Text>
              <Flex vertical gap={8} style={{ marginTop: 8, minHeight: 80 }}>
                {(col?.cards ?? []).map((o) => (
                  <Card
                    key={o.id}
                    size="small"
                    hoverable
                    draggable={canMove && o.status === 'open'}
                    onDragStart={(e) => {
                      e.dataTransfer.setData('text/plain', o.id);
                      e.dataTransfer.effectAllowed = 'move';
                      setDragged(o);
                    }}
                    onDragEnd={() => setDragged(null)}
                    data-testid={`board-card-${o.id}`}
                  >
                    <Link to={`/sales/opportunities/${o.id}`}>{o.name}</Link>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {o.customerName}
                      </Typography.Text>
                    </div>
                    <Flex justify="space-between" style={{ fontSize: 12 }}>
                      <span>{yuanShort(o.amount)}</span>
                      <span>{o.expectedCloseDate ?? ''}</span>
                    </Flex>
                    {o.stalled && <OpportunityStatusTag o={o} />}
                  </Card>
                ))}
                {col && col.count > col.cards.length && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('opportunities.moreCards', { n: col.count - col.cards.length })}
                  </Typography.Text>
                )}
                {!col?.count && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={false} />}
              </Flex>
            </Card>
          );
        })}
      </Flex>
      {move.modal}
      <LoseDialog
        opportunity={losing}
        onClose={(changed) => {
          setLosing(null);
          if (changed) void client.invalidateQueries({ queryKey: ['opportunities'] });
        }}
      />
    </>
  );
}
