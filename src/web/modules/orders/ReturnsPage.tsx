import { Form, Input, Select, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { returnSummary } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { yuan } from '../sales/ContractParts.js';
import { RETURN_STATES, RETURN_TYPES, ReturnStateTag } from './ReturnParts.js';

type Item = z.infer<typeof returnSummary>;
interface FilterValues {
  q?: string;
  state?: string;
  type?: string;
}

/** 退换货: the returns and exchanges I can see, by state and type. */
export function ReturnsPage() {
  const { t } = useTranslation();
  const [values, setValues] = useState<FilterValues>({});
  // Return values follow the order's prices (sales-orders.prices).
  const prices = useSession().can('sales-orders.prices');
  const filters = { q: values.q || undefined, state: values.state, type: values.type };
  const { list, rows } = usePagedList<Item>(['returns', filters], '/returns', filters);
  const columns: ColumnsType<Item> = [
    {
      title: t('returns.number'),
      dataIndex: 'number',
      render: (n: string, r) => (
        <Link to={`/orders/returns/${r.id}`} data-testid={`return-row-${r.number}`}>
          {n}
        </Link>
      ),
    },
    {
      title: t('returns.order'),
      dataIndex: 'orderNumber',
      render: (n: string, r) => <Link to={`/orders/sales-orders/${r.orderId}`}>{n}</Link>,
    },
    { title: t('returns.customer'), dataIndex: 'customerName' },
    { title: t('returns.type'), dataIndex: 'type', render: (v: string) => t(`returns.types.${v}`) },
    {
      title: t('returns.reason'),
      dataIndex: 'reason',
      responsive: ['md'],
      render: (v: string) => t(`returns.reasons.${v}`),
    },
    ...(prices
      ? [
          {
            title: t('returns.amount'),
            dataIndex: 'amount',
            align: 'right' as const,
            render: (v: number) => yuan(v),
          },
        ]
      : []),
    {
      title: t('returns.state'),
      dataIndex: 'state',
      render: (_: unknown, r) => <ReturnStateTag state={r.state} />,
    },
    { title: t('returns.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
    {
      title: t('returns.createdAt'),
      dataIndex: 'createdAt',
      responsive: ['lg'],
      render: (v: string) => formatTime(v),
    },
  ];
  return (
    <>
      <PageHeader title={t('returns.title')} hint={t('returns.hint')} />
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setValues(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('returns.search')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('returns.state')}
            style={{ width: 140 }}
            options={RETURN_STATES.map((s) => ({ value: s, label: t(`returns.states.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="type">
          <Select
            allowClear
            placeholder={t('returns.type')}
            style={{ width: 120 }}
            options={RETURN_TYPES.map((s) => ({ value: s, label: t(`returns.types.${s}`) }))}
          />
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
