import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Contract } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { toFen, yuan } from './ContractParts.js';

interface Line {
  dueDate?: Dayjs;
  amount?: string;
  note?: string;
}
interface Values {
  title: string;
  customerId: string;
  contactId?: string;
  amount?: string;
  taxRate: string;
  paymentTerms?: string;
  deliveryTerms?: string;
  warranty?: string;
  nonStandard?: boolean;
  nonStandardNote?: string;
  term?: [Dayjs, Dayjs];
  installments: Line[];
}

const day = (d: Dayjs | undefined) => d?.format('YYYY-MM-DD');
const fenToInput = (fen: number) => (fen / 100).toFixed(2);

/** New contract, or a draft's changes: header, terms and the payment plan (分期). */
export function ContractFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { id } = useParams();
  const [form] = Form.useForm<Values>();
  const [splitN, setSplitN] = useState(3);
  const [saving, setSaving] = useState(false);
  const existing = useQuery({
    queryKey: ['contract', id],
    queryFn: () => api.get<Contract>(`/contracts/${id}`),
    enabled: !!id,
  });
  const customerId = Form.useWatch('customerId', form);
  const amount = Form.useWatch('amount', form);
  const lines = Form.useWatch('installments', form) ?? [];
  const nonStandard = Form.useWatch('nonStandard', form);
  const contactsQuery = useQuery({
    queryKey: ['customer-contacts', customerId],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>(`/customers/${customerId}/contacts`),
    enabled: !!customerId,
  });

  useEffect(() => {
    const c = existing.data;
    if (!c) return;
    form.setFieldsValue({
      title: c.title,
      customerId: c.customerId,
      contactId: c.contactId ?? undefined,
      amount: fenToInput(c.amount),
      taxRate: c.taxRate,
      paymentTerms: c.paymentTerms ?? undefined,
      deliveryTerms: c.deliveryTerms ?? undefined,
      warranty: c.warranty ?? undefined,
      nonStandard: c.nonStandard,
      nonStandardNote: c.nonStandardNote ?? undefined,
      term: [dayjs(c.startDate), dayjs(c.endDate)],
      installments: c.installments.map((i) => ({
        dueDate: dayjs(i.dueDate),
        amount: fenToInput(i.amount),
        note: i.note ?? undefined,
      })),
    });
  }, [existing.data, form]);

  const amountFen = toFen(amount);
  const planFen = lines.reduce((s, l) => s + toFen(l?.amount), 0);
  const difference = amountFen - planFen;

  const split = async () => {
    if (!amountFen) return;
    const { amounts } = await api.get<{ amounts: number[] }>('/contracts/split', {
      amount: amountFen,
      n: splitN,
    });
    const term = form.getFieldValue('term') as [Dayjs, Dayjs] | undefined;
    const start = term?.[0] ?? dayjs();
    form.setFieldValue(
      'installments',
      amounts.map((a, i) => ({
        amount: fenToInput(a),
        dueDate: lines[i]?.dueDate ?? start.add(i + 1, 'month'),
        note: lines[i]?.note,
      })),
    );
  };

  const save = async (v: Values) => {
    setSaving(true);
    const body = {
      title: v.title,
      amount: toFen(v.amount),
      taxRate: v.taxRate,
      paymentTerms: v.paymentTerms || undefined,
      deliveryTerms: v.deliveryTerms || undefined,
      warranty: v.warranty || undefined,
      nonStandard: !!v.nonStandard,
      nonStandardNote: v.nonStandardNote || undefined,
      startDate: day(v.term?.[0]),
      endDate: day(v.term?.[1]),
      installments: v.installments.map((l) => ({
        dueDate: day(l.dueDate),
        amount: toFen(l.amount),
        note: l.note || undefined,
      })),
    };
    try {
      const saved = id
        ? await api.patch<Contract>(`/contracts/${id}`, {
            ...body,
            contactId: v.contactId ?? null,
            version: existing.data?.version,
          })
        : await api.post<Contract>('/contracts', {
            ...body,
            customerId: v.customerId,
            contactId: v.contactId,
          });
      void client.invalidateQueries({ queryKey: ['contracts'] });
      void client.invalidateQueries({ queryKey: ['contract', saved.id] });
      navigate(`/sales/contracts/${saved.id}`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader title={id ? t('contracts.edit') : t('contracts.new')} hint={t('contracts.formHint')} />
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ taxRate: '13', installments: [{}] }}
        data-testid="contract-form"
      >
        <Card title={t('contracts.header')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label={t('contracts.titleField')} rules={[{ required: true }]}>
                <Input maxLength={200} data-testid="contract-title" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="customerId" label={t('contracts.customer')} rules={[{ required: true }]}>
                <CustomerPicker
                  initialLabel={existing.data?.customerName}
                  testId="contract-customer"
                  onChange={(cid) => {
                    form.setFieldsValue({ customerId: cid, contactId: undefined });
                  }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="contactId" label={t('contracts.signatory')}>
                <Select
                  allowClear
                  disabled={!customerId}
                  options={(contactsQuery.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="amount" label={t('contracts.amountYuan')} rules={[{ required: true }]}>
                <InputNumber<string>
                  stringMode
                  min="0.01"
                  precision={2}
                  style={{ width: '100%' }}
                  data-testid="contract-amount"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="taxRate" label={t('contracts.taxRate')} rules={[{ required: true }]}>
                <Select
                  options={['13', '9', '6', '3', '1', '0'].map((r) => ({ value: r, label: `${r}%` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="term" label={t('contracts.term')} rules={[{ required: true }]}>
                <DatePicker.RangePicker style={{ width: '100%' }} data-testid="contract-term" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="paymentTerms" label={t('contracts.paymentTerms')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="deliveryTerms" label={t('contracts.deliveryTerms')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="warranty" label={t('contracts.warranty')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="nonStandard" valuePropName="checked">
                <Checkbox data-testid="contract-non-standard">{t('contracts.nonStandard')}</Checkbox>
              </Form.Item>
              {nonStandard && (
                <Form.Item
                  name="nonStandardNote"
                  label={t('contracts.nonStandardNote')}
                  rules={[{ required: true }]}
                >
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              )}
            </Col>
          </Row>
        </Card>
        <Card
          title={t('contracts.plan')}
          extra={
            <Space>
              <InputNumber
                min={1}
                max={60}
                value={splitN}
                onChange={(n) => setSplitN(n ?? 1)}
                style={{ width: 70 }}
              />
              <Button onClick={split} disabled={!amountFen} data-testid="contract-split">
                {t('contracts.splitEvenly', { n: splitN })}
              </Button>
            </Space>
          }
          style={{ marginBottom: 16 }}
        >
          <Form.List name="installments">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Typography.Text type="secondary">{t('contracts.seq', { n: i + 1 })}</Typography.Text>
                    <Form.Item name={[field.name, 'dueDate']} rules={[{ required: true }]}>
                      <DatePicker placeholder={t('contracts.dueDate')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'amount']} rules={[{ required: true }]}>
                      <InputNumber<string>
                        stringMode
                        min="0.01"
                        precision={2}
                        placeholder={t('contracts.amountYuan')}
                        style={{ width: 180 }}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']}>
                      <Input placeholder={t('contracts.note')} maxLength={200} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} />
                    )}
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('contracts.addInstallment')}
                </Button>
              </>
            )}
          </Form.List>
          <Alert
            style={{ marginTop: 12 }}
            type={difference === 0 ? 'success' : 'warning'}
            data-testid="contract-plan-sum"
            message={
              difference === 0
                ? t('contracts.planMatches', { sum: yuan(planFen) })
                : t('contracts.planDiffers', {
                    sum: yuan(planFen),
                    amount: yuan(amountFen),
                    difference: yuan(Math.abs(difference)),
                  })
            }
          />
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="contract-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('contracts.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
