import { EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { SellThrough, UnitProject } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { UnitGrid } from './UnitGrid.js';
import { SuggestionTag } from './UnitParts.js';
import { ProjectForm } from './UnitProjectsPage.js';
import { UnitsList } from './UnitsPage.js';

/** A project: the release-control grid, sell-through by grade per stage, and its units as a list. */
export function UnitProjectPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const [repricing, setRepricing] = useState(false);
  const project = useQuery({
    queryKey: ['unit-project', id],
    queryFn: () => api.get<UnitProject>(`/unit-projects/${id}`),
    enabled: !!id,
  });
  if (!project.data) return <Spin />;
  const p = project.data;
  return (
    <>
      <PageHeader
        title={p.name}
        hint={`${p.code} · ${t(`units.kinds.${p.kind}`)} · ${t('units.projects.counts', p.counts)}`}
        extra={
          can('units.manage') && (
            <Space>
              <Button onClick={() => setRepricing(true)} data-testid="unit-reprice">
                {t('units.reprice.title')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('units.projects.edit')}
              </Button>
            </Space>
          )
        }
      />
      <Tabs
        items={[
          { key: 'grid', label: t('units.tabs.grid'), children: <UnitGrid projectId={p.id} /> },
          {
            key: 'sell-through',
            label: t('units.tabs.sellThrough'),
            children: <SellThroughPanel project={p} />,
          },
          { key: 'list', label: t('units.tabs.list'), children: <UnitsList projectId={p.id} /> },
        ]}
        data-testid="unit-project-tabs"
      />
      {editing && (
        <ProjectForm project={p} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      )}
      {repricing && <RepriceModal project={p} onClose={() => setRepricing(false)} />}
    </>
  );
}

/** Sell-through by grade for a stage, against its target, with the seed's suggestion per grade. */
function SellThroughPanel({ project }: { project: UnitProject }) {
  const { t } = useTranslation();
  const [stage, setStage] = useState<string>();
  const data = useQuery({
    queryKey: ['unit-sell-through', project.id, stage],
    queryFn: () => api.get<SellThrough>(`/unit-projects/${project.id}/sell-through`, { stage }),
  });
  if (!project.stages.length) return <Empty description={t('units.stages.none')} />;
  const s = data.data;
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Select
            style={{ width: 200 }}
            value={stage ?? s?.stage?.code}
            onChange={setStage}
            options={project.stages.map((x) => ({ value: x.code, label: `${x.code} ${x.name}` }))}
            data-testid="sell-through-stage"
          />
          {s?.stage && (
            <Typography.Text type="secondary">
              {s.stage.startDate} ~ {s.stage.endDate} ·{' '}
              {t('units.sellThrough.elapsed', { pct: Math.round(Number(s.elapsed) * 100) })}
            </Typography.Text>
          )}
        </Space>
      }
    >
      <Table
        rowKey="grade"
        size="small"
        pagination={false}
        loading={data.isLoading}
        dataSource={s?.grades ?? []}
        data-testid="sell-through-table"
        columns={[
          { title: t('units.grade'), dataIndex: 'grade' },
          { title: t('units.sellThrough.total'), dataIndex: 'total' },
          { title: t('units.statuses.sold'), dataIndex: 'sold' },
          { title: t('units.statuses.reserved'), dataIndex: 'reserved' },
          { title: t('units.statuses.held'), dataIndex: 'held' },
          {
            title: t('units.sellThrough.actual'),
            dataIndex: 'sellThroughPct',
            render: (v: string) => `${v}%`,
          },
          {
            title: t('units.sellThrough.target'),
            dataIndex: 'targetPct',
            render: (v: number | null) => (v === null ? '—' : `${v}%`),
          },
          {
            title: t('units.sellThrough.expected'),
            dataIndex: 'expectedPct',
            render: (v: string) => `${v}%`,
          },
          {
            title: t('units.sellThrough.suggestion'),
            dataIndex: 'suggestion',
            render: (_: unknown, g) => <SuggestionTag suggestion={g.suggestion} />,
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('units.sellThrough.rule')}
      </Typography.Paragraph>
    </Card>
  );
}

/** A grade's unsold units by a percentage (optionally with the 8/9 rule on the price per m²). */
function RepriceModal({ project, onClose }: { project: UnitProject; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ grade: string; percent: number; eightNine: boolean; reason: string }>();
  const [busy, setBusy] = useState(false);
  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const res = await api.post<{ count: number }>('/units/reprice', { projectId: project.id, ...v });
      void message.success(t('units.reprice.done', { count: res.count }));
      void client.invalidateQueries({ queryKey: ['unit-grid', project.id] });
      void client.invalidateQueries({ queryKey: ['units'] });
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={t('units.reprice.title')} onCancel={onClose} onOk={submit} confirmLoading={busy}>
      <Typography.Paragraph type="secondary">{t('units.reprice.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ eightNine: false }}>
        <Form.Item name="grade" label={t('units.grade')} rules={[{ required: true, max: 10 }]}>
          <Input style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="percent" label={t('units.reprice.percent')} rules={[{ required: true }]}>
          <InputNumber min={-50} max={100} step={0.5} addonAfter="%" />
        </Form.Item>
        {project.kind === 'property' && (
          <Form.Item name="eightNine" valuePropName="checked">
            <Checkbox>{t('units.reprice.eightNine')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('units.reason')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
