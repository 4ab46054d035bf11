import { Alert, App, Button, Descriptions, Empty, Form, Input, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TrackingResult, TrackingStateValue } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';
import { AuthLayout } from '../platform/AuthLayout.js';

interface Lookup {
  orderNumber: string;
  phone: string;
}

const stateColors: Record<TrackingStateValue, string> = {
  processing: 'blue',
  partially_shipped: 'orange',
  shipped: 'cyan',
  completed: 'green',
  cancelled: 'default',
};

/**
 * 查询订单物流: the public page a customer opens without an account. Order number + phone →
 * the order's state and a timeline of its shipments (carrier, tracking number, dates, items).
 */
export function TrackingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const [form] = Form.useForm<Lookup>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TrackingResult | null>(null);
  const [failure, setFailure] = useState<{ title: string; detail?: string } | null>(null);

  async function submit(values: Lookup) {
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      setResult(await api.post<TrackingResult>('/public/order-tracking', values));
    } catch (err) {
      // Not found and too many tries are said where the customer is looking.
      if (err instanceof ApiError && !err.errors.length) setFailure({ title: err.title, detail: err.detail });
      else showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t('tracking.title')} width={560}>
      <Typography.Paragraph type="secondary">{t('tracking.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} data-testid="tracking-form">
        <Form.Item
          name="orderNumber"
          label={t('tracking.orderNumber')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input placeholder="SO-2026-000123" autoComplete="off" data-testid="tracking-order-number" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('tracking.phone')}
          extra={t('tracking.phoneHint')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input inputMode="tel" autoComplete="tel" data-testid="tracking-phone" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="tracking-submit">
          {t('tracking.submit')}
        </Button>
      </Form>

      {failure && (
        <Alert
          type="warning"
          showIcon
          title={failure.title}
          description={failure.detail}
          style={{ marginTop: 16 }}
          data-testid="tracking-error"
        />
      )}

      {result && (
        <div style={{ marginTop: 24 }} data-testid="tracking-result">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('tracking.orderNumber')}>{result.orderNumber}</Descriptions.Item>
            <Descriptions.Item label={t('tracking.state')}>
              <Tag color={stateColors[result.state]} data-testid="tracking-state">
                {t(`tracking.states.${result.state}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('tracking.orderDate')}>{result.orderDate}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('tracking.shipments')}
          </Typography.Title>
          {result.shipments.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tracking.noShipments')} />
          ) : (
            <Timeline
              items={result.shipments.map((s, i) => ({
                key: `${s.shippedAt}-${i}`,
                color: s.deliveredAt ? 'green' : 'blue',
                content: (
                  <div data-testid="tracking-shipment">
                    <Space wrap size={4}>
                      <Typography.Text strong>{s.carrier ?? t('tracking.noCarrier')}</Typography.Text>
                      {s.trackingNo && <Typography.Text copyable>{s.trackingNo}</Typography.Text>}
                    </Space>
                    <div>
                      <Typography.Text type="secondary">
                        {t('tracking.shippedAt')} {formatTime(s.shippedAt)}
                      </Typography.Text>
                    </div>
                    <div>
                      {s.deliveredAt ? (
                        <Typography.Text type="success">
                          {t('tracking.deliveredAt')} {formatTime(s.deliveredAt)}
                        </Typography.Text>
                      ) : (
                        <Tag color="processing">{t('tracking.inTransit')}</Tag>
                      )}
                    </div>
                    <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                      {s.lines.map((l, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list; the answer has no line ids by design
                        <li key={`${l.productName}-${j}`} style={{ wordBreak: 'break-word' }}>
                          {l.productName} × {l.quantity}
                        </li>
                      ))}
                    </ul>
                  </div>
                ),
              }))}
            />
          )}
        </div>
      )}

      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to={me ? '/' : '/login'}>{me ? t('tracking.backHome') : t('tracking.backToLogin')}</Link>
      </div>
    </AuthLayout>
  );
}
