import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Tabs,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead, User } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { ContactFields, cleaned, INTENT_LEVELS, PlaceFields, useLeadSources } from './LeadForm.js';

const AGE_BANDS = ['under25', '25to34', '35to44', '45to54', '55plus'] as const;

function useReps(q: string) {
  return useQuery({
    queryKey: ['users', 'reception', q],
    queryFn: () => api.get<Page<User>>('/users', { q, status: 'active', limit: 20 }),
  });
}

function UserSelect({
  testId,
  ...props
}: {
  testId: string;
  value?: string;
  onChange?: (v: string) => void;
}) {
  const [q, setQ] = useState('');
  const users = useReps(q);
  return (
    <Select
      {...props}
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      data-testid={testId}
      options={(users.data?.items ?? []).map((u) => ({
        value: u.id,
        label: `${u.name}（${u.orgUnitName}）`,
      }))}
    />
  );
}

/** After saving: who got the lead, and a button for the next visitor or caller. */
function Saved({ lead, onNext }: { lead: Lead; onNext: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="success"
      title={t('reception.saved')}
      subTitle={
        lead.ownerName
          ? t(lead.duplicateOfId ? 'reception.returning' : 'reception.assignedTo', {
              owner: lead.ownerName,
              unit: lead.orgUnitName,
              score: lead.score,
            })
          : t('reception.pooled', { unit: lead.orgUnitName, score: lead.score })
      }
      extra={
        <Button type="primary" onClick={onNext} data-testid="reception-next">
          {t('reception.next')}
        </Button>
      }
    />
  );
}

/**
 * One reception form's life: post it (its time field as ISO), show who got the lead, then a
 * fresh form for the next visitor or caller.
 */
function useCaptureForm(path: string, timeField: 'calledAt' | 'visitedAt') {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saved, setSaved] = useState<Lead | null>(null);
  async function save(v: Record<string, unknown>) {
    try {
      setSaved(
        await api.post<Lead>(path, { ...cleaned(v), [timeField]: (v[timeField] as Dayjs).toISOString() }),
      );
    } catch (err) {
      showError(err, message, form);
    }
  }
  const done = saved && (
    <Saved
      lead={saved}
      onNext={() => {
        form.resetFields();
        setSaved(null);
      }}
    />
  );
  return { form, save, done };
}

/** 来电登记表: time, caller, number, what was asked, who answered, next step. */
function CallLogForm() {
  const { t } = useTranslation();
  const { form, save, done } = useCaptureForm('/leads/call-log', 'calledAt');
  const sources = useLeadSources();
  if (done) return done;
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={save}
      initialValues={{ calledAt: dayjs(), source: 'inbound_call' }}
    >
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="calledAt" label={t('reception.calledAt')} rules={[rules.required()]}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="callerName" label={t('reception.callerName')} rules={[rules.required()]}>
            <Input maxLength={50} data-testid="call-callerName" />
          </Form.Item>
        </Col>
      </Row>
      <ContactFields form={form} prefix="call-" />
      <Form.Item name="companyName" label={t('leads.fields.companyName')}>
        <Input maxLength={200} />
      </Form.Item>
      <PlaceFields form={form} prefix="call-" />
      <Form.Item name="asked" label={t('reception.asked')} rules={[rules.required()]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="call-asked" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item
            name="answeredById"
            label={t('reception.answeredBy')}
            tooltip={t('reception.answeredByHint')}
          >
            <UserSelect testId="call-answeredBy" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="source" label={t('leads.fields.source')}>
            <Select options={sources} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="nextStep" label={t('reception.nextStep')}>
        <Input maxLength={500} data-testid="call-nextStep" />
      </Form.Item>
      <Form.Item name="intentLevel" label={t('leads.fields.intentLevel')}>
        <Select
          allowClear
          options={INTENT_LEVELS.map((v) => ({ value: v, label: t(`leads.intent.${v}`) }))}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block data-testid="call-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}

/** 来访客户登记表: time, party size, source, home area, occupation, age band, interest, receiving rep. */
function WalkInForm() {
  const { t } = useTranslation();
  const { form, save, done } = useCaptureForm('/leads/walk-in', 'visitedAt');
  const sources = useLeadSources();
  if (done) return done;
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={save}
      initialValues={{ visitedAt: dayjs(), partySize: 1, source: 'walk_in' }}
    >
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="visitedAt" label={t('reception.visitedAt')} rules={[rules.required()]}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="partySize" label={t('reception.partySize')} rules={[rules.required()]}>
            <InputNumber
              min={1}
              max={100}
              precision={0}
              style={{ width: '100%' }}
              data-testid="walkin-partySize"
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6}>
          <Form.Item name="ageBand" label={t('reception.ageBand')}>
            <Select
              allowClear
              options={AGE_BANDS.map((v) => ({ value: v, label: t(`leads.ageBands.${v}`) }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="personName" label={t('reception.visitorName')} rules={[rules.required()]}>
        <Input maxLength={50} data-testid="walkin-personName" />
      </Form.Item>
      <ContactFields form={form} prefix="walkin-" />
      <PlaceFields form={form} prefix="walkin-" />
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="homeArea" label={t('reception.homeArea')}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="occupation" label={t('reception.occupation')}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="interest" label={t('reception.interest')} rules={[rules.required()]}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="walkin-interest" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={8}>
          <Form.Item name="source" label={t('reception.heardFrom')}>
            <Select options={sources} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name="intentLevel" label={t('leads.fields.intentLevel')}>
            <Select
              allowClear
              options={INTENT_LEVELS.map((v) => ({ value: v, label: t(`leads.intent.${v}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name="receivingRepId" label={t('reception.receivingRep')}>
            <UserSelect testId="walkin-receivingRep" />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" block data-testid="walkin-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}

/** Reception's fast forms: the inbound call log and the walk-in visitor log. */
export function ReceptionPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('reception.title')} hint={t('reception.hint')} />
      <Card style={{ maxWidth: 760 }}>
        <Tabs
          items={[
            { key: 'walk-in', label: t('reception.walkIn'), children: <WalkInForm /> },
            { key: 'call', label: t('reception.call'), children: <CallLogForm /> },
          ]}
        />
      </Card>
    </>
  );
}
