import { Alert, App, Button, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Me } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { useSession, useSetupState } from '../../app/session.js';
import { AuthLayout } from './AuthLayout.js';

interface Credentials {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Credentials>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ title: string; detail?: string } | null>(null);
  const { signedIn } = useSession();
  const setup = useSetupState();
  const navigate = useNavigate();
  // Where the visitor was going when the sign-in page interrupted them.
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const demo = setup.data?.demoAccounts ?? [];

  async function submit(values: Credentials) {
    setSaving(true);
    setFailure(null);
    try {
      signedIn(await api.post<Me>('/auth/login', values));
      navigate(from, { replace: true });
    } catch (err) {
      // Wrong password, a locked account or too many attempts: said where the user is looking.
      if (err instanceof ApiError && !err.errors.length) setFailure({ title: err.title, detail: err.detail });
      else showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <AuthLayout title={setup.data?.companyName ?? t('auth.login')} width={demo.length ? 560 : 420}>
      <Form form={form} layout="vertical" onFinish={submit} data-testid="login-form">
        {failure && (
          <Alert
            type="error"
            showIcon
            title={failure.title}
            description={failure.detail}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form.Item
          name="username"
          label={t('auth.usernameOrEmail')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input data-testid="login-username" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password data-testid="login-password" autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="login-submit">
          {t('auth.login')}
        </Button>
      </Form>
      <div style={{ marginTop: 12, textAlign: 'center' }}>
        <Link to="/track" data-testid="login-track-link">
          {t('tracking.link')}
        </Link>
      </div>
      {demo.length > 0 && (
        <div style={{ marginTop: 24 }} data-testid="demo-accounts">
          <Typography.Text strong>{t('auth.demoAccounts')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('auth.demoHint')}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="username"
            pagination={false}
            dataSource={demo}
            onRow={(row) => ({
              onClick: () => form.setFieldsValue({ username: row.username, password: row.password }),
              style: { cursor: 'pointer' },
            })}
            columns={[
              { title: t('user.username'), dataIndex: 'username' },
              { title: t('user.name'), dataIndex: 'name' },
              {
                title: t('user.roles'),
                dataIndex: 'role',
                render: (role: string) => t(`roleNames.${role}`, { defaultValue: role }),
              },
              { title: t('auth.password'), dataIndex: 'password', responsive: ['sm'] },
            ]}
          />
        </div>
      )}
    </AuthLayout>
  );
}
