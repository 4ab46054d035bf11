import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, Input, Modal, Popconfirm, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Reservation } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { ProductSelect, WarehouseSelect } from './StockForms.js';

const STATUSES = ['active', 'released', 'consumed'] as const;
const STATUS_COLORS: Record<string, string> = { active: 'blue', released: 'default', consumed: 'green' };

interface Filters {
  q?: string;
  warehouseId?: string;
  productId?: string;
  status?: string;
}

/** 库存预留: what is promised to orders, and releasing it by hand. */
export function ReservationsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ status: 'active' });
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<Reservation>(
    ['stock', 'reservations', filters],
    '/stock/reservations',
    {
      ...filters,
    },
  );
  async function release(r: Reservation) {
    try {
      await api.post(`/stock/reservations/${encodeURIComponent(r.key)}/release`, {});
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(t('stock.releasedDone'));
    } catch (err) {
      showError(err, message);
    }
  }
  const columns: ColumnsType<Reservation> = [
    { title: t('stock.reservationKey'), dataIndex: 'key' },
    {
      title: t('stock.product'),
      dataIndex: 'sku',
      render: (sku: string, r) => (
        <Link to={`/catalog/products/${r.productId}`}>
          {sku} {r.productName}
        </Link>
      ),
    },
    { title: t('stock.warehouse'), dataIndex: 'warehouseName' },
    { title: t('stock.quantity'), dataIndex: 'quantity', align: 'right' },
    { title: t('stock.remaining'), dataIndex: 'remaining', align: 'right' },
    { title: t('stock.consumed'), dataIndex: 'consumed', align: 'right', responsive: ['md'] },
    { title: t('stock.releasedQty'), dataIndex: 'released', align: 'right', responsive: ['md'] },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag color={STATUS_COLORS[s]}>{t(`stock.reservationStatuses.${s}`)}</Tag>,
    },
    {
      title: t('stock.source'),
      dataIndex: 'sourceType',
      responsive: ['lg'],
      render: (s: string) => t(`stock.sources.${s}`, { defaultValue: s }),
    },
    { title: t('stock.note'), dataIndex: 'note', responsive: ['xl'], render: (n: string | null) => n ?? '—' },
    { title: t('stock.createdAt'), dataIndex: 'createdAt', responsive: ['lg'], render: formatTime },
    ...(can('stock.reserve')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: Reservation) =>
              r.status === 'active' ? (
                <Popconfirm
                  title={t('stock.releaseConfirm', { remaining: r.remaining })}
                  onConfirm={() => void release(r)}
                >
                  <Button size="small" type="link" data-testid={`reservation-release-${r.key}`}>
                    {t('stock.release')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title={t('stock.reservationsTitle')}
        hint={t('stock.reservationsHint')}
        extra={
          can('stock.reserve') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="reservation-new"
            >
              {t('stock.reserve')}
            </Button>
          )
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        initialValues={filters}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('stock.reservationSearch')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="warehouseId">
          <WarehouseSelect allowClear placeholder={t('stock.warehouse')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="productId">
          <ProductSelect style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`stock.reservationStatuses.${s}`) }))}
          />
        </Form.Item>
      </Form>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('stock.noReservations')} /> }}
        data-testid="reservation-table"
      />
      <LoadMore list={list} />
      {creating && <ReserveModal onClose={() => setCreating(false)} />}
    </>
  );
}

/** Reserves by hand under a key (e.g. the order number and line); the same key again changes nothing. */
function ReserveModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  async function save() {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await api.post('/stock/reservations', { ...values, note: values.note || undefined });
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(t('stock.reservedDone'));
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      title={t('stock.reserve')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving, 'data-testid': 'reservation-save' }}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="key"
          label={t('stock.reservationKey')}
          extra={t('stock.reservationKeyHint')}
          rules={[rules.required()]}
        >
          <Input maxLength={200} data-testid="reservation-key" />
        </Form.Item>
        <Form.Item name="warehouseId" label={t('stock.warehouse')} rules={[rules.required()]}>
          <WarehouseSelect testId="reservation-warehouse" />
        </Form.Item>
        <Form.Item name="productId" label={t('stock.product')} rules={[rules.required()]}>
          <ProductSelect testId="reservation-product" />
        </Form.Item>
        <Form.Item name="quantity" label={t('stock.quantity')} rules={[rules.required()]}>
          <Input data-testid="reservation-quantity" />
        </Form.Item>
        <Form.Item name="note" label={t('stock.note')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
