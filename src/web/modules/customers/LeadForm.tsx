import { useQuery } from '@tanstack/react-query';
import { App, Col, Form, type FormInstance, Input, Modal, Row, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { CustomFieldItems, customFieldsBody } from '../platform/CustomFields.js';

interface Division {
  code: string;
  name: string;
}

export const INTENT_LEVELS = ['high', 'medium', 'low'] as const;

/** The configured lead sources, for selects; labels from the locale when known, else the key. */
export function useLeadSources() {
  const { t } = useTranslation();
  const sources = useQuery({
    queryKey: ['lead-sources'],
    queryFn: () => api.get<{ items: string[] }>('/lead-sources'),
    staleTime: 60_000,
  });
  return (sources.data?.items ?? []).map((s) => ({
    value: s,
    label: t(`leads.sources.${s}`, { defaultValue: s }),
  }));
}

const useDivisions = (parent?: string | null) =>
  useQuery({
    queryKey: ['divisions', parent ?? ''],
    queryFn: () => api.get<{ items: Division[] }>('/divisions', parent ? { parent } : {}),
    enabled: parent !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Province and city selects; the city list follows the province. */
export function PlaceFields({ form, prefix = '' }: { form: FormInstance; prefix?: string }) {
  const { t } = useTranslation();
  const province = Form.useWatch('provinceCode', form) as string | undefined;
  const provinces = useDivisions();
  const cities = useDivisions(province ?? null);
  return (
    <Row gutter={12}>
      <Col span={12}>
        <Form.Item name="provinceCode" label={t('leads.fields.province')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid={`${prefix}province`}
            options={(provinces.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))}
            onChange={() => form.setFieldValue('cityCode', undefined)}
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="cityCode" label={t('leads.fields.city')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            disabled={!province}
            data-testid={`${prefix}city`}
            options={(cities.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))}
          />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** Mobile and email: at least one (the server says so too; here the user learns it before sending). */
export function ContactFields({ form, prefix }: { form: FormInstance; prefix: string }) {
  const { t } = useTranslation();
  const either = {
    validator: () =>
      form.getFieldValue('mobile') || form.getFieldValue('email')
        ? Promise.resolve()
        : Promise.reject(new Error(t('leads.mobileOrEmail'))),
  };
  return (
    <Row gutter={12}>
      <Col span={12}>
        <Form.Item
          name="mobile"
          label={t('leads.fields.mobile')}
          rules={[rules.mobilePhone(), either]}
          dependencies={['email']}
        >
          <Input inputMode="tel" maxLength={11} data-testid={`${prefix}mobile`} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item
          name="email"
          label={t('leads.fields.email')}
          rules={[rules.email(), either]}
          dependencies={['mobile']}
        >
          <Input type="email" data-testid={`${prefix}email`} />
        </Form.Item>
      </Col>
    </Row>
  );
}

type Values = Partial<Record<keyof Lead, unknown>>;

/** Empty strings become null, so a cleared field is cleared on the server. */
export const cleaned = (v: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' || x === undefined ? null : x]));

/** Create or edit a lead (the full form). */
export function LeadFormModal({
  open,
  lead,
  onClose,
  onSaved,
}: {
  open: boolean;
  lead?: Lead | undefined;
  onClose: () => void;
  onSaved: (lead: Lead) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const sources = useLeadSources();

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (lead) form.setFieldsValue(lead);
    }
  }, [open, lead, form]);

  async function save() {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const { customFields, ...rest } = values;
      const body = {
        ...cleaned(rest),
        ...(customFields ? { customFields: customFieldsBody(customFields as Record<string, unknown>) } : {}),
      };
      const saved = lead
        ? await api.patch<Lead>(`/leads/${lead.id}`, { ...body, version: lead.version })
        : await api.post<Lead>('/leads', body);
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
      open={open}
      title={lead ? t('leads.edit') : t('leads.new')}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'lead-save' }}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="personName" label={t('leads.fields.personName')}>
              <Input maxLength={50} data-testid="lead-personName" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="title" label={t('leads.fields.title')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="companyName" label={t('leads.fields.companyName')}>
          <Input maxLength={200} data-testid="lead-companyName" />
        </Form.Item>
        <ContactFields form={form} prefix="lead-" />
        <Form.Item name="wechat" label={t('leads.fields.wechat')}>
          <Input maxLength={50} />
        </Form.Item>
        <PlaceFields form={form} prefix="lead-" />
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="source" label={t('leads.fields.source')}>
              <Select allowClear options={sources} data-testid="lead-source" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="awarenessChannel" label={t('leads.fields.awarenessChannel')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="intentLevel" label={t('leads.fields.intentLevel')}>
              <Select
                allowClear
                options={INTENT_LEVELS.map((v) => ({ value: v, label: t(`leads.intent.${v}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="needs" label={t('leads.fields.needs')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="lead-needs" />
        </Form.Item>
        <Row gutter={12}>
          <CustomFieldItems entity="lead" />
        </Row>
      </Form>
    </Modal>
  );
}
