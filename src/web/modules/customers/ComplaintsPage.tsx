import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Complaint, ComplaintSettingsDto } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { ComplaintDrawer, SlaDue } from './ComplaintDrawer.js';
import {
  COMPLAINT_STATUSES,
  ComplaintForm,
  SEVERITIES,
  SeverityTag,
  StatusTag,
  useCategoryLabel,
  useComplaintSettings,
} from './ComplaintForm.js';

interface Filters {
  q?: string;
  status?: string;
  severity?: string;
  category?: string;
  overdue?: boolean;
}

/** The columns of a complaints table; the customer column is left out on the customer's own page. */
export function useComplaintColumns(withCustomer: boolean): ColumnsType<Complaint> {
  const { t } = useTranslation();
  const categoryLabel = useCategoryLabel();
  return [
    {
      title: t('complaints.number'),
      dataIndex: 'number',
      render: (n: string, c) => (
        <Link to={`/complaints/${c.id}`} data-testid={`complaint-row-${c.number}`}>
          {n}
        </Link>
      ),
    },
    { title: t('complaints.subject'), dataIndex: 'subject' },
    ...(withCustomer
      ? [
          {
            title: t('complaints.customer'),
            dataIndex: 'customerName',
            responsive: ['md' as const],
            render: (name: string, c: Complaint) => <Link to={`/customers/${c.customerId}`}>{name}</Link>,
          },
        ]
      : []),
    {
      title: t('complaints.severity'),
      dataIndex: 'severity',
      render: (_: unknown, c) => <SeverityTag severity={c.severity} />,
    },
    {
      title: t('complaints.category'),
      dataIndex: 'category',
      responsive: ['lg'],
      render: (code: string) => categoryLabel(code),
    },
    {
      title: t('complaints.status'),
      dataIndex: 'status',
      render: (_: unknown, c) => <StatusTag status={c.status} />,
    },
    { title: t('complaints.handler'), dataIndex: 'ownerName', responsive: ['sm'] },
    {
      title: t('complaints.slaDueAt'),
      dataIndex: 'slaDueAt',
      render: (_: unknown, c) => <SlaDue complaint={c} />,
    },
    { title: t('complaints.receivedAt'), dataIndex: 'createdAt', responsive: ['lg'], render: formatTime },
  ];
}

/** 投诉: complaints I handle or my team's, with filters and the overdue flag. */
export function ComplaintsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { id: openId } = useParams();
  const client = useQueryClient();
  const settings = useComplaintSettings();
  const categoryLabel = useCategoryLabel();
  const [who, setWho] = useState<'mine' | 'team'>('team');
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [configuring, setConfiguring] = useState(false);
  const { list, rows } = usePagedList<Complaint>(['complaints', who, filters], '/complaints', {
    ...filters,
    overdue: filters.overdue ? true : undefined,
    who,
  });
  const columns = useComplaintColumns(true);
  const refresh = () => void client.invalidateQueries({ queryKey: ['complaints'] });

  return (
    <>
      <PageHeader
        title={t('complaints.title')}
        hint={t('complaints.hint')}
        extra={
          <Space wrap>
            {can('customer-settings.manage') && (
              <Button
                icon={<SettingOutlined />}
                onClick={() => setConfiguring(true)}
                data-testid="complaint-settings"
              >
                {t('complaints.settings.title')}
              </Button>
            )}
            {can('complaints.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="complaint-new"
              >
                {t('complaints.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={who}
          onChange={(v) => setWho(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('complaints.mine') },
            { value: 'team', label: t('complaints.team') },
          ]}
          data-testid="complaint-who"
        />
      </Space>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('complaints.search')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('complaints.status')}
            style={{ width: 120 }}
            options={COMPLAINT_STATUSES.map((s) => ({ value: s, label: t(`complaints.statuses.${s}`) }))}
            data-testid="complaint-filter-status"
          />
        </Form.Item>
        <Form.Item name="severity">
          <Select
            allowClear
            placeholder={t('complaints.severity')}
            style={{ width: 120 }}
            options={SEVERITIES.map((s) => ({ value: s, label: t(`complaints.severities.${s}`) }))}
            data-testid="complaint-filter-severity"
          />
        </Form.Item>
        <Form.Item name="category">
          <Select
            allowClear
            placeholder={t('complaints.category')}
            style={{ width: 140 }}
            options={(settings.data?.categories ?? []).map((c) => ({ value: c, label: categoryLabel(c) }))}
          />
        </Form.Item>
        <Form.Item name="overdue" valuePropName="checked">
          <Checkbox data-testid="complaint-filter-overdue">{t('complaints.overdueOnly')}</Checkbox>
        </Form.Item>
      </Form>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('complaints.none')} /> }}
        data-testid="complaint-table"
      />
      <LoadMore list={list} />
      {creating && (
        <ComplaintForm
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            refresh();
            navigate(`/complaints/${c.id}`);
          }}
        />
      )}
      {openId && <ComplaintDrawer id={openId} onClose={() => navigate('/complaints')} />}
      {configuring && settings.data && (
        <ComplaintSettingsModal settings={settings.data} onClose={() => setConfiguring(false)} />
      )}
    </>
  );
}

const SLA_KEYS = ['critical', 'high', 'medium', 'low'] as const;

/** Categories (lower-case codes, like lead sources) and SLA hours per severity. */
function ComplaintSettingsModal({
  settings,
  onClose,
}: {
  settings: ComplaintSettingsDto;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const categoryLabel = useCategoryLabel();
  const [form] = Form.useForm<{ categories: string[]; slaHours: ComplaintSettingsDto['slaHours'] }>();
  const [saving, setSaving] = useState(false);
  async function save() {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await api.patch('/complaint-settings', { ...values, version: settings.version });
      void client.invalidateQueries({ queryKey: ['complaint-settings'] });
      void message.success(t('common.saved'));
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
      title={t('complaints.settings.title')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving, 'data-testid': 'complaint-settings-save' }}
    >
      <Form form={form} layout="vertical" initialValues={settings}>
        <Form.Item
          name="categories"
          label={t('complaints.settings.categories')}
          extra={t('complaints.settings.categoriesHint')}
          rules={[rules.required()]}
        >
          <Select
            mode="tags"
            tokenSeparators={[',', ' ']}
            options={settings.categories.map((c) => ({ value: c, label: categoryLabel(c) }))}
            data-testid="complaint-settings-categories"
          />
        </Form.Item>
        <Space wrap>
          {SLA_KEYS.map((k) => (
            <Form.Item
              key={k}
              name={['slaHours', k]}
              label={t('complaints.settings.slaHours', { severity: t(`complaints.severities.${k}`) })}
              rules={[rules.required()]}
            >
              <InputNumber
                min={1}
                max={8760}
                precision={0}
                style={{ width: 120 }}
                data-testid={`complaint-sla-${k}`}
              />
            </Form.Item>
          ))}
        </Space>
      </Form>
    </Modal>
  );
}
