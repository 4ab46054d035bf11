import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LoyaltySettingsDto, MemberTier } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';

const TIERS: MemberTier[] = ['member', 'silver', 'gold', 'diamond'];

type Values = Pick<LoyaltySettingsDto, 'earn' | 'tierThresholds'>;

/** Loyalty rules: points per yuan paid and the lifetime points where each member tier starts. */
export function LoyaltySettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const settings = useQuery({
    queryKey: ['loyalty-settings'],
    queryFn: () => api.get<LoyaltySettingsDto>('/loyalty-settings'),
  });
  async function save(v: Values) {
    try {
      const saved = await api.patch<LoyaltySettingsDto>('/loyalty-settings', {
        ...v,
        version: settings.data!.version,
      });
      client.setQueryData(['loyalty-settings'], saved);
      void client.invalidateQueries({ queryKey: ['loyalty'] });
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    }
  }
  if (!settings.data) return <Card loading />;
  const s = settings.data;
  return (
    <>
      <PageHeader title={t('loyalty.settings.title')} hint={t('loyalty.settings.hint')} />
      <Card style={{ maxWidth: 640 }}>
        <Form<Values> form={form} layout="vertical" key={s.version} onFinish={save} initialValues={s}>
          <Form.Item label={t('loyalty.settings.earn')} extra={t('loyalty.settings.earnHint')}>
            <Space wrap>
              <Form.Item name={['earn', 'points']} noStyle rules={[rules.required()]}>
                <InputNumber
                  min={0}
                  max={10000}
                  precision={0}
                  suffix={t('loyalty.settings.pointsUnit')}
                  data-testid="loyalty-earn-points"
                />
              </Form.Item>
              {t('loyalty.settings.per')}
              <Form.Item name={['earn', 'perYuan']} noStyle rules={[rules.required()]}>
                <InputNumber
                  min={1}
                  max={1000000}
                  precision={0}
                  prefix="¥"
                  data-testid="loyalty-earn-per-yuan"
                />
              </Form.Item>
            </Space>
          </Form.Item>
          <Form.Item label={t('loyalty.settings.thresholds')} extra={t('loyalty.settings.thresholdsHint')}>
            <Space wrap>
              {TIERS.map((tier) => (
                <Form.Item key={tier} name={['tierThresholds', tier]} noStyle rules={[rules.required()]}>
                  <InputNumber
                    min={0}
                    precision={0}
                    disabled={tier === 'member'}
                    prefix={t(`loyalty.tiers.${tier}`)}
                    style={{ width: 200 }}
                    data-testid={`loyalty-threshold-${tier}`}
                  />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="loyalty-settings-save">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
