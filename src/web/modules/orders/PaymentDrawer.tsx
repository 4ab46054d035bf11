import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Form, Input, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Payment } from '../../../contracts/payments.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';
import { yuan } from '../sales/ContractParts.js';
import { PaymentKindTag } from './PaymentParts.js';

/** One payment: its facts, where it went (allocations), and the reversal action. */
export function PaymentDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [reversing, setReversing] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [shownId, setShownId] = useState<string | null>(null);
  const current = shownId ?? id;
  const { data: p } = useQuery({
    queryKey: ['payments', 'one', current],
    queryFn: () => api.get<Payment>(`/payments/${current}`),
    enabled: !!current,
  });
  const close = () => {
    setShownId(null);
    onClose();
  };
  const reverse = async ({ reason }: { reason: string }) => {
    try {
      const r = await api.post<Payment>(`/payments/${p?.id}/reverse`, { reason });
      void message.success(t('payments.reversed', { number: r.number }));
      setReversing(false);
      await qc.invalidateQueries({ queryKey: ['payments'] });
      await qc.invalidateQueries({ queryKey: ['receivables'] });
      setShownId(r.id);
    } catch (err) {
      showError(err, message, form);
    }
  };
  const canReverse = p && p.kind === 'receipt' && !p.reversedById && can('payments.reverse');
  return (
    <Drawer
      open={!!id}
      onClose={close}
      size="large"
      title={
        p && (
          <>
            {p.number} <PaymentKindTag kind={p.kind} />
          </>
        )
      }
      extra={
        canReverse && (
          <Button danger onClick={() => setReversing(true)} data-testid="payment-reverse">
            {t('payments.reverse')}
          </Button>
        )
      }
      data-testid="payment-drawer"
    >
      {p && (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('payments.customer')}>{p.customerName}</Descriptions.Item>
            <Descriptions.Item label={t('payments.amount')}>
              <span data-testid="payment-drawer-amount">{yuan(p.amount)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.method')}>
              {t(`payments.methods.${p.method}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.receivedDate')}>{p.receivedDate}</Descriptions.Item>
            {p.billNumber && (
              <Descriptions.Item label={t('payments.billNumber')}>{p.billNumber}</Descriptions.Item>
            )}
            {p.billMaturityDate && (
              <Descriptions.Item label={t('payments.billMaturityDate')}>
                {p.billMaturityDate}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('payments.payerName')}>{p.payerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('payments.reference')}>{p.reference ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('payments.allocated')}>{yuan(p.allocated)}</Descriptions.Item>
            <Descriptions.Item label={t('payments.unapplied')}>{yuan(p.unapplied)}</Descriptions.Item>
            <Descriptions.Item label={t('payments.createdBy')}>{p.createdByName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('payments.note')}>{p.note ?? '—'}</Descriptions.Item>
          </Descriptions>
          {p.reversesId && (
            <Typography.Link
              onClick={() => setShownId(p.reversesId)}
              style={{ display: 'block', marginTop: 8 }}
            >
              {t('payments.showReversed')}
            </Typography.Link>
          )}
          {p.reversedById && (
            <Typography.Link
              onClick={() => setShownId(p.reversedById)}
              style={{ display: 'block', marginTop: 8 }}
            >
              {t('payments.showReversal')}
            </Typography.Link>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('payments.allocations')}
          </Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={p.allocations}
            data-testid="payment-drawer-allocations"
            columns={[
              {
                title: t('receivables.item'),
                key: 'item',
                render: (_, a) => a.invoiceNumber ?? a.installmentLabel ?? '—',
              },
              {
                title: t('payments.amount'),
                dataIndex: 'amount',
                align: 'right',
                render: (v: number) => yuan(v),
              },
            ]}
          />
        </>
      )}
      <Modal
        open={reversing}
        title={t('payments.reverseTitle')}
        onOk={() => form.submit()}
        onCancel={() => setReversing(false)}
        okButtonProps={{ danger: true, 'data-testid': 'payment-reverse-confirm' }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('payments.reverseHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={reverse}>
          <Form.Item
            name="reason"
            label={t('payments.reverseReason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea maxLength={300} rows={3} data-testid="payment-reverse-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
