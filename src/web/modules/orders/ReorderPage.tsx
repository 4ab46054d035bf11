import { App, Button, Form, Input, Modal, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { LowStockRow, ReceiptDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { WarehouseSelect } from './StockForms.js';

const keyOf = (r: LowStockRow) => `${r.warehouseId}:${r.productId}`;

/** 补货提醒: what is at or below its reorder point, and a receipt draft for the rows picked. */
export function ReorderPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [filters, setFilters] = useState<{ warehouseId?: string; q?: string }>({
    warehouseId: search.get('warehouseId') ?? undefined,
  });
  const [selected, setSelected] = useState<LowStockRow[]>([]);
  const [asking, setAsking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ supplierName: string }>();
  const { list, rows } = usePagedList<LowStockRow>(
    ['stock', 'low-stock', filters],
    '/stock/low-stock',
    filters,
  );
  const locations = new Set(selected.map((r) => r.warehouseId));

  async function startReceipt() {
    const { supplierName } = await form.validateFields();
    setSaving(true);
    try {
      const r = await api.post<ReceiptDetail>('/purchase-receipts/from-low-stock', {
        warehouseId: selected[0]!.warehouseId,
        productIds: selected.map((s) => s.productId),
        supplierName,
      });
      navigate(`/stock/receipts/${r.id}/edit`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  const columns: ColumnsType<LowStockRow> = [
    { title: t('receipts.warehouse'), dataIndex: 'warehouseName' },
    {
      title: t('receipts.product'),
      dataIndex: 'sku',
      render: (sku: string, r) => (
        <Link to={`/catalog/products/${r.productId}`}>
          {sku} {r.productName}
        </Link>
      ),
    },
    { title: t('receipts.onHand'), dataIndex: 'onHand', align: 'right' },
    { title: t('receipts.reserved'), dataIndex: 'reserved', align: 'right', responsive: ['md'] },
    { title: t('receipts.available'), dataIndex: 'available', align: 'right' },
    { title: t('receipts.reorderPoint'), dataIndex: 'reorderPoint', align: 'right' },
    {
      title: t('receipts.suggested'),
      dataIndex: 'suggestedQuantity',
      align: 'right',
      render: (v: string, r) => `${v} ${r.uom}`,
    },
    {
      title: t('receipts.notifiedAt'),
      dataIndex: 'notifiedAt',
      responsive: ['lg'],
      render: (v: string | null) => (v ? formatTime(v) : '—'),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('receipts.reorderTitle')}
        hint={t('receipts.reorderHint')}
        extra={
          <Space wrap>
            <ExportButton
              path="/stock/levels"
              filters={{ warehouseId: filters.warehouseId }}
              testId="stock-levels-export"
            />
            {can('stock.receive') && (
              <Button
                type="primary"
                disabled={selected.length === 0 || locations.size !== 1}
                title={locations.size > 1 ? t('receipts.oneLocation') : undefined}
                onClick={() => setAsking(true)}
                data-testid="reorder-start-receipt"
              >
                {t('receipts.startReceipt', { count: selected.length })}
              </Button>
            )}
          </Space>
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        initialValues={filters}
        onValuesChange={(_, all) => {
          setFilters(all);
          setSelected([]);
        }}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('receipts.reorderSearch')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="warehouseId">
          <WarehouseSelect allowClear placeholder={t('receipts.warehouse')} style={{ width: 180 }} />
        </Form.Item>
      </Form>
      <Table
        rowKey={keyOf}
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowSelection={
          can('stock.receive')
            ? {
                selectedRowKeys: selected.map(keyOf),
                onChange: (_, picked) => setSelected(picked),
              }
            : undefined
        }
        footer={() => <LoadMore list={list} />}
      />
      <Modal
        open={asking}
        title={t('receipts.startReceipt', { count: selected.length })}
        onOk={() => void startReceipt()}
        onCancel={() => setAsking(false)}
        okButtonProps={{ loading: saving }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="supplierName" label={t('receipts.supplier')} rules={[rules.required()]}>
            <Input maxLength={200} data-testid="reorder-supplier" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
