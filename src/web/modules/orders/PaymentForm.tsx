import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { openItems, Payment } from '../../../contracts/payments.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { toFen, yuan } from '../sales/ContractParts.js';
import { BucketTag, PAYMENT_METHODS } from './PaymentParts.js';

type OpenItems = z.infer<typeof openItems>;
type Item = OpenItems['items'][number];

interface Values {
  customerId?: string;
  amount?: string;
  method: string;
  billNumber?: string;
  billMaturityDate?: Dayjs;
  receivedDate: Dayjs;
  payerName?: string;
  reference?: string;
  note?: string;
}

const itemKey = (i: Pick<Item, 'kind' | 'id'>) => `${i.kind}:${i.id}`;

/**
 * 登记回款: customer, amount, method and date; the open items show the oldest-first split, which
 * may be changed by hand per item. One Idempotency-Key per opened form, so a double click or a
 * retry after a timeout posts the payment once.
 */
export function PaymentForm({ onClose, onPosted }: { onClose: () => void; onPosted: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [manual, setManual] = useState<Record<string, string | null>>({});
  const [busy, setBusy] = useState(false);
  const customerId = Form.useWatch('customerId', form);
  const amountYuan = Form.useWatch('amount', form);
  const method = Form.useWatch('method', form);
  const amount = toFen(amountYuan);
  const preview = useQuery({
    queryKey: ['receivables-open', customerId, amount],
    queryFn: () => api.get<OpenItems>(`/receivables/customers/${customerId}`, { amount }),
    enabled: !!customerId,
  });
  const items = preview.data?.items ?? [];
  const edited = Object.keys(manual).length > 0;
  const allocationOf = (i: Item) => {
    const k = itemKey(i);
    return k in manual ? toFen(manual[k]) : i.suggested;
  };
  const allocated = items.reduce((s, i) => s + allocationOf(i), 0);
  const unapplied = amount - allocated;

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const body = {
        customerId: v.customerId,
        amount,
        method: v.method,
        billNumber: v.method === 'acceptance_bill' ? v.billNumber : undefined,
        billMaturityDate:
          v.method === 'acceptance_bill' ? v.billMaturityDate?.format('YYYY-MM-DD') : undefined,
        receivedDate: v.receivedDate.format('YYYY-MM-DD'),
        payerName: v.payerName || undefined,
        reference: v.reference || undefined,
        note: v.note || undefined,
        allocation: edited ? 'manual' : 'auto',
        allocations: edited
          ? items
              .map((i) => ({
                invoiceId: i.kind === 'invoice' ? i.id : undefined,
                installmentId: i.kind === 'installment' ? i.id : undefined,
                amount: allocationOf(i),
              }))
              .filter((a) => a.amount > 0)
          : undefined,
      };
      const saved = await api.post<Payment>('/payments', body, { 'idempotency-key': idempotencyKey });
      void message.success(t('payments.posted', { number: saved.number }));
      await qc.invalidateQueries({ queryKey: ['payments'] });
      await qc.invalidateQueries({ queryKey: ['receivables'] });
      onPosted(saved.id);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={820}
      title={t('payments.post')}
      okText={t('payments.postSubmit')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'payment-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ method: 'bank_transfer', receivedDate: dayjs() }}
        onFinish={submit}
        onValuesChange={(changed) => {
          if ('customerId' in changed || 'amount' in changed) setManual({});
        }}
      >
        <Form.Item name="customerId" label={t('payments.customer')} rules={[{ required: true }]}>
          <CustomerPicker testId="payment-customer" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('payments.amountYuan')}
          rules={[
            { required: true },
            {
              validator: (_, v) =>
                toFen(v) > 0 ? Promise.resolve() : Promise.reject(new Error(t('payments.amountPositive'))),
            },
          ]}
        >
          <InputNumber<string>
            stringMode
            min="0"
            precision={2}
            style={{ width: 200 }}
            data-testid="payment-amount"
          />
        </Form.Item>
        <Form.Item name="method" label={t('payments.method')} rules={[{ required: true }]}>
          <Select
            data-testid="payment-method"
            options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))}
          />
        </Form.Item>
        {method === 'acceptance_bill' && (
          <>
            <Form.Item name="billNumber" label={t('payments.billNumber')} rules={[{ required: true }]}>
              <Input maxLength={60} data-testid="payment-bill-number" />
            </Form.Item>
            <Form.Item
              name="billMaturityDate"
              label={t('payments.billMaturityDate')}
              rules={[{ required: true }]}
            >
              <DatePicker />
            </Form.Item>
          </>
        )}
        <Form.Item name="receivedDate" label={t('payments.receivedDate')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="payerName" label={t('payments.payerName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="reference" label={t('payments.reference')}>
          <Input maxLength={100} data-testid="payment-reference" />
        </Form.Item>
        <Form.Item name="note" label={t('payments.note')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
      {customerId && (
        <>
          <Typography.Title level={5}>{t('payments.allocationPreview')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('payments.allocationHint')}</Typography.Paragraph>
          <Table<Item>
            rowKey={itemKey}
            size="small"
            pagination={false}
            loading={preview.isLoading}
            dataSource={items}
            data-testid="payment-allocations"
            columns={[
              { title: t('receivables.item'), dataIndex: 'label' },
              { title: t('receivables.dueDate'), dataIndex: 'dueDate' },
              {
                title: t('receivables.bucket'),
                dataIndex: 'bucket',
                render: (b) => <BucketTag bucket={b} />,
              },
              {
                title: t('receivables.open'),
                dataIndex: 'open',
                align: 'right',
                render: (v: number) => yuan(v),
              },
              {
                title: t('payments.allocate'),
                key: 'allocate',
                align: 'right',
                render: (_, i) => (
                  <InputNumber<string>
                    stringMode
                    min="0"
                    max={(i.open / 100).toFixed(2)}
                    precision={2}
                    size="small"
                    value={itemKey(i) in manual ? manual[itemKey(i)] : (i.suggested / 100).toFixed(2)}
                    onChange={(v) => setManual((m) => ({ ...m, [itemKey(i)]: v }))}
                    data-testid={`allocate-${i.label}`}
                  />
                ),
              },
            ]}
          />
          <Typography.Paragraph style={{ marginTop: 8 }} data-testid="payment-unapplied">
            {t('payments.allocatedTotal', { amount: yuan(allocated) })} · {t('payments.unapplied')}:{' '}
            {yuan(unapplied)}
          </Typography.Paragraph>
          {unapplied < 0 && <Alert type="error" showIcon message={t('payments.overAllocated')} />}
        </>
      )}
    </Modal>
  );
}
