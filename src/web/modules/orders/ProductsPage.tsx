import { PictureOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Product } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { ImportButton } from '../platform/ImportWizard.js';
import {
  categoryTree,
  PRODUCT_GRADES,
  ProductForm,
  ProductGradeTag,
  productImageUrl,
  TRACKING_MODES,
  useCategories,
  yuan,
} from './ProductForm.js';

interface Filters {
  q?: string;
  status?: string;
  grade?: string;
  trackingMode?: string;
  brand?: string;
}

export function ProductThumb({
  productId,
  id,
  size = 40,
}: {
  productId: string;
  id: string | null;
  size?: number;
}) {
  const box = { width: size, height: size, borderRadius: 4, objectFit: 'cover' as const };
  if (!id) {
    return (
      <div
        style={{
          ...box,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          background: '#f5f5f5',
        }}
      >
        <PictureOutlined style={{ color: '#bbb' }} />
      </div>
    );
  }
  return <img src={productImageUrl(productId, id)} alt="" style={box} loading="lazy" />;
}

/** 商品: the catalog with its category tree on the left, search and filters, import and export. */
export function ProductsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const seesCost = can('products.cost');
  const [searchParams] = useSearchParams();
  const [categoryId, setCategoryId] = useState<string | undefined>(
    searchParams.get('categoryId') ?? undefined,
  );
  const [filters, setFilters] = useState<Filters>({ status: 'active' });
  const [creating, setCreating] = useState(false);
  const categories = useCategories();
  const brands = useQuery({
    queryKey: ['product-brands'],
    queryFn: () => api.get<{ items: string[] }>('/product-brands'),
    staleTime: 60_000,
  });
  const params = { ...filters, categoryId };
  const { list, rows } = usePagedList<Product>(['products', params], '/products', params);

  const columns: ColumnsType<Product> = [
    {
      title: '',
      dataIndex: 'coverImageId',
      width: 56,
      render: (id: string | null, p) => <ProductThumb productId={p.id} id={id} />,
    },
    {
      title: t('catalog.product.sku'),
      dataIndex: 'sku',
      render: (sku: string, p) => (
        <Link to={`/catalog/products/${p.id}`} data-testid={`product-row-${sku}`}>
          {sku}
        </Link>
      ),
    },
    { title: t('catalog.product.name'), dataIndex: 'name' },
    { title: t('catalog.product.specification'), dataIndex: 'specification', responsive: ['lg'] },
    { title: t('catalog.product.uom'), dataIndex: 'uom', responsive: ['md'] },
    { title: t('catalog.product.brand'), dataIndex: 'brand', responsive: ['lg'] },
    {
      title: t('catalog.product.grade'),
      dataIndex: 'grade',
      render: (g: string | null) => <ProductGradeTag grade={g} />,
    },
    {
      title: t('catalog.product.trackingMode'),
      dataIndex: 'trackingMode',
      responsive: ['md'],
      render: (m: string) => t(`catalog.tracking.${m}`),
    },
    {
      title: t('catalog.product.listPrice'),
      dataIndex: 'listPrice',
      align: 'right',
      render: (fen: number) => yuan(fen, i18n.language),
    },
    ...(seesCost
      ? ([
          {
            title: t('catalog.product.costPrice'),
            dataIndex: 'costPrice',
            align: 'right',
            render: (fen: number | null) => yuan(fen, i18n.language),
          },
          {
            title: t('catalog.product.margin'),
            dataIndex: 'margin',
            align: 'right',
            render: (m: string | null) => (m === null ? '—' : `${m}%`),
          },
        ] as ColumnsType<Product>)
      : []),
    {
      title: t('catalog.product.status'),
      dataIndex: 'status',
      render: (s: string) => (
        <Tag color={s === 'active' ? 'green' : undefined}>{t(`catalog.statuses.${s}`)}</Tag>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('catalog.product.title')}
        hint={t('catalog.product.hint')}
        extra={
          <Space wrap>
            {can('products.create') && (
              <ImportButton entity="products" onImported={() => void list.refetch()} />
            )}
            <ExportButton path="/products" filters={params} testId="product-export" />
            {can('products.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="product-new"
              >
                {t('catalog.product.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small" title={t('catalog.category.title')} style={{ marginBottom: 12 }}>
            <Typography.Link onClick={() => setCategoryId(undefined)} strong={!categoryId}>
              {t('catalog.category.all')}
            </Typography.Link>
            <Tree
              blockNode
              defaultExpandAll
              key={categories.data ? 'loaded' : 'loading'}
              selectedKeys={categoryId ? [categoryId] : []}
              onSelect={(keys) => setCategoryId((keys[0] as string | undefined) ?? undefined)}
              treeData={categoryTree(categories.data?.items ?? [], i18n.language)}
              data-testid="product-category-tree"
            />
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Form
            layout="inline"
            style={{ marginBottom: 12, rowGap: 8 }}
            initialValues={filters}
            onValuesChange={(_, all) => setFilters(all)}
          >
            <Form.Item name="q">
              <Input.Search
                allowClear
                placeholder={t('catalog.product.search')}
                style={{ width: 240 }}
                data-testid="product-search"
              />
            </Form.Item>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={t('catalog.product.status')}
                style={{ width: 110 }}
                options={['active', 'archived'].map((s) => ({ value: s, label: t(`catalog.statuses.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="grade">
              <Select
                allowClear
                placeholder={t('catalog.product.grade')}
                style={{ width: 100 }}
                options={PRODUCT_GRADES.map((g) => ({ value: g, label: g }))}
              />
            </Form.Item>
            <Form.Item name="trackingMode">
              <Select
                allowClear
                placeholder={t('catalog.product.trackingMode')}
                style={{ width: 120 }}
                options={TRACKING_MODES.map((m) => ({ value: m, label: t(`catalog.tracking.${m}`) }))}
              />
            </Form.Item>
            <Form.Item name="brand">
              <Select
                allowClear
                showSearch
                placeholder={t('catalog.product.brand')}
                style={{ width: 140 }}
                options={(brands.data?.items ?? []).map((b) => ({ value: b, label: b }))}
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
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('catalog.product.none')} /> }}
            data-testid="product-table"
          />
          <LoadMore list={list} />
        </Col>
      </Row>
      <ProductForm
        open={creating}
        defaultCategoryId={categoryId ?? null}
        onClose={() => setCreating(false)}
        onSaved={(p) => {
          setCreating(false);
          navigate(`/catalog/products/${p.id}`);
        }}
      />
    </>
  );
}
