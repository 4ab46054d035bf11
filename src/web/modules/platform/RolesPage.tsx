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
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';

const SCOPES = ['own', 'team', 'all', 'partner'] as const;

interface RoleForm {
  key?: string;
  nameZh: string;
  nameEn: string;
  description: string;
  permissions: string[];
  scopes: Record<string, string>;
}

/** Roles: their permissions, grouped by resource, and a data scope per owned resource. */
export function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const editable = can('roles.manage');
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [form] = Form.useForm<RoleForm>();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: Role[] }>('/roles') });
  const catalog = useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<PermissionCatalog>('/permissions'),
  });
  const isAdminRole = editing !== 'new' && editing?.key === 'admin';

  function open(role: Role | 'new') {
    setEditing(role);
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
    }
  }

  function remove(role: Role) {
    modal.confirm({
      title: t('roles.deleteConfirm', { name: i18n.language === 'zh-CN' ? role.nameZh : role.nameEn }),
      okButtonProps: { danger: true },
      onOk: async () => {
        await api.delete(`/roles/${role.id}`).catch((err) => showError(err, message));
        await roles.refetch();
      },
    });
  }

  const roleName = (r: Role) => (i18n.language === 'zh-CN' ? r.nameZh : r.nameEn);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('menu.roles')}
        </Typography.Title>
        {editable && (
          <Button type="primary" onClick={() => open('new')} data-testid="role-create">
            {t('roles.create')}
          </Button>
        )}
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={roles.isPending}
        dataSource={roles.data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('roles.name'), key: 'name', render: (_, r) => roleName(r) },
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
              <Space>
                <Button size="small" onClick={() => open(r)}>
                  {editable ? t('common.edit') : t('common.view')}
                </Button>
                {editable && !r.builtin && (
                  <Button size="small" danger onClick={() => remove(r)}>
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
        size={640}
        title={editing === 'new' ? t('roles.create') : editing ? roleName(editing) : ''}
        extra={
          editable && (
            <Button type="primary" onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          )
        }
      >
        {isAdminRole && (
          <Alert type="info" showIcon title={t('roles.adminNote')} style={{ marginBottom: 12 }} />
        )}
        <Form form={form} layout="vertical" onFinish={save} disabled={!editable}>
          {editing === 'new' && (
            <Form.Item
              name="key"
              label={t('roles.key')}
              extra={t('roles.keyHint')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input maxLength={40} />
            </Form.Item>
          )}
          <Space wrap style={{ width: '100%' }}>
            <Form.Item
              name="nameZh"
              label={t('roles.nameZh')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item
              name="nameEn"
              label={t('roles.nameEn')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Space>
          <Form.Item name="description" label={t('roles.description')}>
            <Input.TextArea maxLength={500} autoSize />
          </Form.Item>
          <Form.Item name="permissions" label={t('roles.permissions')}>
            <Checkbox.Group style={{ width: '100%' }} disabled={isAdminRole || !editable}>
              <Table
                rowKey="key"
                size="small"
                pagination={false}
                dataSource={catalog.data?.resources}
                columns={[
                  {
                    title: t('roles.resource'),
                    dataIndex: 'key',
                    render: (k: string) => t(`resources.${k}`, { defaultValue: k }),
                  },
                  {
                    title: t('roles.actions'),
                    key: 'perms',
                    render: (_, r) => (
                      <Space wrap>
                        {r.permissions.map((p) => (
                          <Checkbox key={p.key} value={p.key}>
                            {t(`permissionActions.${p.key.split('.')[1]}`, { defaultValue: p.key })}
                          </Checkbox>
                        ))}
                      </Space>
                    ),
                  },
                  {
                    title: t('roles.scope'),
                    key: 'scope',
                    render: (_, r) =>
                      r.scoped && (
                        <Form.Item name={['scopes', r.key]} noStyle>
                          <Select
                            style={{ width: 130 }}
                            placeholder={t('scopes.own')}
                            disabled={isAdminRole || !editable}
                            options={SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
                          />
                        </Form.Item>
                      ),
                  },
                ]}
              />
            </Checkbox.Group>
          </Form.Item>
        </Form>
      </Drawer>
    </Space>
  );
}
