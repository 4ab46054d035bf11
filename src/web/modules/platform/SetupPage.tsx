import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Me } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { AuthLayout } from './AuthLayout.js';
import { timeZoneOptions } from './timeZones.js';

interface SetupForm {
  companyName: string;
  timeZone: string;
  mode: 'demo' | 'empty';
  admin: { name: string; username: string; email?: string; password: string };
  confirm: string;
}

/** First run: the company, its administrator, and demo data or a clean start. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SetupForm>();
  const [saving, setSaving] = useState(false);
  const { signedIn } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();

  async function submit({ confirm: _confirm, ...values }: SetupForm) {
    setSaving(true);
    try {
      const me = await api.post<Me>('/setup', {
        ...values,
        admin: { ...values.admin, email: values.admin.email || undefined },
      });
      signedIn(me);
      await client.invalidateQueries({ queryKey: ['setup'] });
      navigate('/');
    } catch (err) {
      showError(err, message, form);
      // Someone else finished the set-up meanwhile: the gate sends us on to sign in.
      if (err instanceof ApiError && err.code === 'setup_done')
        await client.invalidateQueries({ queryKey: ['setup'] });
    } finally {
      setSaving(false);
    }
  }

  return (
    <AuthLayout title={t('setup.title')} width={520}>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ timeZone: 'Asia/Shanghai', mode: 'demo' }}
        data-testid="setup-form"
      >
        <Form.Item name="companyName" label={t('setup.companyName')} rules={[rules.required()]}>
          <Input data-testid="setup-company" maxLength={100} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('settings.timeZone')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={timeZoneOptions(i18n.language)}
            data-testid="setup-time-zone"
          />
        </Form.Item>
        <Form.Item name={['admin', 'name']} label={t('setup.adminName')} rules={[rules.required()]}>
          <Input data-testid="setup-admin-name" maxLength={50} />
        </Form.Item>
        <Form.Item
          name={['admin', 'username']}
          label={t('user.username')}
          extra={t('user.usernameHint')}
          rules={[rules.required(), rules.username()]}
        >
          <Input data-testid="setup-username" autoComplete="username" maxLength={50} />
        </Form.Item>
        <Form.Item name={['admin', 'email']} label={t('user.email')} rules={[rules.email()]}>
          <Input maxLength={200} inputMode="email" data-testid="setup-email" />
        </Form.Item>
        <Form.Item
          name={['admin', 'password']}
          label={t('auth.password')}
          extra={t('auth.passwordPolicy')}
          rules={[rules.required()]}
        >
          <Input.Password data-testid="setup-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={[['admin', 'password']]}
          rules={[
            rules.required(),
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                v === getFieldValue(['admin', 'password'])
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password data-testid="setup-confirm" autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="mode" label={t('setup.mode')}>
          <Radio.Group>
            <Radio value="demo" data-testid="setup-mode-demo">
              {t('setup.modeDemo')}
            </Radio>
            <Radio value="empty" data-testid="setup-mode-empty">
              {t('setup.modeEmpty')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="setup-submit">
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
