import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Segmented, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ContractListItem, Invoice } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { toFen, yuan } from '../sales/ContractParts.js';
import { INVOICE_RATES, INVOICE_TYPES, ratePercent } from './InvoiceParts.js';

interface Installment {
  installmentId: string;
  seq: number;
  dueDate: string;
  amount: number;
  invoiced: number;
  remaining: number;
}
interface Values {
  customerId?: string;
  contractId?: string;
  installmentId?: string;
  type: Invoice['type'];
  amount?: number;
  note?: string;
  lines?: {
    description?: string;
    spec?: string;
    unit?: string;
    quantity?: string;
    unitPrice?: number;
    taxRate?: string;
  }[];
}

/** A new draft invoice: manual lines for a customer, or (the rest of) a contract installment. */
export function InvoiceFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<'manual' | 'installment'>('manual');
  const customerId = Form.useWatch('customerId', form);
  const contractId = Form.useWatch('contractId', form);
  const contracts = useQuery({
    queryKey: ['contracts', 'for-invoice', customerId],
    queryFn: () => api.get<Page<ContractListItem>>('/contracts', { customerId, limit: 100 }),
    enabled: mode === 'installment' && !!customerId,
  });
  const installments = useQuery({
    queryKey: ['invoiceable', contractId],
    queryFn: () => api.get<Installment[]>(`/contracts/${contractId}/invoiceable`),
    enabled: mode === 'installment' && !!contractId,
  });

  const save = async () => {
    const v = await form.validateFields();
    try {
      const created =
        mode === 'installment'
          ? await api.post<Invoice>('/invoices/from-installment', {
              installmentId: v.installmentId,
              type: v.type,
              ...(v.amount ? { amount: toFen(v.amount) } : {}),
            })
          : await api.post<Invoice>('/invoices', {
              customerId: v.customerId,
              type: v.type,
              note: v.note || undefined,
              lines: (v.lines ?? []).map((l) => ({
                description: l.description,
                spec: l.spec || undefined,
                unit: l.unit || undefined,
                quantity: String(l.quantity ?? ''),
                unitPrice: toFen(l.unitPrice),
                taxRate: l.taxRate,
              })),
            });
      navigate(`/orders/invoices/${created.id}`);
    } catch (err) {
      showError(err, message, form);
    }
  };

  return (
    <>
      <PageHeader title={t('invoices.new')} hint={t('invoices.formHint')} />
      <Card size="small">
        <Segmented
          style={{ marginBottom: 16 }}
          value={mode}
          onChange={(v) => setMode(v as 'manual' | 'installment')}
          options={[
            { value: 'manual', label: t('invoices.modeManual') },
            { value: 'installment', label: t('invoices.modeInstallment') },
          ]}
          data-testid="invoice-mode"
        />
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ type: 'general', lines: [{ quantity: '1', taxRate: '0.13' }] }}
        >
          <Space wrap align="start">
            <Form.Item
              name="customerId"
              label={t('invoices.customer')}
              rules={[{ required: true }]}
              style={{ width: 320 }}
            >
              <CustomerPicker
                testId="invoice-customer"
                onChange={(id) => form.setFieldsValue({ customerId: id, contractId: undefined })}
              />
            </Form.Item>
            <Form.Item name="type" label={t('invoices.type')} style={{ width: 160 }}>
              <Select options={INVOICE_TYPES.map((s) => ({ value: s, label: t(`invoices.types.${s}`) }))} />
            </Form.Item>
          </Space>
          {mode === 'installment' ? (
            <>
              <Form.Item name="contractId" label={t('invoices.contract')} rules={[{ required: true }]}>
                <Select
                  loading={contracts.isFetching}
                  options={(contracts.data?.items ?? []).map((c) => ({
                    value: c.id,
                    label: `${c.number} ${c.title}`,
                  }))}
                  onChange={() => form.setFieldsValue({ installmentId: undefined })}
                />
              </Form.Item>
              <Form.Item name="installmentId" label={t('invoices.installment')} rules={[{ required: true }]}>
                <Select
                  loading={installments.isFetching}
                  options={(installments.data ?? []).map((i) => ({
                    value: i.installmentId,
                    disabled: i.remaining <= 0,
                    label: t('invoices.installmentOption', {
                      seq: i.seq,
                      due: i.dueDate,
                      amount: yuan(i.amount),
                      remaining: yuan(i.remaining),
                    }),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="amount"
                label={t('invoices.installmentAmount')}
                extra={t('invoices.installmentAmountHint')}
              >
                <InputNumber min={0.01} precision={2} style={{ width: 200 }} />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.List name="lines">
                {(fields, { add, remove }) => (
                  <>
                    <Table
                      rowKey="key"
                      size="small"
                      pagination={false}
                      dataSource={fields}
                      columns={[
                        {
                          title: t('invoices.description'),
                          render: (_, f) => (
                            <Form.Item name={[f.name, 'description']} rules={[{ required: true }]} noStyle>
                              <Input maxLength={200} />
                            </Form.Item>
                          ),
                        },
                        {
                          title: t('invoices.spec'),
                          render: (_, f) => (
                            <Form.Item name={[f.name, 'spec']} noStyle>
                              <Input maxLength={200} />
                            </Form.Item>
                          ),
                        },
                        {
                          title: t('invoices.unit'),
                          width: 80,
                          render: (_, f) => (
                            <Form.Item name={[f.name, 'unit']} noStyle>
                              <Input maxLength={20} />
                            </Form.Item>
                          ),
                        },
                        {
                          title: t('invoices.quantity'),
                          width: 100,
                          render: (_, f) => (
                            <Form.Item name={[f.name, 'quantity']} rules={[{ required: true }]} noStyle>
                              <Input />
                            </Form.Item>
                          ),
                        },
                        {
                          title: t('invoices.unitPriceInclTax'),
                          width: 150,
                          render: (_, f) => (
                            <Form.Item name={[f.name, 'unitPrice']} rules={[{ required: true }]} noStyle>
                              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
                            </Form.Item>
                          ),
                        },
                        {
                          title: t('invoices.taxRate'),
                          width: 100,
                          render: (_, f) => (
                            <Form.Item name={[f.name, 'taxRate']} noStyle>
                              <Select
                                options={INVOICE_RATES.map((r) => ({ value: r, label: ratePercent(r) }))}
                              />
                            </Form.Item>
                          ),
                        },
                        {
                          width: 50,
                          render: (_, f) =>
                            fields.length > 1 && (
                              <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} />
                            ),
                        },
                      ]}
                    />
                    <Button
                      icon={<PlusOutlined />}
                      style={{ marginTop: 8 }}
                      onClick={() => add({ quantity: '1', taxRate: '0.13' })}
                      data-testid="invoice-add-line"
                    >
                      {t('invoices.addLine')}
                    </Button>
                  </>
                )}
              </Form.List>
              <Form.Item name="note" label={t('invoices.note')} style={{ marginTop: 16 }}>
                <Input.TextArea maxLength={1000} rows={2} />
              </Form.Item>
            </>
          )}
          <Space>
            <Button type="primary" onClick={save} data-testid="invoice-save">
              {t('invoices.saveDraft')}
            </Button>
            <Button onClick={() => navigate('/orders/invoices')}>{t('invoices.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
