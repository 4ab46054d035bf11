import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import type { Customer, planAttainment, TargetNode, TargetPlanDetail } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import {
  AgreementTag,
  AttainmentTag,
  formatTarget,
  fromInput,
  type MetricKind,
  type NodeAttainment,
  toInput,
} from './TargetParts.js';

type Row = TargetNode & { children?: Row[] };
const DIMENSION_SPLITS = ['org_unit', 'rep', 'product_category', 'customer'] as const;
const PERIOD_SPLITS = ['quarter', 'month', 'week', 'day'] as const;
type SplitChoice = (typeof DIMENSION_SPLITS)[number] | (typeof PERIOD_SPLITS)[number];
const SPLITS: SplitChoice[] = [...DIMENSION_SPLITS, ...PERIOD_SPLITS];
const byDimension = (s: SplitChoice): s is (typeof DIMENSION_SPLITS)[number] =>
  (DIMENSION_SPLITS as readonly string[]).includes(s);
/** Parts of the assignee's own target (no agreement of their own). */
const isPart = (n: Pick<TargetNode, 'dimension'>) =>
  n.dimension === 'product_category' || n.dimension === 'customer';

/** The split a node's allocate dialog proposes: the one it has, else the next level down. */
function defaultSplit(n: TargetNode, kids: TargetNode[]): SplitChoice {
  if (n.childSplit === 'period') return 'month';
  const kid = kids[0];
  if (kid && kid.dimension !== 'company') return kid.dimension;
  if (n.dimension === 'company') return 'org_unit';
  if (n.dimension === 'org_unit') return 'rep';
  return 'month';
}

/** Key accounts to split a target among: a rep's own customers, or any the reader may see. */
function CustomersPicker({
  ownerId,
  initial,
  value,
  onChange,
}: {
  ownerId?: string | undefined;
  initial: { value: string; label: string }[];
  value?: string[];
  onChange?: (v: string[]) => void;
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState(initial);
  async function search(q: string) {
    const res = await api.get<Page<Customer>>('/customers', { q: q || undefined, ownerId, limit: 20 });
    const picked = options.filter((o) => value?.includes(o.value));
    const found = res.items.map((c) => ({ value: c.id, label: c.name }));
    setOptions([...picked, ...found.filter((f) => !picked.some((p) => p.value === f.value))]);
  }
  return (
    <Select
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      onFocus={() => void search('')}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('targets.plan.pickCustomers')}
      data-testid="target-customers"
    />
  );
}

/** Editable amount of a draft target; saved when the field loses focus. */
function AmountCell({
  node,
  kind,
  editable,
  onSave,
}: {
  node: TargetNode;
  kind: MetricKind;
  editable: boolean;
  onSave: (node: TargetNode, amount: number) => Promise<void>;
}) {
  const { i18n } = useTranslation();
  if (!editable) return <span>{formatTarget(node.amount, kind, i18n.language)}</span>;
  return (
    <InputNumber
      // Uncontrolled: a new amount from the server (an allocation) mounts a fresh input.
      key={node.amount}
      size="small"
      min={0}
      style={{ width: 130 }}
      defaultValue={toInput(node.amount, kind)}
      data-testid={`target-amount-${node.id}`}
      onBlur={(e) => {
        const v = Number(e.target.value.replace(/,/g, ''));
        if (Number.isFinite(v) && fromInput(v, kind) !== node.amount) void onSave(node, fromInput(v, kind));
      }}
    />
  );
}

/** A month's attainment under its target, coloured by its traffic light. */
function AttainmentPercent({ a, kind }: { a: NodeAttainment; kind: MetricKind }) {
  const { t, i18n } = useTranslation();
  const color = { green: '#389e0d', amber: '#d48806', red: '#cf1322', not_started: undefined }[a.status];
  return (
    <Tooltip
      title={`${t('attainment.actual')} ${formatTarget(a.actual, kind, i18n.language)} · ${t(`attainment.status.${a.status}`)}`}
    >
      <Typography.Text style={{ fontSize: 12, color }}>
        {a.attainmentPercent === null ? '—' : `${a.attainmentPercent}%`}
      </Typography.Text>
    </Tooltip>
  );
}

/**
 * One target plan: the allocation tree as org units and reps (rows) by period (columns), with
 * Σ of the children against each target, allocation, publishing and agreement status.
 */
export function TargetPlanPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = ['target-plan', id];
  const detail = useQuery({ queryKey: key, queryFn: () => api.get<TargetPlanDetail>(`/target-plans/${id}`) });
  // Live attainment of every visible target (actual from the sales facts, pace, traffic light).
  const progress = useQuery({
    queryKey: ['target-plan-attainment', id],
    queryFn: () => api.get<z.infer<typeof planAttainment>>(`/target-plans/${id}/attainment`),
  });
  const attainmentOf = useMemo(
    () => new Map((progress.data?.items ?? []).map((a) => [a.nodeId, a])),
    [progress.data],
  );
  const [allocating, setAllocating] = useState<TargetNode | null>(null);
  const [changing, setChanging] = useState<TargetNode | null>(null);
  const [allocForm] = Form.useForm();
  const [changeForm] = Form.useForm();
  const kind = detail.data?.plan.metricKind ?? 'money';
  const canAllocate = can('targets.allocate');
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: key }),
      queryClient.invalidateQueries({ queryKey: ['target-plan-attainment', id] }),
    ]);

  const { rows, periodKeys, periodsOf, byId } = useMemo(() => {
    const nodes = detail.data?.nodes ?? [];
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const childrenOf = new Map<string, TargetNode[]>();
    for (const n of nodes)
      if (n.parentId) childrenOf.set(n.parentId, [...(childrenOf.get(n.parentId) ?? []), n]);
    const isPeriodChild = (n: TargetNode) => !!n.parentId && byId.get(n.parentId)?.childSplit === 'period';
    const build = (n: TargetNode): Row => {
      const kids = (childrenOf.get(n.id) ?? []).filter((c) => !isPeriodChild(c)).map(build);
      return kids.length ? { ...n, children: kids } : { ...n };
    };
    const tops = nodes.filter((n) => !isPeriodChild(n) && (!n.parentId || !byId.has(n.parentId)));
    const periodsOf = (n: TargetNode) => (n.childSplit === 'period' ? (childrenOf.get(n.id) ?? []) : []);
    const periodNodes = nodes.filter(isPeriodChild);
    const preferred = (['month', 'quarter', 'week'] as const).find((k) =>
      periodNodes.some((p) => p.period.kind === k),
    );
    const periodKeys = [
      ...new Set(periodNodes.filter((p) => p.period.kind === preferred).map((p) => p.period.key)),
    ].sort();
    return { rows: tops.map(build), periodKeys, periodsOf, byId };
  }, [detail.data]);

  const saveAmount = async (node: TargetNode, amount: number) => {
    try {
      await api.patch(`/target-nodes/${node.id}`, { amount, version: node.version });
    } catch (err) {
      showError(err, message);
    }
    await refresh();
  };

  const publish = async (node: TargetNode) => {
    try {
      const res = await api.post<{ published: number; agreementsSent: number }>(
        `/target-nodes/${node.id}/publish`,
        {
          version: node.version,
        },
      );
      void message.success(t('targets.plan.publishedMessage', res));
    } catch (err) {
      showError(err, message);
    }
    await refresh();
  };

  const allocate = async () => {
    if (!allocating) return;
    const values = await allocForm.validateFields();
    const split: SplitChoice = values.split;
    try {
      const res = await api.post<{ fellBackToEven: boolean }>(`/target-nodes/${allocating.id}/allocate`, {
        split: byDimension(split) ? 'dimension' : 'period',
        ...(byDimension(split) ? { dimension: split } : { periodKind: split }),
        ...(split === 'customer' ? { customerIds: values.customerIds } : {}),
        method: values.method,
        ...(values.method === 'weights' ? { weights: values.weights ?? {} } : {}),
        version: allocating.version,
      });
      if (res.fellBackToEven) void message.info(t('targets.plan.fellBackToEven'));
      setAllocating(null);
    } catch (err) {
      showError(err, message, allocForm);
    }
    await refresh();
  };

  const rollUp = async (node: TargetNode) => {
    try {
      await api.post(`/target-nodes/${node.id}/roll-up`, { version: node.version });
      void message.success(t('targets.plan.rolledUp', { label: node.label }));
    } catch (err) {
      showError(err, message);
    }
    await refresh();
  };

  const requestChange = async () => {
    if (!changing) return;
    const values = await changeForm.validateFields();
    const kids = (detail.data?.nodes ?? []).filter((n) => n.parentId === changing.id);
    const changes = kids
      .map((k) => ({
        nodeId: k.id,
        amount: fromInput(values.amounts?.[k.id] ?? toInput(k.amount, kind), kind),
      }))
      .filter((c, i) => c.amount !== kids[i]!.amount);
    try {
      await api.post(`/target-nodes/${changing.id}/change-requests`, { changes, reason: values.reason });
      void message.success(t('targets.plan.changeRequested'));
      setChanging(null);
    } catch (err) {
      showError(err, message, changeForm);
    }
    await refresh();
  };

  const plan = detail.data?.plan;
  const allocatable = (n: TargetNode) =>
    canAllocate && (!n.parentId ? can('targets.create') : byId.has(n.parentId));
  const childrenOfNode = (n: TargetNode) => (detail.data?.nodes ?? []).filter((c) => c.parentId === n.id);

  const columns: ColumnsType<Row> = [
    {
      title: t('targets.node.label'),
      dataIndex: 'label',
      fixed: 'left',
      width: 200,
      render: (label: string, n) => (
        <span data-testid={`target-row-${label}`}>
          {isPart(n) && (
            <Tag color={n.dimension === 'customer' ? 'purple' : 'cyan'} style={{ marginInlineEnd: 4 }}>
              {t(`targets.dimensions.${n.dimension}`)}
            </Tag>
          )}
          {label}
          {n.ownerName && n.dimension !== 'rep' && !isPart(n) && (
            <Typography.Text type="secondary"> · {n.ownerName}</Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('targets.node.amount'),
      dataIndex: 'amount',
      align: 'right',
      width: 150,
      render: (_: number, n) => (
        <AmountCell
          node={n}
          kind={kind}
          editable={n.state === 'draft' && allocatable(n)}
          onSave={saveAmount}
        />
      ),
    },
    {
      title: t('targets.node.childrenSum'),
      dataIndex: 'childrenSum',
      align: 'right',
      width: 170,
      render: (sum: number | null, n) =>
        sum === null ? (
          '—'
        ) : (
          <Space size={4} data-testid={`target-gap-${n.label}`}>
            {formatTarget(sum, kind, i18n.language)}
            {n.gap !== 0 && (
              <Tooltip title={t('targets.node.gapHint')}>
                <Tag color="error">
                  {n.gap! > 0 ? '+' : ''}
                  {formatTarget(n.gap, kind, i18n.language)}
                </Tag>
              </Tooltip>
            )}
          </Space>
        ),
    },
    {
      title: t('attainment.actual'),
      key: 'actual',
      align: 'right',
      width: 140,
      render: (_: unknown, n) => {
        const a = attainmentOf.get(n.id);
        return a ? (
          <span data-testid={`target-actual-${n.label}`}>{formatTarget(a.actual, kind, i18n.language)}</span>
        ) : (
          '—'
        );
      },
    },
    {
      title: t('attainment.attainmentPercent'),
      key: 'attainment',
      align: 'right',
      width: 170,
      render: (_: unknown, n) => {
        const a = attainmentOf.get(n.id);
        if (!a) return '—';
        return (
          <Space size={4} data-testid={`target-attainment-${n.label}`}>
            {a.attainmentPercent === null ? '—' : `${a.attainmentPercent}%`}
            <AttainmentTag a={a} kind={kind} />
          </Space>
        );
      },
    },
    ...periodKeys.map((pk) => ({
      title: pk,
      key: pk,
      align: 'right' as const,
      width: 140,
      render: (_: unknown, n: Row) => {
        const p = periodsOf(n).find((c) => c.period.key === pk);
        if (!p) return '';
        const a = p.state === 'published' ? attainmentOf.get(p.id) : undefined;
        return (
          <Space orientation="vertical" size={0} align="end">
            <AmountCell
              node={p}
              kind={kind}
              editable={p.state === 'draft' && canAllocate}
              onSave={saveAmount}
            />
            {a && a.status !== 'not_started' && <AttainmentPercent a={a} kind={kind} />}
          </Space>
        );
      },
    })),
    {
      title: t('targets.node.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: string) => (
        <Tag color={s === 'published' ? 'blue' : 'default'}>{t(`targets.nodeStates.${s}`)}</Tag>
      ),
    },
    {
      title: t('targets.node.agreement'),
      key: 'agreement',
      width: 100,
      render: (_: unknown, n) => <AgreementTag state={n.agreement?.state} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 220,
      render: (_: unknown, n) => {
        const kids = childrenOfNode(n);
        const canWork = canAllocate && byId.has(n.id);
        if (!canWork) return null;
        return (
          <Space size={4} wrap>
            {!kids.some((k) => k.state === 'published') && (
              <Button
                size="small"
                data-testid={`target-allocate-${n.label}`}
                onClick={() => {
                  allocForm.resetFields();
                  allocForm.setFieldsValue({
                    split: defaultSplit(n, kids),
                    customerIds: kids.filter((k) => k.dimension === 'customer').map((k) => k.dimensionId),
                    method: 'even',
                    weights: Object.fromEntries(
                      kids.map((k) => [
                        k.dimensionId && n.childSplit === 'dimension' ? k.dimensionId : k.period.key,
                        1,
                      ]),
                    ),
                  });
                  setAllocating(n);
                }}
              >
                {t('targets.plan.allocate')}
              </Button>
            )}
            {n.state === 'draft' && kids.length > 0 && n.gap !== 0 && allocatable(n) && (
              <Tooltip title={t('targets.plan.rollUpHint')}>
                <Button size="small" data-testid={`target-roll-up-${n.label}`} onClick={() => rollUp(n)}>
                  {t('targets.plan.rollUp')}
                </Button>
              </Tooltip>
            )}
            {kids.some((k) => k.state === 'draft') && (
              <Button
                size="small"
                type="primary"
                data-testid={`target-publish-${n.label}`}
                onClick={() => publish(n)}
              >
                {t('targets.plan.publish')}
              </Button>
            )}
            {kids.length > 0 && kids.every((k) => k.state === 'published') && (
              <Button
                size="small"
                onClick={() => {
                  changeForm.resetFields();
                  setChanging(n);
                }}
              >
                {t('targets.plan.requestChange')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  const allocKids = allocating ? childrenOfNode(allocating) : [];
  return (
    <>
      <PageHeader
        title={plan ? `${plan.name}` : t('targets.plans.title')}
        hint={
          plan &&
          `${plan.fiscalYear} · ${t(`targets.metrics.${plan.metric}`)} · ${formatTarget(plan.amount, kind, i18n.language)}`
        }
        extra={
          <Space>
            <Link to={`/targets/agreements?planId=${id}`}>{t('targets.plan.agreements')}</Link>
          </Space>
        }
      />
      {progress.data?.dataAsOf && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('attainment.dataAsOf', { at: formatTime(progress.data.dataAsOf) })}
        </Typography.Paragraph>
      )}
      <Table<Row>
        // Mounted again once the tree has loaded, so that every row starts expanded.
        key={detail.data ? 'loaded' : 'loading'}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={detail.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ defaultExpandAllRows: true }}
      />
      <Modal
        open={!!allocating}
        title={allocating ? t('targets.plan.allocateTitle', { label: allocating.label }) : ''}
        onCancel={() => setAllocating(null)}
        onOk={allocate}
        okButtonProps={{ 'data-testid': 'target-allocate-ok' } as never}
        destroyOnHidden
      >
        <Form form={allocForm} layout="vertical">
          <Form.Item name="split" label={t('targets.plan.splitBy')} rules={[rules.required()]}>
            <Select
              options={SPLITS.map((s) => ({ value: s, label: t(`targets.splits.${s}`) }))}
              data-testid="target-split"
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.split !== b.split}>
            {({ getFieldValue }) =>
              getFieldValue('split') === 'customer' && (
                <Form.Item
                  name="customerIds"
                  label={t('targets.plan.customers')}
                  extra={t('targets.plan.customersHint')}
                  rules={[rules.required()]}
                >
                  <CustomersPicker
                    ownerId={
                      allocating?.dimension === 'rep' ? (allocating.dimensionId ?? undefined) : undefined
                    }
                    initial={allocKids
                      .filter((k) => k.dimension === 'customer')
                      .map((k) => ({ value: k.dimensionId!, label: k.label }))}
                  />
                </Form.Item>
              )
            }
          </Form.Item>
          <Form.Item name="method" label={t('targets.plan.method')} rules={[rules.required()]}>
            <Radio.Group
              options={(['even', 'seasonality', 'weights'] as const).map((m) => ({
                value: m,
                label: t(`targets.methods.${m}`),
              }))}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) =>
              getFieldValue('method') === 'weights' &&
              (allocKids.length ? (
                allocKids.map((k) => (
                  <Form.Item
                    key={k.id}
                    name={[
                      'weights',
                      k.dimensionId && allocating?.childSplit === 'dimension' ? k.dimensionId : k.period.key,
                    ]}
                    label={allocating?.childSplit === 'dimension' ? k.label : k.period.key}
                  >
                    <InputNumber min={0} />
                  </Form.Item>
                ))
              ) : (
                <Typography.Paragraph type="secondary">{t('targets.plan.weightsFirst')}</Typography.Paragraph>
              ))
            }
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!changing}
        title={changing ? t('targets.plan.changeTitle', { label: changing.label }) : ''}
        onCancel={() => setChanging(null)}
        onOk={requestChange}
        destroyOnHidden
      >
        <Form form={changeForm} layout="vertical">
          {changing &&
            childrenOfNode(changing).map((k) => (
              <Form.Item
                key={k.id}
                name={['amounts', k.id]}
                label={changing.childSplit === 'period' ? k.period.key : k.label}
                initialValue={toInput(k.amount, kind)}
              >
                <InputNumber min={0} style={{ width: 200 }} />
              </Form.Item>
            ))}
          <Form.Item name="reason" label={t('targets.plan.reason')} rules={[rules.required()]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
