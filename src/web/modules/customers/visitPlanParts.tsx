import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  Customer,
  VisitChecklistValue,
  VisitPlan,
  VisitPlanStatusValue,
  VisitPlanStop,
  VisitPlanSummary,
} from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';

// Pieces shared by the visit plan, "my day" and calendar pages.

export const PLAN_STATUS_COLORS: Record<VisitPlanStatusValue, string> = {
  draft: 'default',
  submitted: 'blue',
  done: 'green',
};

export const formatYuan = (fen: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 }).format(
    fen / 100,
  );

/** Everything that shows a plan reloads after a change to one. */
export function useRefreshVisits() {
  const client = useQueryClient();
  return () => {
    for (const key of ['visit-plans', 'my-day', 'calendar', 'activities', 'due-follow-ups', 'customers'])
      void client.invalidateQueries({ queryKey: [key] });
  };
}

/** A customer the user can see, searched by name, pinyin or phone as they type. */
export function CustomerPicker({
  value,
  onChange,
  initialLabel,
  testId,
  autoFocus,
}: {
  value?: string;
  onChange?: (id: string, name: string) => void;
  initialLabel?: string | undefined;
  testId?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['customers', 'picker', q],
    queryFn: () => api.get<Page<Customer>>('/customers', { q: q || undefined, limit: 20 }),
    staleTime: 30_000,
  });
  const options = (found.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (value && initialLabel && !options.some((o) => o.value === value))
    options.unshift({ value, label: initialLabel });
  return (
    <Select
      value={value}
      options={options}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.isFetching}
      placeholder={t('visits.plan.pickCustomer')}
      onChange={(id: string, option) => onChange?.(id, (option as { label: string }).label)}
      style={{ width: '100%' }}
      autoFocus={autoFocus}
      data-testid={testId}
    />
  );
}

/** The browser's position if it gives one within a few seconds; check-in goes ahead without it. */
export function currentPosition(): Promise<
  { latitude: number; longitude: number; accuracy: number } | undefined
> {
  return new Promise((resolve) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      resolve(undefined);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          latitude: p.coords.latitude,
          longitude: p.coords.longitude,
          accuracy: Math.min(p.coords.accuracy, 100_000),
        }),
      () => resolve(undefined),
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60_000 },
    );
  });
}

/** Check-in / check-out buttons of one stop, with the check-out drawer. Big enough for a thumb. */
export function StopActions({
  plan,
  stop,
  block,
}: {
  plan: VisitPlan;
  stop: VisitPlanStop;
  block?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshVisits();
  const [busy, setBusy] = useState(false);
  const [checkingOut, setCheckingOut] = useState(false);
  if (plan.status === 'done') return null;

  async function checkIn() {
    setBusy(true);
    try {
      const position = await currentPosition();
      await api.post(`/visit-plans/${plan.id}/stops/${stop.id}/check-in`, position ?? {});
      void message.success(position ? t('visits.stop.checkedInHere') : t('visits.stop.checkedInNoLocation'));
      refresh();
    } catch (err) {
      showError(err, message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {!stop.checkInAt ? (
        <Button
          type="primary"
          size="large"
          block={block}
          loading={busy}
          onClick={checkIn}
          data-testid="stop-check-in"
        >
          {busy ? t('visits.stop.locating') : t('visits.stop.checkIn')}
        </Button>
      ) : (
        <Button
          type={stop.checkOutAt ? 'default' : 'primary'}
          size="large"
          block={block}
          onClick={() => setCheckingOut(true)}
          data-testid="stop-check-out"
        >
          {stop.checkOutAt ? t('visits.stop.correct') : t('visits.stop.checkOut')}
        </Button>
      )}
      {checkingOut && (
        <CheckOutDrawer
          plan={plan}
          stop={stop}
          onClose={() => setCheckingOut(false)}
          onSaved={() => {
            setCheckingOut(false);
            refresh();
          }}
        />
      )}
    </>
  );
}

interface CheckOutValues {
  doStock: boolean;
  ours: { item: string; quantity: number }[];
  competitors: { item: string; quantity?: number | null; priceYuan?: number | null }[];
  safe?: boolean;
  doDisplay: boolean;
  display: string[];
  notes?: string;
  outcome?: string;
  orderTaken: boolean;
  orderVolumeYuan?: number | null;
  nextStep?: string;
  nextStepAt?: Dayjs | null;
}

const DISPLAY_CHECKS = ['positionOk', 'stockOnShelf', 'priceTagsOk'] as const;

/**
 * Check-out (seed 002: 库存检查 and 理货): the stock and display checks are switched on only when
 * done, so a quick visit is one tap on "save".
 */
function CheckOutDrawer({
  plan,
  stop,
  onClose,
  onSaved,
}: {
  plan: VisitPlan;
  stop: VisitPlanStop;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CheckOutValues>();
  const [saving, setSaving] = useState(false);
  const doStock = Form.useWatch('doStock', form);
  const doDisplay = Form.useWatch('doDisplay', form);
  const orderTaken = Form.useWatch('orderTaken', form);
  const prior = stop.checklist;

  async function save(v: CheckOutValues) {
    setSaving(true);
    const checklist: VisitChecklistValue = {
      ...(v.doStock
        ? {
            stock: {
              ours: (v.ours ?? []).filter((o) => o?.item),
              competitors: (v.competitors ?? [])
                .filter((c) => c?.item)
                .map((c) => ({
                  item: c.item,
                  ...(c.quantity != null ? { quantity: c.quantity } : {}),
                  ...(c.priceYuan != null ? { price: Math.round(c.priceYuan * 100) } : {}),
                })),
              ...(v.safe !== undefined ? { safe: v.safe } : {}),
            },
          }
        : {}),
      ...(v.doDisplay
        ? {
            shelfCheck: {
              positionOk: v.display.includes('positionOk'),
              stockOnShelf: v.display.includes('stockOnShelf'),
              priceTagsOk: v.display.includes('priceTagsOk'),
            },
          }
        : {}),
      ...(v.notes ? { notes: v.notes } : {}),
    };
    try {
      await api.post(`/visit-plans/${plan.id}/stops/${stop.id}/check-out`, {
        checklist,
        outcome: v.outcome || undefined,
        orderTaken: v.orderTaken,
        orderVolume: v.orderTaken && v.orderVolumeYuan ? Math.round(v.orderVolumeYuan * 100) : undefined,
        nextStep: v.nextStep || undefined,
        nextStepAt: v.nextStepAt ? v.nextStepAt.toISOString() : undefined,
      });
      void message.success(t('visits.stop.checkedOut'));
      onSaved();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open
      onClose={onClose}
      title={t('visits.checklist.title', { name: stop.customerName })}
      size="min(520px, 100vw)"
      destroyOnHidden
      styles={{ body: { paddingTop: 12 } }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        requiredMark={false}
        initialValues={{
          doStock: !!prior?.stock,
          ours: prior?.stock?.ours ?? [],
          competitors: (prior?.stock?.competitors ?? []).map((c) => ({
            item: c.item,
            quantity: c.quantity ?? null,
            priceYuan: c.price !== undefined ? c.price / 100 : null,
          })),
          safe: prior?.stock?.safe,
          doDisplay: !!prior?.shelfCheck,
          display: DISPLAY_CHECKS.filter((k) => prior?.shelfCheck?.[k] ?? true),
          notes: prior?.notes,
          orderTaken: stop.orderTaken,
          orderVolumeYuan: stop.orderVolume ? stop.orderVolume / 100 : null,
        }}
      >
        <Form.Item name="orderTaken" valuePropName="checked" label={t('visits.checklist.orderTaken')}>
          <Switch data-testid="checkout-order-taken" />
        </Form.Item>
        {orderTaken && (
          <Form.Item name="orderVolumeYuan" label={t('visits.checklist.orderVolumeYuan')}>
            <InputNumber
              min={0}
              precision={2}
              inputMode="decimal"
              style={{ width: '100%' }}
              data-testid="checkout-order-volume"
            />
          </Form.Item>
        )}
        <Form.Item name="outcome" label={t('activities.outcome')}>
          <Input maxLength={500} data-testid="checkout-outcome" />
        </Form.Item>

        <Form.Item name="doStock" valuePropName="checked" label={t('visits.checklist.stock')}>
          <Switch data-testid="checkout-do-stock" />
        </Form.Item>
        {doStock && (
          <div style={{ marginBottom: 16 }}>
            <Typography.Text type="secondary">{t('visits.checklist.ours')}</Typography.Text>
            <ItemRows name="ours" withPrice={false} />
            <Typography.Text type="secondary">{t('visits.checklist.competitors')}</Typography.Text>
            <ItemRows name="competitors" withPrice />
            <Form.Item name="safe" label={t('visits.checklist.safe')} style={{ marginTop: 8 }}>
              <Select
                allowClear
                options={[
                  { value: true, label: t('common.yes') },
                  { value: false, label: t('common.no') },
                ]}
              />
            </Form.Item>
          </div>
        )}

        <Form.Item name="doDisplay" valuePropName="checked" label={t('visits.checklist.display')}>
          <Switch data-testid="checkout-do-display" />
        </Form.Item>
        {doDisplay && (
          <Form.Item name="display">
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
              {DISPLAY_CHECKS.map((k) => (
                <Checkbox key={k} value={k} data-testid={`checkout-${k}`}>
                  {t(`visits.checklist.${k}`)}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        )}

        <Form.Item name="notes" label={t('visits.checklist.notes')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={2000}
            data-testid="checkout-notes"
          />
        </Form.Item>
        <Space.Compact block style={{ marginBottom: 16 }}>
          <Form.Item name="nextStep" noStyle>
            <Input maxLength={500} placeholder={t('activities.nextStep')} />
          </Form.Item>
          <Form.Item name="nextStepAt" noStyle>
            <DatePicker placeholder={t('activities.nextStepAt')} style={{ width: 150 }} inputReadOnly />
          </Form.Item>
        </Space.Compact>
        <Button
          type="primary"
          htmlType="submit"
          size="large"
          block
          loading={saving}
          data-testid="checkout-save"
        >
          {t('visits.stop.checkOut')}
        </Button>
      </Form>
    </Drawer>
  );
}

function ItemRows({ name, withPrice }: { name: 'ours' | 'competitors'; withPrice: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div style={{ margin: '4px 0 8px' }}>
          {fields.map((f) => (
            <Flex key={f.key} gap={4} style={{ marginBottom: 4 }}>
              <Form.Item name={[f.name, 'item']} noStyle rules={[{ required: true, message: '' }]}>
                <Input placeholder={t('visits.checklist.item')} maxLength={100} style={{ flex: 2 }} />
              </Form.Item>
              <Form.Item name={[f.name, 'quantity']} noStyle>
                <InputNumber
                  min={0}
                  precision={0}
                  inputMode="numeric"
                  placeholder={t('visits.checklist.quantity')}
                  style={{ flex: 1 }}
                />
              </Form.Item>
              {withPrice && (
                <Form.Item name={[f.name, 'priceYuan']} noStyle>
                  <InputNumber
                    min={0}
                    precision={2}
                    inputMode="decimal"
                    placeholder={t('visits.checklist.priceYuan')}
                    style={{ flex: 1 }}
                  />
                </Form.Item>
              )}
              <Button type="text" onClick={() => remove(f.name)} aria-label={t('common.delete')}>
                ×
              </Button>
            </Flex>
          ))}
          <Button
            size="small"
            onClick={() => add(withPrice ? { item: '' } : { item: '', quantity: 0 })}
            data-testid={`checkout-add-${name}`}
          >
            {t('visits.checklist.addItem')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** Goals beside what the day produced: visits, deals (orders taken), volume. */
export function PlanActuals({ plan }: { plan: VisitPlan | VisitPlanSummary }) {
  const { t, i18n } = useTranslation();
  const a = plan.actuals;
  const cell = (label: string, actual: string, goal: string, reached: boolean) => (
    <div style={{ minWidth: 96 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <div style={{ fontSize: 18 }}>
        <Typography.Text strong type={reached ? 'success' : undefined}>
          {actual}
        </Typography.Text>
        <Typography.Text type="secondary"> / {goal}</Typography.Text>
      </div>
    </div>
  );
  return (
    <Flex gap={16} wrap data-testid="plan-actuals">
      {cell(t('visits.plan.visits'), String(a.visits), String(plan.goalVisits), a.visits >= plan.goalVisits)}
      {cell(t('visits.plan.deals'), String(a.deals), String(plan.goalDeals), a.deals >= plan.goalDeals)}
      {cell(
        t('visits.plan.volume'),
        formatYuan(a.volume, i18n.language),
        formatYuan(plan.goalVolume, i18n.language),
        plan.goalVolume > 0 && a.volume >= plan.goalVolume,
      )}
    </Flex>
  );
}

export function StopState({ stop }: { stop: VisitPlanStop }) {
  const { t } = useTranslation();
  if (stop.checkOutAt)
    return (
      <Tag color="green">{stop.orderTaken ? t('visits.stop.orderTaken') : t('visits.stop.visited')}</Tag>
    );
  if (stop.checkInAt) return <Tag color="processing">{t('visits.stop.checkedIn')}</Tag>;
  return <Tag>{t('visits.stop.notVisited')}</Tag>;
}
