import { Button, DatePicker, Form, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { paymentListItem } from '../../../contracts/payments.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { yuan } from '../sales/ContractParts.js';
import { PaymentDrawer } from './PaymentDrawer.js';
import { PaymentForm } from './PaymentForm.js';
import { PAYMENT_METHODS, PaymentKindTag } from './PaymentParts.js';

type Row = z.infer<typeof paymentListItem>;

interface Filters {
  customerId?: string;
  method?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** 回款: payments received, newest first; finance posts new ones here. */
export function PaymentsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [posting, setPosting] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const query = {
    customerId: filters.customerId,
    method: filters.method,
    from: filters.range?.[0]?.format('YYYY-MM-DD'),
    to: filters.range?.[1]?.format('YYYY-MM-DD'),
  };
  const { list, rows } = usePagedList<Row>(['payments', query], '/payments', query);
  const columns: ColumnsType<Row> = [
    {
      title: t('payments.number'),
      dataIndex: 'number',
      render: (n: string, r) => (
        <Typography.Link onClick={() => setOpenId(r.id)} data-testid={`payment-${n}`}>
          {n} <PaymentKindTag kind={r.kind} />
        </Typography.Link>
      ),
    },
    { title: t('payments.customer'), dataIndex: 'customerName' },
    { title: t('payments.receivedDate'), dataIndex: 'receivedDate' },
    {
      title: t('payments.method'),
      dataIndex: 'method',
      render: (m: string) => t(`payments.methods.${m}`),
      responsive: ['md'],
    },
    { title: t('payments.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('payments.allocated'),
      dataIndex: 'allocated',
      align: 'right',
      render: (v: number) => yuan(v),
      responsive: ['lg'],
    },
    {
      title: t('payments.unapplied'),
      dataIndex: 'unapplied',
      align: 'right',
      render: (v: number) => (v ? <Typography.Text type="warning">{yuan(v)}</Typography.Text> : yuan(v)),
    },
    { title: t('payments.reference'), dataIndex: 'reference', responsive: ['xl'] },
  ];
  return (
    <>
      <PageHeader
        title={t('payments.title')}
        hint={t('payments.hint')}
        extra={
          can('payments.post') && (
            <Button type="primary" onClick={() => setPosting(true)} data-testid="payment-new">
              {t('payments.post')}
            </Button>
          )
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="customerId">
          <CustomerPicker testId="payments-filter-customer" />
        </Form.Item>
        <Form.Item name="method">
          <Select
            allowClear
            placeholder={t('payments.method')}
            style={{ width: 150 }}
            options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))}
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
        data-testid="payments"
      />
      {posting && (
        <PaymentForm
          onClose={() => setPosting(false)}
          onPosted={(id) => {
            setPosting(false);
            setOpenId(id);
          }}
        />
      )}
      <PaymentDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
