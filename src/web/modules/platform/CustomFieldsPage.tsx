import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../contracts/index.js';
import { customFieldEntity, customFieldType } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { type CustomFieldEntity, fieldLabel } from './CustomFields.js';

type FieldType = CustomField['type'];
const CHOICE: FieldType[] = ['select', 'multiselect'];

/** Administration → custom fields: per record type, add fields, change labels and options, archive. */
export function CustomFieldsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [entity, setEntity] = useState<CustomFieldEntity>('customer');
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const fields = useQuery({
    queryKey: ['custom-fields', entity, 'admin'],
    queryFn: () => api.get<{ items: CustomField[] }>('/custom-fields', { entity, includeArchived: true }),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['custom-fields'] });

  async function setActive(f: CustomField, active: boolean) {
    try {
      await api.patch(`/custom-fields/${f.id}`, { active, version: f.version });
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <PageHeader
        title={t('menu.customFields')}
        hint={t('customFields.hint')}
        extra={
          <Button type="primary" onClick={() => setEditing('new')} data-testid="custom-field-new">
            {t('customFields.new')}
          </Button>
        }
      />
      <Tabs
        activeKey={entity}
        onChange={(k) => setEntity(k as CustomFieldEntity)}
        items={customFieldEntity.options.map((e) => ({ key: e, label: t(`customFields.entities.${e}`) }))}
      />
      <Table
        rowKey="id"
        size="small"
        loading={fields.isPending}
        dataSource={fields.data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          {
            title: t('customFields.label'),
            key: 'label',
            render: (_: unknown, f: CustomField) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => setEditing(f)}>
                {fieldLabel(f, i18n.language)}
              </Button>
            ),
          },
          { title: t('customFields.key'), dataIndex: 'key' },
          {
            title: t('customFields.type'),
            dataIndex: 'type',
            render: (v: FieldType) => t(`customFields.types.${v}`),
          },
          {
            title: t('customFields.options'),
            key: 'options',
            responsive: ['md'],
            render: (_: unknown, f: CustomField) =>
              f.options.map((o) => <Tag key={o.value}>{i18n.language.startsWith('zh') ? o.zh : o.en}</Tag>),
          },
          {
            title: t('customFields.required'),
            dataIndex: 'required',
            render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
          },
          { title: t('customFields.sortOrder'), dataIndex: 'sortOrder', responsive: ['md'] },
          {
            title: t('customFields.active'),
            key: 'active',
            render: (_: unknown, f: CustomField) => (
              <Switch
                size="small"
                checked={f.active}
                onChange={(v) => void setActive(f, v)}
                data-testid={`custom-field-active-${f.key}`}
              />
            ),
          },
        ]}
      />
      <FieldModal
        entity={entity}
        field={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
    </Space>
  );
}

interface Values {
  key: string;
  labelZh: string;
  labelEn: string;
  type: FieldType;
  required: boolean;
  sortOrder: number;
  options: { value: string; zh: string; en: string }[];
}

function FieldModal({
  entity,
  field,
  onClose,
  onSaved,
}: {
  entity: CustomFieldEntity;
  field: CustomField | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const type = Form.useWatch('type', form);
  const existing = field && field !== 'new' ? field : null;

  useEffect(() => {
    if (!field) return;
    form.resetFields();
    form.setFieldsValue(existing ?? { type: 'text', required: false, sortOrder: 0, options: [] });
  }, [field, existing, form]);

  async function save() {
    const values = await form.validateFields();
    const options = CHOICE.includes(values.type) ? (values.options ?? []) : [];
    setSaving(true);
    try {
      if (existing) {
        const { key: _k, type: _t, ...changes } = values;
        await api.patch(`/custom-fields/${existing.id}`, { ...changes, options, version: existing.version });
      } else {
        await api.post('/custom-fields', { ...values, options, entity });
      }
      void message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={!!field}
      title={existing ? t('customFields.edit') : t('customFields.new')}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'custom-field-save' }}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="labelZh" label={t('customFields.labelZh')} rules={[rules.required()]}>
              <Input maxLength={50} data-testid="custom-field-labelZh" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="labelEn" label={t('customFields.labelEn')} rules={[rules.required()]}>
              <Input maxLength={50} data-testid="custom-field-labelEn" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="key"
              label={t('customFields.key')}
              extra={t('customFields.keyHint')}
              rules={[rules.required()]}
            >
              <Input maxLength={40} disabled={!!existing} data-testid="custom-field-key" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="type" label={t('customFields.type')} rules={[rules.required()]}>
              <Select
                disabled={!!existing}
                options={customFieldType.options.map((v) => ({
                  value: v,
                  label: t(`customFields.types.${v}`),
                }))}
                data-testid="custom-field-type"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="required" label={t('customFields.required')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="sortOrder" label={t('customFields.sortOrder')}>
              <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {CHOICE.includes(type) && (
          <Form.List name="options">
            {(items, { add, remove }) => (
              <>
                {items.map((item) => (
                  <Row gutter={8} key={item.key} align="top">
                    <Col span={6}>
                      <Form.Item name={[item.name, 'value']} rules={[rules.required()]}>
                        <Input placeholder={t('customFields.optionValue')} maxLength={50} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item name={[item.name, 'zh']} rules={[rules.required()]}>
                        <Input placeholder={t('customFields.labelZh')} maxLength={50} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item name={[item.name, 'en']} rules={[rules.required()]}>
                        <Input placeholder={t('customFields.labelEn')} maxLength={50} />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Button type="text" danger onClick={() => remove(item.name)}>
                        ×
                      </Button>
                    </Col>
                  </Row>
                ))}
                <Button
                  onClick={() => add({ value: '', zh: '', en: '' })}
                  data-testid="custom-field-add-option"
                >
                  {t('customFields.addOption')}
                </Button>
              </>
            )}
          </Form.List>
        )}
      </Form>
    </Modal>
  );
}
