import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  TimePicker,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { VisitPlan, VisitPlanSummary } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import {
  CustomerPicker,
  formatYuan,
  PLAN_STATUS_COLORS,
  PlanActuals,
  StopActions,
  StopState,
  useRefreshVisits,
} from './visitPlanParts.js';

/** 拜访计划: my plans (or my team's submitted ones), newest day first. */
export function VisitPlansPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [who, setWho] = useState<'mine' | 'team'>('mine');
  const { list, rows } = usePagedList<VisitPlanSummary>(
    ['visit-plans', who],
    '/visit-plans',
    { who },
    { limit: 30 },
  );
  const columns: ColumnsType<VisitPlanSummary> = [
    {
      title: t('visits.plan.day'),
      dataIndex: 'day',
      render: (day: string, r) => <Link to={`/visit-plans/${r.id}`}>{day}</Link>,
    },
    ...(who === 'team'
      ? [
          {
            title: t('visits.plan.owner'),
            dataIndex: 'ownerName',
            render: (n: string, r: VisitPlanSummary) => `${n} · ${r.orgUnitName}`,
          },
        ]
      : []),
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: VisitPlanSummary['status']) => (
        <Tag color={PLAN_STATUS_COLORS[s]}>{t(`visits.status.${s}`)}</Tag>
      ),
    },
    {
      title: t('visits.plan.visits'),
      key: 'visits',
      render: (_: unknown, r) => `${r.actuals.visits} / ${r.goalVisits}`,
    },
    {
      title: t('visits.plan.deals'),
      key: 'deals',
      render: (_: unknown, r) => `${r.actuals.deals} / ${r.goalDeals}`,
    },
    {
      title: t('visits.plan.volume'),
      key: 'volume',
      responsive: ['md'],
      render: (_: unknown, r) =>
        `${formatYuan(r.actuals.volume, i18n.language)} / ${formatYuan(r.goalVolume, i18n.language)}`,
    },
    {
      title: t('visits.plan.route'),
      dataIndex: 'route',
      responsive: ['lg'],
      render: (v: string | null) => v ?? '—',
    },
  ];
  return (
    <>
      <PageHeader
        title={t('visits.list.title')}
        hint={t('visits.list.hint')}
        extra={
          can('visit-plans.create') && (
            <Button type="primary" onClick={() => navigate('/visit-plans/new')} data-testid="visit-plan-new">
              {t('visits.list.new')}
            </Button>
          )
        }
      />
      {can('customers.assign') && (
        <Segmented
          style={{ marginBottom: 12 }}
          value={who}
          onChange={(v) => setWho(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('visits.list.mine') },
            { value: 'team', label: t('visits.list.team') },
          ]}
          data-testid="visit-plans-who"
        />
      )}
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('visits.list.none')} /> }}
        footer={() => <LoadMore list={list} />}
        data-testid="visit-plans-table"
      />
    </>
  );
}

interface PlanFormValues {
  day: Dayjs;
  route?: string;
  goalVisits?: number | null;
  goalDeals?: number | null;
  goalVolumeYuan?: number | null;
  focusProducts?: string[];
  stops: {
    id?: string;
    customerId: string;
    customerName?: string;
    purpose: string;
    plannedTime?: Dayjs | null;
  }[];
}

/** /visit-plans/new and /visit-plans/:id: the plan, its stops and plan vs actual. */
export function VisitPlanPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <PlanEditor />;
  return <PlanDetail id={id} />;
}

function PlanDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { message } = App.useApp();
  const refresh = useRefreshVisits();
  const [editing, setEditing] = useState(false);
  const [summarising, setSummarising] = useState(false);
  const query = useQuery({
    queryKey: ['visit-plans', id],
    queryFn: () => api.get<VisitPlan>(`/visit-plans/${id}`),
  });
  if (query.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (query.error instanceof ApiError && query.error.status === 404)
    return <Result status="404" title="404" subTitle={t('common.notFound')} />;
  const plan = query.data;
  if (!plan) return null;
  const mine = plan.ownerId === me?.user.id;
  const open = mine && plan.status !== 'done';

  async function submit() {
    try {
      await api.post(`/visit-plans/${id}/submit`, { version: plan!.version });
      void message.success(t('visits.plan.submittedNow'));
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <>
      <PageHeader
        title={t('visits.plan.title', { day: plan.day })}
        extra={
          open && (
            <Space wrap>
              <Button onClick={() => setEditing(true)} data-testid="visit-plan-edit">
                {t('common.edit')}
              </Button>
              {plan.status === 'draft' && (
                <Button onClick={submit} data-testid="visit-plan-submit">
                  {t('visits.plan.submit')}
                </Button>
              )}
              <Button type="primary" onClick={() => setSummarising(true)} data-testid="visit-plan-complete">
                {t('visits.plan.complete')}
              </Button>
            </Space>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: 'status',
              label: t('common.status'),
              children: (
                <Tag color={PLAN_STATUS_COLORS[plan.status]}>{t(`visits.status.${plan.status}`)}</Tag>
              ),
            },
            {
              key: 'owner',
              label: t('visits.plan.owner'),
              children: `${plan.ownerName} · ${plan.orgUnitName}`,
            },
            { key: 'route', label: t('visits.plan.route'), children: plan.route ?? '—' },
            {
              key: 'focus',
              label: t('visits.plan.focusProducts'),
              children: plan.focusProducts.length
                ? plan.focusProducts.map((p) => <Tag key={p}>{p}</Tag>)
                : '—',
            },
          ]}
        />
        <div style={{ marginTop: 12 }}>
          <PlanActuals plan={plan} />
        </div>
        {plan.summary && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('visits.plan.summary')}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {plan.summary}
            </Typography.Paragraph>
          </div>
        )}
      </Card>
      {plan.stops.length === 0 && <Empty description={t('visits.plan.noStops')} />}
      <Flex vertical gap={8}>
        {plan.stops.map((s) => (
          <Card key={s.id} size="small" data-testid="visit-stop">
            <Flex justify="space-between" align="flex-start" gap={8} wrap>
              <div style={{ minWidth: 0, flex: 1 }}>
                <Space wrap size={4}>
                  <Typography.Text strong>
                    {s.position}. <Link to={`/customers/${s.customerId}`}>{s.customerName}</Link>
                  </Typography.Text>
                  {s.plannedTime && <Tag>{s.plannedTime}</Tag>}
                  <StopState stop={s} />
                </Space>
                <div>{s.purpose}</div>
                {s.checkInAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('visits.stop.checkInAt')}: {formatTime(s.checkInAt)}
                    {s.latitude !== null
                      ? ` · ${s.latitude.toFixed(5)}, ${s.longitude?.toFixed(5)} (±${Math.round(s.accuracy ?? 0)} m)`
                      : ` · ${t('visits.stop.noLocation')}`}
                    {s.orderTaken && ` · ${formatYuan(s.orderVolume, i18n.language)}`}
                  </Typography.Text>
                )}
                {s.checklist && <ChecklistSummary stop={s} />}
              </div>
              {mine && <StopActions plan={plan} stop={s} />}
            </Flex>
          </Card>
        ))}
      </Flex>
      {editing && (
        <Drawer
          open
          onClose={() => setEditing(false)}
          title={t('common.edit')}
          size="min(640px, 100vw)"
          destroyOnHidden
        >
          <PlanEditor plan={plan} onSaved={() => setEditing(false)} />
        </Drawer>
      )}
      {summarising && <SummaryModal plan={plan} onClose={() => setSummarising(false)} />}
    </>
  );
}

function ChecklistSummary({ stop }: { stop: VisitPlan['stops'][number] }) {
  const { t } = useTranslation();
  const c = stop.checklist;
  if (!c) return null;
  const yesNo = (ok: boolean) => (ok ? '✓' : '✗');
  return (
    <div style={{ fontSize: 12, marginTop: 4 }}>
      {c.stock && (
        <div>
          {t('visits.checklist.ours')}:{' '}
          {c.stock.ours.map((o) => `${o.item} ×${o.quantity}`).join(t('common.listSeparator')) || '—'}
          {c.stock.competitors.length > 0 &&
            ` · ${t('visits.checklist.competitors')}: ${c.stock.competitors.map((o) => o.item).join(t('common.listSeparator'))}`}
        </div>
      )}
      {c.shelfCheck && (
        <div>
          {t('visits.checklist.positionOk')} {yesNo(c.shelfCheck.positionOk)} ·{' '}
          {t('visits.checklist.stockOnShelf')} {yesNo(c.shelfCheck.stockOnShelf)} ·{' '}
          {t('visits.checklist.priceTagsOk')} {yesNo(c.shelfCheck.priceTagsOk)}
        </div>
      )}
      {c.notes && <div>{c.notes}</div>}
    </div>
  );
}

/** 当天拜访工作总结: writing it closes the day's plan. */
export function SummaryModal({ plan, onClose }: { plan: VisitPlan; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshVisits();
  const [form] = Form.useForm<{ summary: string }>();
  const [saving, setSaving] = useState(false);
  async function save({ summary }: { summary: string }) {
    setSaving(true);
    try {
      await api.post(`/visit-plans/${plan.id}/complete`, { summary, version: plan.version });
      void message.success(t('visits.plan.completed'));
      refresh();
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      title={t('visits.plan.complete')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'summary-save' }}
      destroyOnHidden
    >
      <PlanActuals plan={plan} />
      <Form form={form} layout="vertical" onFinish={save} style={{ marginTop: 12 }}>
        <Form.Item
          name="summary"
          label={t('visits.plan.summary')}
          rules={[rules.required()]}
          extra={t('visits.plan.summaryHint')}
        >
          <Input.TextArea
            autoSize={{ minRows: 4, maxRows: 10 }}
            maxLength={5000}
            data-testid="summary-text"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The plan form: a new plan (day from ?day=, tomorrow by default) or changes to mine. */
function PlanEditor({ plan, onSaved }: { plan?: VisitPlan; onSaved?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const refresh = useRefreshVisits();
  const [params] = useSearchParams();
  const [form] = Form.useForm<PlanFormValues>();
  const [saving, setSaving] = useState(false);
  const initialDay = params.get('day');

  async function save(v: PlanFormValues) {
    setSaving(true);
    const body = {
      route: v.route || null,
      ...(v.goalVisits != null ? { goalVisits: v.goalVisits } : {}),
      ...(v.goalDeals != null ? { goalDeals: v.goalDeals } : {}),
      ...(v.goalVolumeYuan != null ? { goalVolume: Math.round(v.goalVolumeYuan * 100) } : {}),
      focusProducts: v.focusProducts ?? [],
      stops: (v.stops ?? []).map((s) => ({
        ...(s.id ? { id: s.id } : {}),
        customerId: s.customerId,
        purpose: s.purpose,
        plannedTime: s.plannedTime ? s.plannedTime.format('HH:mm') : null,
      })),
    };
    try {
      if (plan) {
        await api.patch(`/visit-plans/${plan.id}`, { ...body, version: plan.version });
        refresh();
        onSaved?.();
      } else {
        const created = await api.post<VisitPlan>('/visit-plans', {
          ...body,
          day: v.day.format('YYYY-MM-DD'),
        });
        refresh();
        navigate(`/visit-plans/${created.id}`, { replace: true });
      }
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  const editor = (
    <Form
      form={form}
      layout="vertical"
      onFinish={save}
      requiredMark={false}
      style={{ maxWidth: 720 }}
      initialValues={
        plan
          ? {
              day: dayjs(plan.day),
              route: plan.route ?? undefined,
              goalVisits: plan.goalVisits,
              goalDeals: plan.goalDeals,
              goalVolumeYuan: plan.goalVolume / 100,
              focusProducts: plan.focusProducts,
              stops: plan.stops.map((s) => ({
                id: s.id,
                customerId: s.customerId,
                customerName: s.customerName,
                purpose: s.purpose,
                plannedTime: s.plannedTime ? dayjs(s.plannedTime, 'HH:mm') : null,
              })),
            }
          : { day: initialDay ? dayjs(initialDay) : dayjs().add(1, 'day'), stops: [] }
      }
    >
      <Form.Item name="day" label={t('visits.plan.day')} rules={[rules.required()]}>
        <DatePicker disabled={!!plan} inputReadOnly allowClear={false} data-testid="visit-plan-day" />
      </Form.Item>
      <Form.Item name="route" label={t('visits.plan.route')}>
        <Input
          maxLength={500}
          placeholder={t('visits.plan.routePlaceholder')}
          data-testid="visit-plan-route"
        />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item
          name="goalVisits"
          label={t('visits.plan.goalVisits')}
          extra={t('visits.plan.goalVisitsHint')}
        >
          <InputNumber
            min={0}
            max={1000}
            precision={0}
            inputMode="numeric"
            data-testid="visit-plan-goal-visits"
          />
        </Form.Item>
        <Form.Item name="goalDeals" label={t('visits.plan.goalDeals')}>
          <InputNumber
            min={0}
            max={1000}
            precision={0}
            inputMode="numeric"
            data-testid="visit-plan-goal-deals"
          />
        </Form.Item>
        <Form.Item name="goalVolumeYuan" label={t('visits.plan.goalVolumeYuan')}>
          <InputNumber
            min={0}
            precision={2}
            inputMode="decimal"
            style={{ width: 160 }}
            data-testid="visit-plan-goal-volume"
          />
        </Form.Item>
      </Flex>
      <Form.Item name="focusProducts" label={t('visits.plan.focusProducts')}>
        <Select
          mode="tags"
          maxCount={20}
          placeholder={t('visits.plan.focusProductsPlaceholder')}
          data-testid="visit-plan-focus"
        />
      </Form.Item>
      <Typography.Title level={5}>{t('visits.plan.stops')}</Typography.Title>
      <Form.List name="stops">
        {(fields, { add, remove, move }) => (
          <Flex vertical gap={8}>
            {fields.map((f, i) => (
              <Card key={f.key} size="small" data-testid="visit-plan-stop-row">
                <Form.Item name={[f.name, 'id']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'customerId']}
                  label={`${i + 1}. ${t('visits.plan.customer')}`}
                  rules={[rules.required()]}
                  style={{ marginBottom: 8 }}
                >
                  <CustomerPicker
                    initialLabel={form.getFieldValue(['stops', f.name, 'customerName'])}
                    testId="visit-plan-stop-customer"
                  />
                </Form.Item>
                <Flex gap={8}>
                  <Form.Item
                    name={[f.name, 'purpose']}
                    rules={[rules.required()]}
                    style={{ flex: 1, marginBottom: 0 }}
                  >
                    <Input
                      maxLength={200}
                      placeholder={t('visits.plan.purpose')}
                      data-testid="visit-plan-stop-purpose"
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'plannedTime']} style={{ marginBottom: 0 }}>
                    <TimePicker
                      format="HH:mm"
                      minuteStep={5}
                      inputReadOnly
                      placeholder={t('visits.plan.plannedTime')}
                    />
                  </Form.Item>
                </Flex>
                <Space size={0} style={{ marginTop: 4 }}>
                  <Button type="link" size="small" disabled={i === 0} onClick={() => move(i, i - 1)}>
                    ↑
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    disabled={i === fields.length - 1}
                    onClick={() => move(i, i + 1)}
                  >
                    ↓
                  </Button>
                  <Button type="link" size="small" danger onClick={() => remove(f.name)}>
                    {t('common.delete')}
                  </Button>
                </Space>
              </Card>
            ))}
            <Button
              onClick={() => add({ purpose: t('visits.plan.defaultPurpose') })}
              block
              data-testid="visit-plan-add-stop"
            >
              {t('visits.plan.addStop')}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Button
        type="primary"
        htmlType="submit"
        loading={saving}
        size="large"
        block
        style={{ marginTop: 16 }}
        data-testid="visit-plan-save"
      >
        {t('common.save')}
      </Button>
    </Form>
  );
  if (plan) return editor;
  return (
    <>
      <PageHeader title={t('visits.plan.titleNew')} hint={t('visits.plan.hintNew')} />
      {editor}
    </>
  );
}
