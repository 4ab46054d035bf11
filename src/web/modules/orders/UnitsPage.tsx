import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Form, Input, Select, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Unit, UnitProject } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { ExportButton } from '../platform/ExportButton.js';
import { UnitDrawer } from './UnitDrawer.js';
import { formatTotal, formatYuan, UNIT_STATUSES, UnitStatusTag } from './UnitParts.js';

interface Filters {
  q?: string;
  projectId?: string;
  status?: string;
  grade?: string;
  building?: string;
  stage?: string;
}

/** Units as a filterable list (by project, building, status, grade, stage; search number or VIN). */
export function UnitsList({ projectId }: { projectId?: string }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const [open, setOpen] = useState<string>();
  const projects = useQuery({
    queryKey: ['unit-projects', 'all'],
    queryFn: () => api.get<Page<UnitProject>>('/unit-projects', { limit: 500 }),
    enabled: !projectId,
  });
  const query = { ...filters, ...(projectId ? { projectId } : {}) };
  const { list, rows } = usePagedList<Unit>(['units', query], '/units', query);
  const columns: ColumnsType<Unit> = [
    {
      title: t('units.number'),
      dataIndex: 'number',
      render: (n: string, u) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={() => setOpen(u.id)}
          data-testid={`unit-row-${u.number}`}
        >
          {u.building && !n.startsWith(u.building) ? `${u.building} ${n}` : n}
        </Button>
      ),
    },
    ...(projectId
      ? []
      : [
          {
            title: t('units.project'),
            dataIndex: 'projectName',
            render: (name: string, u: Unit) => (
              <Link to={`/catalog/unit-projects/${u.projectId}`}>{name}</Link>
            ),
          },
        ]),
    { title: t('units.unitType'), dataIndex: 'unitType', responsive: ['md'] },
    { title: t('units.grade'), dataIndex: 'grade' },
    {
      title: t('units.area'),
      dataIndex: 'area',
      responsive: ['md'],
      render: (a: string | null) => (a ? `${a} ㎡` : '—'),
    },
    {
      title: t('units.listPrice'),
      dataIndex: 'listPrice',
      render: (p: number) => formatTotal(p, i18n.language),
    },
    {
      title: t('units.unitPrice'),
      dataIndex: 'unitPrice',
      responsive: ['lg'],
      render: (p: number | null) => formatYuan(p, i18n.language),
    },
    { title: t('units.stage'), dataIndex: 'stage', responsive: ['lg'] },
    {
      title: t('units.status'),
      dataIndex: 'status',
      render: (_: unknown, u) => <UnitStatusTag status={u.status} />,
    },
    { title: t('units.holdReason'), dataIndex: 'holdReason', responsive: ['xl'] },
  ];
  return (
    <>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search
            allowClear
            placeholder={t('units.search')}
            style={{ width: 200 }}
            data-testid="unit-search"
          />
        </Form.Item>
        {!projectId && (
          <Form.Item name="projectId">
            <Select
              allowClear
              placeholder={t('units.project')}
              style={{ width: 200 }}
              options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="building">
          <Input allowClear placeholder={t('units.building')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('units.status')}
            style={{ width: 110 }}
            options={UNIT_STATUSES.map((s) => ({ value: s, label: t(`units.statuses.${s}`) }))}
            data-testid="unit-filter-status"
          />
        </Form.Item>
        <Form.Item name="grade">
          <Input allowClear placeholder={t('units.grade')} style={{ width: 80 }} />
        </Form.Item>
        <Form.Item name="stage">
          <Input allowClear placeholder={t('units.stage')} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item>
          <ExportButton path="/units" filters={query} testId="unit-export" />
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
        locale={{ emptyText: <Empty description={t('units.noUnits')} /> }}
        data-testid="unit-table"
      />
      <LoadMore list={list} />
      {open && <UnitDrawer id={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}

/** 房源 / 车辆: every unit of every project. */
export function UnitsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('units.listTitle')} hint={t('units.listHint')} />
      <UnitsList />
    </>
  );
}
