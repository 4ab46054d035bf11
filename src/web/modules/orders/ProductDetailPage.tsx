import { EditOutlined, InboxOutlined, StarOutlined, UndoOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Divider,
  Empty,
  Image,
  Popconfirm,
  Result,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { AttachmentList, Product } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { Attachments } from '../platform/Attachments.js';
import { useCustomFieldDescriptions } from '../platform/CustomFields.js';
import { ProductForm, ProductGradeTag, productImageUrl, ratePercent, yuan } from './ProductForm.js';
import { productTabs } from './productTabs.js';
import './productPricesTab.js';
import './productStockTab.js';
import { RecordHistory } from '../platform/HistoryDrawer.js';

/** The product's pictures as a gallery (the cover first), a "make cover" action, and the upload. */
function ProductImages({
  product,
  editable,
  onChanged,
}: {
  product: Product;
  editable: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const files = useQuery({
    queryKey: ['attachments', 'product', product.id],
    queryFn: () =>
      api.get<AttachmentList>('/attachments', { entity: 'product', entityId: product.id, limit: 200 }),
  });
  const pictures = (files.data?.items ?? []).filter((a) => a.contentType.startsWith('image/'));
  const rank = (id: string) => (id === product.coverImageId ? -1 : product.images.indexOf(id));
  const ordered = [...pictures].sort((a, b) => rank(a.id) - rank(b.id));
  async function makeCover(id: string) {
    try {
      const rest = product.images.filter((i) => i !== id && pictures.some((p) => p.id === i));
      await api.patch(`/products/${product.id}`, { images: [id, ...rest], version: product.version });
      onChanged();
    } catch (err) {
      showError(err, message);
    }
  }
  return (
    <>
      {ordered.length === 0 ? (
        <Empty
          image={<InboxOutlined style={{ fontSize: 40, color: '#bbb' }} />}
          description={t('catalog.product.noImages')}
        />
      ) : (
        <Image.PreviewGroup>
          <Space wrap size={12} data-testid="product-gallery">
            {ordered.map((a) => (
              <Space key={a.id} orientation="vertical" align="center" size={4}>
                <Image
                  src={productImageUrl(product.id, a.id)}
                  width={140}
                  height={140}
                  style={{ objectFit: 'cover' }}
                  alt={a.fileName}
                />
                {a.id === product.coverImageId ? (
                  <Tag color="gold">{t('catalog.product.cover')}</Tag>
                ) : (
                  editable && (
                    <Button size="small" icon={<StarOutlined />} onClick={() => void makeCover(a.id)}>
                      {t('catalog.product.makeCover')}
                    </Button>
                  )
                )}
              </Space>
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      <Divider />
      <Typography.Paragraph type="secondary">{t('catalog.product.imagesHint')}</Typography.Paragraph>
      <Attachments entity="product" entityId={product.id} />
    </>
  );
}

/** One product: key facts, overview with custom fields, pictures, history, then other parts' tabs. */
export function ProductDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const query = useQuery({ queryKey: ['product', id], queryFn: () => api.get<Product>(`/products/${id}`) });
  const p = query.data;
  const custom = useCustomFieldDescriptions('product', p?.customFields ?? {});
  if (query.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (query.error || !p) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '404' : t('catalog.product.loadError')}
        subTitle={t('common.notFound')}
      />
    );
  }
  const active = p.status === 'active';
  const editable = can('products.update') && active;
  const seesCost = can('products.cost');
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['product', id] });
    void client.invalidateQueries({ queryKey: ['products'] });
    void client.invalidateQueries({ queryKey: ['history', `/products/${id}/history`] });
  };
  async function setStatus(action: 'archive' | 'restore') {
    try {
      await api.post(`/products/${id}/${action}`, { version: p!.version });
      void message.success(t(action === 'archive' ? 'catalog.product.archived' : 'catalog.product.restored'));
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  const facts = [
    { key: 'grade', label: t('catalog.product.grade'), children: <ProductGradeTag grade={p.grade} /> },
    { key: 'listPrice', label: t('catalog.product.listPrice'), children: yuan(p.listPrice, i18n.language) },
    ...(seesCost
      ? [
          {
            key: 'costPrice',
            label: t('catalog.product.costPrice'),
            children: yuan(p.costPrice, i18n.language),
          },
          { key: 'margin', label: t('catalog.product.margin'), children: p.margin ? `${p.margin}%` : '—' },
        ]
      : []),
    {
      key: 'tracking',
      label: t('catalog.product.trackingMode'),
      children: t(`catalog.tracking.${p.trackingMode}`),
    },
  ];
  const overview = [
    { key: 'sku', label: t('catalog.product.sku'), children: p.sku },
    { key: 'name', label: t('catalog.product.name'), children: p.name },
    { key: 'nameEn', label: t('catalog.product.nameEn'), children: p.nameEn ?? '—' },
    {
      key: 'category',
      label: t('catalog.product.category'),
      children: p.categoryName ? `${p.categoryName}（${p.categoryCode}）` : '—',
    },
    {
      key: 'specification',
      label: t('catalog.product.specification'),
      children: p.specification ?? '—',
      span: 2,
    },
    { key: 'uom', label: t('catalog.product.uom'), children: p.uom },
    { key: 'brand', label: t('catalog.product.brand'), children: p.brand ?? '—' },
    { key: 'barcode', label: t('catalog.product.barcode'), children: p.barcode ?? '—' },
    { key: 'taxRate', label: t('catalog.product.taxRate'), children: ratePercent(p.taxRate) },
    {
      key: 'status',
      label: t('catalog.product.status'),
      children: <Tag color={active ? 'green' : undefined}>{t(`catalog.statuses.${p.status}`)}</Tag>,
    },
    ...custom,
    { key: 'createdAt', label: t('catalog.product.createdAt'), children: formatTime(p.createdAt) },
    { key: 'updatedAt', label: t('catalog.product.updatedAt'), children: formatTime(p.updatedAt) },
  ];
  const extra = productTabs()
    .filter((tab) => !tab.permission || can(tab.permission))
    .map((tab) => ({ key: tab.key, label: t(tab.labelKey), children: tab.render(p) }));

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            {p.name}
            <Typography.Text type="secondary">{p.sku}</Typography.Text>
            {!active && <Tag>{t('catalog.statuses.archived')}</Tag>}
          </Space>
        }
        hint={<Link to="/catalog/products">{t('catalog.product.backToList')}</Link>}
        extra={
          <Space wrap>
            {editable && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="product-edit">
                {t('common.edit')}
              </Button>
            )}
            {can('products.archive') && active && (
              <Popconfirm title={t('catalog.product.archiveConfirm')} onConfirm={() => setStatus('archive')}>
                <Button danger data-testid="product-archive">
                  {t('catalog.product.archive')}
                </Button>
              </Popconfirm>
            )}
            {can('products.archive') && !active && (
              <Button
                icon={<UndoOutlined />}
                onClick={() => void setStatus('restore')}
                data-testid="product-restore"
              >
                {t('catalog.product.restore')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 5 }} items={facts} />
      </Card>
      <Tabs
        items={[
          {
            key: 'overview',
            label: t('catalog.product.tabs.overview'),
            children: <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={overview} />,
          },
          {
            key: 'images',
            label: t('catalog.product.tabs.images'),
            children: <ProductImages product={p} editable={editable} onChanged={refresh} />,
          },
          {
            key: 'history',
            label: t('catalog.product.tabs.history'),
            children: <RecordHistory path={`/products/${p.id}/history`} actionKeys="catalog.actions" />,
          },
          ...extra,
        ]}
      />
      <ProductForm
        open={editing}
        product={p}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          refresh();
        }}
      />
    </>
  );
}
