import { EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountPlan, Contact, Customer } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime, yuan } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';

const TEXTS = [
  'relationshipGoals',
  'productFocus',
  'strategy',
  'creditRisk',
  'capabilityRisk',
  'priceRisk',
  'supportNeeded',
] as const;

interface Values extends Partial<Record<(typeof TEXTS)[number], string | null>> {
  /** Yuan on screen; fen on the wire. */
  annualTarget?: number | null;
  decisionMakerIds?: string[];
  reviewDate?: Dayjs | null;
}

/** 客户策略卡: the customer's account plan, read as a card and edited as a form. */
export function AccountPlanPanel({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [editing, setEditing] = useState(false);
  const id = customer.id;
  const query = useQuery({
    queryKey: ['account-plan', id],
    queryFn: () => api.get<{ plan: AccountPlan | null }>(`/customers/${id}/account-plan`),
  });
  const contacts = useQuery({
    queryKey: ['customer-contacts', id, false],
    queryFn: () => api.get<{ items: Contact[] }>(`/customers/${id}/contacts`),
    enabled: editing,
  });
  const plan = query.data?.plan ?? null;
  const editable = can('customers.update') && !customer.mergedIntoId;

  function startEditing() {
    form.setFieldsValue({
      ...Object.fromEntries(TEXTS.map((k) => [k, plan?.[k] ?? null])),
      annualTarget: plan?.annualTarget == null ? null : plan.annualTarget / 100,
      decisionMakerIds: plan?.decisionMakers.map((d) => d.id) ?? [],
      reviewDate: plan?.reviewDate ? dayjs(plan.reviewDate) : null,
    });
    setEditing(true);
  }

  async function save(v: Values) {
    try {
      const saved = await api.put<AccountPlan>(`/customers/${id}/account-plan`, {
        ...Object.fromEntries(TEXTS.map((k) => [k, v[k] || null])),
        annualTarget: v.annualTarget == null ? null : Math.round(v.annualTarget * 100),
        decisionMakerIds: v.decisionMakerIds ?? [],
        reviewDate: v.reviewDate ? v.reviewDate.format('YYYY-MM-DD') : null,
        ...(plan ? { version: plan.version } : {}),
      });
      client.setQueryData(['account-plan', id], { plan: saved });
      setEditing(false);
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
      void client.invalidateQueries({ queryKey: ['account-plan', id] });
    }
  }

  if (query.isPending) return <Card loading />;

  if (editing)
    return (
      <Card size="small">
        <Form<Values> form={form} layout="vertical" onFinish={save}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="relationshipGoals" label={t('accountCards.plan.relationshipGoals')}>
                <Input.TextArea rows={2} maxLength={2000} data-testid="plan-relationshipGoals" />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="annualTarget" label={t('accountCards.plan.annualTarget')}>
                <InputNumber
                  min={0}
                  precision={2}
                  style={{ width: '100%' }}
                  prefix="¥"
                  data-testid="plan-annualTarget"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="reviewDate" label={t('accountCards.plan.reviewDate')}>
                <DatePicker style={{ width: '100%' }} data-testid="plan-reviewDate" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="productFocus" label={t('accountCards.plan.productFocus')}>
                <Input.TextArea rows={2} maxLength={1000} data-testid="plan-productFocus" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="decisionMakerIds" label={t('accountCards.plan.decisionMakers')}>
                <Select
                  mode="multiple"
                  loading={contacts.isLoading}
                  options={(contacts.data?.items ?? []).map((c) => ({
                    value: c.id,
                    label: c.title ? `${c.name}（${c.title}）` : c.name,
                  }))}
                  data-testid="plan-decisionMakers"
                />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="strategy" label={t('accountCards.plan.strategy')}>
                <Input.TextArea rows={3} maxLength={4000} data-testid="plan-strategy" />
              </Form.Item>
            </Col>
            {(['creditRisk', 'capabilityRisk', 'priceRisk'] as const).map((k) => (
              <Col xs={24} md={8} key={k}>
                <Form.Item name={k} label={t(`accountCards.plan.${k}`)}>
                  <Input.TextArea rows={2} maxLength={2000} data-testid={`plan-${k}`} />
                </Form.Item>
              </Col>
            ))}
            <Col xs={24}>
              <Form.Item name="supportNeeded" label={t('accountCards.plan.supportNeeded')}>
                <Input.TextArea rows={2} maxLength={2000} data-testid="plan-supportNeeded" />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="plan-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('accountCards.plan.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    );

  const editButton = editable && (
    <Button icon={<EditOutlined />} onClick={startEditing} data-testid="plan-edit">
      {plan ? t('common.edit') : t('accountCards.plan.create')}
    </Button>
  );
  if (!plan) return <Empty description={t('accountCards.plan.none')}>{editButton}</Empty>;
  const text = (v: string | null) =>
    v ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v}</Typography.Paragraph> : '—';
  return (
    <Card size="small" title={t('accountCards.plan.title')} extra={editButton} data-testid="account-plan">
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'goals',
            label: t('accountCards.plan.relationshipGoals'),
            children: text(plan.relationshipGoals),
            span: 2,
          },
          {
            key: 'target',
            label: t('accountCards.plan.annualTarget'),
            children: yuan(plan.annualTarget, i18n.language),
          },
          { key: 'review', label: t('accountCards.plan.reviewDate'), children: plan.reviewDate ?? '—' },
          { key: 'focus', label: t('accountCards.plan.productFocus'), children: text(plan.productFocus) },
          {
            key: 'makers',
            label: t('accountCards.plan.decisionMakers'),
            children: plan.decisionMakers.length
              ? plan.decisionMakers.map((d) => (d.title ? `${d.name}（${d.title}）` : d.name)).join('、')
              : '—',
          },
          { key: 'strategy', label: t('accountCards.plan.strategy'), children: text(plan.strategy), span: 2 },
          { key: 'credit', label: t('accountCards.plan.creditRisk'), children: text(plan.creditRisk) },
          {
            key: 'capability',
            label: t('accountCards.plan.capabilityRisk'),
            children: text(plan.capabilityRisk),
          },
          { key: 'price', label: t('accountCards.plan.priceRisk'), children: text(plan.priceRisk) },
          { key: 'support', label: t('accountCards.plan.supportNeeded'), children: text(plan.supportNeeded) },
          {
            key: 'updated',
            label: t('accountCards.plan.updated'),
            children: `${plan.updatedByName ?? '—'} · ${formatTime(plan.updatedAt)}`,
            span: 2,
          },
        ]}
      />
    </Card>
  );
}
