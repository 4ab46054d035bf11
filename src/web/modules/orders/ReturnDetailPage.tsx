import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ReturnDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { yuan } from '../sales/ContractParts.js';
import { ReturnStateTag } from './ReturnParts.js';
import { RefundButton, ReturnRefunds } from './ReturnRefunds.js';
import { WarehouseSelect } from './StockForms.js';

type Action = ReturnDetail['actions'][number];
interface DialogValues {
  comment?: string;
  warehouseId?: string;
}

/** One return: lines, credit notes, and approve / reject / receive / cancel / close. */
export function ReturnDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<DialogValues>();
  // Return values follow the order's prices (sales-orders.prices): the warehouse receives by quantity.
  const prices = useSession().can('sales-orders.prices');
  const query = useQuery({
    queryKey: ['return', id],
    queryFn: () => api.get<ReturnDetail>(`/returns/${id}`),
  });
  const ret = query.data;
  if (!ret) return null;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body =
        dialog === 'receive'
          ? { version: ret.version, ...(v.warehouseId ? { warehouseId: v.warehouseId } : {}) }
          : { version: ret.version, ...(v.comment ? { comment: v.comment } : {}) };
      await api.post(`/returns/${ret.id}/${dialog}`, body);
      void message.success(t(`returns.done.${dialog}`));
      setDialog(null);
      void client.invalidateQueries({ queryKey: ['return', id] });
      void client.invalidateQueries({ queryKey: ['returns'] });
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={`${t('returns.detailTitle')} ${ret.number}`}
        extra={
          <Space>
            {ret.actions.includes('refund') && <RefundButton ret={ret} />}
            {ret.actions
              .filter((a) => a !== 'refund')
              .map((a) => (
                <Button
                  key={a}
                  type={a === 'approve' || a === 'receive' ? 'primary' : 'default'}
                  danger={a === 'reject'}
                  data-testid={`return-${a}`}
                  onClick={() => {
                    form.resetFields();
                    setDialog(a);
                  }}
                >
                  {t(`returns.actions.${a}`)}
                </Button>
              ))}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('returns.state')}>
            <ReturnStateTag state={ret.state} />
          </Descriptions.Item>
          <Descriptions.Item label={t('returns.order')}>
            <Link to={`/orders/sales-orders/${ret.orderId}`}>{ret.orderNumber}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('returns.customer')}>{ret.customerName}</Descriptions.Item>
          <Descriptions.Item label={t('returns.type')}>{t(`returns.types.${ret.type}`)}</Descriptions.Item>
          <Descriptions.Item label={t('returns.reason')}>
            {t(`returns.reasons.${ret.reason}`)}
          </Descriptions.Item>
          {prices && <Descriptions.Item label={t('returns.amount')}>{yuan(ret.amount)}</Descriptions.Item>}
          <Descriptions.Item label={t('returns.note')}>{ret.note ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('returns.decisionComment')}>
            {ret.decisionComment ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('returns.owner')}>{ret.ownerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('returns.createdAt')}>{formatTime(ret.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('returns.approvedAt')}>{formatTime(ret.approvedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('returns.receivedAt')}>{formatTime(ret.receivedAt)}</Descriptions.Item>
        </Descriptions>
        {(ret.uncreditedAmount ?? 0) > 0 && (
          <Typography.Text type="warning">
            {t('returns.refundDue', { amount: yuan(ret.uncreditedAmount) })}
          </Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('returns.lines')} style={{ marginBottom: 12 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={ret.lines}
          columns={[
            { title: t('returns.product'), key: 'p', render: (_, l) => `${l.sku} ${l.productName}` },
            { title: t('returns.quantity'), dataIndex: 'quantity', align: 'right' as const },
            ...(prices
              ? [
                  {
                    title: t('returns.unitPrice'),
                    dataIndex: 'unitPrice',
                    align: 'right' as const,
                    render: (v: number) => yuan(v),
                  },
                ]
              : []),
            {
              title: t('returns.tracking'),
              key: 'tr',
              render: (_, l) => l.batchNo ?? (l.serialNos.join(', ') || '—'),
            },
            ...(prices
              ? [
                  {
                    title: t('returns.credited'),
                    dataIndex: 'creditedAmount',
                    align: 'right' as const,
                    render: (v: number) => yuan(v),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {prices && ret.creditNotes.length > 0 && (
        <Card size="small" title={t('returns.creditNotes')}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={ret.creditNotes}
            columns={[
              { title: t('returns.creditNote'), dataIndex: 'number' },
              {
                title: t('returns.invoice'),
                dataIndex: 'invoiceId',
                render: (v: string) => <Link to={`/orders/invoices/${v}`}>{t('returns.openInvoice')}</Link>,
              },
              {
                title: t('returns.amount'),
                dataIndex: 'total',
                align: 'right' as const,
                render: (v: number) => yuan(v),
              },
            ]}
          />
        </Card>
      )}
      {prices && <ReturnRefunds ret={ret} />}
      {dialog && (
        <Modal
          open
          title={t(`returns.actions.${dialog}`)}
          confirmLoading={busy}
          onCancel={() => setDialog(null)}
          onOk={() => void submit()}
          okButtonProps={{ 'data-testid': 'return-dialog-ok', danger: dialog === 'reject' }}
        >
          <Form form={form} layout="vertical">
            {dialog === 'receive' ? (
              <>
                <Form.Item
                  name="warehouseId"
                  label={t('returns.warehouse')}
                  extra={t('returns.warehouseHint')}
                >
                  <WarehouseSelect style={{ width: 240 }} testId="return-warehouse" />
                </Form.Item>
                <Typography.Paragraph type="secondary">
                  {ret.type === 'exchange' ? t('returns.receiveExchangeHint') : t('returns.receiveHint')}
                </Typography.Paragraph>
              </>
            ) : (
              <Form.Item name="comment" label={t('returns.comment')}>
                <Input.TextArea maxLength={500} rows={2} />
              </Form.Item>
            )}
          </Form>
        </Modal>
      )}
    </>
  );
}
