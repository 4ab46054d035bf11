import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ProductionRequest } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { WarehouseSelect } from './StockForms.js';

const STATUSES = ['open', 'fulfilled', 'cancelled'] as const;
const COLORS: Record<string, string> = { open: 'orange', fulfilled: 'green', cancelled: 'default' };

/** 生产/采购需求: what confirmed orders could not reserve, for the warehouse to arrange. */
export function ShipmentProductionRequestsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [filters, setFilters] = useState<{ q?: string; status?: string; warehouseId?: string }>({
    status: 'open',
  });
  const { list, rows } = usePagedList<ProductionRequest>(
    ['production-requests', filters],
    '/production-requests',
    filters,
  );
  const manage = can('production-requests.manage');

  async function close(r: ProductionRequest, verb: 'fulfil' | 'cancel') {
    try {
      await api.post(`/production-requests/${r.id}/${verb}`, { version: r.version });
      void client.invalidateQueries({ queryKey: ['production-requests'] });
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message);
    }
  }

  const columns: ColumnsType<ProductionRequest> = [
    { title: t('salesOrders.requestNumber'), dataIndex: 'number' },
    {
      title: t('salesOrders.order'),
      dataIndex: 'orderNumber',
      render: (n: string, r) => <Link to={`/orders/sales-orders/${r.orderId}`}>{n}</Link>,
    },
    { title: t('salesOrders.product'), key: 'p', render: (_, r) => `${r.sku} ${r.productName}` },
    { title: t('salesOrders.warehouse'), dataIndex: 'warehouseName' },
    { title: t('salesOrders.quantity'), dataIndex: 'quantity', align: 'right' },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag color={COLORS[s]}>{t(`salesOrders.requestStatuses.${s}`)}</Tag>,
    },
    { title: t('salesOrders.createdAt'), dataIndex: 'createdAt', render: formatTime, responsive: ['md'] },
    ...(manage
      ? [
          {
            key: 'actions',
            render: (_: unknown, r: ProductionRequest) =>
              r.status === 'open' && (
                <Space>
                  <Button
                    size="small"
                    onClick={() => void close(r, 'fulfil')}
                    data-testid={`request-fulfil-${r.number}`}
                  >
                    {t('salesOrders.fulfil')}
                  </Button>
                  <Button size="small" danger onClick={() => void close(r, 'cancel')}>
                    {t('salesOrders.cancelRequest')}
                  </Button>
                </Space>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader title={t('salesOrders.requestsTitle')} hint={t('salesOrders.requestsHint')} />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        initialValues={filters}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('salesOrders.requestSearch')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`salesOrders.requestStatuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="warehouseId">
          <WarehouseSelect allowClear placeholder={t('salesOrders.warehouse')} style={{ width: 180 }} />
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
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}
