import { EditOutlined, MergeCellsOutlined, UndoOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Modal,
  Popconfirm,
  Result,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Customer } from '../../../contracts/index.js';
import { ApiError, api, type Page } from '../../app/api.js';
import { formatTime, yuan } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { UserSelect } from '../org/UserSelect.js';
import { Attachments } from '../platform/Attachments.js';
import { useCustomFieldDescriptions } from '../platform/CustomFields.js';
import { ActivityPanel } from './ActivityPanel.js';
import { ContactsPanel } from './ContactsPanel.js';
import { CustomerForm, GRADE_COLORS, useDivisionName } from './CustomerForm.js';
import { CustomerHealthTag } from './complaintsTab.js';
import { customerTabs } from './customerTabs.js';
import './accountTabs.js';
import { RecordHistory } from '../platform/HistoryDrawer.js';

/** A merge moves whole records: its field-by-field changes say nothing. */
const MERGE_ACTIONS = ['merge', 'merge_in', 'unmerge', 'unmerge_out'];

/** Picks another customer to merge into: searched in my scope, excluding this one. */
function MergeModal({
  customer,
  open,
  onClose,
}: {
  customer: Customer;
  open: boolean;
  onClose: (merged?: Customer) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [survivorId, setSurvivorId] = useState<string>();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [busy, setBusy] = useState(false);
  async function search(q: string) {
    const res = await api.get<Page<Customer>>('/customers', { q: q || customer.name.slice(0, 2), limit: 20 });
    setOptions(res.items.filter((c) => c.id !== customer.id).map((c) => ({ value: c.id, label: c.name })));
  }
  async function merge() {
    if (!survivorId) return;
    setBusy(true);
    try {
      const survivor = await api.post<Customer>(`/customers/${customer.id}/merge`, { survivorId });
      void message.success(t('customer.merge.done'));
      onClose(survivor);
    } catch (err) {
      showError(err, message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open={open}
      title={t('customer.merge.title', { name: customer.name })}
      onCancel={() => onClose()}
      onOk={() => void merge()}
      okButtonProps={{ danger: true, disabled: !survivorId, loading: busy }}
      okText={t('customer.merge.confirm')}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('customer.merge.explain')}</Typography.Paragraph>
      <Select
        showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
        onFocus={() => void search('')}
        value={survivorId}
        onChange={setSurvivorId}
        options={options}
        placeholder={t('customer.merge.survivor')}
        style={{ width: '100%' }}
        data-testid="customer-merge-survivor"
      />
    </Modal>
  );
}

function Collaborators({ customer, editable }: { customer: Customer; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [adding, setAdding] = useState<string | null>(null);
  async function run(fn: () => Promise<unknown>) {
    try {
      await fn();
      setAdding(null);
      void client.invalidateQueries({ queryKey: ['customer', customer.id] });
    } catch (err) {
      showError(err, message);
    }
  }
  return (
    <Space wrap>
      {customer.collaborators.map((c) => (
        <Tag
          key={c.userId}
          closable={editable}
          onClose={(e) => {
            e.preventDefault();
            void run(() => api.delete(`/customers/${customer.id}/collaborators/${c.userId}`));
          }}
        >
          {c.name}
        </Tag>
      ))}
      {customer.collaborators.length === 0 && !editable && '—'}
      {editable && (
        <Space.Compact>
          <UserSelect
            value={adding}
            onChange={setAdding}
            exclude={customer.ownerId ?? undefined}
            style={{ width: 180 }}
          />
          <Button
            disabled={!adding}
            onClick={() =>
              void run(() => api.post(`/customers/${customer.id}/collaborators`, { userId: adding }))
            }
          >
            {t('customer.addCollaborator')}
          </Button>
        </Space.Compact>
      )}
    </Space>
  );
}

/** Customer 360: key facts, then contacts, the timeline, files, history and other modules' tabs. */
export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const query = useQuery({
    queryKey: ['customer', id],
    queryFn: () => api.get<Customer>(`/customers/${id}`),
  });
  const c = query.data;
  const place = useDivisionName(c?.provinceCode, c?.cityCode);
  const custom = useCustomFieldDescriptions('customer', c?.customFields ?? {});
  if (query.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (query.error || !c) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '404' : t('customer.loadError')}
        subTitle={t('common.notFound')}
      />
    );
  }
  const merged = !!c.mergedIntoId;
  const editable = can('customers.update') && !merged;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['customer', id] });
    void client.invalidateQueries({ queryKey: ['customers'] });
  };
  async function unmerge() {
    try {
      await api.post(`/customers/${id}/unmerge`);
      void message.success(t('customer.merge.undone'));
      refresh();
      void client.invalidateQueries({ queryKey: ['customer-contacts'] });
    } catch (err) {
      showError(err, message);
    }
  }

  const facts = [
    {
      key: 'grade',
      label: t('customer.grade'),
      children: c.grade ? <Tag color={GRADE_COLORS[c.grade]}>{c.grade}</Tag> : '—',
    },
    { key: 'lifecycle', label: t('customer.lifecycle'), children: t(`customer.lifecycles.${c.lifecycle}`) },
    { key: 'owner', label: t('customer.owner'), children: c.ownerName ?? <Tag>{t('customer.inPool')}</Tag> },
    { key: 'creditLimit', label: t('customer.creditLimit'), children: yuan(c.creditLimit, i18n.language) },
    {
      key: 'tags',
      label: t('customer.tags'),
      children: c.tags.length ? c.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—',
    },
    {
      key: 'last',
      label: t('customer.lastFollowUp'),
      children: c.lastFollowUpAt ? formatTime(c.lastFollowUpAt) : '—',
    },
    {
      key: 'next',
      label: t('customer.nextFollowUp'),
      children: c.followUpDueAt ? (
        <Typography.Text type={new Date(c.followUpDueAt) < new Date() ? 'danger' : undefined}>
          {formatTime(c.followUpDueAt)}
        </Typography.Text>
      ) : (
        '—'
      ),
    },
  ];
  const overview = [
    { key: 'kind', label: t('customer.kind'), children: t(`customer.kinds.${c.kind}`) },
    { key: 'shortName', label: t('customer.shortName'), children: c.shortName ?? '—' },
    { key: 'creditCode', label: t('customer.creditCode'), children: c.creditCode ?? '—' },
    { key: 'industry', label: t('customer.industry'), children: c.industry ?? '—' },
    { key: 'size', label: t('customer.size'), children: c.size ?? '—' },
    { key: 'place', label: t('customer.region'), children: place || '—' },
    { key: 'address', label: t('customer.address'), children: c.address ?? '—' },
    {
      key: 'phone',
      label: t('customer.phone'),
      children: c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '—',
    },
    { key: 'website', label: t('customer.website'), children: c.website ?? '—' },
    { key: 'creditRating', label: t('customer.creditRating'), children: c.creditRating ?? '—' },
    {
      key: 'source',
      label: t('customer.source'),
      children: c.source ? t(`leads.sources.${c.source}`, { defaultValue: c.source }) : '—',
    },
    { key: 'orgUnit', label: t('customer.orgUnit'), children: c.orgUnitName },
    {
      key: 'collaborators',
      label: t('customer.collaborators'),
      children: <Collaborators customer={c} editable={editable} />,
      span: 2,
    },
    ...custom,
    { key: 'createdAt', label: t('customer.createdAt'), children: formatTime(c.createdAt) },
    { key: 'updatedAt', label: t('customer.updatedAt'), children: formatTime(c.updatedAt) },
  ];
  const extra = customerTabs()
    .filter((tab) => !tab.permission || can(tab.permission))
    .map((tab) => ({ key: tab.key, label: t(tab.labelKey), children: tab.render(c) }));

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            {c.name}
            {c.grade && <Tag color={GRADE_COLORS[c.grade]}>{c.grade}</Tag>}
            {!merged && <CustomerHealthTag customerId={c.id} />}
          </Space>
        }
        extra={
          <Space wrap>
            {editable && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
                {t('common.edit')}
              </Button>
            )}
            {can('customers.merge') && !merged && (
              <Button
                icon={<MergeCellsOutlined />}
                onClick={() => setMerging(true)}
                data-testid="customer-merge"
              >
                {t('customer.merge.action')}
              </Button>
            )}
            {can('customers.merge') && merged && (
              <Popconfirm title={t('customer.merge.undoConfirm')} onConfirm={unmerge}>
                <Button icon={<UndoOutlined />} data-testid="customer-unmerge">
                  {t('customer.merge.undo')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      {merged && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <>
              {t('customer.merge.mergedInto')}{' '}
              <Link to={`/customers/${c.mergedIntoId}`}>{t('customer.merge.openSurvivor')}</Link>
            </>
          }
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} items={facts} />
      </Card>
      <Tabs
        items={[
          {
            key: 'overview',
            label: t('customer.tabs.overview'),
            children: <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={overview} />,
          },
          {
            key: 'contacts',
            label: t('customer.tabs.contacts'),
            children: <ContactsPanel customerId={c.id} editable={editable} />,
          },
          {
            key: 'timeline',
            label: t('customer.tabs.timeline'),
            children: <ActivityPanel customerId={c.id} />,
          },
          ...extra,
          {
            key: 'attachments',
            label: t('customer.tabs.attachments'),
            children: <Attachments entity="customer" entityId={c.id} />,
          },
          {
            key: 'history',
            label: t('customer.tabs.history'),
            children: (
              <RecordHistory
                path={`/customers/${c.id}/history`}
                actionKeys="customer.actions"
                changesHiddenFor={MERGE_ACTIONS}
              />
            ),
          },
        ]}
      />
      <CustomerForm
        open={editing}
        customer={c}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          refresh();
        }}
      />
      <MergeModal
        customer={c}
        open={merging}
        onClose={(survivor) => {
          setMerging(false);
          if (survivor) refresh();
        }}
      />
    </>
  );
}
