import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PermissionCatalog, Role } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { isVersionConflict, showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { HistoryDrawer } from './HistoryDrawer.js';

const SCOPES = ['own', 'team', 'all', 'partner'] as const;

type Resource = PermissionCatalog['resources'][number];

interface RoleForm {
  key?: string;
  nameZh: string;
  nameEn: string;
  description: string;
  permissions: string[];
  scopes: Record<string, string>;
}

/** The catalog's resources, grouped by the module that owns them, in catalog order. */
function byModule(resources: Resource[]): [string, Resource[]][] {
  const groups = new Map<string, Resource[]>();
  for (const r of resources) groups.set(r.module, [...(groups.get(r.module) ?? []), r]);
  return [...groups];
}

/** Roles: their permissions, grouped by resource, and a data scope per owned resource. */
export function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const editable = can('roles.manage');
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [historyOf, setHistoryOf] = useState<Role | null>(null);
  const [form] = Form.useForm<RoleForm>();
  const granted: string[] = Form.useWatch('permissions', form) ?? [];
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: Role[] }>('/roles') });
  const catalog = useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<PermissionCatalog>('/permissions'),
  });
  const isAdminRole = editing !== 'new' && editing?.key === 'admin';
  const locked = isAdminRole || !editable;
  const roleName = (r: Role) => (i18n.language === 'zh-CN' ? r.nameZh : r.nameEn);

  function open(role: Role | 'new') {
    setEditing(role);
    form.resetFields();
    form.setFieldsValue(
      role === 'new'
        ? { key: '', nameZh: '', nameEn: '', description: '', permissions: [], scopes: {} }
        : {
            nameZh: role.nameZh,
            nameEn: role.nameEn,
            description: role.description,
            permissions: role.permissions,
            scopes: role.scopes,
          },
    );
  }

  async function save(values: RoleForm) {
    try {
      if (editing === 'new') await api.post('/roles', values);
      else if (editing) {
        const { key: _key, ...changes } = values;
        await api.patch(`/roles/${editing.id}`, { ...changes, version: editing.version });
      }
      setEditing(null);
      void message.success(t('common.saved'));
      await roles.refetch();
    } catch (err) {
      showError(err, message, form);
      if (isVersionConflict(err)) setEditing(null);
    }
  }

  function remove(role: Role) {
    modal.confirm({
      title: t('roles.deleteConfirm', { name: roleName(role) }),
      content: role.userCount > 0 ? t('roles.deleteInUse', { count: role.userCount }) : undefined,
      okButtonProps: { danger: true },
      onOk: async () => {
        await api.delete(`/roles/${role.id}`).catch((err) => showError(err, message));
        await roles.refetch();
      },
    });
  }

  const permissionTable = (resources: Resource[]) => (
    <Table
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={resources}
      scroll={{ x: true }}
      columns={[
        {
          title: t('roles.resource'),
          dataIndex: 'key',
          width: 140,
          render: (k: string) => t(`resources.${k}`, { defaultValue: k }),
        },
        {
          title: t('roles.actions'),
          key: 'perms',
          render: (_, r) => (
            <Space wrap size={[12, 4]}>
              {r.permissions.map((p) => (
                <Checkbox key={p.key} value={p.key} data-testid={`perm-${p.key}`}>
                  {t(`permissionActions.${p.key.split('.')[1]}`, { defaultValue: p.key })}
                  {p.sensitive && (
                    <Tag color="orange" style={{ marginInlineStart: 4 }}>
                      {t('roles.sensitive')}
                    </Tag>
                  )}
                </Checkbox>
              ))}
            </Space>
          ),
        },
        {
          title: t('roles.scope'),
          key: 'scope',
          width: 150,
          render: (_, r) =>
            r.scoped ? (
              <Form.Item name={['scopes', r.key]} noStyle>
                <Select
                  style={{ width: 130 }}
                  placeholder={t('scopes.own')}
                  aria-label={t('roles.scopeOf', {
                    resource: t(`resources.${r.key}`, { defaultValue: r.key }),
                  })}
                  disabled={locked || !r.permissions.some((p) => granted.includes(p.key))}
                  options={SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
                />
              </Form.Item>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            ),
        },
      ]}
    />
  );

  return (
    <>
      <PageHeader
        title={t('menu.roles')}
        hint={t('roles.hint')}
        extra={
          editable && (
            <Button type="primary" onClick={() => open('new')} data-testid="role-create">
              {t('roles.create')}
            </Button>
          )
        }
      />
      <Table
        rowKey="id"
        size="small"
        loading={roles.isPending}
        dataSource={roles.data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          {
            title: t('roles.name'),
            key: 'name',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{roleName(r)}</Typography.Text>
                {r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}
              </Space>
            ),
          },
          { title: t('roles.key'), dataIndex: 'key', render: (k: string) => <code>{k}</code> },
          { title: t('roles.permissionCount'), key: 'n', render: (_, r) => r.permissions.length },
          { title: t('roles.userCount'), dataIndex: 'userCount' },
          {
            title: t('roles.type'),
            key: 'builtin',
            render: (_, r) =>
              r.builtin ? <Tag>{t('roles.builtin')}</Tag> : <Tag color="blue">{t('roles.custom')}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => open(r)} data-testid={`role-edit-${r.key}`}>
                  {editable && r.key !== 'admin' ? t('common.edit') : t('common.view')}
                </Button>
                <Button size="small" type="text" onClick={() => setHistoryOf(r)}>
                  {t('audit.history')}
                </Button>
                {editable && !r.builtin && (
                  <Button size="small" danger type="text" onClick={() => remove(r)}>
                    {t('common.delete')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={!!editing}
        onClose={() => setEditing(null)}
        size={720}
        title={editing === 'new' ? t('roles.create') : editing ? roleName(editing) : ''}
        extra={
          editable &&
          !isAdminRole && (
            <Button type="primary" onClick={() => form.submit()} data-testid="role-save">
              {t('common.save')}
            </Button>
          )
        }
      >
        {isAdminRole && (
          <Alert type="info" showIcon title={t('roles.adminNote')} style={{ marginBottom: 12 }} />
        )}
        <Form form={form} layout="vertical" onFinish={save} disabled={locked} data-testid="role-form">
          {editing === 'new' && (
            <Form.Item
              name="key"
              label={t('roles.key')}
              extra={t('roles.keyHint')}
              rules={[
                { required: true, message: t('validation.required') },
                { pattern: /^[a-z][a-z0-9_]*$/, message: t('roles.keyHint') },
              ]}
            >
              <Input maxLength={40} data-testid="role-key" />
            </Form.Item>
          )}
          <Space wrap style={{ width: '100%' }} align="start">
            <Form.Item
              name="nameZh"
              label={t('roles.nameZh')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input maxLength={50} data-testid="role-name-zh" />
            </Form.Item>
            <Form.Item
              name="nameEn"
              label={t('roles.nameEn')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input maxLength={50} data-testid="role-name-en" />
            </Form.Item>
          </Space>
          <Form.Item name="description" label={t('roles.description')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
          <Form.Item name="permissions" label={t('roles.permissions')}>
            <Checkbox.Group style={{ display: 'block' }}>
              {byModule(catalog.data?.resources ?? []).map(([module, resources]) => (
                <div key={module} style={{ marginBottom: 16 }}>
                  <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
                    {t(`modules.${module}`, { defaultValue: module })}
                  </Typography.Text>
                  {permissionTable(resources)}
                </div>
              ))}
            </Checkbox.Group>
          </Form.Item>
        </Form>
      </Drawer>
      <HistoryDrawer
        path={historyOf ? `/roles/${historyOf.id}/history` : null}
        title={historyOf ? roleName(historyOf) : ''}
        onClose={() => setHistoryOf(null)}
      />
    </>
  );
}
