import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReturnDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { toFen, yuan } from '../sales/ContractParts.js';

const METHODS = ['bank_transfer', 'cash', 'online'] as const;

interface Values {
  amount?: string;
  method: (typeof METHODS)[number];
  refundDate: Dayjs;
  reference?: string;
  note?: string;
}

/**
 * 退款: finance pays back returned value no invoice could credit. One Idempotency-Key per opened
 * form, so a double click or a retry after a timeout records the refund once.
 */
export function RefundButton({ ret }: { ret: ReturnDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  const [form] = Form.useForm<Values>();
  const due = ret.refundDue ?? 0;

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      await api.post<ReturnDetail>(
        `/returns/${ret.id}/refunds`,
        {
          amount: toFen(v.amount),
          method: v.method,
          refundDate: v.refundDate.format('YYYY-MM-DD'),
          reference: v.reference || undefined,
          note: v.note || undefined,
        },
        { 'idempotency-key': idempotencyKey },
      );
      void message.success(t('returns.refund.done'));
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['return', ret.id] });
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        type="primary"
        data-testid="return-refund"
        onClick={() => {
          setKey(crypto.randomUUID());
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('returns.refund.button')}
      </Button>
      {open && (
        <Modal
          open
          title={t('returns.refund.title')}
          confirmLoading={busy}
          onCancel={() => setOpen(false)}
          onOk={() => form.submit()}
          okButtonProps={{ 'data-testid': 'refund-submit' }}
          destroyOnHidden
        >
          <Typography.Paragraph type="secondary">
            {t('returns.refund.hint', { due: yuan(due) })}
          </Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ method: 'bank_transfer', refundDate: dayjs(), amount: (due / 100).toFixed(2) }}
            onFinish={submit}
          >
            <Form.Item
              name="amount"
              label={t('returns.refund.amount')}
              rules={[
                { required: true },
                {
                  validator: (_, v) =>
                    toFen(v) > 0 && toFen(v) <= due
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('returns.refund.amountRange', { due: yuan(due) }))),
                },
              ]}
            >
              <InputNumber<string>
                stringMode
                min="0"
                precision={2}
                style={{ width: 200 }}
                data-testid="refund-amount"
              />
            </Form.Item>
            <Form.Item name="method" label={t('returns.refund.method')} rules={[{ required: true }]}>
              <Select
                style={{ width: 200 }}
                options={METHODS.map((m) => ({ value: m, label: t(`returns.refund.methods.${m}`) }))}
              />
            </Form.Item>
            <Form.Item name="refundDate" label={t('returns.refund.date')} rules={[{ required: true }]}>
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
            <Form.Item name="reference" label={t('returns.refund.reference')}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="note" label={t('returns.refund.note')}>
              <Input.TextArea maxLength={500} rows={2} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </>
  );
}

/** What was refunded, what is still due, and each refund. */
export function ReturnRefunds({ ret }: { ret: ReturnDetail }) {
  const { t } = useTranslation();
  if (!ret.uncreditedAmount && !ret.refunds?.length) return null;
  return (
    <Card size="small" title={t('returns.refund.listTitle')} style={{ marginTop: 12 }}>
      <Typography.Paragraph>
        {t('returns.refund.summary', {
          uncredited: yuan(ret.uncreditedAmount),
          refunded: yuan(ret.refundedAmount),
          due: yuan(ret.refundDue),
        })}
      </Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={ret.refunds ?? []}
        locale={{ emptyText: t('returns.refund.none') }}
        columns={[
          { title: t('returns.refund.number'), dataIndex: 'number' },
          { title: t('returns.refund.date'), dataIndex: 'refundDate' },
          {
            title: t('returns.refund.method'),
            dataIndex: 'method',
            render: (m: string) => t(`returns.refund.methods.${m}`),
          },
          {
            title: t('returns.refund.amount'),
            dataIndex: 'amount',
            align: 'right' as const,
            render: (v: number) => yuan(v),
          },
          {
            title: t('returns.refund.reference'),
            dataIndex: 'reference',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('returns.refund.by'),
            key: 'by',
            render: (_, r) => `${r.createdByName ?? '—'} ${formatTime(r.createdAt)}`,
          },
        ]}
      />
    </Card>
  );
}
