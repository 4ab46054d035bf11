import { PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import type { invoiceListItem } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { yuan } from '../sales/ContractParts.js';
import { INVOICE_STATES, INVOICE_TYPES, InvoiceStateTag } from './InvoiceParts.js';

type Item = z.infer<typeof invoiceListItem>;
interface FilterValues {
  q?: string;
  state?: string;
  type?: string;
  overdue?: boolean;
  range?: [Dayjs, Dayjs] | null;
}

/** 发票: the invoices I can see, by state, type, overdue and issue date; export to Excel. */
export function InvoicesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [values, setValues] = useState<FilterValues>({});
  const filters = {
    q: values.q || undefined,
    state: values.state,
    type: values.type,
    overdue: values.overdue ? true : undefined,
    from: values.range?.[0]?.format('YYYY-MM-DD'),
    to: values.range?.[1]?.format('YYYY-MM-DD'),
  };
  const { list, rows } = usePagedList<Item>(['invoices', filters], '/invoices', filters);
  const columns: ColumnsType<Item> = [
    {
      title: t('invoices.number'),
      dataIndex: 'number',
      render: (n: string, i) => (
        <Link to={`/orders/invoices/${i.id}`} data-testid={`invoice-row-${i.number}`}>
          {n}
        </Link>
      ),
    },
    { title: t('invoices.fapiaoNumber'), dataIndex: 'fapiaoNumber', responsive: ['xl'] },
    { title: t('invoices.customer'), dataIndex: 'customerName' },
    {
      title: t('invoices.type'),
      dataIndex: 'type',
      responsive: ['md'],
      render: (v: string) => t(`invoices.types.${v}`),
    },
    { title: t('invoices.total'), dataIndex: 'total', align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('invoices.open'),
      dataIndex: 'openAmount',
      align: 'right',
      responsive: ['md'],
      render: (v: number) => yuan(v),
    },
    {
      title: t('invoices.state'),
      dataIndex: 'state',
      render: (_: unknown, i) => (
        <Space size={4}>
          <InvoiceStateTag state={i.state} />
          {i.overdue && <span style={{ color: '#cf1322' }}>{t('invoices.overdue')}</span>}
        </Space>
      ),
    },
    { title: t('invoices.issueDate'), dataIndex: 'issueDate', responsive: ['lg'] },
    { title: t('invoices.dueDate'), dataIndex: 'dueDate', responsive: ['lg'] },
  ];
  return (
    <>
      <PageHeader
        title={t('invoices.title')}
        hint={t('invoices.hint')}
        extra={
          <Space>
            <ExportButton path="/invoices" filters={filters} testId="invoices-export" />
            {can('invoices.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/orders/invoices/new')}
                data-testid="invoice-new"
              >
                {t('invoices.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setValues(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('invoices.search')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('invoices.state')}
            style={{ width: 140 }}
            options={INVOICE_STATES.map((s) => ({ value: s, label: t(`invoices.states.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="type">
          <Select
            allowClear
            placeholder={t('invoices.type')}
            style={{ width: 120 }}
            options={INVOICE_TYPES.map((s) => ({ value: s, label: t(`invoices.types.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="overdue">
          <Select
            allowClear
            placeholder={t('invoices.overdue')}
            style={{ width: 120 }}
            options={[{ value: true, label: t('invoices.overdueOnly') }]}
          />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker />
        </Form.Item>
      </Form>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}
