import { DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Invoice } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { toFen, yuan } from '../sales/ContractParts.js';
import { INVOICE_TYPES, InvoiceStateTag, ratePercent } from './InvoiceParts.js';

type Dialog = 'edit' | 'issue' | 'void' | 'credit' | 'fapiao' | null;
interface DialogValues {
  type?: Invoice['type'];
  buyerTitle?: string;
  buyerTaxId?: string;
  buyerAddressPhone?: string;
  buyerBankAccount?: string;
  issueDate?: Dayjs;
  fapiaoNumber?: string;
  reason?: string;
  lines?: { invoiceLineId: string; quantity?: string; amount?: number }[];
}

/** One invoice: buyer and seller, lines, totals by rate, credit notes, payments, PDF, actions. */
export function InvoiceDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm<DialogValues>();
  const query = useQuery({ queryKey: ['invoice', id], queryFn: () => api.get<Invoice>(`/invoices/${id}`) });
  const inv = query.data;
  if (!inv) return null;

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['invoice', id] });
    void client.invalidateQueries({ queryKey: ['invoices'] });
  };
  const open = (d: Dialog) => {
    form.resetFields();
    if (d === 'edit')
      form.setFieldsValue({
        type: inv.type,
        buyerTitle: inv.buyerTitle,
        buyerTaxId: inv.buyerTaxId ?? '',
        buyerAddressPhone: inv.buyerAddressPhone ?? '',
        buyerBankAccount: inv.buyerBankAccount ?? '',
      });
    if (d === 'credit')
      form.setFieldsValue({
        lines: inv.lines.map((l) => ({ invoiceLineId: l.id })),
      });
    setDialog(d);
  };
  const submit = async () => {
    const v = await form.validateFields();
    try {
      if (dialog === 'edit') {
        const blank = (s?: string) => (s?.trim() ? s.trim() : null);
        await api.patch(`/invoices/${inv.id}`, {
          type: v.type,
          buyerTitle: v.buyerTitle,
          buyerTaxId: blank(v.buyerTaxId),
          buyerAddressPhone: blank(v.buyerAddressPhone),
          buyerBankAccount: blank(v.buyerBankAccount),
          version: inv.version,
        });
      } else if (dialog === 'issue') {
        await api.post(`/invoices/${inv.id}/issue`, {
          version: inv.version,
          issueDate: v.issueDate?.format('YYYY-MM-DD'),
          fapiaoNumber: v.fapiaoNumber?.trim() || undefined,
        });
      } else if (dialog === 'fapiao') {
        await api.post(`/invoices/${inv.id}/fapiao-number`, {
          fapiaoNumber: v.fapiaoNumber,
          version: inv.version,
        });
      } else if (dialog === 'void') {
        await api.post(`/invoices/${inv.id}/void`, { reason: v.reason, version: inv.version });
      } else if (dialog === 'credit') {
        const lines = (v.lines ?? [])
          .filter((l) => l.quantity)
          .map((l) => ({
            invoiceLineId: l.invoiceLineId,
            quantity: String(l.quantity),
            ...(l.amount ? { amount: toFen(l.amount) } : {}),
          }));
        await api.post(`/invoices/${inv.id}/credit-notes`, { reason: v.reason, lines, version: inv.version });
      }
      setDialog(null);
      refresh();
    } catch (err) {
      showError(err, message, form);
    }
  };
  const may = (action: Invoice['actions'][number], permission: string) =>
    inv.actions.includes(action) && can(permission);
  const pdfHref = (locale: string) => `/api/v1/invoices/${inv.id}/pdf?locale=${locale}`;

  const lineColumns = [
    { title: t('invoices.seq'), dataIndex: 'seq', width: 60 },
    { title: t('invoices.description'), dataIndex: 'description' },
    { title: t('invoices.spec'), dataIndex: 'spec', responsive: ['md' as const] },
    { title: t('invoices.unit'), dataIndex: 'unit', width: 70 },
    { title: t('invoices.quantity'), dataIndex: 'quantity', align: 'right' as const },
    { title: t('invoices.unitPrice'), dataIndex: 'unitPrice', align: 'right' as const, render: yuan },
    { title: t('invoices.amount'), dataIndex: 'amount', align: 'right' as const, render: yuan },
    { title: t('invoices.taxRate'), dataIndex: 'taxRate', render: ratePercent },
    { title: t('invoices.taxAmount'), dataIndex: 'taxAmount', align: 'right' as const, render: yuan },
    {
      title: t('invoices.credited'),
      dataIndex: 'creditedAmount',
      align: 'right' as const,
      render: (v: number) => (v ? yuan(v) : ''),
    },
  ];

  return (
    <>
      <PageHeader
        title={
          <Space>
            {t('invoices.detailTitle', { number: inv.number })}
            <InvoiceStateTag state={inv.state} />
          </Space>
        }
        extra={
          <Space wrap>
            {may('update', 'invoices.create') && (
              <Button onClick={() => open('edit')} data-testid="invoice-edit">
                {t('invoices.editBuyer')}
              </Button>
            )}
            {may('issue', 'invoices.issue') && (
              <Button type="primary" onClick={() => open('issue')} data-testid="invoice-issue">
                {t('invoices.issue')}
              </Button>
            )}
            {inv.state !== 'draft' && inv.state !== 'void' && can('invoices.issue') && (
              <Button onClick={() => open('fapiao')} data-testid="invoice-fapiao">
                {t('invoices.enterFapiao')}
              </Button>
            )}
            {may('credit', 'invoices.issue') && (
              <Button onClick={() => open('credit')} data-testid="invoice-credit">
                {t('invoices.creditNote')}
              </Button>
            )}
            {may('void', 'invoices.void') && inv.paidAmount === 0 && (
              <Button danger onClick={() => open('void')} data-testid="invoice-void">
                {t('invoices.void')}
              </Button>
            )}
            <a href={pdfHref('zh-CN')} download data-testid="invoice-pdf-zh">
              <Button icon={<DownloadOutlined />}>{t('invoices.pdfZh')}</Button>
            </a>
            <a href={pdfHref('en')} download data-testid="invoice-pdf-en">
              <Button icon={<DownloadOutlined />}>{t('invoices.pdfEn')}</Button>
            </a>
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }}>
          <Descriptions.Item label={t('invoices.customer')}>{inv.customerName}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.type')}>{t(`invoices.types.${inv.type}`)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.fapiaoNumber')}>{inv.fapiaoNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.contract')}>{inv.contractNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.issueDate')}>{inv.issueDate ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.dueDate')}>
            {inv.dueDate ?? t('invoices.termsDays', { days: inv.paymentTermsDays })}
          </Descriptions.Item>
          <Descriptions.Item label={t('invoices.buyerTitle')}>{inv.buyerTitle}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.buyerTaxId')}>{inv.buyerTaxId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.buyerAddressPhone')}>
            {inv.buyerAddressPhone ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('invoices.buyerBankAccount')}>
            {inv.buyerBankAccount ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('invoices.seller')}>{inv.sellerName ?? '—'}</Descriptions.Item>
          {inv.state === 'void' && (
            <Descriptions.Item label={t('invoices.voidReason')}>
              {inv.voidReason} ({inv.voidedAt ? formatTime(inv.voidedAt) : ''})
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" title={t('invoices.lines')} style={{ marginBottom: 16 }}>
        <Table rowKey="id" size="small" pagination={false} columns={lineColumns} dataSource={inv.lines} />
        <Table
          rowKey="taxRate"
          size="small"
          pagination={false}
          style={{ marginTop: 12 }}
          dataSource={inv.totalsByRate}
          columns={[
            { title: t('invoices.taxRate'), dataIndex: 'taxRate', render: ratePercent },
            { title: t('invoices.amountExclTax'), dataIndex: 'amountExclTax', align: 'right', render: yuan },
            { title: t('invoices.taxAmount'), dataIndex: 'taxAmount', align: 'right', render: yuan },
            { title: t('invoices.amount'), dataIndex: 'amount', align: 'right', render: yuan },
          ]}
        />
        <Typography.Paragraph strong style={{ marginTop: 12 }} data-testid="invoice-total">
          {t('invoices.grandTotal')}: {yuan(inv.total)} （{inv.totalInWords}）
        </Typography.Paragraph>
      </Card>
      <Card size="small" title={t('invoices.payments')} style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('invoices.credited')}>{yuan(inv.creditedAmount)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.paid')}>{yuan(inv.paidAmount)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.open')}>
            <span data-testid="invoice-open">{yuan(inv.openAmount)}</span>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">{t('invoices.paymentsHint')}</Typography.Text>
      </Card>
      {inv.creditNotes.length > 0 && (
        <Card size="small" title={t('invoices.creditNotes')}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={inv.creditNotes}
            columns={[
              { title: t('invoices.number'), dataIndex: 'number' },
              { title: t('invoices.issueDate'), dataIndex: 'issueDate' },
              { title: t('invoices.reason'), dataIndex: 'reason' },
              { title: t('invoices.amount'), dataIndex: 'total', align: 'right', render: yuan },
              { title: t('invoices.taxAmount'), dataIndex: 'taxTotal', align: 'right', render: yuan },
            ]}
          />
        </Card>
      )}
      <Modal
        open={dialog !== null}
        title={dialog ? t(`invoices.dialog.${dialog}`) : ''}
        onCancel={() => setDialog(null)}
        onOk={submit}
        width={dialog === 'credit' ? 720 : 520}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {dialog === 'edit' && (
            <>
              <Form.Item name="type" label={t('invoices.type')}>
                <Select options={INVOICE_TYPES.map((s) => ({ value: s, label: t(`invoices.types.${s}`) }))} />
              </Form.Item>
              <Form.Item name="buyerTitle" label={t('invoices.buyerTitle')} rules={[{ required: true }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="buyerTaxId" label={t('invoices.buyerTaxId')}>
                <Input maxLength={18} data-testid="invoice-buyer-tax-id" />
              </Form.Item>
              <Form.Item name="buyerAddressPhone" label={t('invoices.buyerAddressPhone')}>
                <Input maxLength={300} />
              </Form.Item>
              <Form.Item name="buyerBankAccount" label={t('invoices.buyerBankAccount')}>
                <Input maxLength={300} data-testid="invoice-buyer-bank" />
              </Form.Item>
            </>
          )}
          {dialog === 'issue' && (
            <>
              <Form.Item name="issueDate" label={t('invoices.issueDate')}>
                <DatePicker />
              </Form.Item>
              <Form.Item
                name="fapiaoNumber"
                label={t('invoices.fapiaoNumber')}
                extra={t('invoices.fapiaoHint')}
              >
                <Input maxLength={30} />
              </Form.Item>
            </>
          )}
          {dialog === 'fapiao' && (
            <Form.Item name="fapiaoNumber" label={t('invoices.fapiaoNumber')} rules={[{ required: true }]}>
              <Input maxLength={30} />
            </Form.Item>
          )}
          {(dialog === 'void' || dialog === 'credit') && (
            <Form.Item name="reason" label={t('invoices.reason')} rules={[{ required: true }]}>
              <Input.TextArea maxLength={500} rows={2} data-testid="invoice-reason" />
            </Form.Item>
          )}
          {dialog === 'credit' && (
            <Form.List name="lines">
              {(fields) =>
                fields.map((f, i) => {
                  const l = inv.lines[i]!;
                  return (
                    <Space key={f.key} align="baseline" wrap>
                      <Form.Item name={[f.name, 'invoiceLineId']} hidden>
                        <Input />
                      </Form.Item>
                      <Typography.Text style={{ width: 220, display: 'inline-block' }}>
                        {l.seq}. {l.description} ({yuan(l.amount - l.creditedAmount)})
                      </Typography.Text>
                      <Form.Item name={[f.name, 'quantity']} label={t('invoices.quantity')}>
                        <Input style={{ width: 100 }} placeholder={l.quantity} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'amount']} label={t('invoices.creditAmount')}>
                        <InputNumber min={0} precision={2} style={{ width: 140 }} />
                      </Form.Item>
                    </Space>
                  );
                })
              }
            </Form.List>
          )}
        </Form>
      </Modal>
    </>
  );
}
