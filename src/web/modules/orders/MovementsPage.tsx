import { useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Empty, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StockMovement } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { ADJUSTMENT_REASONS, ProductSelect, WarehouseSelect } from './StockForms.js';

export const MOVEMENT_KINDS = [
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'adjustment',
  'return_in',
] as const;

const KIND_COLORS: Record<string, string> = {
  receipt: 'green',
  return_in: 'cyan',
  issue: 'orange',
  transfer_out: 'purple',
  transfer_in: 'blue',
  adjustment: 'gold',
};

/** An adjustment's reason is stored as "code: note"; show the code in the reader's language. */
function useReasonText() {
  const { t } = useTranslation();
  return (reason: string | null) => {
    if (!reason) return '—';
    const [code, ...rest] = reason.split(': ');
    if ((ADJUSTMENT_REASONS as readonly string[]).includes(code!)) {
      const label = t(`stock.reasons.${code}`);
      return rest.length ? `${label}：${rest.join(': ')}` : label;
    }
    return reason;
  };
}

interface Filters {
  warehouseId?: string;
  productId?: string;
  kind?: string;
  sourceType?: string;
  dates?: [Dayjs, Dayjs] | null;
}

/** 出入库记录: the ledger, newest first, with a reversal for those who may move stock. */
export function MovementsPage({ productId }: { productId?: string } = {}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const reasonText = useReasonText();
  const [filters, setFilters] = useState<Filters>({});
  const [reversing, setReversing] = useState<StockMovement>();
  const { dates, ...rest } = filters;
  const { list, rows } = usePagedList<StockMovement>(
    ['stock', 'movements', productId, filters],
    '/stock/movements',
    {
      ...rest,
      productId: productId ?? rest.productId,
      from: dates?.[0]?.format('YYYY-MM-DD'),
      to: dates?.[1]?.format('YYYY-MM-DD'),
    },
  );
  const seesCost = can('products.cost');
  const columns: ColumnsType<StockMovement> = [
    { title: t('stock.movementDate'), dataIndex: 'movementDate' },
    {
      title: t('stock.kind'),
      dataIndex: 'kind',
      render: (k: string, m) => (
        <>
          <Tag color={KIND_COLORS[k]}>{t(`stock.kinds.${k}`)}</Tag>
          {m.reversesId && <Tag>{t('stock.reversal')}</Tag>}
          {m.reversedById && <Tag color="default">{t('stock.reversed')}</Tag>}
        </>
      ),
    },
    ...(productId
      ? []
      : [
          {
            title: t('stock.product'),
            dataIndex: 'sku',
            render: (sku: string, m: StockMovement) => (
              <Link to={`/catalog/products/${m.productId}`}>
                {sku} {m.productName}
              </Link>
            ),
          },
        ]),
    { title: t('stock.warehouse'), dataIndex: 'warehouseName' },
    {
      title: t('stock.quantity'),
      dataIndex: 'quantity',
      align: 'right',
      render: (q: string) => (
        <Typography.Text type={q.startsWith('-') ? 'danger' : 'success'}>
          {q.startsWith('-') ? q : `+${q}`}
        </Typography.Text>
      ),
    },
    {
      title: t('stock.lot'),
      dataIndex: 'serialNo',
      responsive: ['md'],
      render: (_: unknown, m) => m.serialNo ?? m.batchNo ?? '—',
    },
    ...(seesCost
      ? [
          {
            title: t('stock.unitCost'),
            dataIndex: 'unitCost',
            align: 'right' as const,
            render: (v: number | null) => (v === null ? '—' : (v / 100).toFixed(2)),
          },
        ]
      : []),
    {
      title: t('stock.source'),
      dataIndex: 'sourceType',
      responsive: ['lg'],
      render: (s: string) => t(`stock.sources.${s}`, { defaultValue: s }),
    },
    { title: t('stock.reason'), dataIndex: 'reason', responsive: ['lg'], render: reasonText },
    {
      title: t('stock.postedBy'),
      dataIndex: 'postedByName',
      responsive: ['xl'],
      render: (n: string | null) => n ?? '—',
    },
    { title: t('stock.postedAt'), dataIndex: 'postedAt', responsive: ['xl'], render: formatTime },
    ...(can('stock.move')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, m: StockMovement) =>
              !m.reversesId && !m.reversedById && m.kind !== 'transfer_in' ? (
                <Button
                  size="small"
                  type="link"
                  onClick={() => setReversing(m)}
                  data-testid={`movement-reverse-${m.id}`}
                >
                  {t('stock.reverse')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  const table = (
    <>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('stock.noMovements')} /> }}
        data-testid="movement-table"
      />
      <LoadMore list={list} />
      {reversing && <ReverseModal movement={reversing} onClose={() => setReversing(undefined)} />}
    </>
  );
  if (productId) return table;
  return (
    <>
      <PageHeader title={t('stock.movementsTitle')} hint={t('stock.movementsHint')} />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="warehouseId">
          <WarehouseSelect allowClear placeholder={t('stock.warehouse')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="productId">
          <ProductSelect style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('stock.kind')}
            style={{ width: 130 }}
            options={MOVEMENT_KINDS.map((k) => ({ value: k, label: t(`stock.kinds.${k}`) }))}
            data-testid="movement-filter-kind"
          />
        </Form.Item>
        <Form.Item name="dates">
          <DatePicker.RangePicker />
        </Form.Item>
      </Form>
      {table}
    </>
  );
}

/** 冲销: posts the opposite movement (both legs of a transfer) with a reason. */
function ReverseModal({ movement, onClose }: { movement: StockMovement; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  async function save() {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await api.post(`/stock/movements/${movement.id}/reverse`, values);
      void client.invalidateQueries({ queryKey: ['stock'] });
      void message.success(t('stock.reversedDone'));
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
      title={t('stock.reverseTitle', { sku: movement.sku, quantity: movement.quantity })}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving, danger: true, 'data-testid': 'movement-reverse-save' }}
    >
      <Typography.Paragraph type="secondary">{t('stock.reverseHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('stock.reason')} rules={[rules.required()]}>
          <Input.TextArea maxLength={500} rows={2} data-testid="movement-reverse-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
