import { useQuery } from '@tanstack/react-query';
import { Checkbox, Col, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { rules } from '../../app/rules.js';

export type CustomFieldEntity = CustomField['entity'];

/** The active custom fields of a record type, in their order (everyone may read them). */
export function useCustomFields(entity: CustomFieldEntity) {
  return useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: () => api.get<{ items: CustomField[] }>('/custom-fields', { entity }),
    staleTime: 60_000,
  });
}

export const fieldLabel = (f: Pick<CustomField, 'labelZh' | 'labelEn'>, language: string) =>
  language.startsWith('zh') ? f.labelZh : f.labelEn;

const optionLabel = (o: CustomField['options'][number], language: string) =>
  language.startsWith('zh') ? o.zh : o.en;

function input(field: CustomField, language: string): ReactNode {
  const options = field.options.map((o) => ({ value: o.value, label: optionLabel(o, language) }));
  switch (field.type) {
    case 'text':
      return <Input maxLength={500} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} />;
    case 'boolean':
      return <Checkbox />;
    case 'select':
      return <Select allowClear options={options} />;
    case 'multiselect':
      return <Select allowClear mode="multiple" options={options} />;
  }
}

/**
 * The form items of a record type's custom fields, under `customFields.<key>`, laid out like the
 * form's own columns. Dates are edited with a picker and kept as YYYY-MM-DD.
 */
export function CustomFieldItems({ entity, span = 12 }: { entity: CustomFieldEntity; span?: number }) {
  const { i18n } = useTranslation();
  const fields = useCustomFields(entity).data?.items ?? [];
  return fields.map((f) => (
    <Col xs={24} sm={span} key={f.key}>
      <Form.Item
        name={['customFields', f.key]}
        label={fieldLabel(f, i18n.language)}
        rules={f.required ? [rules.required()] : []}
        valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
        {...(f.type === 'date'
          ? {
              getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(v) : null }),
              normalize: (v: dayjs.Dayjs | null) => (v ? v.format('YYYY-MM-DD') : null),
            }
          : {})}
      >
        {input(f, i18n.language)}
      </Form.Item>
    </Col>
  ));
}

/** What a form sends: every custom field it shows, a cleared one as null (the server drops it). */
export function customFieldsBody(values: Record<string, unknown> | undefined) {
  if (!values) return undefined;
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v === undefined || v === '' ? null : v]),
  );
}

/** A record's custom values for a Descriptions list, with option labels in the user's language. */
export function useCustomFieldDescriptions(entity: CustomFieldEntity, values: Record<string, unknown>) {
  const { t, i18n } = useTranslation();
  const fields = useCustomFields(entity).data?.items ?? [];
  const show = (f: CustomField, v: unknown): ReactNode => {
    if (v === undefined || v === null) return '—';
    const label = (value: unknown) => {
      const o = f.options.find((x) => x.value === value);
      return o ? optionLabel(o, i18n.language) : String(value);
    };
    if (f.type === 'boolean') return v ? t('common.yes') : t('common.no');
    if (f.type === 'select') return label(v);
    if (f.type === 'multiselect' && Array.isArray(v)) return v.map(label).join('、');
    return String(v);
  };
  return fields.map((f) => ({
    key: `custom-${f.key}`,
    label: fieldLabel(f, i18n.language),
    children: show(f, values[f.key]),
  }));
}
