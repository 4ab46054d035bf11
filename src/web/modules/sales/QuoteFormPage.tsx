import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
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
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { Quote, QuoteLineInputValue, quotePreviewResult } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { CustomerPicker } from '../customers/visitPlanParts.js';
import { ProductSelect } from '../orders/StockForms.js';
import { toFen, yuan } from './ContractParts.js';
import { percentLabel } from './QuoteParts.js';

type Preview = import('zod').infer<typeof quotePreviewResult>;

interface LineValues {
  productId?: string;
  quantity?: string;
  discountPercent?: string;
  /** Yuan, optional: the rep's own unit price instead of a discount. */
  unitPrice?: string;
}
interface Values {
  customerId: string;
  opportunityId?: string;
  contactId?: string;
  validUntil?: Dayjs;
  discountPercent?: string;
  paymentTerms?: string;
  deliveryTerms?: string;
  notes?: string;
  lines: LineValues[];
}

const fenToInput = (fen: number) => (fen / 100).toFixed(2);

function lineInputs(lines: LineValues[] | undefined): QuoteLineInputValue[] {
  return (lines ?? [])
    .filter((l) => l?.productId && l.quantity && Number(l.quantity) > 0)
    .map((l) => ({
      productId: l.productId!,
      quantity: String(l.quantity),
      ...(l.unitPrice !== undefined && l.unitPrice !== null && l.unitPrice !== ''
        ? { unitPrice: toFen(l.unitPrice) }
        : l.discountPercent
          ? { discountPercent: String(l.discountPercent) }
          : {}),
    }));
}

/**
 * New quote, or the latest draft revision's changes. Prices come from the server's price
 * resolution and the totals from its rules (the preview endpoint): the page only shows them.
 */
export function QuoteFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { id } = useParams();
  const [search] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const existing = useQuery({
    queryKey: ['quote', id],
    queryFn: () => api.get<Quote>(`/quotes/${id}`),
    enabled: !!id,
  });
  const customerId = Form.useWatch('customerId', form);
  const lines = Form.useWatch('lines', form);
  const discountPercent = Form.useWatch('discountPercent', form);
  const contactsQuery = useQuery({
    queryKey: ['customer-contacts', customerId],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>(`/customers/${customerId}/contacts`),
    enabled: !!customerId,
  });
  const opportunitiesQuery = useQuery({
    queryKey: ['opportunities', 'for-quote', customerId],
    queryFn: () => api.get<Page<{ id: string; name: string }>>('/opportunities', { customerId, limit: 100 }),
    enabled: !!customerId && !id,
  });
  const inputs = lineInputs(lines);
  const wholeDiscount = discountPercent ? String(discountPercent) : undefined;
  const preview = useQuery({
    queryKey: ['quotes', 'preview', customerId, wholeDiscount, inputs],
    queryFn: () =>
      api.post<Preview>('/quotes/preview', {
        customerId,
        lines: inputs,
        ...(wholeDiscount ? { discountPercent: wholeDiscount } : {}),
      }),
    enabled: !!customerId && inputs.length > 0,
    retry: false,
  });

  useEffect(() => {
    const q = existing.data;
    if (!q) return;
    const r = q.current;
    form.setFieldsValue({
      customerId: q.customerId,
      opportunityId: q.opportunityId ?? undefined,
      contactId: r.contactId ?? undefined,
      validUntil: dayjs(r.validUntil),
      discountPercent: Number(r.discountPercent) ? r.discountPercent : undefined,
      paymentTerms: r.paymentTerms ?? undefined,
      deliveryTerms: r.deliveryTerms ?? undefined,
      notes: r.notes ?? undefined,
      lines: r.lines.map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        ...(l.priceEntered
          ? { unitPrice: fenToInput(l.unitPrice) }
          : { discountPercent: Number(l.discountPercent) ? l.discountPercent : undefined }),
      })),
    });
  }, [existing.data, form]);

  useEffect(() => {
    if (id) return;
    const fromCustomer = search.get('customerId');
    const fromOpportunity = search.get('opportunityId');
    if (fromCustomer) form.setFieldValue('customerId', fromCustomer);
    if (fromOpportunity) form.setFieldValue('opportunityId', fromOpportunity);
  }, [id, search, form]);

  const save = async (v: Values) => {
    setSaving(true);
    const body = {
      contactId: v.contactId ?? (id ? null : undefined),
      validUntil: v.validUntil?.format('YYYY-MM-DD'),
      discountPercent: v.discountPercent ? String(v.discountPercent) : '0',
      paymentTerms: v.paymentTerms || (id ? null : undefined),
      deliveryTerms: v.deliveryTerms || (id ? null : undefined),
      notes: v.notes || (id ? null : undefined),
      lines: lineInputs(v.lines),
      // The server recomputes; a different total (prices changed meanwhile) is refused.
      ...(preview.data ? { expectedTotal: preview.data.total } : {}),
    };
    try {
      const saved = id
        ? await api.patch<Quote>(`/quotes/${id}`, { ...body, version: existing.data!.version })
        : await api.post<Quote>('/quotes', {
            ...body,
            customerId: v.customerId,
            opportunityId: v.opportunityId || undefined,
          });
      void client.invalidateQueries({ queryKey: ['quotes'] });
      void client.invalidateQueries({ queryKey: ['quote', saved.id] });
      message.success(t('quotes.saved'));
      navigate(`/sales/quotes/${saved.id}`);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  };

  const p = preview.data;
  return (
    <>
      <PageHeader title={id ? `${t('quotes.edit')} ${existing.data?.number ?? ''}` : t('quotes.new')} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ lines: [{ quantity: '1' }], validUntil: dayjs().add(30, 'day') }}
      >
        <Card style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="customerId" label={t('quotes.customer')} rules={[{ required: true }]}>
                <CustomerPicker
                  testId="quote-customer"
                  initialLabel={existing.data?.customerName}
                  onChange={(value) => {
                    form.setFieldsValue({
                      customerId: value,
                      contactId: undefined,
                      opportunityId: undefined,
                    });
                  }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="opportunityId" label={t('quotes.opportunity')}>
                <Select
                  allowClear
                  disabled={!!id}
                  data-testid="quote-opportunity"
                  options={[
                    ...(opportunitiesQuery.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
                    ...(existing.data?.opportunityId && existing.data.opportunityName
                      ? [{ value: existing.data.opportunityId, label: existing.data.opportunityName }]
                      : []),
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="contactId" label={t('quotes.contact')}>
                <Select
                  allowClear
                  data-testid="quote-contact"
                  options={(contactsQuery.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="validUntil" label={t('quotes.validUntil')} rules={[{ required: true }]}>
                <DatePicker style={{ width: '100%' }} data-testid="quote-valid-until" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="discountPercent" label={t('quotes.wholeDiscount')}>
                <InputNumber
                  min={0}
                  max={100}
                  precision={2}
                  stringMode
                  suffix="%"
                  style={{ width: '100%' }}
                  data-testid="quote-whole-discount"
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('quotes.lines')} style={{ marginBottom: 16 }}>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => {
                  const line = p?.lines[index];
                  return (
                    <Row gutter={8} key={field.key} align="middle" data-testid={`quote-line-${index}`}>
                      <Col xs={24} md={7}>
                        <Form.Item name={[field.name, 'productId']} rules={[{ required: true }]}>
                          <ProductSelect
                            testId={`quote-line-product-${index}`}
                            placeholder={t('quotes.product')}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={3}>
                        <Form.Item name={[field.name, 'quantity']} rules={[{ required: true }]}>
                          <InputNumber
                            min="0.001"
                            stringMode
                            placeholder={t('quotes.quantity')}
                            style={{ width: '100%' }}
                            data-testid={`quote-line-qty-${index}`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={3}>
                        <Form.Item name={[field.name, 'discountPercent']}>
                          <InputNumber
                            min={0}
                            max={100}
                            precision={2}
                            stringMode
                            suffix="%"
                            placeholder={t('quotes.lineDiscount')}
                            style={{ width: '100%' }}
                            data-testid={`quote-line-discount-${index}`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={3}>
                        <Form.Item name={[field.name, 'unitPrice']}>
                          <InputNumber
                            min={0}
                            precision={2}
                            stringMode
                            prefix="¥"
                            placeholder={t('quotes.ownPrice')}
                            style={{ width: '100%' }}
                            data-testid={`quote-line-price-${index}`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={20} md={7}>
                        {line && (
                          <Typography.Text type={line.belowFloor ? 'danger' : undefined}>
                            {t('quotes.listPrice')} {yuan(line.listPrice)} → {yuan(line.unitPrice)}{' '}
                            {percentLabel(line.discountPercent)} · {t('quotes.amount')}{' '}
                            <span data-testid={`quote-line-amount-${index}`}>{yuan(line.netAmount)}</span>
                            {line.belowFloor && ` · ${t('quotes.belowFloor')}`}
                          </Typography.Text>
                        )}
                      </Col>
                      <Col xs={4} md={1}>
                        <Button
                          icon={<DeleteOutlined />}
                          onClick={() => remove(field.name)}
                          disabled={fields.length === 1}
                          aria-label={t('quotes.removeLine')}
                        />
                      </Col>
                    </Row>
                  );
                })}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ quantity: '1' })}
                  data-testid="quote-add-line"
                >
                  {t('quotes.addLine')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        {p && (
          <Card style={{ marginBottom: 16 }}>
            <Descriptions column={{ xs: 1, md: 3 }} size="small">
              <Descriptions.Item label={t('quotes.listTotal')}>{yuan(p.listTotal)}</Descriptions.Item>
              <Descriptions.Item label={t('quotes.subtotal')}>{yuan(p.subtotal)}</Descriptions.Item>
              <Descriptions.Item label={t('quotes.discountAmount')}>
                {yuan(p.discountAmount)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.total')}>
                <Typography.Text strong data-testid="quote-total">
                  {yuan(p.total)}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.tax')}>{yuan(p.tax)}</Descriptions.Item>
              <Descriptions.Item label={t('quotes.effectiveDiscount')}>
                {p.effectiveDiscount}%
              </Descriptions.Item>
            </Descriptions>
            {p.approvalLevel !== 'none' && (
              <Alert
                type="warning"
                showIcon
                data-testid="quote-approval-hint"
                message={t(`quotes.approvalHint.${p.approvalLevel}`)}
              />
            )}
          </Card>
        )}
        <Card style={{ marginBottom: 16 }}>
          <Form.Item name="paymentTerms" label={t('quotes.paymentTerms')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="deliveryTerms" label={t('quotes.deliveryTerms')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="notes" label={t('quotes.notes')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="quote-save">
            {t('quotes.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('quotes.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
