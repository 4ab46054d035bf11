import { PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Receipt } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { ReceiptStatusTag, yuan } from './ReceiptParts.js';
import { ProductSelect, WarehouseSelect } from './StockForms.js';

const STATUSES = ['draft', 'posted', 'reversed'] as const;

interface Filters {
  q?: string;
  status?: string;
  warehouseId?: string;
  productId?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

/** 采购入库: purchase receipts, newest first, with filters; new receipt and opening-stock import. */
export function ReceiptsPage() {
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
  const { list, rows } = usePagedList<Receipt>(['receipts', params], '/purchase-receipts', params);
  const seesCost = can('products.cost');
  const columns: ColumnsType<Receipt> = [
    {
      title: t('receipts.number'),
      dataIndex: 'number',
      render: (n: string, r) => (
        <Link to={`/stock/receipts/${r.id}`} data-testid={`receipt-${r.number}`}>
          {n}
        </Link>
      ),
    },
    { title: t('receipts.receiptDate'), dataIndex: 'receiptDate' },
    { title: t('receipts.supplier'), dataIndex: 'supplierName' },
    {
      title: t('receipts.supplierNoteNo'),
      dataIndex: 'supplierNoteNo',
      responsive: ['lg'],
      render: (v: string | null) => v ?? '—',
    },
    { title: t('receipts.warehouse'), dataIndex: 'warehouseName' },
    { title: t('receipts.lineCount'), dataIndex: 'lineCount', align: 'right', responsive: ['md'] },
    { title: t('receipts.totalQuantity'), dataIndex: 'totalQuantity', align: 'right' },
    ...(seesCost
      ? [{ title: t('receipts.totalCost'), dataIndex: 'totalCost', align: 'right' as const, render: yuan }]
      : []),
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: string) => <ReceiptStatusTag status={s} />,
    },
    { title: t('receipts.createdBy'), dataIndex: 'createdByName', responsive: ['xl'] },
    { title: t('receipts.createdAt'), dataIndex: 'createdAt', responsive: ['xl'], render: formatTime },
  ];
  return (
    <>
      <PageHeader
        title={t('receipts.title')}
        hint={t('receipts.hint')}
        extra={
          can('stock.receive') && (
            <Space>
              <ImportButton entity="opening-stock" onImported={() => void list.refetch()} />
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/stock/receipts/new')}
                data-testid="receipt-new"
              >
                {t('receipts.new')}
              </Button>
            </Space>
          )
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('receipts.search')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`receipts.statuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="warehouseId">
          <WarehouseSelect allowClear placeholder={t('receipts.warehouse')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="productId">
          <ProductSelect style={{ width: 220 }} />
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
