import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Switch, Table, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { CycleCount, CycleCountDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { CountStatusTag } from './ReceiptParts.js';
import { WarehouseSelect } from './StockForms.js';

const STATUSES = ['draft', 'counting', 'posted', 'cancelled'] as const;

interface CategoryRow {
  id: string;
  parentId: string | null;
  name: string;
}

/** 盘点: cycle counts, and opening a new one (which snapshots the books). */
export function CycleCountsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<{ status?: string; warehouseId?: string; q?: string }>({});
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();
  const { list, rows } = usePagedList<CycleCount>(['cycle-counts', filters], '/cycle-counts', filters);
  const categories = useQuery({
    queryKey: ['product-categories'],
    queryFn: () => api.get<{ items: CategoryRow[] }>('/product-categories'),
    enabled: creating && can('products.read'),
  });

  async function create() {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const c = await api.post<CycleCountDetail>('/cycle-counts', values);
      navigate(`/stock/counts/${c.id}`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  const columns: ColumnsType<CycleCount> = [
    {
      title: t('receipts.countNumber'),
      dataIndex: 'number',
      render: (n: string, c) => (
        <Link to={`/stock/counts/${c.id}`} data-testid={`count-${n}`}>
          {n}
        </Link>
      ),
    },
    { title: t('receipts.warehouse'), dataIndex: 'warehouseName' },
    {
      title: t('receipts.category'),
      dataIndex: 'categoryName',
      render: (v: string | null) => v ?? t('receipts.allProducts'),
    },
    {
      title: t('receipts.blind'),
      dataIndex: 'blind',
      render: (b: boolean) => (b ? t('common.yes') : t('common.no')),
    },
    {
      title: t('receipts.progress'),
      key: 'progress',
      render: (_, c) => `${c.countedLines} / ${c.lineCount}`,
    },
    { title: t('receipts.differingLines'), dataIndex: 'differingLines', align: 'right' },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <CountStatusTag status={s} /> },
    { title: t('receipts.snapshotAt'), dataIndex: 'snapshotAt', render: formatTime },
    { title: t('receipts.createdBy'), dataIndex: 'createdByName', responsive: ['lg'] },
  ];
  return (
    <>
      <PageHeader
        title={t('receipts.countsTitle')}
        hint={t('receipts.countsHint')}
        extra={
          can('stock.count') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="count-new"
            >
              {t('receipts.newCount')}
            </Button>
          )
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('receipts.countNumber')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`receipts.countStatuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="warehouseId">
          <WarehouseSelect allowClear placeholder={t('receipts.warehouse')} style={{ width: 180 }} />
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
      <Modal
        open={creating}
        title={t('receipts.newCount')}
        okText={t('receipts.startCount')}
        okButtonProps={{ loading: saving }}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <p>{t('receipts.newCountHint')}</p>
        <Form form={form} layout="vertical" preserve={false} initialValues={{ blind: false }}>
          <Form.Item name="warehouseId" label={t('receipts.warehouse')} rules={[rules.required()]}>
            <WarehouseSelect testId="count-warehouse" />
          </Form.Item>
          <Form.Item name="categoryId" label={t('receipts.category')}>
            <TreeSelect
              allowClear
              treeDataSimpleMode={{ id: 'value', pId: 'pId' }}
              treeData={(categories.data?.items ?? []).map((c) => ({
                value: c.id,
                pId: c.parentId,
                title: c.name,
              }))}
              placeholder={t('receipts.allProducts')}
            />
          </Form.Item>
          <Form.Item
            name="blind"
            label={t('receipts.blind')}
            valuePropName="checked"
            extra={t('receipts.blindHint')}
          >
            <Switch />
          </Form.Item>
          <Form.Item name="note" label={t('receipts.note')}>
            <Input.TextArea maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
