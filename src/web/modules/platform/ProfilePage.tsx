import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
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
import { showError } from '../../app/forms.js';
import { LANGUAGE_OPTIONS } from '../../app/i18n.js';
import { useSession } from '../../app/session.js';
import { tokenColumns } from './tokenColumns.js';

function ProfileForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { signedIn } = useSession();
  const [form] = Form.useForm();
  async function save(values: { name: string; phone?: string; email?: string; locale?: string | null }) {
    try {
      const next = await api.patch<Me>('/me', {
        name: values.name,
        phone: values.phone || null,
        email: values.email || null,
        locale: values.locale ?? null,
        version: me.user.version,
      });
      signedIn(next);
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    }
  }
  return (
    <Card title={t('profile.title')}>
      <Form form={form} layout="vertical" initialValues={me.user} onFinish={save}>
        <Form.Item
          name="name"
          label={t('user.name')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="phone" label={t('user.phone')}>
          <Input maxLength={11} inputMode="tel" />
        </Form.Item>
        <Form.Item name="email" label={t('user.email')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="locale" label={t('profile.language')}>
          <Select allowClear options={LANGUAGE_OPTIONS} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

export function PasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  async function save(values: { currentPassword: string; newPassword: string }) {
    try {
      await api.post('/me/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      void message.success(t('profile.passwordChanged'));
      await client.invalidateQueries({ queryKey: ['me'] });
      onDone?.();
    } catch (err) {
      showError(err, message, form);
    }
  }
  return (
    <Form form={form} layout="vertical" onFinish={save}>
      <Form.Item
        name="currentPassword"
        label={t('profile.currentPassword')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('profile.newPassword')}
        extra={t('auth.passwordPolicy')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('validation.required') },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              v === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('auth.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {t('profile.changePassword')}
      </Button>
    </Form>
  );
}

function MyTokens() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const tokens = useQuery({
    queryKey: ['me', 'tokens'],
    queryFn: () => api.get<{ items: ApiToken[] }>('/me/api-tokens'),
  });

  async function create(values: { name: string; expiresInDays?: number }) {
    try {
      const created = await api.post<ApiToken & { token: string }>('/me/api-tokens', values);
      setCreating(false);
      form.resetFields();
      setSecret(created.token);
      await tokens.refetch();
    } catch (err) {
      showError(err, message, form);
    }
  }
  function revoke(token: ApiToken) {
    modal.confirm({
      title: t('tokens.revokeConfirm', { name: token.name }),
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
      extra={<Button onClick={() => setCreating(true)}>{t('tokens.create')}</Button>}
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
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item
            name="name"
            label={t('tokens.name')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')}>
            <InputNumber min={1} max={3650} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={t('tokens.created')}
        open={!!secret}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert type="warning" showIcon title={t('tokens.showOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable code data-testid="token-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('menu.profile')}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ProfileForm me={me} />
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('profile.changePassword')}>
            <PasswordForm />
          </Card>
        </Col>
      </Row>
      <MyTokens />
    </Space>
  );
}
