import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadForm, LeadRules, OrgUnit } from '../../../contracts/index.js';
import { COMPLETENESS_FIELDS } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { INTENT_LEVELS } from './LeadForm.js';

const points = { min: -100, max: 100, precision: 0, style: { width: 90 } };

/** Scoring rules, the per-rep cap, and the web-to-lead forms (administrators). */
export function LeadScoringPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<LeadRules>();
  const data = useQuery({ queryKey: ['lead-rules'], queryFn: () => api.get<LeadRules>('/lead-rules') });
  const units = useQuery({
    queryKey: ['org-units'],
    queryFn: () => api.get<{ items: OrgUnit[] }>('/org-units'),
  });

  async function save(v: LeadRules) {
    try {
      const saved = await api.patch<LeadRules>('/lead-rules', {
        scoring: { ...v.scoring, needKeywords: v.scoring.needKeywords ?? [] },
        capPerRep: v.capPerRep,
        fallbackOrgUnitId: v.fallbackOrgUnitId ?? null,
        version: data.data!.version,
      });
      client.setQueryData(['lead-rules'], saved);
      void message.success(t('leadScoring.savedRescoring'));
    } catch (err) {
      showError(err, message, form);
    }
  }

  if (!data.data) return <Card loading />;
  const r = data.data;
  return (
    <>
      <PageHeader title={t('leadScoring.title')} hint={t('leadScoring.hint')} />
      <Card>
        <Form form={form} layout="vertical" initialValues={r} onFinish={save}>
          <Typography.Title level={5}>{t('leadScoring.sourceReliability')}</Typography.Title>
          <Row gutter={12}>
            {r.sources.map((s) => (
              <Col key={s} xs={12} sm={8} md={6}>
                <Form.Item
                  name={['scoring', 'sourcePoints', s]}
                  label={t(`leads.sources.${s}`, { defaultValue: s })}
                >
                  <InputNumber {...points} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Typography.Title level={5}>{t('leadScoring.completeness')}</Typography.Title>
          <Row gutter={12}>
            {COMPLETENESS_FIELDS.map((f) => (
              <Col key={f} xs={12} sm={8} md={6}>
                <Form.Item name={['scoring', 'fieldPoints', f]} label={t(`leads.fields.${f}`)}>
                  <InputNumber {...points} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Typography.Title level={5}>{t('leadScoring.intent')}</Typography.Title>
          <Space wrap>
            {INTENT_LEVELS.map((level) => (
              <Form.Item
                key={level}
                name={['scoring', 'intentPoints', level]}
                label={t(`leads.intent.${level}`)}
              >
                <InputNumber {...points} />
              </Form.Item>
            ))}
          </Space>
          <Typography.Title level={5}>{t('leadScoring.needMatch')}</Typography.Title>
          <Form.List name={['scoring', 'needKeywords']}>
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'keyword']} rules={[rules.required()]}>
                      <Input placeholder={t('leadScoring.keyword')} maxLength={50} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'points']} rules={[rules.required()]}>
                      <InputNumber {...points} />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={t('common.delete')}
                    />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ keyword: '', points: 10 })}>
                  {t('leadScoring.addKeyword')}
                </Button>
              </>
            )}
          </Form.List>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('leadScoring.activity')}
          </Typography.Title>
          <Space wrap>
            <Form.Item name={['scoring', 'activityPoints']} label={t('leadScoring.activityPoints')}>
              <InputNumber min={0} max={100} precision={0} />
            </Form.Item>
            <Form.Item name={['scoring', 'activityMax']} label={t('leadScoring.activityMax')}>
              <InputNumber min={0} max={100} precision={0} />
            </Form.Item>
          </Space>
          <Divider />
          <Typography.Title level={5}>{t('leadScoring.assignment')}</Typography.Title>
          <Space wrap>
            <Form.Item name="capPerRep" label={t('leadScoring.capPerRep')} rules={[rules.required()]}>
              <InputNumber min={1} max={100000} precision={0} />
            </Form.Item>
            <Form.Item
              name="fallbackOrgUnitId"
              label={t('leadScoring.fallbackUnit')}
              style={{ minWidth: 240 }}
            >
              <Select
                allowClear
                options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          </Space>
          <div>
            <Button type="primary" htmlType="submit" data-testid="lead-rules-save">
              {t('common.save')}
            </Button>
          </div>
        </Form>
      </Card>
      <WebForms units={units.data?.items ?? []} sources={r.sources} />
    </>
  );
}

function WebForms({ units, sources }: { units: OrgUnit[]; sources: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ name: string; source: string; orgUnitId?: string }>();
  const [busy, setBusy] = useState(false);
  const forms = useQuery({
    queryKey: ['lead-forms'],
    queryFn: () => api.get<{ items: LeadForm[] }>('/lead-forms'),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['lead-forms'] });
  const endpoint = (token: string) => `${window.location.origin}/api/v1/public/leads/${token}`;

  async function create(v: { name: string; source: string; orgUnitId?: string }) {
    setBusy(true);
    try {
      await api.post('/lead-forms', { ...v, orgUnitId: v.orgUnitId ?? null });
      form.resetFields();
      refresh();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }
  async function change(f: LeadForm, changes: object) {
    try {
      await api.patch(`/lead-forms/${f.id}`, { ...changes, version: f.version });
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <Card title={t('leadScoring.webForms')} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('leadScoring.webFormsHint')}</Typography.Paragraph>
      <Table
        rowKey="id"
        pagination={false}
        dataSource={forms.data?.items ?? []}
        columns={[
          { title: t('leadScoring.formName'), dataIndex: 'name' },
          {
            title: t('leads.fields.source'),
            dataIndex: 'source',
            render: (s: string) => t(`leads.sources.${s}`, { defaultValue: s }),
          },
          {
            title: t('leadScoring.endpoint'),
            dataIndex: 'token',
            render: (token: string) => (
              <Typography.Text copyable code>
                {endpoint(token)}
              </Typography.Text>
            ),
          },
          {
            title: t('leadScoring.active'),
            dataIndex: 'active',
            render: (active: boolean, f: LeadForm) => (
              <Switch checked={active} onChange={(v) => void change(f, { active: v })} />
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, f: LeadForm) => (
              <Button size="small" onClick={() => void change(f, { regenerateToken: true })}>
                {t('leadScoring.newToken')}
              </Button>
            ),
          },
        ]}
      />
      <Form form={form} layout="inline" onFinish={create} style={{ marginTop: 12, rowGap: 8 }}>
        <Form.Item name="name" rules={[rules.required()]}>
          <Input placeholder={t('leadScoring.formName')} maxLength={100} />
        </Form.Item>
        <Form.Item name="source" rules={[rules.required()]} initialValue="website">
          <Select
            style={{ width: 140 }}
            options={sources.map((s) => ({ value: s, label: t(`leads.sources.${s}`, { defaultValue: s }) }))}
          />
        </Form.Item>
        <Form.Item name="orgUnitId">
          <Select
            allowClear
            placeholder={t('leadScoring.formUnit')}
            style={{ width: 180 }}
            options={units.map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Button htmlType="submit" icon={<PlusOutlined />} loading={busy}>
          {t('leadScoring.addForm')}
        </Button>
      </Form>
    </Card>
  );
}
