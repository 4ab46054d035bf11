import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Collapse,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Pipeline, PipelineStageInput, SalesSettings } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { localName } from './OpportunityParts.js';
import { PlaybookLink } from './PlaybookPanel.js';

const REQUIRED_FIELDS = ['amount', 'expectedCloseDate', 'contactId', 'nextStep', 'competitors'] as const;

/** 销售流程设置: pipelines and their stages, loss reasons, stall days. */
export function PipelinesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('pipelines.manage');
  const [editing, setEditing] = useState<Pipeline | 'new' | null>(null);
  const pipelines = useQuery({
    queryKey: ['pipelines', 'all'],
    queryFn: () => api.get<{ items: Pipeline[] }>('/pipelines', { archived: true }),
  });
  return (
    <>
      <PageHeader
        title={t('pipelines.title')}
        hint={t('pipelines.hint')}
        extra={
          manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="pipeline-new"
            >
              {t('pipelines.new')}
            </Button>
          )
        }
      />
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {(pipelines.data?.items ?? []).map((p) => (
          <Card
            key={p.id}
            size="small"
            title={
              <Space>
                {localName(p)}
                <Typography.Text type="secondary">{p.code}</Typography.Text>
                {p.isDefault && <Tag color="blue">{t('pipelines.default')}</Tag>}
                {p.archived && <Tag>{t('pipelines.archived')}</Tag>}
              </Space>
            }
            extra={
              manage && (
                <Button size="small" onClick={() => setEditing(p)} data-testid={`pipeline-edit-${p.code}`}>
                  {t('common.edit')}
                </Button>
              )
            }
          >
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={p.stages}
              columns={[
                { title: t('pipelines.stage'), render: (_: unknown, s) => localName(s) },
                {
                  title: t('pipelines.probability'),
                  dataIndex: 'probability',
                  render: (v: number) => `${v}%`,
                },
                {
                  title: t('pipelines.kind'),
                  dataIndex: 'kind',
                  render: (k: string) => t(`pipelines.kinds.${k}`),
                },
                {
                  title: t('pipelines.checklist'),
                  render: (_: unknown, s) =>
                    s.checklist.map((c) => (
                      <Tag key={c.key} color={c.required ? 'orange' : undefined}>
                        {localName({ nameZh: c.textZh, nameEn: c.textEn })}
                      </Tag>
                    )),
                },
                {
                  title: t('pipelines.requiredFields'),
                  render: (_: unknown, s) =>
                    s.requiredFields.map((f) => <Tag key={f}>{t(`opportunities.requiredFields.${f}`)}</Tag>),
                },
                {
                  title: t('playbooks.tab'),
                  render: (_: unknown, s) => <PlaybookLink pipelineId={p.id} stageId={s.id} />,
                },
              ]}
            />
          </Card>
        ))}
        <SalesSettingsCard manage={manage} />
      </Space>
      {editing && (
        <PipelineEditor pipeline={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

interface EditorValues {
  code?: string;
  nameZh: string;
  nameEn: string;
  isDefault?: boolean;
  archived?: boolean;
  stages: PipelineStageInput[];
}

function PipelineEditor({ pipeline, onClose }: { pipeline: Pipeline | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<EditorValues>();
  const [saving, setSaving] = useState(false);
  const initial: EditorValues = pipeline
    ? {
        nameZh: pipeline.nameZh,
        nameEn: pipeline.nameEn,
        isDefault: pipeline.isDefault,
        archived: pipeline.archived,
        stages: pipeline.stages.map(({ position: _p, ...s }) => s),
      }
    : {
        nameZh: '',
        nameEn: '',
        stages: [
          { nameZh: '', nameEn: '', probability: 10, kind: 'open', checklist: [], requiredFields: [] },
          { nameZh: '赢单', nameEn: 'Won', probability: 100, kind: 'won', checklist: [], requiredFields: [] },
          { nameZh: '输单', nameEn: 'Lost', probability: 0, kind: 'lost', checklist: [], requiredFields: [] },
        ],
      };
  async function submit(v: EditorValues) {
    setSaving(true);
    try {
      if (pipeline) {
        await api.patch(`/pipelines/${pipeline.id}`, {
          nameZh: v.nameZh,
          nameEn: v.nameEn,
          ...(v.isDefault && !pipeline.isDefault ? { isDefault: true } : {}),
          ...(v.archived !== pipeline.archived ? { archived: !!v.archived } : {}),
          stages: v.stages,
          version: pipeline.version,
        });
      } else {
        await api.post('/pipelines', { ...v, isDefault: !!v.isDefault });
      }
      void client.invalidateQueries({ queryKey: ['pipelines'] });
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      width={900}
      title={pipeline ? t('pipelines.edit') : t('pipelines.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'pipeline-save' }}
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Space wrap>
          {!pipeline && (
            <Form.Item name="code" label={t('pipelines.code')} rules={[rules.required()]}>
              <Input maxLength={50} placeholder="project" />
            </Form.Item>
          )}
          <Form.Item name="nameZh" label={t('pipelines.nameZh')} rules={[rules.required()]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('pipelines.nameEn')} rules={[rules.required()]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="isDefault" valuePropName="checked" label=" ">
            <Checkbox disabled={pipeline?.isDefault}>{t('pipelines.default')}</Checkbox>
          </Form.Item>
          {pipeline && (
            <Form.Item name="archived" valuePropName="checked" label=" ">
              <Checkbox disabled={pipeline.isDefault}>{t('pipelines.archived')}</Checkbox>
            </Form.Item>
          )}
        </Space>
        <Typography.Paragraph strong>{t('pipelines.stages')}</Typography.Paragraph>
        <Form.List name="stages">
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" style={{ marginBottom: 8 }}>
                  <Space wrap align="baseline">
                    <Form.Item name={[f.name, 'nameZh']} rules={[rules.required()]}>
                      <Input placeholder={t('pipelines.nameZh')} maxLength={50} style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'nameEn']} rules={[rules.required()]}>
                      <Input placeholder={t('pipelines.nameEn')} maxLength={50} style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'probability']} rules={[rules.required()]}>
                      <InputNumber min={0} max={100} suffix="%" style={{ width: 90 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'kind']}>
                      <Select
                        style={{ width: 100 }}
                        options={(['open', 'won', 'lost'] as const).map((k) => ({
                          value: k,
                          label: t(`pipelines.kinds.${k}`),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'requiredFields']}>
                      <Select
                        mode="multiple"
                        style={{ minWidth: 200 }}
                        placeholder={t('pipelines.requiredFields')}
                        options={REQUIRED_FIELDS.map((r) => ({
                          value: r,
                          label: t(`opportunities.requiredFields.${r}`),
                        }))}
                      />
                    </Form.Item>
                    <Button size="small" disabled={i === 0} onClick={() => move(i, i - 1)}>
                      ↑
                    </Button>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                  <Collapse
                    size="small"
                    ghost
                    items={[
                      {
                        key: 'c',
                        label: t('pipelines.checklist'),
                        children: (
                          <Form.List name={[f.name, 'checklist']}>
                            {(items, ops) => (
                              <>
                                {items.map((c) => (
                                  <Space key={c.key} wrap align="baseline">
                                    <Form.Item name={[c.name, 'key']} rules={[rules.required()]}>
                                      <Input placeholder={t('pipelines.itemKey')} style={{ width: 140 }} />
                                    </Form.Item>
                                    <Form.Item name={[c.name, 'textZh']} rules={[rules.required()]}>
                                      <Input placeholder={t('pipelines.textZh')} />
                                    </Form.Item>
                                    <Form.Item name={[c.name, 'textEn']} rules={[rules.required()]}>
                                      <Input placeholder={t('pipelines.textEn')} />
                                    </Form.Item>
                                    <Form.Item
                                      name={[c.name, 'required']}
                                      valuePropName="checked"
                                      initialValue={false}
                                    >
                                      <Checkbox>{t('pipelines.itemRequired')}</Checkbox>
                                    </Form.Item>
                                    <MinusCircleOutlined onClick={() => ops.remove(c.name)} />
                                  </Space>
                                ))}
                                <Button
                                  size="small"
                                  type="dashed"
                                  onClick={() => ops.add({ required: false })}
                                >
                                  {t('pipelines.addItem')}
                                </Button>
                              </>
                            )}
                          </Form.List>
                        ),
                      },
                    ]}
                  />
                </Card>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ probability: 50, kind: 'open', checklist: [], requiredFields: [] }, 0)}
              >
                {t('pipelines.addStage')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function SalesSettingsCard({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<SalesSettings>();
  const settings = useQuery({
    queryKey: ['sales-settings'],
    queryFn: () => api.get<SalesSettings>('/sales-settings'),
  });
  if (!settings.data) return <Card loading />;
  async function save(v: SalesSettings) {
    try {
      const saved = await api.patch<SalesSettings>('/sales-settings', {
        lossReasons: v.lossReasons,
        stallDays: v.stallDays,
        version: settings.data!.version,
      });
      client.setQueryData(['sales-settings'], saved);
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    }
  }
  return (
    <Card size="small" title={t('pipelines.settings')}>
      <Form form={form} layout="vertical" initialValues={settings.data} onFinish={save} disabled={!manage}>
        <Form.Item name="stallDays" label={t('pipelines.stallDays')} rules={[rules.required()]}>
          <InputNumber min={1} max={365} />
        </Form.Item>
        <Typography.Text strong>{t('pipelines.lossReasons')}</Typography.Text>
        <Form.List name="lossReasons">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="baseline">
                  <Form.Item name={[f.name, 'code']} rules={[rules.required()]}>
                    <Input placeholder={t('pipelines.itemKey')} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'labelZh']} rules={[rules.required()]}>
                    <Input placeholder={t('pipelines.textZh')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'labelEn']} rules={[rules.required()]}>
                    <Input placeholder={t('pipelines.textEn')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <div>
                <Button size="small" type="dashed" onClick={() => add({})}>
                  {t('pipelines.addReason')}
                </Button>
              </div>
            </>
          )}
        </Form.List>
        {manage && (
          <Button type="primary" htmlType="submit" style={{ marginTop: 12 }}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
