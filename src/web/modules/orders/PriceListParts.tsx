import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Steps,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, PriceExplanationStep, PriceList, PriceResolution } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { useOrgUnits } from '../org/orgData.js';
import { UnitTreeSelect } from '../org/UnitTreeSelect.js';
import { yuan } from './ProductForm.js';
import { ProductSelect } from './StockForms.js';

// Shared parts of the price-list pages: the list header form, the conditions summary and the
// "what price would this customer get" tester with its localised explanation.

export const PRICE_CHANNELS = ['direct', 'store', 'online', 'partner'] as const;
export const PRICE_ROUNDINGS = ['none', 'yuan', 'eight_nine'] as const;

/** "渠道：门店 · 等级：A" — the conditions of a list, or "all customers". */
export function ConditionTags({ list }: { list: PriceList }) {
  const { t } = useTranslation();
  const tags: string[] = [];
  if (list.channel) tags.push(`${t('pricing.channel')}: ${t(`pricing.channels.${list.channel}`)}`);
  if (list.regionName) tags.push(`${t('pricing.region')}: ${list.regionName}`);
  if (list.customerGrade) tags.push(`${t('pricing.grade')}: ${list.customerGrade}`);
  if (list.partnerTier) tags.push(`${t('pricing.partnerTier')}: ${list.partnerTier}`);
  if (list.customerName) tags.push(`${t('pricing.customer')}: ${list.customerName}`);
  if (!tags.length) return <Typography.Text type="secondary">{t('pricing.anyone')}</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {tags.map((s) => (
        <Tag key={s}>{s}</Tag>
      ))}
    </Space>
  );
}

export function DateRange({ list }: { list: Pick<PriceList, 'effectiveFrom' | 'effectiveTo'> }) {
  const { t } = useTranslation();
  if (!list.effectiveFrom && !list.effectiveTo) return <>{t('pricing.always')}</>;
  return <>{`${list.effectiveFrom ?? '…'} ~ ${list.effectiveTo ?? '…'}`}</>;
}

/** A customer found by name as one types (only customers the user may see). */
export function CustomerPick({
  value,
  onChange,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  async function search(q: string) {
    const res = await api.get<Page<Customer>>('/customers', { q: q || undefined, limit: 20 });
    setOptions(res.items.map((c) => ({ value: c.id, label: `${c.name}${c.grade ? ` (${c.grade})` : ''}` })));
  }
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      onFocus={() => void search('')}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      placeholder={t('pricing.pickCustomer')}
      data-testid="price-customer"
    />
  );
}

interface ListFormValues {
  code?: string;
  name: string;
  priority: number;
  dates?: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null;
  channel?: string | null;
  regionId?: string | null;
  customerGrade?: string | null;
  partnerTier?: string | null;
  customerId?: string | null;
  rounding: string;
  roundingMaxPercent: number;
  roundingMaxRaiseYuan: number;
}

/** Create a list, or edit its header: conditions, dates, priority and rounding. */
export function PriceListForm({
  list,
  onClose,
  onSaved,
}: {
  list: PriceList | 'new';
  onClose: () => void;
  onSaved: (saved: PriceList) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ListFormValues>();
  const [saving, setSaving] = useState(false);
  const units = useOrgUnits();
  const rounding = Form.useWatch('rounding', form);
  const isNew = list === 'new';
  const initial: ListFormValues = isNew
    ? { name: '', priority: 0, rounding: 'none', roundingMaxPercent: 1, roundingMaxRaiseYuan: 100 }
    : {
        name: list.name,
        priority: list.priority,
        dates:
          list.effectiveFrom || list.effectiveTo
            ? [
                list.effectiveFrom ? dayjs(list.effectiveFrom) : null,
                list.effectiveTo ? dayjs(list.effectiveTo) : null,
              ]
            : null,
        channel: list.channel,
        regionId: list.regionId,
        customerGrade: list.customerGrade,
        partnerTier: list.partnerTier,
        customerId: list.customerId,
        rounding: list.rounding,
        roundingMaxPercent: Number(list.roundingMaxPercent),
        roundingMaxRaiseYuan: list.roundingMaxRaise / 100,
      };

  async function save(values: ListFormValues) {
    setSaving(true);
    const body = {
      name: values.name,
      priority: values.priority ?? 0,
      effectiveFrom: values.dates?.[0]?.format('YYYY-MM-DD') ?? null,
      effectiveTo: values.dates?.[1]?.format('YYYY-MM-DD') ?? null,
      channel: values.channel ?? null,
      regionId: values.regionId ?? null,
      customerGrade: values.customerGrade ?? null,
      partnerTier: values.partnerTier?.trim() ? values.partnerTier.trim() : null,
      customerId: values.customerId ?? null,
      rounding: values.rounding,
      roundingMaxPercent: String(values.roundingMaxPercent ?? 1),
      roundingMaxRaise: Math.round((values.roundingMaxRaiseYuan ?? 100) * 100),
    };
    try {
      const saved = isNew
        ? await api.post<PriceList>('/price-lists', { code: values.code, ...body })
        : await api.patch<PriceList>(`/price-lists/${list.id}`, { ...body, version: list.version });
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      width={720}
      title={isNew ? t('pricing.newList') : t('pricing.editList')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'price-list-save' } as never}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void save(v)}>
        <Row gutter={12}>
          {isNew && (
            <Col xs={24} sm={8}>
              <Form.Item
                name="code"
                label={t('pricing.code')}
                rules={[rules.required()]}
                extra={t('pricing.codeHint')}
              >
                <Input data-testid="price-list-code" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={isNew ? 10 : 18}>
            <Form.Item name="name" label={t('pricing.name')} rules={[rules.required()]}>
              <Input data-testid="price-list-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="priority" label={t('pricing.priority')} tooltip={t('pricing.priorityHint')}>
              <InputNumber
                min={-1000}
                max={1000}
                precision={0}
                style={{ width: '100%' }}
                data-testid="price-list-priority"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="dates" label={t('pricing.effective')} extra={t('pricing.effectiveHint')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
        <Typography.Title level={5}>{t('pricing.conditions')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('pricing.conditionsHint')}</Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="channel" label={t('pricing.channel')}>
              <Select
                allowClear
                placeholder={t('pricing.any')}
                options={PRICE_CHANNELS.map((c) => ({ value: c, label: t(`pricing.channels.${c}`) }))}
                data-testid="price-list-channel"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="regionId" label={t('pricing.region')}>
              <UnitTreeSelect allowClear placeholder={t('pricing.any')} units={units.data?.items ?? []} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="customerGrade" label={t('pricing.grade')}>
              <Select
                allowClear
                placeholder={t('pricing.any')}
                options={['A', 'B', 'C'].map((g) => ({ value: g, label: g }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="partnerTier"
              label={t('pricing.partnerTier')}
              extra={t('pricing.partnerTierHint')}
            >
              <Input placeholder="gold" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="customerId" label={t('pricing.customer')}>
              <CustomerPick />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('pricing.rounding')}</Typography.Title>
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="rounding">
              <Select
                options={PRICE_ROUNDINGS.map((r) => ({ value: r, label: t(`pricing.roundings.${r}`) }))}
                data-testid="price-list-rounding"
              />
            </Form.Item>
          </Col>
          {rounding === 'eight_nine' && (
            <>
              <Col xs={12} sm={7}>
                <Form.Item name="roundingMaxPercent" label={t('pricing.boundPercent')}>
                  <InputNumber min={0} max={99} step={0.5} addonAfter="%" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={7}>
                <Form.Item name="roundingMaxRaiseYuan" label={t('pricing.boundYuan')}>
                  <InputNumber min={0} precision={2} addonBefore="¥" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
        {rounding === 'eight_nine' && <Alert type="info" showIcon message={t('pricing.eightNineHint')} />}
      </Form>
    </Modal>
  );
}

/** One explanation step in the reader's language. */
function stepText(
  s: PriceExplanationStep,
  t: (k: string, o?: Record<string, unknown>) => string,
  money: (f: number) => string,
) {
  const list = s.list ? `${s.list.name} (${s.list.code})` : '';
  switch (s.step) {
    case 'list_skipped':
      return t('pricing.step.list_skipped', { list, reason: t(`pricing.skip.${s.reason}`) });
    case 'list_matched':
      return t('pricing.step.list_matched', { list, priority: s.priority });
    case 'list_lost': {
      const to = s.to && typeof s.to === 'object' ? `${s.to.name} (${s.to.code})` : '';
      return t('pricing.step.list_lost', { list, to, on: t(`pricing.tieBreak.${s.on}`) });
    }
    case 'rule':
      return t(s.target === 'product' ? 'pricing.step.rule_product' : 'pricing.step.rule_category');
    case 'tier':
      return s.minQuantity === '0'
        ? t('pricing.step.tier_base', { quantity: s.quantity })
        : t('pricing.step.tier', { quantity: s.quantity, min: s.minQuantity });
    case 'fixed_price':
      return t('pricing.step.fixed_price', { price: money(s.price ?? 0) });
    case 'percent_of_list':
      return t('pricing.step.percent_of_list', {
        percent: s.percent,
        listPrice: money(s.listPrice ?? 0),
        price: money(s.price ?? 0),
      });
    case 'catalog_price':
      return t('pricing.step.catalog_price', { listPrice: money(s.listPrice ?? 0) });
    case 'floor':
      return s.floor === null || s.floor === undefined
        ? t('pricing.step.no_floor')
        : t('pricing.step.floor', { floor: money(s.floor) });
    case 'rounding':
      return s.applied
        ? t('pricing.step.rounding', {
            mode: t(`pricing.roundings.${s.mode}`),
            from: money(s.from ?? 0),
            to: money(typeof s.to === 'number' ? s.to : 0),
          })
        : t('pricing.step.rounding_skipped', {
            mode: t(`pricing.roundings.${s.mode}`),
            bound: money(s.bound ?? 0),
          });
    default:
      return s.step;
  }
}

interface TesterValues {
  productId?: string;
  customerId?: string | null;
  channel: string;
  date?: dayjs.Dayjs | null;
  quantity: string;
  partnerTier?: string | null;
}

/** 价格测算: what price would this customer get, and why. */
export function PriceTester({ productId }: { productId?: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TesterValues>();
  const [result, setResult] = useState<PriceResolution>();
  const [busy, setBusy] = useState(false);
  const money = (f: number) => yuan(f, i18n.language);

  async function run(v: TesterValues) {
    setBusy(true);
    try {
      setResult(
        await api.post<PriceResolution>('/price-lists/resolve', {
          productId: v.productId,
          customerId: v.customerId ?? null,
          channel: v.channel,
          date: v.date ? v.date.format('YYYY-MM-DD') : undefined,
          quantity: String(v.quantity ?? '').trim(),
          partnerTier: v.partnerTier?.trim() ? v.partnerTier.trim() : null,
        }),
      );
    } catch (err) {
      setResult(undefined);
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="price-tester">
      <Form
        form={form}
        layout="vertical"
        initialValues={{ productId, channel: 'direct', quantity: '1', date: dayjs() }}
        onFinish={(v) => void run(v)}
      >
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="productId" label={t('pricing.product')} rules={[rules.required()]}>
              <ProductSelect testId="price-tester-product" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="customerId" label={t('pricing.customer')}>
              <CustomerPick />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="channel" label={t('pricing.channel')} rules={[rules.required()]}>
              <Select
                options={PRICE_CHANNELS.map((c) => ({ value: c, label: t(`pricing.channels.${c}`) }))}
                data-testid="price-tester-channel"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="quantity" label={t('pricing.quantity')} rules={[rules.required()]}>
              <Input data-testid="price-tester-quantity" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="date" label={t('pricing.date')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="partnerTier" label={t('pricing.partnerTier')}>
              <Input placeholder="gold" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} style={{ display: 'flex', alignItems: 'center' }}>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="price-tester-run">
              {t('pricing.test')}
            </Button>
          </Col>
        </Row>
      </Form>
      {result && (
        <>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2, md: 4 }}
            data-testid="price-tester-result"
          >
            <Descriptions.Item label={t('pricing.unitPrice')}>
              <Typography.Text strong data-testid="price-tester-unit-price">
                {money(result.unitPrice)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('pricing.listUsed')}>
              {result.priceList
                ? `${result.priceList.name} (${result.priceList.code})`
                : t('pricing.catalogListPrice')}
            </Descriptions.Item>
            <Descriptions.Item label={t('pricing.catalogListPrice')}>
              {money(result.listPrice)}
            </Descriptions.Item>
            <Descriptions.Item label={t('pricing.floor')}>
              {result.floor === null ? '—' : money(result.floor)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('pricing.why')}
          </Typography.Title>
          <Steps
            direction="vertical"
            size="small"
            current={result.explanation.length}
            items={result.explanation.map((s, i) => ({
              key: i,
              status: s.step === 'list_skipped' || s.step === 'list_lost' ? 'wait' : 'finish',
              title: stepText(s, t as never, money),
            }))}
            data-testid="price-tester-steps"
          />
        </>
      )}
    </div>
  );
}
