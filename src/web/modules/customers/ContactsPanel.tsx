import { PlusOutlined, StarFilled } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';

const ROLES = ['decision_maker', 'influencer', 'user', 'gatekeeper', 'other'] as const;

interface ContactValues {
  name: string;
  title?: string | null;
  mobile?: string | null;
  phone?: string | null;
  email?: string | null;
  wechat?: string | null;
  birthday?: Dayjs | null;
  decisionRole?: (typeof ROLES)[number] | null;
  isPrimary?: boolean;
}

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

/** A customer's contacts: primary first; add, edit, make primary, archive (never delete). */
export function ContactsPanel({ customerId, editable }: { customerId: string; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [form] = Form.useForm<ContactValues>();
  const key = ['customer-contacts', customerId, showArchived];
  const list = useQuery({
    queryKey: key,
    queryFn: () =>
      api.get<{ items: Contact[] }>(`/customers/${customerId}/contacts`, {
        includeArchived: showArchived || undefined,
      }),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['customer-contacts', customerId] });

  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    if (editing !== 'new')
      form.setFieldsValue({ ...editing, birthday: editing.birthday ? dayjs(editing.birthday) : null });
  }, [editing, form]);

  async function save() {
    const values = await form.validateFields();
    const body = Object.fromEntries(
      Object.entries({
        ...values,
        birthday: values.birthday ? values.birthday.format('YYYY-MM-DD') : null,
      }).map(([k, v]) => [k, k === 'name' || k === 'isPrimary' ? v : blankToNull(v)]),
    );
    try {
      if (editing === 'new') await api.post(`/customers/${customerId}/contacts`, body);
      else if (editing)
        await api.patch(`/customers/${customerId}/contacts/${editing.id}`, {
          ...body,
          version: editing.version,
        });
      setEditing(null);
      void message.success(t('common.saved'));
      void refresh();
    } catch (err) {
      showError(err, message, form);
    }
  }

  async function act(run: () => Promise<unknown>) {
    try {
      await run();
      void refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  const columns: ColumnsType<Contact> = [
    {
      title: t('customer.contact.name'),
      dataIndex: 'name',
      render: (name: string, c) => (
        <Space size={4} wrap>
          {name}
          {c.isPrimary && (
            <Tag color="gold" icon={<StarFilled />}>
              {t('customer.contact.primary')}
            </Tag>
          )}
          {c.archived && <Tag>{t('customer.contact.archived')}</Tag>}
        </Space>
      ),
    },
    { title: t('customer.contact.title'), dataIndex: 'title', responsive: ['sm'] },
    {
      title: t('customer.contact.mobile'),
      dataIndex: 'mobile',
      render: (m: string | null) => (m ? <a href={`tel:${m}`}>{m}</a> : '—'),
    },
    { title: t('customer.contact.email'), dataIndex: 'email', responsive: ['md'] },
    { title: t('customer.contact.wechat'), dataIndex: 'wechat', responsive: ['lg'] },
    {
      title: t('customer.contact.decisionRole'),
      dataIndex: 'decisionRole',
      responsive: ['md'],
      render: (r: string | null) => (r ? t(`customer.contact.roles.${r}`) : '—'),
    },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, c: Contact) => (
              <Space size={0} wrap>
                {!c.archived && (
                  <Button type="link" size="small" onClick={() => setEditing(c)}>
                    {t('common.edit')}
                  </Button>
                )}
                {!c.archived && !c.isPrimary && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() =>
                      void act(() =>
                        api.patch(`/customers/${customerId}/contacts/${c.id}`, {
                          isPrimary: true,
                          version: c.version,
                        }),
                      )
                    }
                  >
                    {t('customer.contact.makePrimary')}
                  </Button>
                )}
                {c.archived ? (
                  <Button
                    type="link"
                    size="small"
                    onClick={() =>
                      void act(() => api.post(`/customers/${customerId}/contacts/${c.id}/restore`))
                    }
                  >
                    {t('customer.contact.restore')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('customer.contact.archiveConfirm')}
                    onConfirm={() => act(() => api.post(`/customers/${customerId}/contacts/${c.id}/archive`))}
                  >
                    <Button type="link" size="small" danger>
                      {t('customer.contact.archive')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {editable && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="contact-new">
            {t('customer.contact.new')}
          </Button>
        )}
        <Checkbox checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)}>
          {t('customer.contact.showArchived')}
        </Checkbox>
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('customer.contact.new') : t('customer.contact.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('common.save')}
        cancelText={t('customer.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="name" label={t('customer.contact.name')} rules={[rules.required()]}>
                <Input maxLength={50} data-testid="contact-name" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="title" label={t('customer.contact.title')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="mobile" label={t('customer.contact.mobile')} rules={[rules.mobilePhone()]}>
                <Input maxLength={11} inputMode="tel" data-testid="contact-mobile" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="phone" label={t('customer.contact.phone')}>
                <Input maxLength={20} inputMode="tel" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="email" label={t('customer.contact.email')} rules={[rules.email()]}>
                <Input maxLength={200} inputMode="email" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="wechat" label={t('customer.contact.wechat')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="birthday" label={t('customer.contact.birthday')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="decisionRole" label={t('customer.contact.decisionRole')}>
                <Select
                  allowClear
                  options={ROLES.map((r) => ({ value: r, label: t(`customer.contact.roles.${r}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="isPrimary" valuePropName="checked">
                <Checkbox>{t('customer.contact.primary')}</Checkbox>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </Space>
  );
}
