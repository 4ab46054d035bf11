import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Steps, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { SalesOrder } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { HistoryDrawer } from '../platform/HistoryDrawer.js';
import { yuan } from './ReceiptParts.js';
import { ReturnRequestDialog } from './ReturnRequestDialog.js';
import { SalesOrderStateTag, ShipmentStateTag } from './SalesOrderParts.js';
import { ShipmentDialog } from './ShipmentDialog.js';

type Line = SalesOrder['lines'][number];
type Shipment = SalesOrder['shipments'][number];

const STEPS = ['draft', 'confirmed', 'partially_shipped', 'shipped', 'completed'] as const;

/** One sales order: key facts, state steps, lines with reserved/shipped, shipments, actions. */
export function SalesOrderDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [historyOpen, setHistoryOpen] = useState(false);
  const [shipping, setShipping] = useState(false);
  const [returning, setReturning] = useState(false);
  const [delivering, setDelivering] = useState<Shipment | null>(null);
  const [busy, setBusy] = useState(false);
  const [deliverForm] = Form.useForm<{ signedBy: string }>();
  const q = useQuery({
    queryKey: ['sales-orders', id],
    queryFn: () => api.get<SalesOrder>(`/sales-orders/${id}`),
  });
  const o = q.data;

  async function act(path: string, body: object) {
    setBusy(true);
    try {
      await api.post(path, body);
      void client.invalidateQueries({ queryKey: ['sales-orders'] });
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(t('common.saved'));
      return true;
    } catch (err) {
      showError(err, message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (!o) return <Card loading />;
  // Prices are sensitive (sales-orders.prices): without it the server leaves them out.
  const prices = can('sales-orders.prices');
  const priced = <C,>(columns: C[]) => (prices ? columns : []);
  const stepIndex =
    o.state === 'pending_credit' ? 0 : Math.max(0, STEPS.indexOf(o.state as (typeof STEPS)[number]));
  const lineColumns = [
    { title: '#', dataIndex: 'seq', width: 48 },
    {
      title: t('salesOrders.product'),
      dataIndex: 'sku',
      render: (sku: string, l: Line) => (
        <Link to={`/catalog/products/${l.productId}`}>
          {sku} {l.productName}
        </Link>
      ),
    },
    {
      title: t('salesOrders.quantity'),
      dataIndex: 'quantity',
      align: 'right' as const,
      render: (v: string, l: Line) => `${v} ${l.uom}`,
    },
    ...priced([
      { title: t('salesOrders.unitPrice'), dataIndex: 'unitPrice', align: 'right' as const, render: yuan },
      {
        title: t('salesOrders.discountPercent'),
        dataIndex: 'discountPercent',
        align: 'right' as const,
        render: (v: string) => `${v}%`,
      },
      { title: t('salesOrders.amount'), dataIndex: 'amount', align: 'right' as const, render: yuan },
    ]),
    { title: t('salesOrders.lineWarehouse'), dataIndex: 'warehouseName' },
    { title: t('salesOrders.reserved'), dataIndex: 'reservedQuantity', align: 'right' as const },
    { title: t('salesOrders.shipped'), dataIndex: 'shippedQuantity', align: 'right' as const },
    {
      title: t('salesOrders.short'),
      dataIndex: 'shortQuantity',
      align: 'right' as const,
      render: (v: string) => (v === '0' ? '—' : <Tag color="volcano">{v}</Tag>),
    },
  ];
  const shipmentColumns = [
    { title: t('salesOrders.shipmentNumber'), dataIndex: 'number' },
    { title: t('salesOrders.warehouse'), dataIndex: 'warehouseName' },
    { title: t('common.status'), dataIndex: 'state', render: (s: string) => <ShipmentStateTag state={s} /> },
    { title: t('salesOrders.carrier'), dataIndex: 'carrier', render: (v: string | null) => v ?? '—' },
    { title: t('salesOrders.trackingNo'), dataIndex: 'trackingNo', render: (v: string | null) => v ?? '—' },
    {
      title: t('salesOrders.shipmentLines'),
      key: 'lines',
      render: (_: unknown, s: Shipment) =>
        s.lines
          .map((l) => `${l.sku} × ${l.quantity}${l.serialNos.length ? ` (${l.serialNos.join(', ')})` : ''}`)
          .join('; '),
    },
    ...priced([
      { title: t('salesOrders.amount'), dataIndex: 'amount', align: 'right' as const, render: yuan },
    ]),
    { title: t('salesOrders.postedAt'), dataIndex: 'postedAt', render: formatTime },
    {
      title: t('salesOrders.delivered'),
      key: 'delivered',
      render: (_: unknown, s: Shipment) =>
        s.deliveredAt ? (
          `${formatTime(s.deliveredAt)} · ${s.signedBy ?? ''}`
        ) : s.state === 'posted' && can('sales-orders.ship') ? (
          <Button size="small" onClick={() => setDelivering(s)} data-testid={`shipment-deliver-${s.number}`}>
            {t('salesOrders.deliver')}
          </Button>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title={
          <Space>
            {t('salesOrders.detailTitle', { number: o.number })}
            <SalesOrderStateTag state={o.state} />
            {o.shortage && o.state !== 'cancelled' && <Tag color="volcano">{t('salesOrders.shortage')}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {o.actions.includes('edit') && can('sales-orders.update') && (
              <Button onClick={() => navigate(`/orders/sales-orders/${o.id}/edit`)}>
                {t('common.edit')}
              </Button>
            )}
            {o.actions.includes('confirm') && can('sales-orders.confirm') && (
              <Button
                type="primary"
                loading={busy}
                data-testid="sales-order-confirm"
                onClick={() => void act(`/sales-orders/${o.id}/confirm`, { version: o.version })}
              >
                {t('salesOrders.confirm')}
              </Button>
            )}
            {o.actions.includes('ship') && can('sales-orders.ship') && (
              <Button type="primary" onClick={() => setShipping(true)} data-testid="sales-order-ship">
                {t('salesOrders.ship')}
              </Button>
            )}
            {['partially_shipped', 'shipped', 'completed'].includes(o.state) && can('returns.create') && (
              <Button onClick={() => setReturning(true)} data-testid="sales-order-return">
                {t('returns.request')}
              </Button>
            )}
            {o.actions.includes('cancel') && can('sales-orders.cancel') && (
              <Button
                danger
                data-testid="sales-order-cancel"
                onClick={() =>
                  modal.confirm({
                    title: t('salesOrders.cancelConfirm', { number: o.number }),
                    content: t('salesOrders.cancelHint'),
                    onOk: () => act(`/sales-orders/${o.id}/cancel`, { version: o.version }),
                  })
                }
              >
                {t('salesOrders.cancel')}
              </Button>
            )}
            <Button onClick={() => setHistoryOpen(true)}>{t('audit.history')}</Button>
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Steps
          size="small"
          current={stepIndex}
          status={o.state === 'cancelled' ? 'error' : o.state === 'pending_credit' ? 'wait' : 'process'}
          items={STEPS.map((s) => ({ title: t(`salesOrders.states.${s}`) }))}
        />
      </Card>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('salesOrders.customer')}>
            <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('salesOrders.contact')}>{o.contactName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('salesOrders.channel')}>
            {t(`salesOrders.channels.${o.channel}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('salesOrders.orderDate')}>{o.orderDate}</Descriptions.Item>
          <Descriptions.Item label={t('salesOrders.contract')}>
            {o.contractId ? <Link to={`/sales/contracts/${o.contractId}`}>{o.contractNumber}</Link> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('salesOrders.quote')}>
            {o.quoteId ? <Link to={`/sales/quotes/${o.quoteId}`}>{o.quoteNumber}</Link> : '—'}
          </Descriptions.Item>
          {prices && (
            <Descriptions.Item label={t('salesOrders.total')}>
              <strong>{yuan(o.total)}</strong>
            </Descriptions.Item>
          )}
          {prices && <Descriptions.Item label={t('salesOrders.tax')}>{yuan(o.tax)}</Descriptions.Item>}
          <Descriptions.Item label={t('salesOrders.owner')}>
            {o.ownerName} · {o.orgUnitName}
          </Descriptions.Item>
          {o.approvalRequestId && (
            <Descriptions.Item label={t('salesOrders.creditApproval')}>
              <Link to={`/approvals/${o.approvalRequestId}`}>{t('salesOrders.viewApproval')}</Link>
            </Descriptions.Item>
          )}
          {o.cancelledAt && (
            <Descriptions.Item label={t('salesOrders.cancelledAt')}>
              {formatTime(o.cancelledAt)} {o.cancelReason ?? ''}
            </Descriptions.Item>
          )}
          {o.notes && <Descriptions.Item label={t('salesOrders.notes')}>{o.notes}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card size="small" title={t('salesOrders.lines')} style={{ marginBottom: 12 }}>
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          columns={lineColumns}
          dataSource={o.lines}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card size="small" title={t('salesOrders.shipments')} style={{ marginBottom: 12 }}>
        <Table<Shipment>
          rowKey="id"
          size="small"
          pagination={false}
          columns={shipmentColumns}
          dataSource={o.shipments}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('salesOrders.noShipments') }}
        />
      </Card>
      {o.productionRequests.length > 0 && (
        <Card size="small" title={t('salesOrders.productionRequests')}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={o.productionRequests}
            columns={[
              { title: t('salesOrders.requestNumber'), dataIndex: 'number' },
              { title: t('salesOrders.product'), dataIndex: 'sku' },
              { title: t('salesOrders.warehouse'), dataIndex: 'warehouseName' },
              { title: t('salesOrders.quantity'), dataIndex: 'quantity', align: 'right' as const },
              {
                title: t('common.status'),
                dataIndex: 'status',
                render: (s: string) => t(`salesOrders.requestStatuses.${s}`),
              },
            ]}
          />
        </Card>
      )}
      {returning && (
        <ReturnRequestDialog
          orderId={o.id}
          onClose={() => setReturning(false)}
          onDone={(created) => navigate(`/orders/returns/${created.id}`)}
        />
      )}
      {shipping && (
        <ShipmentDialog
          order={o}
          onClose={() => setShipping(false)}
          onDone={() => {
            setShipping(false);
            void client.invalidateQueries({ queryKey: ['sales-orders'] });
          }}
        />
      )}
      <Modal
        open={!!delivering}
        title={t('salesOrders.deliverTitle', { number: delivering?.number ?? '' })}
        confirmLoading={busy}
        onCancel={() => setDelivering(null)}
        onOk={async () => {
          const v = await deliverForm.validateFields();
          if (await act(`/shipments/${delivering!.id}/deliver`, { ...v, version: delivering!.version })) {
            setDelivering(null);
            deliverForm.resetFields();
          }
        }}
        destroyOnHidden
      >
        <Form form={deliverForm} layout="vertical">
          <Form.Item
            name="signedBy"
            label={t('salesOrders.signedBy')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input maxLength={100} data-testid="shipment-signed-by" />
          </Form.Item>
        </Form>
      </Modal>
      <HistoryDrawer
        path={historyOpen ? `/sales-orders/${o.id}/history` : null}
        title={o.number}
        onClose={() => setHistoryOpen(false)}
      />
    </>
  );
}
