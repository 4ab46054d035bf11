import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, Customer, OpportunityDetail } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { CustomFieldItems, customFieldsBody } from '../platform/CustomFields.js';
import { localName, usePipelines } from './OpportunityParts.js';

interface Values {
  name: string;
  customerId?: string;
  contactIds?: string[];
  pipelineId?: string;
  amountYuan?: number | null;
  expectedCloseDate?: Dayjs | null;
  probability?: number | null;
  forecastCategory?: string | null;
  nextStep?: string;
  competitors?: { name: string; priceYuan?: number | null; strengths?: string; weaknesses?: string }[];
  customFields?: Record<string, unknown>;
}

const FORECASTS = ['pipeline', 'best_case', 'commit', 'closed'] as const;
const toFen = (y: number | null | undefined) =>
  y === null || y === undefined ? undefined : Math.round(y * 100);

function CustomerPicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  async function search(q: string) {
    const res = await api.get<Page<Customer>>('/customers', { q: q || undefined, limit: 20 });
    setOptions(res.items.map((c) => ({ value: c.id, label: c.name })));
  }
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      onFocus={() => void search('')}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('opportunities.pickCustomer')}
      data-testid="opportunity-customer"
    />
  );
}

/** Opens an opportunity (for a given customer or one picked here) or edits one. */
export function OpportunityForm({
  open,
  opportunity,
  customerId,
  onClose,
}: {
  open: boolean;
  opportunity?: OpportunityDetail | undefined;
  customerId?: string | undefined;
  onClose: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const pipelines = usePipelines();
  const picked = Form.useWatch('customerId', form);
  const forCustomer = opportunity?.customerId ?? customerId ?? picked;
  const contacts = useQuery({
    queryKey: ['customer-contacts', forCustomer],
    queryFn: () => api.get<{ items: Contact[] }>(`/customers/${forCustomer}/contacts`),
    enabled: !!forCustomer,
  });

  const initial: Partial<Values> = opportunity
    ? {
        name: opportunity.name,
        contactIds: opportunity.contactIds,
        amountYuan: opportunity.amount / 100,
        expectedCloseDate: opportunity.expectedCloseDate ? dayjs(opportunity.expectedCloseDate) : null,
        probability: opportunity.probabilityOverridden ? opportunity.probability : null,
        forecastCategory: opportunity.forecastOverridden ? opportunity.forecastCategory : null,
        nextStep: opportunity.nextStep ?? '',
        customFields: opportunity.customFields,
        competitors: opportunity.competitors.map((c) => ({
          name: c.name,
          priceYuan: c.price === null ? null : c.price / 100,
          strengths: c.strengths ?? '',
          weaknesses: c.weaknesses ?? '',
        })),
      }
    : { competitors: [] };

  async function submit(v: Values) {
    setSaving(true);
    const competitors = (v.competitors ?? []).map((c) => ({
      name: c.name,
      price: toFen(c.priceYuan) ?? null,
      strengths: c.strengths || undefined,
      weaknesses: c.weaknesses || undefined,
    }));
    const common = {
      name: v.name,
      contactIds: v.contactIds ?? [],
      amount: toFen(v.amountYuan) ?? 0,
      expectedCloseDate: v.expectedCloseDate ? v.expectedCloseDate.format('YYYY-MM-DD') : null,
      competitors,
      customFields: customFieldsBody(v.customFields),
    };
    try {
      if (opportunity) {
        await api.patch(`/opportunities/${opportunity.id}`, {
          ...common,
          probability: v.probability ?? null,
          forecastCategory: v.forecastCategory ?? null,
          nextStep: v.nextStep || null,
          version: opportunity.version,
        });
        onClose(opportunity.id);
      } else {
        const created = await api.post<OpportunityDetail>('/opportunities', {
          ...common,
          customerId: customerId ?? v.customerId,
          pipelineId: v.pipelineId,
          ...(v.probability !== null && v.probability !== undefined ? { probability: v.probability } : {}),
          ...(v.forecastCategory ? { forecastCategory: v.forecastCategory } : {}),
          ...(v.nextStep ? { nextStep: v.nextStep } : {}),
        });
        onClose(created.id);
      }
      form.resetFields();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      width={720}
      title={opportunity ? t('opportunities.edit') : t('opportunities.new')}
      onCancel={() => onClose(null)}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'opportunity-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} preserve={false}>
        <Form.Item name="name" label={t('opportunities.name')} rules={[rules.required()]}>
          <Input maxLength={200} data-testid="opportunity-name" />
        </Form.Item>
        {!opportunity && !customerId && (
          <Form.Item name="customerId" label={t('opportunities.customer')} rules={[rules.required()]}>
            <CustomerPicker />
          </Form.Item>
        )}
        {!opportunity && (
          <Form.Item name="pipelineId" label={t('opportunities.pipeline')}>
            <Select
              allowClear
              placeholder={t('opportunities.defaultPipeline')}
              options={(pipelines.data?.items ?? []).map((p) => ({ value: p.id, label: localName(p) }))}
            />
          </Form.Item>
        )}
        <Form.Item name="contactIds" label={t('opportunities.contacts')}>
          <Select
            mode="multiple"
            disabled={!forCustomer}
            options={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item
            name="amountYuan"
            label={t('opportunities.amountYuan')}
            extra={opportunity?.amountSource === 'lines' ? t('opportunities.amountFromLines') : undefined}
          >
            <InputNumber
              min={0}
              precision={2}
              style={{ width: 180 }}
              disabled={opportunity?.amountSource === 'lines'}
              data-testid="opportunity-amount"
            />
          </Form.Item>
          <Form.Item name="expectedCloseDate" label={t('opportunities.expectedCloseDate')}>
            <DatePicker />
          </Form.Item>
          <Form.Item
            name="probability"
            label={t('opportunities.probabilityOverride')}
            tooltip={t('opportunities.probabilityHint')}
          >
            <InputNumber min={0} max={100} suffix="%" style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="forecastCategory" label={t('opportunities.forecastCategory')}>
            <Select
              allowClear
              style={{ width: 160 }}
              placeholder={t('opportunities.forecastAuto')}
              options={FORECASTS.map((f) => ({ value: f, label: t(`opportunities.forecasts.${f}`) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="nextStep" label={t('opportunities.nextStep')}>
          <Input maxLength={500} />
        </Form.Item>
        <Row gutter={16}>
          <CustomFieldItems entity="opportunity" />
        </Row>
        <Form.List name="competitors">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'name']} rules={[rules.required()]}>
                    <Input placeholder={t('opportunities.competitorName')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'priceYuan']}>
                    <InputNumber min={0} precision={2} placeholder={t('opportunities.competitorPrice')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'strengths']}>
                    <Input placeholder={t('opportunities.strengths')} maxLength={1000} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'weaknesses']}>
                    <Input placeholder={t('opportunities.weaknesses')} maxLength={1000} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                {t('opportunities.addCompetitor')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
