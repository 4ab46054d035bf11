import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  OpportunityDetail,
  OpportunityLine,
  OpportunityLinePrice,
  OpportunityLines,
} from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { ProductSelect } from '../orders/StockForms.js';
import { toFen } from './ContractParts.js';

const cny = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
const money = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '—' : cny.format(fen / 100);

interface LineValues {
  productId?: string;
  quantity?: string;
  unitPriceYuan?: number | null;
  discountPercent?: string;
}

/** The price the opportunity's customer gets for a product today, shown next to the picker. */
function ResolvedPrice({
  opportunityId,
  productId,
  quantity,
}: {
  opportunityId: string;
  productId?: string;
  quantity?: string;
}) {
  const { t } = useTranslation();
  const valid = !!productId && /^\d{1,12}(\.\d{1,3})?$/.test(quantity ?? '') && Number(quantity) > 0;
  const q = useQuery({
    queryKey: ['opportunity-line-price', opportunityId, productId, quantity],
    queryFn: () =>
      api.get<OpportunityLinePrice>(`/opportunities/${opportunityId}/lines/price`, { productId, quantity }),
    enabled: valid,
  });
  if (!valid || !q.data) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <span data-testid="opportunity-line-resolved">{money(q.data.unitPrice)}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {q.data.priceListName ?? t('forecast.lines.listPrice')}
      </Typography.Text>
    </Space>
  );
}

/**
 * Product lines of an opportunity: when there are lines, the amount is their sum. Prices come
 * from price resolution for the opportunity's customer unless typed over; cost and margin only
 * for those who may see costs (the server leaves them out otherwise).
 */
export function OpportunityLinesPanel({
  opportunity,
  canEdit,
}: {
  opportunity: OpportunityDetail;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ lines: LineValues[] }>();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const key = ['opportunity-lines', opportunity.id];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<OpportunityLines>(`/opportunities/${opportunity.id}/lines`),
  });
  const data = q.data;
  const withCost = data ? 'cost' in data : false;

  function startEditing() {
    form.setFieldsValue({
      lines: (data?.lines ?? []).map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        unitPriceYuan: l.priceOverridden ? l.unitPrice / 100 : null,
        discountPercent: l.discountPercent ?? '',
      })),
    });
    setEditing(true);
  }

  async function save(values: { lines?: LineValues[] }) {
    setSaving(true);
    try {
      await api.put(`/opportunities/${opportunity.id}/lines`, {
        version: opportunity.version,
        lines: (values.lines ?? []).map((l) => ({
          productId: l.productId,
          quantity: String(l.quantity ?? '').trim(),
          ...(l.unitPriceYuan === null || l.unitPriceYuan === undefined
            ? {}
            : { unitPrice: toFen(l.unitPriceYuan) }),
          ...(l.discountPercent ? { discountPercent: String(l.discountPercent).trim() } : {}),
        })),
      });
      setEditing(false);
      void client.invalidateQueries({ queryKey: key });
      void client.invalidateQueries({ queryKey: ['opportunity', opportunity.id] });
      void client.invalidateQueries({ queryKey: ['opportunities'] });
      void client.invalidateQueries({ queryKey: ['history'] });
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  if (editing) {
    return (
      <Form form={form} onFinish={(v) => void save(v)} data-testid="opportunity-lines-form">
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item name={[field.name, 'productId']} rules={[rules.required()]}>
                    <ProductSelect style={{ width: 260 }} testId={`opportunity-line-product-${field.name}`} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'quantity']} rules={[rules.required()]}>
                    <Input
                      placeholder={t('forecast.lines.quantity')}
                      style={{ width: 100 }}
                      data-testid={`opportunity-line-quantity-${field.name}`}
                    />
                  </Form.Item>
                  <Form.Item shouldUpdate noStyle>
                    {() => {
                      const line = form.getFieldValue(['lines', field.name]) as LineValues | undefined;
                      return (
                        <div style={{ width: 120, paddingTop: 4 }}>
                          <ResolvedPrice
                            opportunityId={opportunity.id}
                            productId={line?.productId}
                            quantity={line?.quantity}
                          />
                        </div>
                      );
                    }}
                  </Form.Item>
                  <Form.Item name={[field.name, 'unitPriceYuan']} tooltip={t('forecast.lines.overrideHint')}>
                    <InputNumber
                      min={0}
                      precision={2}
                      placeholder={t('forecast.lines.override')}
                      style={{ width: 140 }}
                      data-testid={`opportunity-line-price-${field.name}`}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'discountPercent']}>
                    <Input
                      suffix="%"
                      placeholder={t('forecast.lines.discount')}
                      style={{ width: 110 }}
                      data-testid={`opportunity-line-discount-${field.name}`}
                    />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('common.delete')}
                  />
                </Space>
              ))}
              <Space>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ quantity: '1' })}
                  data-testid="opportunity-line-add"
                >
                  {t('forecast.lines.add')}
                </Button>
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={saving}
                  data-testid="opportunity-lines-save"
                >
                  {t('common.save')}
                </Button>
                <Button onClick={() => setEditing(false)}>{t('forecast.lines.cancel')}</Button>
              </Space>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
                {t('forecast.lines.emptyHint')}
              </Typography.Paragraph>
            </>
          )}
        </Form.List>
      </Form>
    );
  }

  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text>
          {data?.amountSource === 'lines' ? t('forecast.lines.fromLines') : t('forecast.lines.manual')}
        </Typography.Text>
        {canEdit && (
          <Button size="small" onClick={startEditing} data-testid="opportunity-lines-edit">
            {t('forecast.lines.edit')}
          </Button>
        )}
      </Space>
      <Table<OpportunityLine>
        rowKey="id"
        size="small"
        pagination={false}
        loading={q.isLoading}
        dataSource={data?.lines ?? []}
        data-testid="opportunity-lines"
        columns={[
          {
            title: t('forecast.lines.product'),
            key: 'product',
            render: (_, l) => `${l.sku} ${l.productName}`,
          },
          {
            title: t('forecast.lines.quantity'),
            dataIndex: 'quantity',
            align: 'right',
            render: (v: string, l) => `${v} ${l.uom}`,
          },
          {
            title: t('forecast.lines.unitPrice'),
            key: 'unitPrice',
            align: 'right',
            render: (_, l) => (
              <Space size={4}>
                {money(l.unitPrice)}
                {l.priceOverridden && (
                  <Tag title={t('forecast.lines.resolvedWas', { price: money(l.resolvedPrice) })}>
                    {t('forecast.lines.overridden')}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('forecast.lines.discount'),
            dataIndex: 'discountPercent',
            align: 'right',
            render: (v: string | null) => (v ? `${v}%` : '—'),
          },
          { title: t('forecast.lines.amount'), dataIndex: 'amount', align: 'right', render: money },
          ...(withCost
            ? [
                {
                  title: t('forecast.lines.cost'),
                  dataIndex: 'cost',
                  align: 'right' as const,
                  render: money,
                },
                {
                  title: t('forecast.lines.margin'),
                  dataIndex: 'margin',
                  align: 'right' as const,
                  render: money,
                },
              ]
            : []),
        ]}
        summary={() =>
          data?.lines.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={4}>
                {t('forecast.lines.total')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <span data-testid="opportunity-lines-total">{money(data.amount)}</span>
              </Table.Summary.Cell>
              {withCost && (
                <>
                  <Table.Summary.Cell index={5} align="right">
                    {money(data.cost)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {money(data.margin)}
                    {data.marginPercent ? ` (${data.marginPercent}%)` : ''}
                  </Table.Summary.Cell>
                </>
              )}
            </Table.Summary.Row>
          ) : null
        }
      />
    </>
  );
}
