import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Tag,
  TreeSelect,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product, ProductCategory } from '../../../contracts/index.js';
import { VAT_RATES } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { CustomFieldItems, customFieldsBody } from '../platform/CustomFields.js';

export const PRODUCT_GRADES = ['A', 'B', 'C'] as const;
export const TRACKING_MODES = ['none', 'batch', 'serial'] as const;
export const PRODUCT_GRADE_COLORS: Record<string, string> = { A: 'red', B: 'orange', C: 'blue' };

/** Fen as yuan in the reader's language: ¥128,000.00. */
export { yuan } from '../../app/format.js';

/** "0.13" → "13%". */
export const ratePercent = (rate: string) => `${Number((Number(rate) * 100).toFixed(2))}%`;

/** A product's picture (not audited per view, unlike an attachment download). */
export const productImageUrl = (productId: string, imageId: string) =>
  `/api/v1/products/${productId}/images/${imageId}`;

export function ProductGradeTag({ grade }: { grade: string | null }) {
  return grade ? <Tag color={PRODUCT_GRADE_COLORS[grade]}>{grade}</Tag> : <>—</>;
}

/** The category tree, depth-first with depth (cached for the session). */
export function useCategories(includeArchived = false) {
  return useQuery({
    queryKey: ['product-categories', includeArchived],
    queryFn: () =>
      api.get<{ items: ProductCategory[] }>('/product-categories', {
        includeArchived: includeArchived || undefined,
      }),
    staleTime: 60_000,
  });
}

export interface CategoryNode {
  key: string;
  value: string;
  title: string;
  category: ProductCategory;
  children: CategoryNode[];
}

/** The depth-first list as nested nodes for antd Tree / TreeSelect. */
export function categoryTree(items: ProductCategory[], language: string): CategoryNode[] {
  const roots: CategoryNode[] = [];
  const byId = new Map<string, CategoryNode>();
  for (const c of items) {
    const node: CategoryNode = {
      key: c.id,
      value: c.id,
      title: language.startsWith('en') && c.nameEn ? c.nameEn : c.name,
      category: c,
      children: [],
    };
    byId.set(c.id, node);
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export function CategorySelect(props: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  return (
    <TreeSelect
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      placeholder={t('catalog.product.category')}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      treeData={categoryTree(categories.data?.items ?? [], i18n.language)}
      data-testid={props.testId}
    />
  );
}

interface FormValues {
  sku: string;
  name: string;
  nameEn?: string | null;
  specification?: string | null;
  uom: string;
  barcode?: string | null;
  brand?: string | null;
  categoryId?: string | null;
  taxRate: string;
  listPriceYuan: number;
  costPriceYuan?: number | null;
  grade?: string | null;
  trackingMode: string;
  customFields?: Record<string, unknown>;
}

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);
const toFen = (yuanValue: number | null | undefined) =>
  yuanValue === null || yuanValue === undefined ? null : Math.round(yuanValue * 100);

/**
 * Creates or edits a product. The cost price shows only to holders of products.cost; the
 * tracking mode is locked once stock has moved (the server says so too).
 */
export function ProductForm({
  open,
  product,
  defaultCategoryId,
  onClose,
  onSaved,
}: {
  open: boolean;
  product?: Product | null;
  defaultCategoryId?: string | null;
  onClose: () => void;
  onSaved: (p: Product) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const seesCost = can('products.cost');
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (product) {
      form.setFieldsValue({
        ...product,
        listPriceYuan: product.listPrice / 100,
        costPriceYuan:
          product.costPrice === null || product.costPrice === undefined ? null : product.costPrice / 100,
      });
    } else {
      form.setFieldsValue({
        uom: '件',
        taxRate: '0.13',
        trackingMode: 'none',
        categoryId: defaultCategoryId ?? null,
      });
    }
  }, [open, product, defaultCategoryId, form]);

  async function save() {
    const values = await form.validateFields();
    const { listPriceYuan, costPriceYuan, customFields, ...rest } = values;
    const body: Record<string, unknown> = {
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, blankToNull(v)])),
      listPrice: toFen(listPriceYuan) ?? 0,
      customFields: customFieldsBody(customFields),
    };
    if (seesCost) body.costPrice = toFen(costPriceYuan);
    if (!product) for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
    setSaving(true);
    try {
      const saved = product
        ? await api.patch<Product>(`/products/${product.id}`, { ...body, version: product.version })
        : await api.post<Product>('/products', body);
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      title={product ? t('catalog.product.edit') : t('catalog.product.new')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('catalog.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="product-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" requiredMark>
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="sku" label={t('catalog.product.sku')} rules={[rules.required()]}>
              <Input maxLength={50} autoFocus data-testid="product-sku" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="name" label={t('catalog.product.name')} rules={[rules.required()]}>
              <Input maxLength={200} data-testid="product-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="nameEn" label={t('catalog.product.nameEn')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="categoryId" label={t('catalog.product.category')}>
              <CategorySelect testId="product-category" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="specification" label={t('catalog.product.specification')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="uom" label={t('catalog.product.uom')} rules={[rules.required()]}>
              <Input maxLength={20} data-testid="product-uom" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="brand" label={t('catalog.product.brand')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="barcode" label={t('catalog.product.barcode')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="listPriceYuan" label={t('catalog.product.listPrice')} rules={[rules.required()]}>
              <InputNumber
                min={0}
                precision={2}
                prefix="¥"
                style={{ width: '100%' }}
                data-testid="product-list-price"
              />
            </Form.Item>
          </Col>
          {seesCost && (
            <Col xs={12} sm={8}>
              <Form.Item name="costPriceYuan" label={t('catalog.product.costPrice')}>
                <InputNumber
                  min={0}
                  precision={2}
                  prefix="¥"
                  style={{ width: '100%' }}
                  data-testid="product-cost-price"
                />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} sm={8}>
            <Form.Item name="taxRate" label={t('catalog.product.taxRate')}>
              <Select options={VAT_RATES.map((r) => ({ value: r, label: ratePercent(r) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="grade" label={t('catalog.product.grade')}>
              <Select allowClear options={PRODUCT_GRADES.map((g) => ({ value: g, label: g }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="trackingMode"
              label={t('catalog.product.trackingMode')}
              extra={product?.trackingLocked ? t('catalog.product.trackingLocked') : undefined}
            >
              <Select
                disabled={!!product?.trackingLocked}
                options={TRACKING_MODES.map((m) => ({ value: m, label: t(`catalog.tracking.${m}`) }))}
                data-testid="product-tracking"
              />
            </Form.Item>
          </Col>
          <CustomFieldItems entity="product" />
        </Row>
      </Form>
    </Drawer>
  );
}
