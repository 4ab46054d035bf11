import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Divider, Form, InputNumber, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerSettingsDto } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';

interface Values {
  cadenceDays: CustomerSettingsDto['cadenceDays'];
  poolDays: CustomerSettingsDto['poolDays'];
  maxHeld: number;
  maxClaimsPerDay: number;
  leadSources: string[];
  byRevenue: boolean;
  /** In yuan on screen; fen on the wire. */
  thresholdA?: number;
  thresholdB?: number;
}

const GRADES = ['A', 'B', 'C'] as const;
const days = { min: 1, max: 3650, precision: 0, style: { width: 100 } };

/** Cadence by grade, pool rules, claim limits, lead sources and revenue thresholds. */
export function CustomerSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const settings = useQuery({
    queryKey: ['customer-settings'],
    queryFn: () => api.get<CustomerSettingsDto>('/customer-settings'),
  });
  const byRevenue = Form.useWatch('byRevenue', form);

  async function save(v: Values) {
    try {
      const saved = await api.patch<CustomerSettingsDto>('/customer-settings', {
        cadenceDays: v.cadenceDays,
        poolDays: v.poolDays,
        maxHeld: v.maxHeld,
        maxClaimsPerDay: v.maxClaimsPerDay,
        leadSources: v.leadSources,
        gradeThresholds: v.byRevenue
          ? { A: Math.round((v.thresholdA ?? 0) * 100), B: Math.round((v.thresholdB ?? 0) * 100) }
          : null,
        version: settings.data!.version,
      });
      client.setQueryData(['customer-settings'], saved);
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    }
  }

  if (!settings.data) return <Card loading />;
  const s = settings.data;
  return (
    <>
      <PageHeader title={t('customerSettings.title')} hint={t('customerSettings.hint')} />
      <Card style={{ maxWidth: 640 }}>
        <Form<Values>
          form={form}
          layout="vertical"
          key={s.version}
          onFinish={save}
          initialValues={{
            ...s,
            byRevenue: !!s.gradeThresholds,
            thresholdA: s.gradeThresholds ? s.gradeThresholds.A / 100 : undefined,
            thresholdB: s.gradeThresholds ? s.gradeThresholds.B / 100 : undefined,
          }}
        >
          <Form.Item label={t('customerSettings.cadence')}>
            <Space wrap>
              {GRADES.map((g) => (
                <Form.Item key={g} name={['cadenceDays', g]} noStyle rules={[rules.required()]}>
                  <InputNumber {...days} prefix={g} data-testid={`cadence-${g}`} />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
          <Form.Item label={t('customerSettings.poolDays')}>
            <Space wrap>
              {([...GRADES, 'none', 'lead'] as const).map((g) => (
                <Form.Item key={g} name={['poolDays', g]} noStyle rules={[rules.required()]}>
                  <InputNumber
                    {...days}
                    style={{ width: 130 }}
                    prefix={g === 'none' || g === 'lead' ? t(`customerSettings.${g}`) : g}
                  />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
          <Space wrap size="large">
            <Form.Item name="maxHeld" label={t('customerSettings.maxHeld')} rules={[rules.required()]}>
              <InputNumber min={1} max={100000} precision={0} data-testid="max-held" />
            </Form.Item>
            <Form.Item
              name="maxClaimsPerDay"
              label={t('customerSettings.maxClaimsPerDay')}
              rules={[rules.required()]}
            >
              <InputNumber min={1} max={10000} precision={0} data-testid="max-claims" />
            </Form.Item>
          </Space>
          <Form.Item
            name="leadSources"
            label={t('customerSettings.leadSources')}
            extra={t('customerSettings.leadSourcesHint')}
            rules={[rules.required()]}
          >
            <Select mode="tags" tokenSeparators={[',', ' ', '，']} />
          </Form.Item>
          <Divider />
          <Form.Item name="byRevenue" label={t('customerSettings.gradeByRevenue')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {byRevenue && (
            <Space wrap size="large">
              <Form.Item
                name="thresholdA"
                label={t('customerSettings.thresholdA')}
                rules={[rules.required()]}
              >
                <InputNumber min={0} precision={0} style={{ width: 180 }} />
              </Form.Item>
              <Form.Item
                name="thresholdB"
                label={t('customerSettings.thresholdB')}
                rules={[rules.required()]}
              >
                <InputNumber min={0} precision={0} style={{ width: 180 }} />
              </Form.Item>
            </Space>
          )}
          <Button type="primary" htmlType="submit" data-testid="customer-settings-save">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
