import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { ReceiptDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { fenToYuanInput, yuan, yuanInputToFen } from './ReceiptParts.js';
import { type PickedProduct, ProductSelect, WarehouseSelect } from './StockForms.js';

type Tracking = PickedProduct['trackingMode'];

interface LineValues {
  productId?: string;
  quantity?: string;
  unitCost?: string;
  batchNo?: string;
  serialNos?: string[];
  producedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
}

interface Values {
  supplierName: string;
  supplierNoteNo?: string;
  warehouseId: string;
  receiptDate?: Dayjs;
  note?: string;
  lines: LineValues[];
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** New purchase receipt, or a draft being changed: header and a sheet of lines. */
export function ReceiptFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  /** The tracking mode of each line's product, as picked (or as loaded). */
  const [tracking, setTracking] = useState<Record<number, Tracking>>({});
  const seesCost = can('products.cost');
  const existing = useQuery({
    queryKey: ['receipts', id],
    queryFn: () => api.get<ReceiptDetail>(`/purchase-receipts/${id}`),
    enabled: !!id,
  });

  useEffect(() => {
    const r = existing.data;
    if (!r) return;
    form.setFieldsValue({
      supplierName: r.supplierName,
      supplierNoteNo: r.supplierNoteNo ?? undefined,
      warehouseId: r.warehouseId,
      receiptDate: dayjs(r.receiptDate),
      note: r.note ?? undefined,
      lines: r.lines.map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        unitCost: fenToYuanInput(l.unitCost),
        batchNo: l.batchNo ?? undefined,
        serialNos: l.serialNos,
        producedOn: l.producedOn ? dayjs(l.producedOn) : null,
        expiresOn: l.expiresOn ? dayjs(l.expiresOn) : null,
      })),
    });
    setTracking(Object.fromEntries(r.lines.map((l, i) => [i, l.trackingMode])));
  }, [existing.data, form]);

  async function save(post: boolean) {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body = {
      supplierName: values.supplierName,
      supplierNoteNo: values.supplierNoteNo || null,
      warehouseId: values.warehouseId,
      receiptDate: day(values.receiptDate) ?? undefined,
      note: values.note || null,
      lines: values.lines.map((l, i) => {
        const mode = tracking[i] ?? 'none';
        return {
          productId: l.productId!,
          ...(mode === 'serial' && l.serialNos?.length ? {} : { quantity: l.quantity?.trim() }),
          ...(seesCost ? { unitCost: yuanInputToFen(l.unitCost) } : {}),
          ...(mode === 'batch'
            ? { batchNo: l.batchNo || null, producedOn: day(l.producedOn), expiresOn: day(l.expiresOn) }
            : {}),
          ...(mode === 'serial' ? { serialNos: l.serialNos ?? [] } : {}),
        };
      }),
    };
    setSaving(true);
    try {
      let saved = id
        ? await api.patch<ReceiptDetail>(`/purchase-receipts/${id}`, {
            ...body,
            version: existing.data!.version,
          })
        : await api.post<ReceiptDetail>('/purchase-receipts', body);
      if (post)
        saved = await api.post<ReceiptDetail>(`/purchase-receipts/${saved.id}/post`, {
          version: saved.version,
        });
      void client.invalidateQueries({ queryKey: ['receipts'] });
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(post ? t('receipts.postedDone', { number: saved.number }) : t('common.saved'));
      navigate(`/stock/receipts/${saved.id}`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  const costRule = {
    validator: (_: unknown, v: string | undefined) =>
      !v || /^\d+(\.\d{1,2})?$/.test(v.trim())
        ? Promise.resolve()
        : Promise.reject(new Error(t('receipts.costFormat'))),
  };
  const quantityRule = {
    validator: (_: unknown, v: string | undefined) =>
      v && /^\d{1,12}(\.\d{1,3})?$/.test(v.trim()) && Number(v) > 0
        ? Promise.resolve()
        : Promise.reject(new Error(t('receipts.quantityFormat'))),
  };

  return (
    <>
      <PageHeader
        title={id ? t('receipts.editTitle', { number: existing.data?.number ?? '' }) : t('receipts.new')}
        hint={t('receipts.formHint')}
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ lines: [{}], receiptDate: dayjs() }}
        disabled={saving}
      >
        <Card size="small" style={{ marginBottom: 16 }}>
          <Space wrap size="middle" align="start">
            <Form.Item name="supplierName" label={t('receipts.supplier')} rules={[rules.required()]}>
              <Input maxLength={200} style={{ width: 260 }} data-testid="receipt-supplier" />
            </Form.Item>
            <Form.Item name="supplierNoteNo" label={t('receipts.supplierNoteNo')}>
              <Input maxLength={64} style={{ width: 180 }} data-testid="receipt-note-no" />
            </Form.Item>
            <Form.Item name="warehouseId" label={t('receipts.warehouse')} rules={[rules.required()]}>
              <WarehouseSelect style={{ width: 200 }} testId="receipt-warehouse" />
            </Form.Item>
            <Form.Item name="receiptDate" label={t('receipts.receiptDate')} rules={[rules.required()]}>
              <DatePicker allowClear={false} />
            </Form.Item>
          </Space>
          <Form.Item name="note" label={t('receipts.note')}>
            <Input.TextArea maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
        </Card>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <Card
              size="small"
              title={t('receipts.lines')}
              extra={
                <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="receipt-add-line">
                  {t('receipts.addLine')}
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
                    title: t('receipts.product'),
                    key: 'product',
                    render: (_, f) => (
                      <Form.Item
                        name={[f.name, 'productId']}
                        rules={[rules.required()]}
                        style={{ margin: 0 }}
                      >
                        <ProductSelect
                          style={{ width: 260 }}
                          testId={`receipt-line-product-${f.name}`}
                          onPicked={(p) =>
                            setTracking((m) => ({ ...m, [f.name]: p?.trackingMode ?? 'none' }))
                          }
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('receipts.quantity'),
                    key: 'quantity',
                    render: (_, f) =>
                      tracking[f.name] === 'serial' ? (
                        <Typography.Text type="secondary">
                          {t('receipts.quantityFromSerials')}
                        </Typography.Text>
                      ) : (
                        <Form.Item name={[f.name, 'quantity']} rules={[quantityRule]} style={{ margin: 0 }}>
                          <Input style={{ width: 100 }} data-testid={`receipt-line-quantity-${f.name}`} />
                        </Form.Item>
                      ),
                  },
                  {
                    title: t('receipts.lot'),
                    key: 'lot',
                    render: (_, f) =>
                      tracking[f.name] === 'batch' ? (
                        <Space.Compact>
                          <Form.Item name={[f.name, 'batchNo']} style={{ margin: 0 }}>
                            <Input
                              maxLength={64}
                              placeholder={t('receipts.batchNo')}
                              style={{ width: 140 }}
                              data-testid={`receipt-line-batch-${f.name}`}
                            />
                          </Form.Item>
                          <Form.Item name={[f.name, 'producedOn']} style={{ margin: 0 }}>
                            <DatePicker placeholder={t('receipts.producedOn')} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'expiresOn']} style={{ margin: 0 }}>
                            <DatePicker placeholder={t('receipts.expiresOn')} />
                          </Form.Item>
                        </Space.Compact>
                      ) : tracking[f.name] === 'serial' ? (
                        <Form.Item name={[f.name, 'serialNos']} style={{ margin: 0 }}>
                          <Select
                            mode="tags"
                            open={false}
                            tokenSeparators={[',', '，', ' ', '\n']}
                            placeholder={t('receipts.serialNosHint')}
                            style={{ width: 320 }}
                            data-testid={`receipt-line-serials-${f.name}`}
                          />
                        </Form.Item>
                      ) : (
                        <Typography.Text type="secondary">—</Typography.Text>
                      ),
                  },
                  ...(seesCost
                    ? [
                        {
                          title: t('receipts.unitCost'),
                          key: 'unitCost',
                          render: (_: unknown, f: { name: number }) => (
                            <Form.Item name={[f.name, 'unitCost']} rules={[costRule]} style={{ margin: 0 }}>
                              <Input
                                prefix="¥"
                                style={{ width: 120 }}
                                data-testid={`receipt-line-cost-${f.name}`}
                              />
                            </Form.Item>
                          ),
                        },
                      ]
                    : []),
                  {
                    key: 'remove',
                    render: (_, f) =>
                      fields.length > 1 && (
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                          onClick={() => {
                            remove(f.name);
                            setTracking((m) => {
                              const next: Record<number, Tracking> = {};
                              for (const [k, v] of Object.entries(m)) {
                                const i = Number(k);
                                if (i < f.name) next[i] = v;
                                else if (i > f.name) next[i - 1] = v;
                              }
                              return next;
                            });
                          }}
                        />
                      ),
                  },
                ]}
              />
            </Card>
          )}
        </Form.List>
        {existing.data && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('receipts.savedTotals', { quantity: existing.data.totalQuantity })}
            {seesCost && ` · ${t('receipts.totalCost')} ${yuan(existing.data.totalCost)}`}
          </Typography.Paragraph>
        )}
        <Space style={{ marginTop: 16 }}>
          <Button onClick={() => void save(false)} loading={saving} data-testid="receipt-save">
            {t('receipts.saveDraft')}
          </Button>
          <Button
            type="primary"
            onClick={() => void save(true)}
            loading={saving}
            data-testid="receipt-save-post"
          >
            {t('receipts.saveAndPost')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('receipts.back')}</Button>
        </Space>
      </Form>
    </>
  );
}
