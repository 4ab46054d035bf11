import { useQuery } from '@tanstack/react-query';
import { Descriptions, Empty, Skeleton, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ProductPrices } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { DateRange } from './PriceListParts.js';
import { yuan } from './ProductForm.js';
import { type ProductRef, registerProductTab } from './productTabs.js';

type Item = ProductPrices['items'][number];

/** 价格: the product's price in each active list, every tier, highest priority first. */
function ProductPricesTab({ product }: { product: ProductRef }) {
  const { t, i18n } = useTranslation();
  const prices = useQuery({
    queryKey: ['price-lists', 'product', product.id],
    queryFn: () => api.get<ProductPrices>(`/products/${product.id}/prices`),
  });
  if (!prices.data) return <Skeleton active />;
  const money = (f: number | null) => yuan(f, i18n.language);
  return (
    <>
      <Descriptions size="small" style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('pricing.catalogListPrice')}>
          {money(prices.data.listPrice)}
        </Descriptions.Item>
      </Descriptions>
      <Table<Item>
        rowKey="ruleId"
        size="small"
        pagination={false}
        dataSource={prices.data.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('pricing.noPrices')} /> }}
        data-testid="product-prices-table"
        columns={[
          {
            title: t('pricing.list'),
            render: (_: unknown, i) => (
              <Link
                to={`/catalog/price-lists/${i.priceList.id}`}
              >{`${i.priceList.name} (${i.priceList.code})`}</Link>
            ),
          },
          { title: t('pricing.priority'), dataIndex: 'priority', align: 'right' },
          {
            title: t('pricing.channel'),
            dataIndex: 'channel',
            render: (c: string | null) => (c ? t(`pricing.channels.${c}`) : t('pricing.any')),
          },
          { title: t('pricing.effective'), render: (_: unknown, i) => <DateRange list={i} /> },
          {
            title: t('pricing.minQuantity'),
            dataIndex: 'minQuantity',
            align: 'right',
            render: (m: string) => (m === '0' ? t('pricing.baseTier') : `≥ ${m}`),
          },
          {
            title: t('pricing.price'),
            align: 'right',
            render: (_: unknown, i) => (
              <>
                {money(i.price)}
                {i.percent !== null && <Tag style={{ marginLeft: 6 }}>{`${i.percent}%`}</Tag>}
                {i.target === 'category' && <Tag>{t('pricing.targets.category')}</Tag>}
              </>
            ),
          },
          {
            title: t('pricing.floor'),
            dataIndex: 'floorPrice',
            align: 'right',
            render: (f: number | null) => money(f),
          },
          {
            title: t('pricing.rounding'),
            dataIndex: 'rounding',
            render: (r: string) => (r === 'none' ? '—' : t(`pricing.roundings.${r}`)),
          },
        ]}
      />
    </>
  );
}

registerProductTab({
  key: 'prices',
  labelKey: 'pricing.tab',
  permission: 'price-lists.read',
  order: 30,
  render: (product) => <ProductPricesTab product={product} />,
});
