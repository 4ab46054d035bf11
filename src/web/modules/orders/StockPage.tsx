import { SwapOutlined, ToolOutlined } from '@ant-design/icons';
import { Button, Checkbox, Empty, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StockLevel } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { AdjustmentModal, ProductSelect, TransferModal, WarehouseSelect } from './StockForms.js';

interface Filters {
  q?: string;
  warehouseId?: string;
  productId?: string;
  lowOnly?: boolean;
  includeEmpty?: boolean;
}

/** Levels as a table: on hand, reserved, available (red when at or below the reorder point). */
export function useLevelColumns(withProduct: boolean): ColumnsType<StockLevel> {
  const { t } = useTranslation();
  return [
    ...(withProduct
      ? [
          {
            title: t('stock.sku'),
            dataIndex: 'sku',
            render: (sku: string, l: StockLevel) => (
              <Link to={`/catalog/products/${l.productId}`} data-testid={`stock-row-${sku}`}>
                {sku}
              </Link>
            ),
          },
          { title: t('stock.product'), dataIndex: 'productName' },
        ]
      : []),
    { title: t('stock.warehouse'), dataIndex: 'warehouseName' },
    { title: t('stock.onHand'), dataIndex: 'onHand', align: 'right' as const },
    { title: t('stock.reserved'), dataIndex: 'reserved', align: 'right' as const },
    {
      title: t('stock.available'),
      dataIndex: 'available',
      align: 'right' as const,
      render: (v: string, l: StockLevel) =>
        l.low ? (
          <Space size={4}>
            <Typography.Text type="danger" strong>
              {v}
            </Typography.Text>
            <Tag color="red">{t('stock.low')}</Tag>
          </Space>
        ) : (
          v
        ),
    },
    { title: t('stock.uom'), dataIndex: 'uom', responsive: ['md' as const] },
    {
      title: t('stock.reorderPoint'),
      dataIndex: 'reorderPoint',
      align: 'right' as const,
      responsive: ['lg' as const],
      render: (v: string | null, l: StockLevel) => (v === null ? '—' : `${v} / ${l.reorderQuantity ?? '—'}`),
    },
  ];
}

/** 库存总览: stock by location and product, with filters and the adjustment and transfer forms. */
export function StockPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [adjusting, setAdjusting] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const { list, rows } = usePagedList<StockLevel>(['stock', 'levels', filters], '/stock/levels', {
    ...filters,
    lowOnly: filters.lowOnly ? true : undefined,
    includeEmpty: filters.includeEmpty ? true : undefined,
  });
  const columns = useLevelColumns(true);
  return (
    <>
      <PageHeader
        title={t('stock.title')}
        hint={t('stock.hint')}
        extra={
          can('stock.move') && (
            <Space wrap>
              <Button icon={<ToolOutlined />} onClick={() => setAdjusting(true)} data-testid="stock-adjust">
                {t('stock.adjust')}
              </Button>
              <Button
                type="primary"
                icon={<SwapOutlined />}
                onClick={() => setTransferring(true)}
                data-testid="stock-transfer"
              >
                {t('stock.transfer')}
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
          <Input.Search
            allowClear
            placeholder={t('stock.search')}
            style={{ width: 220 }}
            data-testid="stock-search"
          />
        </Form.Item>
        <Form.Item name="warehouseId">
          <WarehouseSelect
            allowClear
            placeholder={t('stock.warehouse')}
            style={{ width: 180 }}
            testId="stock-filter-warehouse"
          />
        </Form.Item>
        <Form.Item name="productId">
          <ProductSelect style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="lowOnly" valuePropName="checked">
          <Checkbox data-testid="stock-filter-low">{t('stock.lowOnly')}</Checkbox>
        </Form.Item>
        <Form.Item name="includeEmpty" valuePropName="checked">
          <Checkbox>{t('stock.includeEmpty')}</Checkbox>
        </Form.Item>
      </Form>
      <Table
        rowKey={(l) => `${l.warehouseId}:${l.productId}`}
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('stock.none')} /> }}
        data-testid="stock-table"
      />
      <LoadMore list={list} />
      {adjusting && <AdjustmentModal onClose={() => setAdjusting(false)} />}
      {transferring && <TransferModal onClose={() => setTransferring(false)} />}
    </>
  );
}
