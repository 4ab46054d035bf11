import { App, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SalesOrder } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { WarehouseSelect } from './StockForms.js';

type Line = SalesOrder['lines'][number];

interface Values {
  warehouseId: string;
  carrier?: string;
  trackingNo?: string;
  lines: { orderLineId: string; quantity?: string; batchNo?: string; serialNos?: string[] }[];
}

/**
 * 发货: choose the warehouse, the quantities of each open line (serial numbers for serial-tracked
 * products, a batch for batch-tracked ones), the carrier and tracking number; posted at once.
 */
export function ShipmentDialog({
  order,
  onClose,
  onDone,
}: {
  order: SalesOrder;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  // One key per opened dialog: a double click posts one shipment.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const open = order.lines.filter((l) => l.openQuantity !== '0');
  const defaultWarehouse = open[0]?.warehouseId;

  async function submit() {
    const v = await form.validateFields();
    const lines = v.lines
      .map((l, i) => ({ ...l, line: open[i]! }))
      .filter((l) => l.quantity && Number(l.quantity) > 0)
      .map(({ line, ...l }) => ({
        orderLineId: line.id,
        quantity: String(l.quantity),
        ...(l.batchNo ? { batchNo: l.batchNo } : {}),
        ...(l.serialNos?.length ? { serialNos: l.serialNos } : {}),
      }));
    if (!lines.length) {
      void message.warning(t('salesOrders.nothingToShip'));
      return;
    }
    setBusy(true);
    try {
      await api.post(
        `/sales-orders/${order.id}/shipments`,
        {
          warehouseId: v.warehouseId,
          ...(v.carrier ? { carrier: v.carrier } : {}),
          ...(v.trackingNo ? { trackingNo: v.trackingNo } : {}),
          lines,
          post: true,
        },
        { 'Idempotency-Key': idempotencyKey },
      );
      void message.success(t('salesOrders.shipped'));
      onDone();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      width={860}
      title={t('salesOrders.shipTitle', { number: order.number })}
      okText={t('salesOrders.postShipment')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ 'data-testid': 'shipment-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          warehouseId: defaultWarehouse,
          lines: open.map((l) => ({ orderLineId: l.id, quantity: l.openQuantity })),
        }}
      >
        <Space wrap>
          <Form.Item
            name="warehouseId"
            label={t('salesOrders.warehouse')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <WarehouseSelect style={{ width: 220 }} testId="shipment-warehouse" />
          </Form.Item>
          <Form.Item name="carrier" label={t('salesOrders.carrier')}>
            <Input maxLength={100} style={{ width: 160 }} data-testid="shipment-carrier" />
          </Form.Item>
          <Form.Item name="trackingNo" label={t('salesOrders.trackingNo')}>
            <Input maxLength={100} style={{ width: 200 }} data-testid="shipment-tracking" />
          </Form.Item>
        </Space>
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={open}
          columns={[
            { title: t('salesOrders.product'), key: 'p', render: (_, l) => `${l.sku} ${l.productName}` },
            { title: t('salesOrders.open'), dataIndex: 'openQuantity', align: 'right' as const },
            { title: t('salesOrders.reserved'), dataIndex: 'reservedQuantity', align: 'right' as const },
            {
              title: t('salesOrders.shipQuantity'),
              key: 'q',
              render: (_, l, i) => (
                <Space direction="vertical" size={4}>
                  <Form.Item name={['lines', i, 'quantity']} style={{ margin: 0 }}>
                    <InputNumber
                      min="0"
                      max={l.openQuantity}
                      stringMode
                      style={{ width: 110 }}
                      data-testid={`shipment-quantity-${i}`}
                    />
                  </Form.Item>
                  {l.trackingMode === 'batch' && (
                    <Form.Item name={['lines', i, 'batchNo']} style={{ margin: 0 }}>
                      <Input placeholder={t('salesOrders.batchNo')} style={{ width: 160 }} />
                    </Form.Item>
                  )}
                  {l.trackingMode === 'serial' && (
                    <Form.Item name={['lines', i, 'serialNos']} style={{ margin: 0 }}>
                      <Select mode="tags" placeholder={t('salesOrders.serialNos')} style={{ width: 240 }} />
                    </Form.Item>
                  )}
                </Space>
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('salesOrders.shipHint')}
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}
