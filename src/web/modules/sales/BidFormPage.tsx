import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { Bid } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { day, fenToInput, instant } from './BidParts.js';
import { toFen } from './ContractParts.js';

interface Values {
  issuerKind: 'customer' | 'name';
  customerId?: string;
  issuerName?: string;
  opportunityId?: string;
  tenderNumber: string;
  projectName: string;
  documentsPurchasedOn?: Dayjs;
  questionDeadline?: Dayjs;
  submissionDeadline: Dayjs;
  openingAt?: Dayjs;
  bidPrice?: string;
  bondAmount?: string;
  competitors?: { name: string; price?: string; note?: string }[];
  note?: string;
}

/** New bid or changes to one before its result. The server checks the dates and the issuer. */
export function BidFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const existing = useQuery({
    queryKey: ['bid', id],
    queryFn: () => api.get<Bid>(`/bids/${id}`),
    enabled: !!id,
  });
  const presetCustomerId = search.get('customerId');
  const presetCustomer = useQuery({
    queryKey: ['customer', presetCustomerId],
    queryFn: () => api.get<{ name: string }>(`/customers/${presetCustomerId}`),
    enabled: !!presetCustomerId && !id,
  });
  const issuerKind = Form.useWatch('issuerKind', form);
  const customerId = Form.useWatch('customerId', form) ?? existing.data?.customerId ?? undefined;
  const opportunities = useQuery({
    queryKey: ['opportunities', 'of-customer', customerId],
    queryFn: () =>
      api.get<{ items: { id: string; name: string }[] }>('/opportunities', { customerId, limit: 100 }),
    enabled: !!customerId,
  });

  useEffect(() => {
    const b = existing.data;
    if (!b) return;
    form.setFieldsValue({
      issuerKind: b.customerId ? 'customer' : 'name',
      customerId: b.customerId ?? undefined,
      issuerName: b.issuerName,
      opportunityId: b.opportunityId ?? undefined,
      tenderNumber: b.tenderNumber,
      projectName: b.projectName,
      documentsPurchasedOn: b.documentsPurchasedOn ? dayjs(b.documentsPurchasedOn) : undefined,
      questionDeadline: b.questionDeadline ? dayjs(b.questionDeadline) : undefined,
      submissionDeadline: dayjs(b.submissionDeadline),
      openingAt: b.openingAt ? dayjs(b.openingAt) : undefined,
      bidPrice: fenToInput(b.bidPrice),
      bondAmount: fenToInput(b.bondAmount),
      competitors: b.competitors.map((c) => ({
        name: c.name,
        price: fenToInput(c.price),
        note: c.note ?? undefined,
      })),
      note: b.note ?? undefined,
    });
  }, [existing.data, form]);

  const save = async (v: Values) => {
    setSaving(true);
    const money = (x: string | undefined) => (x === undefined || x === null || x === '' ? null : toFen(x));
    const body = {
      tenderNumber: v.tenderNumber,
      projectName: v.projectName,
      documentsPurchasedOn: day(v.documentsPurchasedOn) ?? null,
      questionDeadline: instant(v.questionDeadline) ?? null,
      submissionDeadline: instant(v.submissionDeadline),
      openingAt: instant(v.openingAt) ?? null,
      bidPrice: money(v.bidPrice),
      bondAmount: money(v.bondAmount),
      competitors: (v.competitors ?? [])
        .filter((c) => c?.name)
        .map((c) => ({ name: c.name, price: money(c.price), note: c.note || undefined })),
    };
    try {
      const saved = id
        ? await api.patch<Bid>(`/bids/${id}`, {
            ...body,
            note: v.note || null,
            opportunityId: v.opportunityId ?? null,
            version: existing.data?.version,
          })
        : await api.post<Bid>('/bids', {
            ...body,
            note: v.note || undefined,
            customerId: v.issuerKind === 'customer' ? v.customerId : undefined,
            issuerName: v.issuerKind === 'name' ? v.issuerName : undefined,
            opportunityId: v.opportunityId,
          });
      void client.invalidateQueries({ queryKey: ['bids'] });
      void client.invalidateQueries({ queryKey: ['bid', saved.id] });
      navigate(`/sales/bids/${saved.id}`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  };

  const moneyInput = (testId: string) => (
    <InputNumber<string>
      min="0"
      step="0.01"
      precision={2}
      stringMode
      prefix="¥"
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );

  return (
    <>
      <PageHeader title={id ? t('bids.edit') : t('bids.new')} hint={t('bids.formHint')} />
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          issuerKind: 'customer',
          customerId: search.get('customerId') ?? undefined,
          opportunityId: search.get('opportunityId') ?? undefined,
        }}
        data-testid="bid-form"
      >
        <Card title={t('bids.tender')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="issuerKind" label={t('bids.issuer')}>
                <Radio.Group disabled={!!id}>
                  <Radio value="customer">{t('bids.issuerCustomer')}</Radio>
                  <Radio value="name">{t('bids.issuerByName')}</Radio>
                </Radio.Group>
              </Form.Item>
              {id ? (
                <Form.Item>
                  <Input disabled value={existing.data?.issuerName ?? ''} />
                </Form.Item>
              ) : issuerKind === 'name' ? (
                <Form.Item name="issuerName" rules={[{ required: true }]}>
                  <Input
                    maxLength={200}
                    placeholder={t('bids.issuerNameHint')}
                    data-testid="bid-issuer-name"
                  />
                </Form.Item>
              ) : (
                <Form.Item name="customerId" rules={[{ required: true }]}>
                  <CustomerPicker
                    initialLabel={presetCustomer.data?.name}
                    testId="bid-customer"
                    onChange={(cid) => form.setFieldsValue({ customerId: cid, opportunityId: undefined })}
                  />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="opportunityId" label={t('bids.opportunity')}>
                <Select
                  allowClear
                  disabled={!customerId}
                  options={(opportunities.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
                  data-testid="bid-opportunity"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="tenderNumber" label={t('bids.tenderNumber')} rules={[{ required: true }]}>
                <Input maxLength={100} data-testid="bid-tender-number" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="projectName" label={t('bids.projectName')} rules={[{ required: true }]}>
                <Input maxLength={200} data-testid="bid-project-name" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('bids.dates')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item name="documentsPurchasedOn" label={t('bids.documentsPurchasedOn')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="questionDeadline" label={t('bids.questionDeadline')}>
                <DatePicker showTime={{ format: 'HH:mm' }} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                name="submissionDeadline"
                label={t('bids.submissionDeadline')}
                rules={[{ required: true }]}
              >
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  style={{ width: '100%' }}
                  data-testid="bid-deadline"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="openingAt" label={t('bids.openingAt')}>
                <DatePicker showTime={{ format: 'HH:mm' }} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('bids.pricing')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="bidPrice" label={t('bids.bidPrice')} extra={t('bids.bidPriceHint')}>
                {moneyInput('bid-price')}
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="bondAmount" label={t('bids.bond.amount')}>
                {moneyInput('bid-bond-amount')}
              </Form.Item>
            </Col>
          </Row>
          <Form.List name="competitors">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                      <Input placeholder={t('bids.competitorName')} maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'price']}>
                      <InputNumber<string>
                        min="0"
                        step="0.01"
                        precision={2}
                        stringMode
                        prefix="¥"
                        placeholder={t('bids.competitorPrice')}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'note']}>
                      <Input placeholder={t('bids.competitorNote')} maxLength={500} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                  {t('bids.addCompetitor')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Form.Item name="note" label={t('bids.note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="bid-save">
            {t('bids.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('bids.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
