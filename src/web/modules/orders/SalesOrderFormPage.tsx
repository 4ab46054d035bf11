import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { SalesOrder, SalesOrderPreview } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { fenToYuanInput, yuan, yuanInputToFen } from './ReceiptParts.js';
import { ORDER_CHANNELS } from './SalesOrderParts.js';
import { ProductSelect, WarehouseSelect } from './StockForms.js';

interface LineValues {
  productId?: string;
  quantity?: string;
  discountPercent?: string;
  unitPrice?: string;
  warehouseId?: string;
}
interface Values {
  customerId?: string;
  contactId?: string;
  channel: string;
  warehouseId?: string;
  notes?: string;
  lines: LineValues[];
}

/** The body the API takes: yuan typed by the user → fen, empty fields left out. */
interface Body {
  customerId?: string | undefined;
  contactId?: string;
  channel: string;
  warehouseId?: string;
  notes?: string;
  contractId?: string;
  quoteId?: string;
  lines?: {
    productId: string;
    quantity: string;
    unitPrice?: number;
    discountPercent?: string;
    warehouseId?: string;
  }[];
}

function bodyOf(v: Values, from: { contractId?: string | null; quoteId?: string | null }): Body {
  const lines = (v.lines ?? [])
    .filter((l) => l.productId && l.quantity)
    .map((l) => {
      const unitPrice = yuanInputToFen(l.unitPrice);
      return {
        productId: l.productId!,
        quantity: String(l.quantity).trim(),
        ...(unitPrice !== null
          ? { unitPrice }
          : l.discountPercent
            ? { discountPercent: l.discountPercent }
            : {}),
        ...(l.warehouseId ? { warehouseId: l.warehouseId } : {}),
      };
    });
  return {
    customerId: v.customerId,
    ...(v.contactId ? { contactId: v.contactId } : {}),
    channel: v.channel,
    ...(v.warehouseId ? { warehouseId: v.warehouseId } : {}),
    ...(v.notes ? { notes: v.notes } : {}),
    ...(from.contractId ? { contractId: from.contractId } : {}),
    ...(from.quoteId ? { quoteId: from.quoteId } : { lines }),
  };
}

/** New order (directly, from a contract or from an accepted quote) or a draft's changes. */
export function SalesOrderFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  // One key per opened form: a double click or a retry creates one order.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const existing = useQuery({
    queryKey: ['sales-orders', id],
    queryFn: () => api.get<SalesOrder>(`/sales-orders/${id}`),
    enabled: !!id,
  });
  const from = {
    contractId: existing.data?.contractId ?? search.get('contractId'),
    quoteId: existing.data?.quoteId ?? search.get('quoteId'),
  };
  const customerId = Form.useWatch('customerId', form);
  const values = Form.useWatch([], form) as Values | undefined;
  const body = values ? bodyOf(values, from) : null;
  const [debounced, setDebounced] = useState(body);
  const bodyKey = JSON.stringify(body);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised body is the dependency
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(body), 400);
    return () => clearTimeout(timer);
  }, [bodyKey]);
  const preview = useQuery({
    queryKey: ['sales-orders', 'preview', debounced],
    queryFn: () => api.post<SalesOrderPreview>('/sales-orders/preview', debounced),
    enabled: !!debounced?.customerId && (!!debounced.quoteId || (debounced.lines?.length ?? 0) > 0),
    retry: false,
  });
  const contacts = useQuery({
    queryKey: ['customers', customerId, 'contacts'],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>(`/customers/${customerId}/contacts`),
    enabled: !!customerId,
  });

  useEffect(() => {
    const o = existing.data;
    if (o) {
      form.setFieldsValue({
        customerId: o.customerId,
        contactId: o.contactId ?? undefined,
        channel: o.channel,
        notes: o.notes ?? undefined,
        lines: o.lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          warehouseId: l.warehouseId,
          ...(l.priceSource === 'entered'
            ? { unitPrice: fenToYuanInput(l.unitPrice) }
            : { discountPercent: l.discountPercent === '0.00' ? undefined : l.discountPercent }),
        })),
      });
    } else if (!id) {
      const customer = search.get('customerId');
      form.setFieldsValue({ channel: 'direct', lines: [{}], ...(customer ? { customerId: customer } : {}) });
    }
  }, [existing.data, id, form, search]);

  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const payload = bodyOf(v, from);
      let orderId = id;
      if (id) {
        const { customerId: _c, contractId: _k, quoteId: _q, ...changes } = payload;
        await api.patch(`/sales-orders/${id}`, { ...changes, version: existing.data!.version });
      } else {
        orderId = (
          await api.post<SalesOrder>('/sales-orders', payload, { 'Idempotency-Key': idempotencyKey })
        ).id;
      }
      void client.invalidateQueries({ queryKey: ['sales-orders'] });
      void message.success(t('common.saved'));
      navigate(`/orders/sales-orders/${orderId}`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }

  const priced = preview.data;
  return (
    <>
      <PageHeader
        title={
          id ? t('salesOrders.editTitle', { number: existing.data?.number ?? '' }) : t('salesOrders.new')
        }
        hint={from.quoteId ? t('salesOrders.fromQuoteHint') : t('salesOrders.formHint')}
        extra={
          <Space>
            <Button onClick={() => navigate(-1)}>{t('salesOrders.back')}</Button>
            <Button type="primary" loading={busy} onClick={() => void save()} data-testid="sales-order-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      />
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Partial<Values>) => {
          if ('customerId' in changed) form.setFieldsValue({ contactId: undefined });
        }}
      >
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space wrap size="large" align="start">
            <Form.Item
              name="customerId"
              label={t('salesOrders.customer')}
              rules={[rules.required()]}
              style={{ width: 280 }}
            >
              <CustomerPicker initialLabel={existing.data?.customerName} testId="sales-order-customer" />
            </Form.Item>
            <Form.Item name="contactId" label={t('salesOrders.contact')}>
              <Select
                allowClear
                style={{ width: 180 }}
                options={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
            <Form.Item name="channel" label={t('salesOrders.channel')} rules={[rules.required()]}>
              <Select
                style={{ width: 120 }}
                options={ORDER_CHANNELS.map((c) => ({ value: c, label: t(`salesOrders.channels.${c}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="warehouseId"
              label={t('salesOrders.warehouse')}
              tooltip={t('salesOrders.warehouseHint')}
            >
              <WarehouseSelect allowClear style={{ width: 200 }} />
            </Form.Item>
          </Space>
          <Form.Item name="notes" label={t('salesOrders.notes')}>
            <Input.TextArea maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
        </Card>
        {from.quoteId ? (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('salesOrders.fromQuoteHint')} />
        ) : (
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <Card
                size="small"
                title={t('salesOrders.lines')}
                extra={
                  <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="sales-order-add-line">
                    {t('salesOrders.addLine')}
                  </Button>
                }
              >
                <Table
                  rowKey="key"
                  size="small"
                  pagination={false}
                  dataSource={fields}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    {
                      title: t('salesOrders.product'),
                      key: 'product',
                      render: (_, f) => (
                        <Form.Item
                          name={[f.name, 'productId']}
                          rules={[rules.required()]}
                          style={{ margin: 0 }}
                        >
                          <ProductSelect
                            style={{ width: 260 }}
                            testId={`sales-order-line-product-${f.name}`}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('salesOrders.quantity'),
                      key: 'quantity',
                      render: (_, f) => (
                        <Form.Item
                          name={[f.name, 'quantity']}
                          rules={[rules.required()]}
                          style={{ margin: 0 }}
                        >
                          <Input style={{ width: 90 }} data-testid={`sales-order-line-quantity-${f.name}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('salesOrders.listPrice'),
                      key: 'listPrice',
                      align: 'right' as const,
                      render: (_, f) => yuan(priced?.lines[f.name]?.listPrice),
                    },
                    {
                      title: t('salesOrders.discountPercent'),
                      key: 'discount',
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'discountPercent']} style={{ margin: 0 }}>
                          <Input style={{ width: 70 }} suffix="%" />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('salesOrders.unitPriceEntered'),
                      key: 'unitPrice',
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'unitPrice']} style={{ margin: 0 }}>
                          <Input style={{ width: 110 }} prefix="¥" />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('salesOrders.amount'),
                      key: 'amount',
                      align: 'right' as const,
                      render: (_, f) => {
                        const l = priced?.lines[f.name];
                        return l ? (
                          <Typography.Text type={l.belowFloor ? 'danger' : undefined}>
                            {yuan(l.amount)}
                            {l.belowFloor
                              ? ` (${t('salesOrders.belowFloor', { floor: yuan(l.floorPrice) })})`
                              : ''}
                          </Typography.Text>
                        ) : (
                          '—'
                        );
                      },
                    },
                    {
                      title: t('salesOrders.lineWarehouse'),
                      key: 'warehouse',
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'warehouseId']} style={{ margin: 0 }}>
                          <WarehouseSelect allowClear style={{ width: 170 }} />
                        </Form.Item>
                      ),
                    },
                    {
                      key: 'remove',
                      render: (_, f) => (
                        <Button
                          type="text"
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                          onClick={() => remove(f.name)}
                        />
                      ),
                    },
                  ]}
                />
              </Card>
            )}
          </Form.List>
        )}
        <Card size="small" style={{ marginTop: 12 }} data-testid="sales-order-totals">
          {preview.isError ? (
            <Typography.Text type="danger">{(preview.error as Error).message}</Typography.Text>
          ) : (
            <Space size="large">
              <span>
                {t('salesOrders.total')}: <strong>{yuan(priced?.total)}</strong>
              </span>
              <span>
                {t('salesOrders.tax')}: {yuan(priced?.tax)}
              </span>
              <span>
                {t('salesOrders.totalExclTax')}: {yuan(priced?.totalExclTax)}
              </span>
            </Space>
          )}
        </Card>
      </Form>
    </>
  );
}
