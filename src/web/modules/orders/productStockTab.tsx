import { useQuery } from '@tanstack/react-query';
import { Descriptions, Empty, Skeleton, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProductStock } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { MovementsPage } from './MovementsPage.js';
import { type ProductRef, registerProductTab } from './productTabs.js';
import { useLevelColumns } from './StockPage.js';

/** 库存分布: a product's stock by location, its batches or serials, and its recent movements. */
function ProductStockTab({ product }: { product: ProductRef }) {
  const { t } = useTranslation();
  const stock = useQuery({
    queryKey: ['stock', 'product', product.id],
    queryFn: () => api.get<ProductStock>(`/stock/products/${product.id}`),
  });
  const columns = useLevelColumns(false);
  if (!stock.data) return <Skeleton active />;
  const s = stock.data;
  return (
    <>
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('stock.onHand')}>{`${s.totals.onHand} ${s.uom}`}</Descriptions.Item>
        <Descriptions.Item label={t('stock.reserved')}>{`${s.totals.reserved} ${s.uom}`}</Descriptions.Item>
        <Descriptions.Item label={t('stock.available')}>
          <Typography.Text strong>{`${s.totals.available} ${s.uom}`}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="warehouseId"
        size="small"
        columns={columns}
        dataSource={s.levels}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('stock.none')} /> }}
        data-testid="product-stock-table"
      />
      {s.trackingMode !== 'none' && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {s.trackingMode === 'serial' ? t('stock.serials') : t('stock.batches')}
          </Typography.Title>
          <Table
            rowKey={(l) => `${l.lotId}:${l.warehouseId ?? ''}`}
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={s.lots}
            columns={[
              {
                title: s.trackingMode === 'serial' ? t('stock.serialNo') : t('stock.batchNo'),
                render: (_: unknown, l) => l.serialNo ?? l.batchNo,
              },
              {
                title: t('stock.warehouse'),
                dataIndex: 'warehouseName',
                render: (n: string | null) => n ?? t('stock.issued'),
              },
              { title: t('stock.onHand'), dataIndex: 'onHand', align: 'right' },
            ]}
            data-testid="product-stock-lots"
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('stock.recentMovements')}
      </Typography.Title>
      <MovementsPage productId={product.id} />
    </>
  );
}

registerProductTab({
  key: 'stock',
  labelKey: 'stock.tab',
  permission: 'stock.read',
  order: 20,
  render: (product) => <ProductStockTab product={product} />,
});
