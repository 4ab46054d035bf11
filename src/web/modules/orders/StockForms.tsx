import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Warehouse } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';

/** What the pickers need of a product. */
export interface PickedProduct {
  id: string;
  sku: string;
  name: string;
  uom: string;
  trackingMode: 'none' | 'batch' | 'serial';
}

const QUANTITY = /^-?\d{1,12}(\.\d{1,3})?$/;

/** Active locations, for pickers and filters. */
export function useWarehouses() {
  return useQuery({
    queryKey: ['warehouses', 'active'],
    queryFn: () => api.get<Page<Warehouse>>('/warehouses', { limit: 500 }),
    staleTime: 60_000,
  });
}

export function WarehouseSelect({
  value,
  onChange,
  placeholder,
  exclude,
  testId,
  allowClear,
  style,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  exclude?: string;
  testId?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
}) {
  const { data } = useWarehouses();
  return (
    <Select
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      style={style}
      data-testid={testId}
      options={(data?.items ?? [])
        .filter((w) => w.id !== exclude)
        .map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
    />
  );
}

/** A product found by SKU, name or pinyin as one types. */
export function ProductSelect({
  value,
  onChange,
  onPicked,
  testId,
  style,
  placeholder,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  onPicked?: (p: PickedProduct | undefined) => void;
  testId?: string;
  style?: React.CSSProperties;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['products', 'pick', q],
    queryFn: () => api.get<Page<PickedProduct>>('/products', { q, status: 'active', limit: 20 }),
  });
  const items = found.data?.items ?? [];
  return (
    <Select
      value={value}
      style={style}
      allowClear
      placeholder={placeholder ?? t('stock.pickProduct')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.isFetching}
      data-testid={testId}
      onChange={(v: string | undefined) => {
        onChange?.(v);
        onPicked?.(items.find((p) => p.id === v));
      }}
      options={items.map((p) => ({ value: p.id, label: `${p.sku} ${p.name}` }))}
    />
  );
}

/** Batch or serial inputs, only for products tracked that way. */
function LotFields({ product, prefix }: { product?: PickedProduct; prefix: string }) {
  const { t } = useTranslation();
  if (product?.trackingMode === 'batch')
    return (
      <Form.Item name="batchNo" label={t('stock.batchNo')} rules={[rules.required()]}>
        <Input maxLength={64} data-testid={`${prefix}-batch`} />
      </Form.Item>
    );
  if (product?.trackingMode === 'serial')
    return (
      <Form.Item name="serialNo" label={t('stock.serialNo')} rules={[rules.required()]}>
        <Input maxLength={64} data-testid={`${prefix}-serial`} />
      </Form.Item>
    );
  return null;
}

const quantityRule = (signed: boolean, message: string) => ({
  validator: (_: unknown, v: string | undefined) =>
    !v || (QUANTITY.test(v.trim()) && Number(v) !== 0 && (signed || !v.trim().startsWith('-')))
      ? Promise.resolve()
      : Promise.reject(new Error(message)),
});

/** A new key per opened form: a double click or a retried request posts once. */
const newKey = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : String(Date.now()));

function useSubmit(path: string, onDone: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [key] = useState(newKey);
  const [saving, setSaving] = useState(false);
  async function submit(body: unknown, form: Parameters<typeof showError>[2]) {
    setSaving(true);
    try {
      await api.post(path, { ...(body as object), key });
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(t('stock.posted'));
      onDone();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return { submit, saving };
}

export const ADJUSTMENT_REASONS = ['count_gain', 'count_loss', 'damage', 'other'] as const;

/** 库存调整: a signed quantity with a reason (盘盈 / 盘亏 / 报损 / 其他) and a note. */
export function AdjustmentModal({
  onClose,
  initial,
}: {
  onClose: () => void;
  initial?: { warehouseId?: string; product?: PickedProduct };
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [product, setProduct] = useState<PickedProduct | undefined>(initial?.product);
  const { submit, saving } = useSubmit('/stock/adjustments', onClose);
  async function save() {
    const values = await form.validateFields();
    await submit({ ...values, note: values.note || undefined }, form);
  }
  return (
    <Modal
      open
      title={t('stock.adjust')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving, 'data-testid': 'stock-adjust-save' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          warehouseId: initial?.warehouseId,
          productId: initial?.product?.id,
          reason: 'count_gain',
        }}
      >
        <Form.Item name="warehouseId" label={t('stock.warehouse')} rules={[rules.required()]}>
          <WarehouseSelect testId="stock-adjust-warehouse" />
        </Form.Item>
        <Form.Item name="productId" label={t('stock.product')} rules={[rules.required()]}>
          <ProductSelect testId="stock-adjust-product" onPicked={setProduct} />
        </Form.Item>
        <LotFields product={product} prefix="stock-adjust" />
        <Form.Item name="reason" label={t('stock.reason')} rules={[rules.required()]}>
          <Select
            data-testid="stock-adjust-reason"
            options={ADJUSTMENT_REASONS.map((r) => ({ value: r, label: t(`stock.reasons.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="quantity"
          label={t('stock.adjustQuantity')}
          extra={t('stock.adjustQuantityHint')}
          rules={[rules.required(), quantityRule(true, t('stock.badQuantity'))]}
        >
          <Input data-testid="stock-adjust-quantity" addonAfter={product?.uom} />
        </Form.Item>
        <Form.Item name="note" label={t('stock.note')}>
          <Input.TextArea maxLength={500} rows={2} data-testid="stock-adjust-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 调拨: from one location to another, both legs posted together. */
export function TransferModal({
  onClose,
  initial,
}: {
  onClose: () => void;
  initial?: { fromWarehouseId?: string; product?: PickedProduct };
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [product, setProduct] = useState<PickedProduct | undefined>(initial?.product);
  const from = Form.useWatch('fromWarehouseId', form);
  const { submit, saving } = useSubmit('/stock/transfers', onClose);
  async function save() {
    const values = await form.validateFields();
    await submit({ ...values, note: values.note || undefined }, form);
  }
  return (
    <Modal
      open
      title={t('stock.transfer')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving, 'data-testid': 'stock-transfer-save' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ fromWarehouseId: initial?.fromWarehouseId, productId: initial?.product?.id }}
      >
        <Form.Item name="fromWarehouseId" label={t('stock.from')} rules={[rules.required()]}>
          <WarehouseSelect testId="stock-transfer-from" />
        </Form.Item>
        <Form.Item name="toWarehouseId" label={t('stock.to')} rules={[rules.required()]}>
          <WarehouseSelect testId="stock-transfer-to" exclude={from} />
        </Form.Item>
        <Form.Item name="productId" label={t('stock.product')} rules={[rules.required()]}>
          <ProductSelect testId="stock-transfer-product" onPicked={setProduct} />
        </Form.Item>
        <LotFields product={product} prefix="stock-transfer" />
        <Form.Item
          name="quantity"
          label={t('stock.quantity')}
          rules={[rules.required(), quantityRule(false, t('stock.badQuantity'))]}
        >
          <Input data-testid="stock-transfer-quantity" addonAfter={product?.uom} />
        </Form.Item>
        <Form.Item name="note" label={t('stock.note')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
