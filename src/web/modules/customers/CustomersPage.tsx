import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Grid, Input, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { SavedViews } from '../../app/SavedViews.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { CustomerForm, GRADE_COLORS, GRADES, LIFECYCLES, ProvinceSelect } from './CustomerForm.js';

interface Filters {
  q?: string;
  view?: 'mine' | 'team';
  grade?: string;
  lifecycle?: string;
  tag?: string;
  provinceCode?: string;
  sort?: string;
}

/** Customers in my scope: search by name, pinyin or initials ("shsh" finds 上海申华), filters, export. */
export function CustomersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [filters, setFilters] = useState<Filters>({ sort: '-updatedAt' });
  const [creating, setCreating] = useState(false);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const { list, rows } = usePagedList<Customer>(['customers', filters], '/customers', { ...filters });

  const columns: ColumnsType<Customer> = [
    {
      title: t('customer.name'),
      dataIndex: 'name',
      render: (name: string, c) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/customers/${c.id}`} data-testid="customer-link">
            {name}
          </Link>
          {c.shortName && <Typography.Text type="secondary">{c.shortName}</Typography.Text>}
          {!screens.md && c.phone && <a href={`tel:${c.phone}`}>{c.phone}</a>}
        </Space>
      ),
    },
    {
      title: t('customer.grade'),
      dataIndex: 'grade',
      render: (g: string | null) => (g ? <Tag color={GRADE_COLORS[g]}>{g}</Tag> : '—'),
    },
    {
      title: t('customer.lifecycle'),
      dataIndex: 'lifecycle',
      responsive: ['sm'],
      render: (l: string) => t(`customer.lifecycles.${l}`),
    },
    {
      title: t('customer.owner'),
      dataIndex: 'ownerName',
      responsive: ['md'],
      render: (n: string | null) => n ?? <Tag>{t('customer.inPool')}</Tag>,
    },
    {
      title: t('customer.phone'),
      dataIndex: 'phone',
      responsive: ['md'],
      render: (p: string | null) => (p ? <a href={`tel:${p}`}>{p}</a> : '—'),
    },
    {
      title: t('customer.tags'),
      dataIndex: 'tags',
      responsive: ['lg'],
      render: (tags: string[]) => tags.map((tag) => <Tag key={tag}>{tag}</Tag>),
    },
    {
      title: t('customer.lastFollowUp'),
      dataIndex: 'lastFollowUpAt',
      responsive: ['lg'],
      render: (v: string | null) => (v ? formatTime(v) : '—'),
    },
    {
      title: t('customer.updatedAt'),
      dataIndex: 'updatedAt',
      responsive: ['xl'],
      render: (v: string) => formatTime(v),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('customer.title')}
        hint={t('customer.hint')}
        extra={
          <Space wrap>
            {can('customers.create') && (
              <ImportButton entity="customers" onImported={() => void list.refetch()} />
            )}
            {can('customers.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="customer-new"
              >
                {t('customer.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap data-testid="customer-filters">
          <SavedViews
            listKey="customers"
            value={{ ...filters }}
            onChange={(v) => setFilters({ sort: '-updatedAt', ...(v as Filters) })}
          />
          <Input.Search
            allowClear
            placeholder={t('customer.search')}
            onSearch={(q) => set({ q })}
            style={{ width: 220 }}
            data-testid="customer-search"
          />
          <Segmented
            value={filters.view ?? 'all'}
            onChange={(v) => set({ view: v === 'all' ? undefined : (v as 'mine' | 'team') })}
            options={[
              { value: 'all', label: t('customer.views.all') },
              { value: 'mine', label: t('customer.views.mine') },
              { value: 'team', label: t('customer.views.team') },
            ]}
          />
          <Select
            allowClear
            placeholder={t('customer.grade')}
            style={{ width: 90 }}
            onChange={(grade) => set({ grade })}
            options={GRADES.map((g) => ({ value: g, label: g }))}
          />
          <Select
            allowClear
            placeholder={t('customer.lifecycle')}
            style={{ width: 110 }}
            onChange={(lifecycle) => set({ lifecycle })}
            options={LIFECYCLES.map((l) => ({ value: l, label: t(`customer.lifecycles.${l}`) }))}
          />
          <div style={{ width: 140 }}>
            <ProvinceSelect
              value={filters.provinceCode}
              onChange={(p) => set({ provinceCode: p ?? undefined })}
            />
          </div>
          <Input
            allowClear
            placeholder={t('customer.tag')}
            style={{ width: 110 }}
            onPressEnter={(e) => set({ tag: e.currentTarget.value || undefined })}
            onChange={(e) => !e.target.value && set({ tag: undefined })}
          />
          <Select
            value={filters.sort}
            style={{ width: 140 }}
            onChange={(sort) => set({ sort })}
            options={[
              { value: '-updatedAt', label: t('customer.sorts.updated') },
              { value: 'name', label: t('customer.sorts.name') },
              { value: '-createdAt', label: t('customer.sorts.created') },
            ]}
          />
          <ExportButton path="/customers" filters={{ ...filters }} testId="customer-export" />
        </Space>
        <Table
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={rows}
          columns={columns}
          pagination={false}
          scroll={{ x: true }}
          footer={() => <LoadMore list={list} />}
        />
      </Space>
      <CustomerForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          void client.invalidateQueries({ queryKey: ['customers'] });
          navigate(`/customers/${c.id}`);
        }}
      />
    </>
  );
}
