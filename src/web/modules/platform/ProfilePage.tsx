import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken, Me } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { isVersionConflict, showError } from '../../app/forms.js';
import { changeLanguage, LANGUAGE_OPTIONS } from '../../app/i18n.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { PasswordForm } from './PasswordForm.js';
import { tokenColumns } from './tokenColumns.js';

interface ProfileValues {
  name: string;
  phone?: string | null;
  email?: string | null;
  locale?: 'zh-CN' | 'en' | null;
}

function ProfileForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { updated } = useSession();
  const [form] = Form.useForm<ProfileValues>();
  async function save(values: ProfileValues) {
    try {
      const next = await api.patch<Me>('/me', {
        name: values.name,
        phone: values.phone || null,
        email: values.email || null,
        locale: values.locale ?? null,
        version: me.user.version,
      });
      updated(next);
      // Choosing a language here is choosing it for this browser too.
      if (next.user.locale) changeLanguage(next.user.locale);
      void message.success(t('common.saved'));
    } catch (err) {
      if (!isVersionConflict(err)) showError(err, message, form);
      else showError(err, message);
    }
  }
  return (
    <Card title={t('profile.title')} style={{ height: '100%' }}>
      <Form
        form={form}
        layout="vertical"
        key={me.user.version}
        initialValues={{
          name: me.user.name,
          phone: me.user.phone,
          email: me.user.email,
          locale: me.user.locale,
        }}
        onFinish={save}
        data-testid="profile-form"
      >
        <Form.Item label={t('user.username')}>
          <Input value={me.user.username} disabled />
        </Form.Item>
        <Form.Item name="name" label={t('user.name')} rules={[rules.required()]}>
          <Input maxLength={50} data-testid="profile-name" />
        </Form.Item>
        <Form.Item name="phone" label={t('user.phone')} rules={[rules.mobilePhone()]}>
          <Input maxLength={11} inputMode="tel" data-testid="profile-phone" />
        </Form.Item>
        <Form.Item name="email" label={t('user.email')} rules={[rules.email()]}>
          <Input maxLength={200} inputMode="email" data-testid="profile-email" />
        </Form.Item>
        <Form.Item name="locale" label={t('profile.language')} extra={t('profile.languageHint')}>
          <Select
            allowClear
            options={LANGUAGE_OPTIONS}
            placeholder={t('profile.languageDefault')}
            data-testid="profile-locale"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="profile-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

interface TokenValues {
  name: string;
  expiresInDays?: number;
  permissions?: string[];
}

const EXPIRY_DAYS = [30, 90, 180, 365];

function MyTokens({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<TokenValues>();
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const tokens = useQuery({
    queryKey: ['my-tokens'],
    queryFn: () => api.get<{ items: ApiToken[] }>('/me/api-tokens'),
  });

  async function create(values: TokenValues) {
    setSaving(true);
    try {
      const created = await api.post<ApiToken & { token: string }>('/me/api-tokens', {
        name: values.name,
        ...(values.expiresInDays ? { expiresInDays: values.expiresInDays } : {}),
        ...(values.permissions?.length ? { permissions: values.permissions } : {}),
      });
      setCreating(false);
      form.resetFields();
      setSecret(created.token);
      await tokens.refetch();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  function revoke(token: ApiToken) {
    modal.confirm({
      title: t('tokens.revokeConfirm', { name: token.name }),
      okText: t('tokens.revoke'),
      okButtonProps: { danger: true },
      onOk: async () => {
        await api.delete(`/me/api-tokens/${token.id}`).catch((err) => showError(err, message));
        await tokens.refetch();
      },
    });
  }
  return (
    <Card
      title={t('tokens.mine')}
      extra={
        <Button onClick={() => setCreating(true)} data-testid="token-create">
          {t('tokens.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.hint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        loading={tokens.isPending}
        dataSource={tokens.data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={tokenColumns(t, revoke, false)}
      />
      <Modal
        title={t('tokens.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving, 'data-testid': 'token-create-ok' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create} data-testid="token-form">
          <Form.Item
            name="name"
            label={t('tokens.name')}
            rules={[rules.required()]}
            extra={t('tokens.nameHint')}
          >
            <Input maxLength={100} data-testid="token-name" />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('tokens.expiry')}>
            <Select
              allowClear
              placeholder={t('tokens.never')}
              options={EXPIRY_DAYS.map((days) => ({ value: days, label: t('tokens.days', { count: days }) }))}
            />
          </Form.Item>
          <Form.Item name="permissions" label={t('tokens.permissions')} extra={t('tokens.permissionsHint')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('tokens.allMyPermissions')}
              options={me.permissions.map((p) => ({ value: p, label: permissionLabel(t, p) }))}
              optionFilterProp="label"
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={t('tokens.created')}
        open={!!secret}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        onOk={() => setSecret(null)}
        okText={t('tokens.savedIt')}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert type="warning" showIcon title={t('tokens.showOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph
          copyable={{ tooltips: [t('common.copy'), t('common.copied')] }}
          code
          data-testid="token-secret"
          style={{ wordBreak: 'break-all' }}
        >
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

/** "users.read" as 用户 · 查看 / Users · View. */
function permissionLabel(t: (key: string, options?: { defaultValue: string }) => string, key: string) {
  const [resource = key, action = ''] = key.split('.');
  return `${t(`resources.${resource}`, { defaultValue: resource })} · ${t(`permissionActions.${action}`, { defaultValue: action })}`;
}

export function ProfilePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <PageHeader title={t('menu.profile')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ProfileForm me={me} />
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('profile.changePassword')} style={{ height: '100%' }}>
            <PasswordForm />
          </Card>
        </Col>
      </Row>
      <MyTokens me={me} />
    </Space>
  );
}
