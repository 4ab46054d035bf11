import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer, DuplicateCandidate } from '../../../contracts/index.js';
import { creditCode as creditCodeSchema, phoneNumber } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import i18n from '../../app/i18n.js';
import { rules } from '../../app/rules.js';
import { CustomFieldItems, customFieldsBody } from '../platform/CustomFields.js';

export const GRADES = ['A', 'B', 'C'] as const;
export const LIFECYCLES = ['prospect', 'active', 'dormant', 'lost'] as const;
export const GRADE_COLORS: Record<string, string> = { A: 'red', B: 'orange', C: 'blue' };

interface Division {
  code: string;
  name: string;
}

function useDivisions(parent?: string | null, enabled = true) {
  return useQuery({
    queryKey: ['divisions', parent ?? ''],
    queryFn: () => api.get<{ items: Division[] }>('/divisions', { parent: parent ?? undefined }),
    enabled,
    staleTime: Infinity,
  });
}

/** The name of a province or city code, from the cached division lists. */
export function useDivisionName(province?: string | null, city?: string | null) {
  const provinces = useDivisions(undefined, !!province);
  const cities = useDivisions(province, !!province && !!city);
  const p = provinces.data?.items.find((d) => d.code === province)?.name;
  const c = cities.data?.items.find((d) => d.code === city)?.name;
  return [p, c].filter(Boolean).join(' / ');
}

export function ProvinceSelect(props: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const list = useDivisions();
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('customer.province')}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      options={(list.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))}
      data-testid={props.testId}
    />
  );
}

export function CitySelect(props: {
  province?: string | null;
  value?: string | null;
  onChange?: (v: string | null) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const list = useDivisions(props.province, !!props.province);
  return (
    <Select
      allowClear
      disabled={!props.province}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('customer.city')}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      options={(list.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))}
      data-testid={props.testId}
    />
  );
}

const schemaRule = (schema: { safeParse(v: unknown): { success: boolean } }, key: string) => ({
  validator: (_: unknown, value: unknown) =>
    value === undefined || value === null || value === '' || schema.safeParse(value).success
      ? Promise.resolve()
      : Promise.reject(new Error(i18n.t(key))),
});

/** The probable duplicates of what is being typed: who has it, and why it looks the same. */
export function DuplicateList({ items }: { items: DuplicateCandidate[] }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      dataSource={items}
      data-testid="customer-duplicates"
      renderItem={(c) => (
        <List.Item>
          <Space wrap>
            {c.visible ? (
              <Link to={`/customers/${c.id}`}>{c.name}</Link>
            ) : (
              <Typography.Text>{c.name}</Typography.Text>
            )}
            <Typography.Text type="secondary">
              {c.ownerName ? t('customer.ownedBy', { name: c.ownerName }) : t('customer.inPool')}
            </Typography.Text>
            {c.reasons.map((r) => (
              <Tag key={r} color={r === 'credit_code' ? 'red' : 'orange'}>
                {t(`customer.reasons.${r}`)}
              </Tag>
            ))}
          </Space>
        </List.Item>
      )}
    />
  );
}

interface FormValues {
  kind: 'company' | 'individual';
  name: string;
  shortName?: string | null;
  creditCode?: string | null;
  industry?: string | null;
  size?: string | null;
  provinceCode?: string | null;
  cityCode?: string | null;
  address?: string | null;
  phone?: string | null;
  website?: string | null;
  tags?: string[];
  grade?: 'A' | 'B' | 'C' | null;
  lifecycle?: (typeof LIFECYCLES)[number];
  /** Shown in yuan; sent in fen. */
  creditLimitYuan?: number | null;
  creditRating?: string | null;
  source?: string | null;
  customFields?: Record<string, unknown>;
}

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

/**
 * Creates or edits a customer. While the name, phone or credit code is typed, probable
 * duplicates are looked up (debounced) and listed; a save the server answers with
 * "possible duplicate" lists them again and offers to save anyway.
 */
export function CustomerForm({
  open,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  customer?: Customer | null;
  onClose: () => void;
  onSaved: (c: Customer) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const name = Form.useWatch('name', form);
  const phone = Form.useWatch('phone', form);
  const code = Form.useWatch('creditCode', form);
  const province = Form.useWatch('provinceCode', form);
  const [probe, setProbe] = useState({ name: '', phone: '', creditCode: '' });

  useEffect(() => {
    const handle = setTimeout(
      () =>
        setProbe({ name: (name ?? '').trim(), phone: (phone ?? '').trim(), creditCode: (code ?? '').trim() }),
      400,
    );
    return () => clearTimeout(handle);
  }, [name, phone, code]);

  useEffect(() => {
    if (!open) return;
    setConfirming(false);
    form.resetFields();
    if (customer) {
      form.setFieldsValue({
        ...customer,
        creditLimitYuan: customer.creditLimit === null ? null : customer.creditLimit / 100,
      });
    } else {
      form.setFieldsValue({ kind: 'company', lifecycle: 'prospect', tags: [] });
    }
  }, [open, customer, form]);

  const probing =
    open && (probe.name.length >= 2 || probe.phone.length >= 7 || probe.creditCode.length >= 18);
  const duplicates = useQuery({
    queryKey: ['customer-duplicates', probe, customer?.id],
    queryFn: () =>
      api.get<{ items: DuplicateCandidate[] }>('/customers/duplicates', {
        name: probe.name || undefined,
        phone: probe.phone || undefined,
        creditCode: probe.creditCode || undefined,
        excludeId: customer?.id,
      }),
    enabled: probing,
  });
  const candidates = probing ? (duplicates.data?.items ?? []) : [];

  async function save(confirmDuplicate = false) {
    const values = await form.validateFields();
    const { creditLimitYuan, customFields, ...rest } = values;
    const body = Object.fromEntries(
      Object.entries({
        ...rest,
        customFields: customFieldsBody(customFields),
        creditLimit:
          creditLimitYuan === null || creditLimitYuan === undefined
            ? null
            : Math.round(creditLimitYuan * 100),
      }).map(([k, v]) => [
        k,
        k === 'tags' || k === 'kind' || k === 'lifecycle' || k === 'name' || k === 'customFields'
          ? v
          : blankToNull(v),
      ]),
    );
    setSaving(true);
    try {
      const saved = customer
        ? await api.patch<Customer>(`/customers/${customer.id}`, { ...body, version: customer.version })
        : await api.post<Customer>('/customers', {
            ...body,
            ...(confirmDuplicate ? { confirmDuplicate: true } : {}),
          });
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'possible_duplicate') {
        setConfirming(true);
        // Show the candidates of what was saved, even if the debounced lookup has not run yet.
        setProbe({
          name: values.name.trim(),
          phone: (values.phone ?? '').trim(),
          creditCode: (values.creditCode ?? '').trim(),
        });
      } else {
        showError(err, message, form);
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      title={customer ? t('customer.edit') : t('customer.new')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('customer.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="customer-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {candidates.length > 0 && (
        <Alert
          type={confirming ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            confirming
              ? t('customer.duplicateOnSave')
              : t('customer.duplicatesFound', { count: candidates.length })
          }
          description={
            <>
              <DuplicateList items={candidates} />
              {confirming && !customer && !candidates.some((c) => c.reasons.includes('credit_code')) && (
                <Button
                  danger
                  loading={saving}
                  onClick={() => void save(true)}
                  data-testid="customer-confirm-duplicate"
                >
                  {t('customer.saveAnyway')}
                </Button>
              )}
            </>
          }
        />
      )}
      <Form form={form} layout="vertical" requiredMark>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="kind" label={t('customer.kind')}>
              <Select
                options={['company', 'individual'].map((k) => ({
                  value: k,
                  label: t(`customer.kinds.${k}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="name" label={t('customer.name')} rules={[rules.required()]}>
              <Input maxLength={200} autoFocus data-testid="customer-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="shortName" label={t('customer.shortName')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="creditCode"
              label={t('customer.creditCode')}
              rules={[schemaRule(creditCodeSchema, 'customer.invalidCreditCode')]}
            >
              <Input maxLength={20} data-testid="customer-credit-code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="phone"
              label={t('customer.phone')}
              rules={[schemaRule(phoneNumber, 'customer.invalidPhone')]}
            >
              <Input maxLength={20} data-testid="customer-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="website" label={t('customer.website')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="provinceCode" label={t('customer.province')}>
              <ProvinceSelect
                testId="customer-province"
                onChange={() => form.setFieldValue('cityCode', null)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cityCode" label={t('customer.city')}>
              <CitySelect province={province} testId="customer-city" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('customer.address')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="industry" label={t('customer.industry')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="size" label={t('customer.size')}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="grade" label={t('customer.grade')}>
              <Select
                allowClear
                options={GRADES.map((g) => ({ value: g, label: g }))}
                data-testid="customer-grade"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="lifecycle" label={t('customer.lifecycle')}>
              <Select options={LIFECYCLES.map((l) => ({ value: l, label: t(`customer.lifecycles.${l}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="creditLimitYuan" label={t('customer.creditLimitYuan')}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="creditRating" label={t('customer.creditRating')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="source" label={t('customer.source')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tags" label={t('customer.tags')}>
              <Select mode="tags" maxCount={30} />
            </Form.Item>
          </Col>
          <CustomFieldItems entity="customer" />
        </Row>
      </Form>
    </Drawer>
  );
}
