import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Dropdown, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { isVersionConflict, showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { Attachments } from '../platform/Attachments.js';
import { HistoryDrawer } from '../platform/HistoryDrawer.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { useOrgUnits, useRoles } from './orgData.js';
import { TerritoryPicker } from './TerritoryPicker.js';
import { UnitTreeSelect } from './UnitTreeSelect.js';
import { UserList } from './UserList.js';
import { UserSelect } from './UserSelect.js';

interface UserForm {
  username: string;
  name: string;
  phone?: string;
  email?: string;
  position?: string;
  managerId?: string | null;
  orgUnitId: string;
  roleIds: string[];
  password?: string;
}

/** User administration: create, edit, disable, reset passwords, territories, history. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const units = useOrgUnits();
  const roles = useRoles();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [territoriesOf, setTerritoriesOf] = useState<User | null>(null);
  const [historyOf, setHistoryOf] = useState<User | null>(null);
  const [form] = Form.useForm<UserForm>();
  const [resetForm] = Form.useForm<{ newPassword: string }>();
  const [territoryForm] = Form.useForm<{ codes: string[] }>();
  const refresh = () => client.invalidateQueries({ queryKey: ['users'] });

  function open(user: User | 'new') {
    setEditing(user);
    form.resetFields();
    if (user !== 'new')
      form.setFieldsValue({
        ...user,
        phone: user.phone ?? '',
        email: user.email ?? '',
        roleIds: user.roles.map((r) => r.id),
      });
  }

  async function save(values: UserForm) {
    const common = {
      name: values.name,
      phone: values.phone || null,
      email: values.email || null,
      position: values.position ?? '',
      managerId: values.managerId ?? null,
      orgUnitId: values.orgUnitId,
      roleIds: values.roleIds,
    };
    try {
      if (editing === 'new')
        await api.post('/users', { ...common, username: values.username, password: values.password });
      else if (editing) await api.patch(`/users/${editing.id}`, { ...common, version: editing.version });
      setEditing(null);
      void message.success(t('common.saved'));
      await refresh();
    } catch (err) {
      showError(err, message, form);
      if (isVersionConflict(err)) setEditing(null);
    }
  }

  async function act(user: User, action: string) {
    if (action === 'edit') return open(user);
    if (action === 'reset') {
      resetForm.resetFields();
      return setResetting(user);
    }
    if (action === 'territories') {
      territoryForm.setFieldsValue({ codes: user.territories });
      return setTerritoriesOf(user);
    }
    if (action === 'history') return setHistoryOf(user);
    const disable = action === 'disable';
    modal.confirm({
      title: t(disable ? 'user.disableConfirm' : 'user.enableConfirm', { name: user.name }),
      okButtonProps: { danger: disable },
      onOk: async () => {
        await api.post(`/users/${user.id}/${action}`).catch((err) => showError(err, message));
        await refresh();
      },
    });
  }

  const roleOptions =
    roles.data?.items.map((r) => ({ value: r.id, label: i18n.language === 'zh-CN' ? r.nameZh : r.nameEn })) ??
    [];
  return (
    <>
      <PageHeader
        title={t('menu.users')}
        extra={
          <Space wrap>
            <ImportButton entity="users" onImported={() => void refresh()} />
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => open('new')}
              data-testid="user-create"
            >
              {t('user.create')}
            </Button>
          </Space>
        }
      />
      <UserList
        actions={(user) => (
          <Dropdown
            trigger={['click']}
            menu={{
              items: (
                [
                  ['edit', t('common.edit')],
                  ['territories', t('org.territories')],
                  ['reset', t('user.resetPassword')],
                  user.status === 'active' ? ['disable', t('user.disable')] : ['enable', t('user.enable')],
                  ['history', t('audit.history')],
                ] as const
              ).map(([key, label]) => ({
                key,
                danger: key === 'disable',
                label: <span data-testid={`user-action-${key}`}>{label}</span>,
              })),
              onClick: ({ key }) => void act(user, key),
            }}
          >
            <Button size="small" data-testid={`user-actions-${user.username}`}>
              {t('common.actions')}
            </Button>
          </Dropdown>
        )}
      />
      <Drawer
        open={!!editing}
        onClose={() => setEditing(null)}
        size={480}
        title={editing === 'new' ? t('user.create') : editing?.name}
        extra={
          <Button type="primary" onClick={() => form.submit()} data-testid="user-save">
            {t('common.save')}
          </Button>
        }
      >
        <Form form={form} layout="vertical" onFinish={save} data-testid="user-form">
          <Form.Item
            name="username"
            label={t('user.username')}
            rules={editing === 'new' ? [rules.required(), rules.username()] : []}
            extra={editing === 'new' ? t('user.usernameHint') : undefined}
          >
            <Input disabled={editing !== 'new'} maxLength={50} data-testid="user-username" />
          </Form.Item>
          <Form.Item name="name" label={t('user.name')} rules={[rules.required()]}>
            <Input maxLength={50} data-testid="user-name" />
          </Form.Item>
          <Form.Item name="orgUnitId" label={t('user.orgUnit')} rules={[rules.required()]}>
            <UnitTreeSelect units={units.data?.items ?? []} data-testid="user-org-unit" />
          </Form.Item>
          <Form.Item name="roleIds" label={t('user.roles')} rules={[rules.required()]}>
            <Select mode="multiple" options={roleOptions} optionFilterProp="label" data-testid="user-roles" />
          </Form.Item>
          <Form.Item name="position" label={t('user.position')}>
            <Input maxLength={50} data-testid="user-position" />
          </Form.Item>
          <Form.Item name="phone" label={t('user.phone')} rules={[rules.mobilePhone()]}>
            <Input maxLength={11} inputMode="tel" data-testid="user-phone" />
          </Form.Item>
          <Form.Item name="email" label={t('user.email')} rules={[rules.email()]}>
            <Input maxLength={200} inputMode="email" data-testid="user-email" />
          </Form.Item>
          <Form.Item name="managerId" label={t('user.manager')}>
            <UserSelect
              testId="user-manager"
              exclude={editing && editing !== 'new' ? editing.id : undefined}
              initial={
                editing && editing !== 'new' && editing.managerId
                  ? { id: editing.managerId, name: editing.managerName ?? '' }
                  : undefined
              }
            />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item
              name="password"
              label={t('user.initialPassword')}
              extra={t('auth.passwordPolicy')}
              rules={[rules.required()]}
            >
              <Input.Password autoComplete="new-password" data-testid="user-password" />
            </Form.Item>
          )}
        </Form>
        {editing && editing !== 'new' && <Attachments entity="user" entityId={editing.id} />}
      </Drawer>
      <Modal
        open={!!resetting}
        title={t('user.resetPasswordOf', { name: resetting?.name })}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
      >
        <Typography.Paragraph type="secondary">{t('user.resetHint')}</Typography.Paragraph>
        <Form
          form={resetForm}
          layout="vertical"
          onFinish={async ({ newPassword }) => {
            try {
              await api.post(`/users/${resetting!.id}/reset-password`, { newPassword });
              setResetting(null);
              void message.success(t('common.saved'));
            } catch (err) {
              showError(err, message, resetForm);
            }
          }}
        >
          <Form.Item
            name="newPassword"
            label={t('profile.newPassword')}
            extra={t('auth.passwordPolicy')}
            rules={[rules.required()]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!territoriesOf}
        title={t('org.territoriesOf', { name: territoriesOf?.name })}
        onCancel={() => setTerritoriesOf(null)}
        onOk={() => territoryForm.submit()}
        destroyOnHidden
      >
        <Form
          form={territoryForm}
          onFinish={async ({ codes }) => {
            try {
              await api.put(`/users/${territoriesOf!.id}/territories`, { codes: codes ?? [] });
              setTerritoriesOf(null);
              await refresh();
            } catch (err) {
              showError(err, message, territoryForm);
            }
          }}
        >
          <Form.Item name="codes">
            <TerritoryPicker />
          </Form.Item>
        </Form>
      </Modal>
      <HistoryDrawer
        path={historyOf ? `/users/${historyOf.id}/history` : null}
        title={historyOf?.name ?? ''}
        onClose={() => setHistoryOf(null)}
      />
    </>
  );
}
