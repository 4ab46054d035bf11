import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Table,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { UnitProject, UnitStageValue } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';

/** 项目 / 车源批次: the projects under release control, with how much of each is sold. */
export function UnitProjectsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<{ q?: string; kind?: string }>({});
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<UnitProject>(['unit-projects', filters], '/unit-projects', filters);
  const columns: ColumnsType<UnitProject> = [
    {
      title: t('units.projects.name'),
      dataIndex: 'name',
      render: (name: string, p) => (
        <Link to={`/catalog/unit-projects/${p.id}`} data-testid={`unit-project-${p.code}`}>
          {name}
        </Link>
      ),
    },
    { title: t('units.projects.code'), dataIndex: 'code' },
    { title: t('units.projects.kind'), dataIndex: 'kind', render: (k: string) => t(`units.kinds.${k}`) },
    { title: t('units.projects.total'), dataIndex: ['counts', 'total'] },
    ...(['available', 'held', 'reserved', 'sold'] as const).map((s) => ({
      title: t(`units.statuses.${s}`),
      dataIndex: ['counts', s],
      responsive: ['md' as const],
    })),
    {
      title: t('units.projects.sellThrough'),
      render: (_: unknown, p) => (
        <Progress
          style={{ width: 120 }}
          size="small"
          percent={
            p.counts.total ? Math.round(((p.counts.sold + p.counts.reserved) / p.counts.total) * 100) : 0
          }
        />
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('units.projects.title')}
        hint={t('units.projects.hint')}
        extra={
          can('units.manage') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="unit-project-new"
            >
              {t('units.projects.new')}
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
          <Input.Search allowClear placeholder={t('units.projects.search')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('units.projects.kind')}
            style={{ width: 120 }}
            options={['property', 'vehicle'].map((k) => ({ value: k, label: t(`units.kinds.${k}`) }))}
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
        locale={{ emptyText: <Empty description={t('units.projects.none')} /> }}
        data-testid="unit-project-table"
      />
      <LoadMore list={list} />
      {creating && (
        <ProjectForm
          onClose={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            navigate(`/catalog/unit-projects/${p.id}`);
          }}
        />
      )}
    </>
  );
}

interface StageRow {
  code: string;
  name: string;
  dates: [Dayjs, Dayjs];
  A?: number;
  B?: number;
  C?: number;
}

const toStage = (s: StageRow): UnitStageValue => ({
  code: s.code,
  name: s.name,
  startDate: s.dates[0].format('YYYY-MM-DD'),
  endDate: s.dates[1].format('YYYY-MM-DD'),
  targets: Object.fromEntries(
    (['A', 'B', 'C'] as const).filter((g) => s[g] !== undefined && s[g] !== null).map((g) => [g, s[g]!]),
  ),
});

/** A project (or vehicle batch) and its release stages with target sell-through per grade. */
export function ProjectForm({
  project,
  onClose,
  onSaved,
}: {
  project?: UnitProject;
  onClose: () => void;
  onSaved: (p: UnitProject) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  async function save() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const stages = ((v.stages ?? []) as StageRow[]).map(toStage);
      const saved = project
        ? await api.patch<UnitProject>(`/unit-projects/${project.id}`, {
            name: v.name,
            address: v.address || null,
            stages,
            version: project.version,
          })
        : await api.post<UnitProject>('/unit-projects', {
            code: v.code,
            name: v.name,
            kind: v.kind,
            address: v.address || undefined,
            stages,
          });
      void client.invalidateQueries({ queryKey: ['unit-projects'] });
      void client.invalidateQueries({ queryKey: ['unit-project', saved.id] });
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      width={760}
      title={project ? t('units.projects.edit') : t('units.projects.new')}
      onCancel={onClose}
      onOk={save}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={project ? undefined : { kind: 'property' }}>
        {!project && (
          <Space wrap>
            <Form.Item name="code" label={t('units.projects.code')} rules={[{ required: true, max: 30 }]}>
              <Input data-testid="unit-project-code" />
            </Form.Item>
            <Form.Item name="kind" label={t('units.projects.kind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 140 }}
                options={['property', 'vehicle'].map((k) => ({ value: k, label: t(`units.kinds.${k}`) }))}
              />
            </Form.Item>
          </Space>
        )}
        <Form.Item
          name="name"
          label={t('units.projects.name')}
          initialValue={project?.name}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input data-testid="unit-project-name" />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('units.projects.address')}
          initialValue={project?.address ?? undefined}
        >
          <Input />
        </Form.Item>
        <Form.List name="stages" initialValue={project ? stageRows(project) : []}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'code']} rules={[{ required: true, max: 30 }]}>
                    <Input placeholder={t('units.stages.code')} style={{ width: 70 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, max: 50 }]}>
                    <Input placeholder={t('units.stages.name')} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dates']} rules={[{ required: true }]}>
                    <DatePicker.RangePicker />
                  </Form.Item>
                  {(['A', 'B', 'C'] as const).map((g) => (
                    <Form.Item key={g} name={[f.name, g]}>
                      <InputNumber min={0} max={100} placeholder={`${g} %`} style={{ width: 70 }} />
                    </Form.Item>
                  ))}
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                {t('units.stages.add')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function stageRows(project: UnitProject) {
  return project.stages.map((s) => ({
    code: s.code,
    name: s.name,
    dates: [dayjs(s.startDate), dayjs(s.endDate)],
    A: s.targets.A,
    B: s.targets.B,
    C: s.targets.C,
  }));
}
