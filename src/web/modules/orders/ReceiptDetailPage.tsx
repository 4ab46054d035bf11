import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ReceiptDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { Attachments } from '../platform/Attachments.js';
import { HistoryDrawer } from '../platform/HistoryDrawer.js';
import { ReceiptStatusTag, yuan } from './ReceiptParts.js';

type Line = ReceiptDetail['lines'][number];

/** One purchase receipt: its facts and lines, post / reverse, the delivery note scan, history. */
export function ReceiptDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [historyOpen, setHistoryOpen] = useState(false);
  const [reversing, setReversing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const q = useQuery({
    queryKey: ['receipts', id],
    queryFn: () => api.get<ReceiptDetail>(`/purchase-receipts/${id}`),
  });
  const r = q.data;
  const seesCost = can('products.cost');
  const mayReceive = can('stock.receive');

  async function act(path: string, body: object, done: string) {
    setBusy(true);
    try {
      await api.post(`/purchase-receipts/${id}/${path}`, body);
      void client.invalidateQueries({ queryKey: ['receipts'] });
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(done);
      return true;
    } catch (err) {
      showError(err, message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (!r) return <Card loading />;
  const columns = [
    { title: '#', dataIndex: 'lineNo', width: 48 },
    {
      title: t('receipts.product'),
      dataIndex: 'sku',
      render: (sku: string, l: Line) => (
        <Link to={`/catalog/products/${l.productId}`}>
          {sku} {l.productName}
        </Link>
      ),
    },
    {
      title: t('receipts.specification'),
      dataIndex: 'specification',
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('receipts.quantity'),
      dataIndex: 'quantity',
      align: 'right' as const,
      render: (v: string, l: Line) => `${v} ${l.uom}`,
    },
    {
      title: t('receipts.lot'),
      key: 'lot',
      render: (_: unknown, l: Line) =>
        l.batchNo
          ? [
              l.batchNo,
              l.producedOn && `${t('receipts.producedOn')} ${l.producedOn}`,
              l.expiresOn && `${t('receipts.expiresOn')} ${l.expiresOn}`,
            ]
              .filter(Boolean)
              .join(' · ')
          : l.serialNos.length
            ? l.serialNos.join('、')
            : '—',
    },
    ...(seesCost
      ? [
          { title: t('receipts.unitCost'), dataIndex: 'unitCost', align: 'right' as const, render: yuan },
          { title: t('receipts.lineCost'), dataIndex: 'lineCost', align: 'right' as const, render: yuan },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title={
          <Space>
            {t('receipts.detailTitle', { number: r.number })}
            <ReceiptStatusTag status={r.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => setHistoryOpen(true)}>{t('receipts.history')}</Button>
            {mayReceive && r.status === 'draft' && (
              <Button onClick={() => navigate(`/stock/receipts/${r.id}/edit`)} data-testid="receipt-edit">
                {t('common.edit')}
              </Button>
            )}
            {mayReceive && r.status === 'draft' && (
              <Popconfirm
                title={t('receipts.postConfirm', { quantity: r.totalQuantity, warehouse: r.warehouseName })}
                onConfirm={() =>
                  void act('post', { version: r.version }, t('receipts.postedDone', { number: r.number }))
                }
              >
                <Button type="primary" loading={busy} data-testid="receipt-post">
                  {t('receipts.post')}
                </Button>
              </Popconfirm>
            )}
            {mayReceive && r.status === 'posted' && (
              <Button danger onClick={() => setReversing(true)} data-testid="receipt-reverse">
                {t('receipts.reverse')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('receipts.supplier')}>{r.supplierName}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.supplierNoteNo')}>
            {r.supplierNoteNo ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('receipts.warehouse')}>
            {r.warehouseCode} {r.warehouseName}
          </Descriptions.Item>
          <Descriptions.Item label={t('receipts.receiptDate')}>{r.receiptDate}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.totalQuantity')}>
            <span data-testid="receipt-total-quantity">{r.totalQuantity}</span>
          </Descriptions.Item>
          {seesCost && (
            <Descriptions.Item label={t('receipts.totalCost')}>{yuan(r.totalCost)}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('receipts.createdBy')}>
            {r.createdByName ?? '—'} · {formatTime(r.createdAt)}
          </Descriptions.Item>
          {r.postedAt && (
            <Descriptions.Item label={t('receipts.postedBy')}>
              {r.postedByName ?? '—'} · {formatTime(r.postedAt)}
            </Descriptions.Item>
          )}
          {r.reversedAt && (
            <Descriptions.Item label={t('receipts.reverseReason')}>
              {r.reverseReason} · {formatTime(r.reversedAt)}
            </Descriptions.Item>
          )}
          {r.note && <Descriptions.Item label={t('receipts.note')}>{r.note}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card size="small" title={t('receipts.lines')} style={{ marginBottom: 16 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={r.lines}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card size="small" title={t('receipts.attachments')}>
        <Attachments entity="purchase_receipt" entityId={r.id} />
      </Card>
      <HistoryDrawer
        path={historyOpen ? `/purchase-receipts/${r.id}/history` : null}
        title={r.number}
        onClose={() => setHistoryOpen(false)}
      />
      <Modal
        open={reversing}
        title={t('receipts.reverseTitle', { number: r.number })}
        okText={t('receipts.reverse')}
        okButtonProps={{
          danger: true,
          loading: busy,
          ...({ 'data-testid': 'receipt-reverse-ok' } as Record<string, string>),
        }}
        onCancel={() => setReversing(false)}
        onOk={async () => {
          const { reason } = await form.validateFields();
          if (await act('reverse', { version: r.version, reason }, t('receipts.reversedDone')))
            setReversing(false);
        }}
        destroyOnHidden
      >
        <p>{t('receipts.reverseHint')}</p>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('receipts.reverseReason')} rules={[rules.required()]}>
            <Input.TextArea maxLength={500} data-testid="receipt-reverse-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
