import { Checkbox, Input, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContactListItem } from '../../../contracts/index.js';
import { decisionRole } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { GRADE_COLORS } from './CustomerForm.js';

interface Filters {
  q?: string;
  decisionRole?: string;
  primaryOnly?: boolean;
  sort?: string;
}

/** 联系人: the contacts of every customer in my scope, to find a person, call them, export or import. */
export function ContactsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [filters, setFilters] = useState<Filters>({ sort: 'name' });
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const { list, rows } = usePagedList<ContactListItem>(['contacts', filters], '/contacts', { ...filters });

  const columns: ColumnsType<ContactListItem> = [
    {
      title: t('customer.contact.name'),
      dataIndex: 'name',
      render: (name: string, c) => (
        <Space size={4}>
          {name}
          {c.isPrimary && <Tag color="blue">{t('customer.contact.primary')}</Tag>}
        </Space>
      ),
    },
    { title: t('customer.contact.title'), dataIndex: 'title', responsive: ['md'], render: (v) => v ?? '—' },
    {
      title: t('customer.contact.mobile'),
      dataIndex: 'mobile',
      render: (m: string | null) => (m ? <a href={`tel:${m}`}>{m}</a> : '—'),
    },
    { title: t('customer.contact.email'), dataIndex: 'email', responsive: ['lg'], render: (v) => v ?? '—' },
    {
      title: t('customer.contact.decisionRole'),
      dataIndex: 'decisionRole',
      responsive: ['md'],
      render: (r: string | null) => (r ? t(`customer.contact.roles.${r}`) : '—'),
    },
    {
      title: t('contactDirectory.customer'),
      key: 'customer',
      render: (_: unknown, c) => (
        <Space size={4}>
          <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
          {c.customerGrade && <Tag color={GRADE_COLORS[c.customerGrade]}>{c.customerGrade}</Tag>}
        </Space>
      ),
    },
    {
      title: t('customer.owner'),
      dataIndex: 'ownerName',
      responsive: ['lg'],
      render: (n: string | null) => n ?? <Tag>{t('customer.inPool')}</Tag>,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('contactDirectory.title')}
        hint={t('contactDirectory.hint')}
        extra={
          can('customers.update') && <ImportButton entity="contacts" onImported={() => void list.refetch()} />
        }
      />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('contactDirectory.search')}
            onSearch={(q) => set({ q: q || undefined })}
            style={{ width: 240 }}
            data-testid="contact-search"
          />
          <Select
            allowClear
            placeholder={t('customer.contact.decisionRole')}
            style={{ width: 140 }}
            onChange={(r) => set({ decisionRole: r })}
            options={decisionRole.options.map((r) => ({ value: r, label: t(`customer.contact.roles.${r}`) }))}
          />
          <Checkbox onChange={(e) => set({ primaryOnly: e.target.checked || undefined })}>
            {t('contactDirectory.primaryOnly')}
          </Checkbox>
          <Select
            value={filters.sort}
            style={{ width: 140 }}
            onChange={(sort) => set({ sort })}
            options={[
              { value: 'name', label: t('customer.sorts.name') },
              { value: '-updatedAt', label: t('customer.sorts.updated') },
            ]}
          />
          <ExportButton path="/contacts" filters={{ ...filters }} testId="contact-export" />
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
    </>
  );
}
