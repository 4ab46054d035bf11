import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Empty, Form, Input, Modal, Row, Segmented, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit, Warehouse } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { CitySelect, ProvinceSelect } from '../customers/CustomerForm.js';
import { UserSelect } from '../org/UserSelect.js';

const KINDS = ['warehouse', 'store'] as const;

/** 仓库与门店: the stock locations, kept by warehouse staff (stock.manage). */
export function WarehousesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<'active' | 'archived'>('active');
  const [q, setQ] = useState<string>();
  const [editing, setEditing] = useState<Warehouse | 'new'>();
  const { list, rows } = usePagedList<Warehouse>(['warehouses', 'list', status, q], '/warehouses', {
    status,
    q,
  });
  const manage = can('stock.manage');
  const refresh = () => void client.invalidateQueries({ queryKey: ['warehouses'] });

  async function toggle(w: Warehouse) {
    try {
      await api.post(`/warehouses/${w.id}/${w.status === 'active' ? 'archive' : 'restore'}`, {
        version: w.version,
      });
      refresh();
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message);
    }
  }

  const columns: ColumnsType<Warehouse> = [
    { title: t('stock.code'), dataIndex: 'code' },
    { title: t('stock.locationName'), dataIndex: 'name' },
    {
      title: t('stock.locationKind'),
      dataIndex: 'kind',
      render: (k: string) => <Tag color={k === 'store' ? 'magenta' : 'blue'}>{t(`stock.kinds2.${k}`)}</Tag>,
    },
    {
      title: t('stock.orgUnit'),
      dataIndex: 'orgUnitName',
      responsive: ['md'],
      render: (n: string | null) => n ?? t('stock.companyWide'),
    },
    {
      title: t('stock.region'),
      dataIndex: 'regionName',
      responsive: ['md'],
      render: (n: string | null) => n ?? '—',
    },
    {
      title: t('stock.address'),
      dataIndex: 'address',
      responsive: ['xl'],
      render: (n: string | null) => n ?? '—',
    },
    {
      title: t('stock.manager'),
      dataIndex: 'managerName',
      responsive: ['lg'],
      render: (n: string | null) => n ?? '—',
    },
    { title: t('stock.productsInStock'), dataIndex: 'productsInStock', align: 'right' },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, w: Warehouse) => (
              <Space size={0}>
                {w.status === 'active' && (
                  <Button
                    size="small"
                    type="link"
                    onClick={() => setEditing(w)}
                    data-testid={`warehouse-edit-${w.code}`}
                  >
                    {t('common.edit')}
                  </Button>
                )}
                <Button
                  size="small"
                  type="link"
                  danger={w.status === 'active'}
                  onClick={() => void toggle(w)}
                  data-testid={`warehouse-archive-${w.code}`}
                >
                  {w.status === 'active' ? t('stock.archive') : t('stock.restore')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('stock.warehousesTitle')}
        hint={t('stock.warehousesHint')}
        extra={
          manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="warehouse-new"
            >
              {t('stock.newWarehouse')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as 'active' | 'archived')}
          options={[
            { value: 'active', label: t('stock.activeLocations') },
            { value: 'archived', label: t('stock.archivedLocations') },
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('stock.warehouseSearch')}
          onSearch={(v) => setQ(v || undefined)}
          style={{ width: 220 }}
        />
      </Space>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('stock.noWarehouses')} /> }}
        data-testid="warehouse-table"
      />
      <LoadMore list={list} />
      {editing && (
        <WarehouseForm
          warehouse={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            refresh();
          }}
        />
      )}
    </>
  );
}

function WarehouseForm({
  warehouse,
  onClose,
  onSaved,
}: {
  warehouse?: Warehouse;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const province = Form.useWatch('provinceCode', form);
  const units = useQuery({
    queryKey: ['org-units'],
    queryFn: () => api.get<{ items: OrgUnit[] }>('/org-units'),
    enabled: can('org.read'),
  });
  async function save() {
    const values = await form.validateFields();
    const body = { ...values, address: values.address || null };
    setSaving(true);
    try {
      if (warehouse) await api.patch(`/warehouses/${warehouse.id}`, { ...body, version: warehouse.version });
      else await api.post('/warehouses', body);
      void message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      width={640}
      title={warehouse ? t('stock.editWarehouse') : t('stock.newWarehouse')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving, 'data-testid': 'warehouse-save' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          warehouse
            ? {
                code: warehouse.code,
                name: warehouse.name,
                kind: warehouse.kind,
                orgUnitId: warehouse.orgUnitId,
                provinceCode: warehouse.provinceCode,
                cityCode: warehouse.cityCode,
                address: warehouse.address,
                managerId: warehouse.managerId,
              }
            : { kind: 'warehouse' }
        }
      >
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="code" label={t('stock.code')} rules={[rules.required()]}>
              <Input maxLength={30} data-testid="warehouse-code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="name" label={t('stock.locationName')} rules={[rules.required()]}>
              <Input maxLength={100} data-testid="warehouse-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="kind" label={t('stock.locationKind')}>
              <Select
                options={KINDS.map((k) => ({ value: k, label: t(`stock.kinds2.${k}`) }))}
                data-testid="warehouse-kind"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="orgUnitId" label={t('stock.orgUnit')} extra={t('stock.orgUnitHint')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="managerId" label={t('stock.manager')}>
              <UserSelect
                initial={
                  warehouse?.managerId && warehouse.managerName
                    ? { id: warehouse.managerId, name: warehouse.managerName }
                    : undefined
                }
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="provinceCode" label={t('stock.province')}>
              <ProvinceSelect onChange={() => form.setFieldValue('cityCode', null)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cityCode" label={t('stock.city')}>
              <CitySelect province={province} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('stock.address')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
