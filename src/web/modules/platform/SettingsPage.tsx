import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Divider, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { settings as settingsSchema } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { LANGUAGE_OPTIONS } from '../../app/i18n.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { timeZoneOptions } from './timeZones.js';

type Settings = z.infer<typeof settingsSchema>;
const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'JPY'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Settings>();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.get<Settings>('/settings') });

  async function save(values: Settings) {
    try {
      const saved = await api.patch<Settings>('/settings', {
        name: values.name,
        timeZone: values.timeZone,
        currency: values.currency,
        weekStart: values.weekStart,
        defaultLocale: values.defaultLocale,
        address: values.address ?? null,
        phone: values.phone ?? null,
        taxId: values.taxId ?? null,
        bankName: values.bankName ?? null,
        bankAccount: values.bankAccount ?? null,
        version: settings.data!.version,
      });
      client.setQueryData(['settings'], saved);
      await client.invalidateQueries({ queryKey: ['me'] });
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    }
  }

  if (!settings.data) return <Card loading />;
  return (
    <>
      <PageHeader title={t('menu.settings')} hint={t('settings.hint')} />
      <Card style={{ maxWidth: 560 }}>
        <Form
          form={form}
          layout="vertical"
          initialValues={settings.data}
          onFinish={save}
          key={settings.data.version}
        >
          <Form.Item name="name" label={t('settings.company')} rules={[rules.required()]}>
            <Input maxLength={100} data-testid="settings-name" />
          </Form.Item>
          <Form.Item name="timeZone" label={t('settings.timeZone')}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={timeZoneOptions(i18n.language, settings.data.timeZone)}
              data-testid="settings-time-zone"
            />
          </Form.Item>
          <Form.Item name="currency" label={t('settings.currency')}>
            <Select
              data-testid="settings-currency"
              options={CURRENCIES.map((c) => ({
                value: c,
                label: `${c} · ${t(`settings.currencies.${c}`)}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="weekStart" label={t('settings.weekStart')}>
            <Select
              data-testid="settings-week-start"
              options={WEEKDAYS.map((d) => ({ value: d, label: t(`settings.weekdays.${d}`) }))}
            />
          </Form.Item>
          <Form.Item name="defaultLocale" label={t('settings.defaultLocale')}>
            <Select options={LANGUAGE_OPTIONS} data-testid="settings-default-locale" />
          </Form.Item>
          <Divider titlePlacement="start">{t('settings.profile')}</Divider>
          <Typography.Paragraph type="secondary">{t('settings.profileHint')}</Typography.Paragraph>
          <Form.Item name="address" label={t('settings.address')}>
            <Input maxLength={200} data-testid="settings-address" />
          </Form.Item>
          <Form.Item name="phone" label={t('settings.phone')}>
            <Input maxLength={50} data-testid="settings-phone" />
          </Form.Item>
          <Form.Item name="taxId" label={t('settings.taxId')}>
            <Input maxLength={18} data-testid="settings-tax-id" />
          </Form.Item>
          <Form.Item name="bankName" label={t('settings.bankName')}>
            <Input maxLength={100} data-testid="settings-bank-name" />
          </Form.Item>
          <Form.Item name="bankAccount" label={t('settings.bankAccount')}>
            <Input maxLength={50} data-testid="settings-bank-account" />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="settings-save">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
