import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { PriceList, PriceRule } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules as formRules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { HistoryDrawer } from '../platform/HistoryDrawer.js';
import { ConditionTags, DateRange, PriceListForm, PriceTester } from './PriceListParts.js';
import { CategorySelect, yuan } from './ProductForm.js';
import { ProductSelect } from './StockForms.js';

interface RuleFormValues {
  target: 'product' | 'category';
  productId?: string;
  categoryId?: string | null;
  minQuantity: string;
  basis: 'price' | 'percent';
  priceYuan?: number | null;
  percent?: number | null;
  floorYuan?: number | null;
}

const toFen = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100));

/** Add a rule (a tier), or change one: target, minimum quantity, fixed price or %, floor. */
function RuleForm({
  listId,
  rule,
  preset,
  onClose,
  onSaved,
}: {
  listId: string;
  rule?: PriceRule;
  preset?: Partial<RuleFormValues>;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const [saving, setSaving] = useState(false);
  const target = Form.useWatch('target', form);
  const basis = Form.useWatch('basis', form);
  const initial: RuleFormValues = rule
    ? {
        target: rule.productId ? 'product' : 'category',
        minQuantity: rule.minQuantity,
        basis: rule.percent !== null ? 'percent' : 'price',
        priceYuan: rule.price === null ? null : rule.price / 100,
        percent: rule.percent === null ? null : Number(rule.percent),
        floorYuan: rule.floorPrice === null ? null : rule.floorPrice / 100,
      }
    : { target: 'product', minQuantity: '0', basis: 'price', ...preset };

  async function save(v: RuleFormValues) {
    setSaving(true);
    const basisBody =
      v.basis === 'price'
        ? { price: toFen(v.priceYuan) ?? undefined }
        : { percent: v.percent === null || v.percent === undefined ? undefined : String(v.percent) };
    try {
      if (rule)
        await api.patch(`/price-lists/${listId}/rules/${rule.id}`, {
          minQuantity: String(v.minQuantity).trim(),
          ...(v.basis === 'price'
            ? { price: toFen(v.priceYuan) }
            : { percent: v.percent === null || v.percent === undefined ? null : String(v.percent) }),
          floorPrice: toFen(v.floorYuan),
          version: rule.version,
        });
      else
        await api.post(`/price-lists/${listId}/rules`, {
          ...(v.target === 'product'
            ? { productId: v.productId }
            : { categoryId: v.categoryId ?? undefined }),
          minQuantity: String(v.minQuantity ?? '0').trim() || '0',
          ...basisBody,
          floorPrice: toFen(v.floorYuan),
        });
      void message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={rule ? t('pricing.editRule') : t('pricing.addRule')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'price-rule-save' } as never}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void save(v)}>
        {!rule && (
          <>
            <Form.Item name="target" label={t('pricing.target')}>
              <Radio.Group
                options={[
                  { value: 'product', label: t('pricing.targets.product') },
                  { value: 'category', label: t('pricing.targets.category') },
                ]}
              />
            </Form.Item>
            {target === 'category' ? (
              <Form.Item
                name="categoryId"
                label={t('pricing.category')}
                rules={[formRules.required()]}
                extra={t('pricing.categoryHint')}
              >
                <CategorySelect testId="price-rule-category" />
              </Form.Item>
            ) : (
              <Form.Item name="productId" label={t('pricing.product')} rules={[formRules.required()]}>
                <ProductSelect testId="price-rule-product" />
              </Form.Item>
            )}
          </>
        )}
        <Form.Item name="minQuantity" label={t('pricing.minQuantity')} extra={t('pricing.minQuantityHint')}>
          <Input data-testid="price-rule-min-quantity" />
        </Form.Item>
        <Form.Item name="basis" label={t('pricing.basis')}>
          <Radio.Group
            options={[
              { value: 'price', label: t('pricing.bases.price') },
              { value: 'percent', label: t('pricing.bases.percent') },
            ]}
          />
        </Form.Item>
        {basis === 'percent' ? (
          <Form.Item
            name="percent"
            label={t('pricing.percent')}
            rules={[formRules.required()]}
            extra={t('pricing.percentHint')}
          >
            <InputNumber
              min={0.001}
              max={500}
              step={0.5}
              addonAfter="%"
              style={{ width: '100%' }}
              data-testid="price-rule-percent"
            />
          </Form.Item>
        ) : (
          <Form.Item name="priceYuan" label={t('pricing.price')} rules={[formRules.required()]}>
            <InputNumber
              min={0}
              precision={2}
              addonBefore="¥"
              style={{ width: '100%' }}
              data-testid="price-rule-price"
            />
          </Form.Item>
        )}
        <Form.Item name="floorYuan" label={t('pricing.floor')} extra={t('pricing.floorHint')}>
          <InputNumber
            min={0}
            precision={2}
            addonBefore="¥"
            style={{ width: '100%' }}
            data-testid="price-rule-floor"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 价目表编辑: the list's header, its rules and tiers, and the tester. */
export function PriceListPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState(false);
  const [q, setQ] = useState<string>();
  const [includeArchived, setIncludeArchived] = useState(false);
  const [ruleForm, setRuleForm] = useState<{ rule?: PriceRule; preset?: Partial<RuleFormValues> }>();
  const list = useQuery({
    queryKey: ['price-lists', id],
    queryFn: () => api.get<PriceList>(`/price-lists/${id}`),
  });
  const { list: rulesList, rows } = usePagedList<PriceRule>(
    ['price-lists', id, 'rules', q, includeArchived],
    `/price-lists/${id}/rules`,
    { q, includeArchived: includeArchived || undefined },
  );
  const manage = can('price-lists.manage');
  const refresh = () => void client.invalidateQueries({ queryKey: ['price-lists'] });
  const money = (f: number | null) => yuan(f, i18n.language);

  if (!list.data) return <Skeleton active />;
  const l = list.data;
  const editable = manage && l.status === 'active';

  async function toggle() {
    try {
      await api.post(`/price-lists/${l.id}/${l.status === 'active' ? 'archive' : 'restore'}`, {
        version: l.version,
      });
      refresh();
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message);
    }
  }

  async function archiveRule(r: PriceRule) {
    try {
      await api.post(`/price-lists/${l.id}/rules/${r.id}/archive`, { version: r.version });
      refresh();
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message);
    }
  }

  const columns: ColumnsType<PriceRule> = [
    {
      title: t('pricing.target'),
      render: (_: unknown, r) =>
        r.productId ? (
          `${r.productSku} ${r.productName}`
        ) : (
          <Space>
            <Tag>{t('pricing.targets.category')}</Tag>
            {r.categoryName}
          </Space>
        ),
    },
    {
      title: t('pricing.minQuantity'),
      dataIndex: 'minQuantity',
      align: 'right',
      render: (m: string) => (m === '0' ? t('pricing.baseTier') : `≥ ${m}`),
    },
    {
      title: t('pricing.price'),
      align: 'right',
      render: (_: unknown, r) =>
        r.percent !== null
          ? `${r.percent}%${r.productListPrice !== null ? ` (${money(Math.round((r.productListPrice * Number(r.percent)) / 100))})` : ''}`
          : money(r.price),
    },
    {
      title: t('pricing.floor'),
      dataIndex: 'floorPrice',
      align: 'right',
      render: (f: number | null) => money(f),
    },
    {
      title: t('pricing.status'),
      dataIndex: 'archived',
      render: (a: boolean) => (a ? <Tag>{t('pricing.statuses.archived')}</Tag> : null),
    },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            render: (_: unknown, r: PriceRule) =>
              r.archived ? null : (
                <Space size="small">
                  <Button size="small" type="link" onClick={() => setRuleForm({ rule: r })}>
                    {t('common.edit')}
                  </Button>
                  <Button
                    size="small"
                    type="link"
                    onClick={() =>
                      setRuleForm({
                        preset: r.productId
                          ? { target: 'product', productId: r.productId, minQuantity: '' }
                          : { target: 'category', categoryId: r.categoryId, minQuantity: '' },
                      })
                    }
                  >
                    {t('pricing.addTier')}
                  </Button>
                  <Popconfirm title={t('pricing.archiveRuleConfirm')} onConfirm={() => void archiveRule(r)}>
                    <Button size="small" type="link" danger>
                      {t('pricing.archive')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={`${l.name} (${l.code})`}
        extra={
          <Space wrap>
            <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)}>
              {t('pricing.history')}
            </Button>
            {manage && l.status === 'active' && (
              <Button onClick={() => setEditing(true)} data-testid="price-list-edit">
                {t('common.edit')}
              </Button>
            )}
            {manage && (
              <Popconfirm
                title={l.status === 'active' ? t('pricing.archiveConfirm') : t('pricing.restoreConfirm')}
                onConfirm={() => void toggle()}
              >
                <Button danger={l.status === 'active'} data-testid="price-list-toggle">
                  {l.status === 'active' ? t('pricing.archive') : t('pricing.restore')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('pricing.conditions')} span={2}>
          <ConditionTags list={l} />
        </Descriptions.Item>
        <Descriptions.Item label={t('pricing.status')}>
          <Tag color={l.status === 'active' ? 'green' : 'default'}>{t(`pricing.statuses.${l.status}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('pricing.priority')}>{l.priority}</Descriptions.Item>
        <Descriptions.Item label={t('pricing.effective')}>
          <DateRange list={l} />
        </Descriptions.Item>
        <Descriptions.Item label={t('pricing.rounding')}>
          {t(`pricing.roundings.${l.rounding}`)}
          {l.rounding === 'eight_nine' &&
            ` (${t('pricing.boundSummary', { percent: l.roundingMaxPercent, amount: money(l.roundingMaxRaise) })})`}
        </Descriptions.Item>
      </Descriptions>
      <Card
        title={t('pricing.rules')}
        extra={
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('pricing.ruleSearch')}
              onSearch={(v) => setQ(v || undefined)}
              style={{ width: 220 }}
            />
            <Space size={4}>
              <Switch size="small" checked={includeArchived} onChange={setIncludeArchived} />
              {t('pricing.showArchived')}
            </Space>
            <ExportButton
              path="/price-lists/prices"
              filters={{ priceListId: l.id }}
              testId="price-list-export"
            />
            {editable && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setRuleForm({})}
                data-testid="price-rule-add"
              >
                {t('pricing.addRule')}
              </Button>
            )}
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={rulesList.isLoading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          footer={() => <LoadMore list={rulesList} />}
          data-testid="price-rules-table"
        />
      </Card>
      <Row>
        <Col span={24}>
          <Card title={t('pricing.tester')}>
            <PriceTester />
          </Card>
        </Col>
      </Row>
      {editing && (
        <PriceListForm
          list={l}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            refresh();
          }}
        />
      )}
      {ruleForm && (
        <RuleForm
          listId={l.id}
          {...ruleForm}
          onClose={() => setRuleForm(undefined)}
          onSaved={() => {
            setRuleForm(undefined);
            refresh();
          }}
        />
      )}
      <HistoryDrawer
        path={history ? `/price-lists/${l.id}/history` : null}
        title={l.name}
        onClose={() => setHistory(false)}
      />
    </>
  );
}
