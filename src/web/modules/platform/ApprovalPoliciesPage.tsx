import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Tabs,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalPolicy } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules as formRules } from '../../app/rules.js';
import { useRoles } from '../org/orgData.js';
import { UserSelect } from '../org/UserSelect.js';

type Rule = ApprovalPolicy['rules'][number];
type Fact = ApprovalPolicy['facts'][number];

const OPS_BY_TYPE: Record<Fact['type'], string[]> = {
  number: ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'],
  money: ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'],
  percent: ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'],
  boolean: ['isTrue', 'isFalse'],
  text: ['eq', 'ne'],
};

/** Money facts are stored in fen and edited in yuan. */
function convertMoney(rules: Rule[], facts: Fact[], toFen: boolean): Rule[] {
  const money = new Set(facts.filter((f) => f.type === 'money').map((f) => f.key));
  return rules.map((r) => ({
    ...r,
    conditions: r.conditions.map((c) =>
      money.has(c.fact) && typeof c.value === 'number'
        ? { ...c, value: toFen ? Math.round(c.value * 100) : c.value / 100 }
        : c,
    ),
  }));
}

type Approver = Rule['steps'][number]['approver'];

/** Only the keys of the chosen kind: the form keeps values of fields it no longer shows. */
function cleanApprover(a: Approver & Record<string, unknown>): Approver {
  switch (a.kind) {
    case 'unitHead':
      return { kind: 'unitHead', level: a.level ?? 0 };
    case 'role':
      return { kind: 'role', role: a.role, scope: a.scope ?? 'chain' };
    case 'user':
      return { kind: 'user', userId: a.userId };
    case 'addressee':
      return { kind: 'addressee' };
    default:
      return { kind: 'manager' };
  }
}

/** The administrator's editor of approval policies: one tab per document type. */
export function ApprovalPoliciesPage() {
  const { t, i18n } = useTranslation();
  const policies = useQuery({
    queryKey: ['approval-policies'],
    queryFn: () => api.get<{ items: ApprovalPolicy[] }>('/approval-policies'),
  });
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <>
      <PageHeader title={t('approvals.policies.title')} hint={t('approvals.policies.hint')} />
      {policies.data && !policies.data.items.length && (
        <Empty description={t('approvals.policies.noTypes')} />
      )}
      <Tabs
        items={(policies.data?.items ?? []).map((p) => ({
          key: p.docType,
          label: p.label[lang],
          children: <PolicyEditor key={`${p.docType}-${p.version}`} policy={p} />,
        }))}
      />
    </>
  );
}

function PolicyEditor({ policy }: { policy: ApprovalPolicy }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ active: boolean; rules: Rule[] }>();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  async function save() {
    const values = await form.validateFields();
    try {
      await api.put(`/approval-policies/${policy.docType}`, {
        active: values.active,
        rules: convertMoney(values.rules ?? [], policy.facts, true).map((r) => ({
          ...r,
          steps: r.steps.map((step) => ({ ...step, approver: cleanApprover(step.approver) })),
        })),
        version: policy.version,
      });
      void message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: ['approval-policies'] });
    } catch (err) {
      showError(err, message, form);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ active: policy.active, rules: convertMoney(policy.rules, policy.facts, false) }}
      onFinish={save}
      data-testid={`policy-${policy.docType}`}
    >
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
        <Form.Item name="active" valuePropName="checked" noStyle>
          <Switch
            checkedChildren={t('approvals.policies.active')}
            unCheckedChildren={t('approvals.policies.inactive')}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="policy-save">
          {t('common.save')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary">{t('approvals.policies.order')}</Typography.Paragraph>
      <Form.List name="rules">
        {(fields, { add, remove, move }) => (
          <>
            {fields.map((field, index) => (
              <Card
                key={field.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={t('approvals.policies.ruleN', { n: index + 1 })}
                extra={
                  <Space>
                    <Button
                      size="small"
                      icon={<ArrowUpOutlined />}
                      disabled={index === 0}
                      onClick={() => move(index, index - 1)}
                    />
                    <Button
                      size="small"
                      icon={<ArrowDownOutlined />}
                      disabled={index === fields.length - 1}
                      onClick={() => move(index, index + 1)}
                    />
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                }
              >
                <Form.Item
                  name={[field.name, 'name']}
                  label={t('approvals.policies.ruleName')}
                  rules={[formRules.required()]}
                >
                  <Input maxLength={50} />
                </Form.Item>
                <ConditionsEditor form={form} ruleIndex={field.name} facts={policy.facts} lang={lang} />
                <StepsEditor ruleIndex={field.name} />
              </Card>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                add({
                  name: '',
                  conditions: [],
                  steps: [{ name: '', approver: { kind: 'manager' }, mode: 'any', skipIfNone: false }],
                })
              }
              data-testid="policy-add-rule"
            >
              {t('approvals.policies.addRule')}
            </Button>
          </>
        )}
      </Form.List>
    </Form>
  );
}

function ConditionsEditor({
  form,
  ruleIndex,
  facts,
  lang,
}: {
  form: FormInstance;
  ruleIndex: number;
  facts: Fact[];
  lang: 'zh-CN' | 'en';
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={[ruleIndex, 'conditions']}>
      {(fields, { add, remove }) => (
        <>
          <Typography.Text strong>{t('approvals.policies.conditions')}</Typography.Text>
          {!fields.length && (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
              {t('approvals.policies.always')}
            </Typography.Paragraph>
          )}
          {fields.map((field) => (
            <Form.Item key={field.key} noStyle shouldUpdate>
              {() => {
                const factKey = form.getFieldValue(['rules', ruleIndex, 'conditions', field.name, 'fact']);
                const fact = facts.find((f) => f.key === factKey);
                const ops = OPS_BY_TYPE[fact?.type ?? 'number'];
                return (
                  <Space wrap align="start" style={{ display: 'flex', marginTop: 8 }}>
                    <Form.Item
                      name={[field.name, 'fact']}
                      rules={[formRules.required()]}
                      style={{ marginBottom: 0 }}
                    >
                      <Select
                        style={{ width: 160 }}
                        placeholder={t('approvals.policies.fact')}
                        options={facts.map((f) => ({ value: f.key, label: f.label[lang] }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'op']}
                      rules={[formRules.required()]}
                      style={{ marginBottom: 0 }}
                    >
                      <Select
                        style={{ width: 130 }}
                        options={ops.map((op) => ({ value: op, label: t(`approvals.op.${op}`) }))}
                      />
                    </Form.Item>
                    {fact?.type !== 'boolean' && (
                      <Form.Item
                        name={[field.name, 'value']}
                        rules={[formRules.required()]}
                        style={{ marginBottom: 0 }}
                      >
                        {fact?.type === 'text' ? (
                          <Input style={{ width: 160 }} />
                        ) : (
                          <InputNumber
                            style={{ width: 160 }}
                            min={0}
                            addonAfter={
                              fact?.type === 'percent'
                                ? '%'
                                : fact?.type === 'money'
                                  ? t('approvals.policies.yuan')
                                  : undefined
                            }
                          />
                        )}
                      </Form.Item>
                    )}
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={t('common.delete')}
                    />
                  </Space>
                );
              }}
            </Form.Item>
          ))}
          <div style={{ margin: '8px 0 16px' }}>
            <Button size="small" icon={<PlusOutlined />} onClick={() => add({ op: 'gt' })}>
              {t('approvals.policies.addCondition')}
            </Button>
          </div>
        </>
      )}
    </Form.List>
  );
}

function StepsEditor({ ruleIndex }: { ruleIndex: number }) {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  const roleOptions = (roles.data?.items ?? []).map((r) => ({
    value: r.key,
    label: i18n.language === 'en' ? r.nameEn : r.nameZh,
  }));
  return (
    <Form.List name={[ruleIndex, 'steps']}>
      {(fields, { add, remove }) => (
        <>
          <Typography.Text strong>{t('approvals.policies.steps')}</Typography.Text>
          {fields.map((field, index) => (
            <Flex key={field.key} wrap gap={8} align="start" style={{ marginTop: 8 }}>
              <Typography.Text style={{ lineHeight: '32px' }}>{index + 1}.</Typography.Text>
              <Form.Item
                name={[field.name, 'name']}
                rules={[formRules.required()]}
                style={{ marginBottom: 0 }}
              >
                <Input style={{ width: 140 }} placeholder={t('approvals.policies.stepName')} maxLength={50} />
              </Form.Item>
              <Form.Item
                name={[field.name, 'approver', 'kind']}
                rules={[formRules.required()]}
                style={{ marginBottom: 0 }}
              >
                <Select
                  style={{ width: 170 }}
                  options={['manager', 'unitHead', 'role', 'user', 'addressee'].map((k) => ({
                    value: k,
                    label: t(`approvals.approverKind.${k}`),
                  }))}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) => {
                  const kind = getFieldValue(['rules', ruleIndex, 'steps', field.name, 'approver', 'kind']);
                  if (kind === 'unitHead')
                    return (
                      <Form.Item
                        name={[field.name, 'approver', 'level']}
                        initialValue={0}
                        style={{ marginBottom: 0 }}
                      >
                        <Select
                          style={{ width: 180 }}
                          options={[0, 1, 2, 3].map((n) => ({
                            value: n,
                            label: t(`approvals.levels.${n}`),
                          }))}
                        />
                      </Form.Item>
                    );
                  if (kind === 'role')
                    return (
                      <Space.Compact>
                        <Form.Item
                          name={[field.name, 'approver', 'role']}
                          rules={[formRules.required()]}
                          noStyle
                        >
                          <Select style={{ width: 130 }} options={roleOptions} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'approver', 'scope']} initialValue="chain" noStyle>
                          <Select
                            style={{ width: 150 }}
                            options={['chain', 'company'].map((s) => ({
                              value: s,
                              label: t(`approvals.scope.${s}`),
                            }))}
                          />
                        </Form.Item>
                      </Space.Compact>
                    );
                  if (kind === 'user')
                    return (
                      <Form.Item
                        name={[field.name, 'approver', 'userId']}
                        rules={[formRules.required()]}
                        style={{ marginBottom: 0 }}
                      >
                        <UserSelect style={{ width: 180 }} />
                      </Form.Item>
                    );
                  return null;
                }}
              </Form.Item>
              <Form.Item
                name={[field.name, 'skipIfNone']}
                valuePropName="checked"
                style={{ marginBottom: 0 }}
              >
                <Checkbox>{t('approvals.policies.skipIfNone')}</Checkbox>
              </Form.Item>
              <Button
                icon={<DeleteOutlined />}
                disabled={fields.length === 1}
                onClick={() => remove(field.name)}
              />
            </Flex>
          ))}
          <div style={{ marginTop: 8 }}>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({ name: '', approver: { kind: 'manager' }, mode: 'any', skipIfNone: false })}
            >
              {t('approvals.policies.addStep')}
            </Button>
          </div>
        </>
      )}
    </Form.List>
  );
}
