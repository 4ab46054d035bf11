import { PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { SalesOrderSummary } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { yuan } from './ReceiptParts.js';
import { ORDER_CHANNELS, ORDER_STATES, SalesOrderStateTag } from './SalesOrderParts.js';

interface Filters {
  q?: string;
  state?: string;
  channel?: string;
  who?: 'mine' | 'team';
  dates?: [Dayjs | null, Dayjs | null] | null;
}

/** 销售订单: the orders I can see, newest first, with filters and export. */
export function SalesOrdersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({});
  const { dates, ...rest } = filters;
  const params = {
    ...rest,
    from: dates?.[0]?.format('YYYY-MM-DD'),
    to: dates?.[1]?.format('YYYY-MM-DD'),
  };
  const { list, rows } = usePagedList<SalesOrderSummary>(['sales-orders', params], '/sales-orders', params);
  const columns: ColumnsType<SalesOrderSummary> = [
    {
      title: t('salesOrders.number'),
      dataIndex: 'number',
      render: (n: string, o) => (
        <Link to={`/orders/sales-orders/${o.id}`} data-testid={`sales-order-${n}`}>
          {n}
        </Link>
      ),
    },
    { title: t('salesOrders.orderDate'), dataIndex: 'orderDate' },
    {
      title: t('salesOrders.customer'),
      dataIndex: 'customerName',
      render: (name: string, o) => <Link to={`/customers/${o.customerId}`}>{name}</Link>,
    },
    {
      title: t('salesOrders.channel'),
      dataIndex: 'channel',
      responsive: ['md'],
      render: (c: string) => t(`salesOrders.channels.${c}`),
    },
    // Prices are sensitive (sales-orders.prices): the warehouse ships by quantity.
    ...(can('sales-orders.prices')
      ? [{ title: t('salesOrders.total'), dataIndex: 'total', align: 'right' as const, render: yuan }]
      : []),
    {
      title: t('common.status'),
      dataIndex: 'state',
      render: (s: string, o) => (
        <Space size={4}>
          <SalesOrderStateTag state={s} />
          {o.shortage && s !== 'cancelled' && <Tag color="volcano">{t('salesOrders.shortage')}</Tag>}
        </Space>
      ),
    },
    { title: t('salesOrders.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
    { title: t('salesOrders.orgUnit'), dataIndex: 'orgUnitName', responsive: ['xl'] },
  ];
  return (
    <>
      <PageHeader
        title={t('salesOrders.title')}
        hint={t('salesOrders.hint')}
        extra={
          <Space>
            <ExportButton path="/sales-orders" filters={params} testId="sales-orders-export" />
            {can('sales-orders.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/orders/sales-orders/new')}
                data-testid="sales-order-new"
              >
                {t('salesOrders.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('salesOrders.search')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 130 }}
            options={ORDER_STATES.map((s) => ({ value: s, label: t(`salesOrders.states.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="channel">
          <Select
            allowClear
            placeholder={t('salesOrders.channel')}
            style={{ width: 110 }}
            options={ORDER_CHANNELS.map((c) => ({ value: c, label: t(`salesOrders.channels.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="who">
          <Select
            allowClear
            placeholder={t('salesOrders.who')}
            style={{ width: 110 }}
            options={[
              { value: 'mine', label: t('salesOrders.mine') },
              { value: 'team', label: t('salesOrders.team') },
            ]}
          />
        </Form.Item>
        <Form.Item name="dates">
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
        scroll={{ x: 'max-content' }}
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}
