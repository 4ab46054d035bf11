import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { isVersionConflict, showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { Attachments } from '../platform/Attachments.js';
import { ExportButton } from '../platform/ExportButton.js';
import { HistoryDrawer } from '../platform/HistoryDrawer.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { unitTree, useOrgUnits } from './orgData.js';
import { TerritoryPicker } from './TerritoryPicker.js';
import { UnitTreeSelect } from './UnitTreeSelect.js';
import { UserSelect } from './UserSelect.js';

interface UnitForm {
  parentId: string;
  name: string;
  code?: string | null;
  kind: OrgUnit['kind'];
  headUserId?: string | null;
  sortOrder?: number;
}

/** The org tree: add, rename, move with the subtree, archive, and assign territories. */
export function OrgPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const [showArchived, setShowArchived] = useState(false);
  const detailRef = useRef<HTMLDivElement>(null);
  const units = useOrgUnits(showArchived);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ mode: 'new' | 'edit'; unit?: OrgUnit } | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [form] = Form.useForm<UnitForm>();
  const [territoryForm] = Form.useForm<{ codes: string[] }>();
  const all = units.data?.items ?? [];
  const selected = all.find((u) => u.id === selectedId) ?? all[0];
  const refresh = () => client.invalidateQueries({ queryKey: ['org-units'] });

  function openNew(parent: OrgUnit) {
    form.resetFields();
    form.setFieldsValue({
      parentId: parent.id,
      kind: parent.kind === 'company' ? 'region' : 'team',
      sortOrder: 0,
    });
    setEditing({ mode: 'new' });
  }
  function openEdit(unit: OrgUnit) {
    form.resetFields();
    form.setFieldsValue({
      parentId: unit.parentId ?? undefined,
      name: unit.name,
      code: unit.code,
      kind: unit.kind,
      sortOrder: unit.sortOrder,
    });
    setEditing({ mode: 'edit', unit });
  }

  async function save(values: UnitForm) {
    try {
      if (editing?.mode === 'new') {
        const created = await api.post<OrgUnit>('/org-units', {
          ...values,
          code: values.code || null,
          headUserId: values.headUserId ?? null,
        });
        setSelectedId(created.id);
      } else if (editing?.unit) {
        const { parentId, ...rest } = values;
        await api.patch(`/org-units/${editing.unit.id}`, {
          ...rest,
          code: values.code || null,
          headUserId: values.headUserId ?? null,
          ...(editing.unit.parentId && parentId !== editing.unit.parentId ? { parentId } : {}),
          version: editing.unit.version,
        });
      }
      setEditing(null);
      void message.success(t('common.saved'));
      await refresh();
    } catch (err) {
      showError(err, message, form);
      if (isVersionConflict(err)) setEditing(null);
    }
  }

  function archive(unit: OrgUnit) {
    modal.confirm({
      title: t('org.archiveConfirm', { name: unit.name }),
      okButtonProps: { danger: true },
      onOk: async () => {
        await api.post(`/org-units/${unit.id}/archive`).catch((err) => showError(err, message));
        setSelectedId(unit.parentId);
        await refresh();
      },
    });
  }

  async function saveTerritories({ codes }: { codes?: string[] }) {
    try {
      await api.put(`/org-units/${selected!.id}/territories`, { codes: codes ?? [] });
      void message.success(t('common.saved'));
      await refresh();
    } catch (err) {
      showError(err, message, territoryForm);
    }
  }

  const kindOptions = (['region', 'team', 'department'] as const).map((k) => ({
    value: k,
    label: t(`org.kinds.${k}`),
  }));
  return (
    <>
      <PageHeader
        title={t('menu.orgUnits')}
        hint={t('org.hint')}
        extra={
          <Space wrap>
            <ImportButton entity="org-units" onImported={() => void refresh()} />
            <ExportButton path="/org-units" filters={{ includeArchived: showArchived }} testId="org-export" />
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10} lg={8}>
          <Card
            title={t('org.tree')}
            loading={units.isPending}
            extra={
              <Space size={6}>
                <Typography.Text type="secondary">{t('org.showArchived')}</Typography.Text>
                <Switch
                  size="small"
                  checked={showArchived}
                  onChange={setShowArchived}
                  aria-label={t('org.showArchived')}
                />
              </Space>
            }
          >
            <Tree
              showIcon
              defaultExpandAll
              key={all.length}
              icon={<ApartmentOutlined />}
              treeData={unitTree(all).map(function label(n): object {
                return {
                  key: n.key,
                  title: (
                    <span style={n.unit.archived ? { color: '#999' } : undefined}>
                      {n.title} <Typography.Text type="secondary">({n.unit.userCount})</Typography.Text>
                      {n.unit.archived && <Tag style={{ marginInlineStart: 6 }}>{t('org.archived')}</Tag>}
                    </span>
                  ),
                  children: n.children.map(label),
                };
              })}
              selectedKeys={selected ? [selected.id] : []}
              onSelect={([key]) => {
                if (!key) return;
                setSelectedId(String(key));
                // On a phone the details sit below the tree: bring them into view.
                if (window.innerWidth < 768) detailRef.current?.scrollIntoView({ behavior: 'smooth' });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} md={14} lg={16} ref={detailRef}>
          {selected ? (
            <Card
              title={
                <Space>
                  {selected.name}
                  {selected.archived && <Tag>{t('org.archived')}</Tag>}
                </Space>
              }
            >
              <Space wrap style={{ marginBottom: 16 }}>
                {!selected.archived && (
                  <>
                    <Button
                      type="primary"
                      icon={<PlusOutlined />}
                      onClick={() => openNew(selected)}
                      data-testid="org-add-child"
                    >
                      {t('org.addChild')}
                    </Button>
                    <Button onClick={() => openEdit(selected)} data-testid="org-edit">
                      {t('common.edit')}
                    </Button>
                    {selected.kind !== 'company' && (
                      <Button danger onClick={() => archive(selected)} data-testid="org-archive">
                        {t('org.archive')}
                      </Button>
                    )}
                  </>
                )}
                <Button onClick={() => setShowHistory(true)}>{t('audit.history')}</Button>
              </Space>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('org.kind')}>
                  <Tag>{t(`org.kinds.${selected.kind}`)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('org.code')}>{selected.code ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('org.head')}>{selected.headUserName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('org.userCount')}>{selected.userCount}</Descriptions.Item>
              </Descriptions>
              <Typography.Title level={5}>{t('org.territories')}</Typography.Title>
              <Form
                form={territoryForm}
                disabled={selected.archived}
                key={`${selected.id}-${selected.version}-${selected.territories.join()}`}
                initialValues={{ codes: selected.territories }}
                onFinish={saveTerritories}
              >
                <Form.Item name="codes">
                  <TerritoryPicker />
                </Form.Item>
                <Button htmlType="submit" data-testid="org-save-territories">
                  {t('org.saveTerritories')}
                </Button>
              </Form>
              <Attachments key={selected.id} entity="org_unit" entityId={selected.id} />
            </Card>
          ) : (
            <Empty />
          )}
        </Col>
      </Row>
      <Drawer
        open={!!editing}
        onClose={() => setEditing(null)}
        size={420}
        title={editing?.mode === 'new' ? t('org.addChild') : editing?.unit?.name}
        extra={
          <Button type="primary" onClick={() => form.submit()} data-testid="org-save">
            {t('common.save')}
          </Button>
        }
      >
        <Form form={form} layout="vertical" onFinish={save} data-testid="org-form">
          {(editing?.mode === 'new' || editing?.unit?.kind !== 'company') && (
            <Form.Item
              name="parentId"
              label={t('org.parent')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <UnitTreeSelect units={all} exclude={editing?.unit?.id} data-testid="org-parent" />
            </Form.Item>
          )}
          <Form.Item
            name="name"
            label={t('org.name')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input maxLength={100} data-testid="org-name" />
          </Form.Item>
          {editing?.unit?.kind !== 'company' && (
            <Form.Item name="kind" label={t('org.kind')}>
              <Select options={kindOptions} data-testid="org-kind" />
            </Form.Item>
          )}
          <Form.Item name="headUserId" label={t('org.head')}>
            <UserSelect
              testId="org-head"
              key={editing?.unit?.id ?? 'new'}
              initial={
                editing?.unit?.headUserId
                  ? { id: editing.unit.headUserId, name: editing.unit.headUserName ?? '' }
                  : undefined
              }
            />
          </Form.Item>
          <Form.Item name="code" label={t('org.code')}>
            <Input maxLength={50} data-testid="org-code" />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('org.sortOrder')}>
            <InputNumber min={0} max={100000} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Drawer>
      {selected && (
        <HistoryDrawer
          path={showHistory ? `/org-units/${selected.id}/history` : null}
          title={selected.name}
          onClose={() => setShowHistory(false)}
        />
      )}
    </>
  );
}
