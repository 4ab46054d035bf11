import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Row, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Pipeline, StagePlaybook, StagePlaybookUpdate } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { Attachments } from '../platform/Attachments.js';
import { localName } from './OpportunityParts.js';

/** 销售指南设置: each stage's playbook of a pipeline, one tab per stage. */
export function PlaybooksPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [search, setSearch] = useSearchParams();
  const manage = useSession().can('pipelines.manage');
  const pipeline = useQuery({
    queryKey: ['pipeline', id],
    queryFn: () => api.get<Pipeline>(`/pipelines/${id}`),
  });
  const playbooks = useQuery({
    queryKey: ['playbooks', id],
    queryFn: () => api.get<{ items: StagePlaybook[] }>(`/pipelines/${id}/playbooks`),
  });
  const items = playbooks.data?.items ?? [];
  const active = search.get('stage') ?? items[0]?.stageId;
  return (
    <>
      <PageHeader
        title={t('playbooks.title', { pipeline: pipeline.data ? localName(pipeline.data) : '' })}
        hint={t('playbooks.hint')}
        extra={<Link to="/sales/pipelines">{t('playbooks.backToPipelines')}</Link>}
      />
      <Card loading={playbooks.isLoading} size="small">
        <Tabs
          activeKey={active}
          onChange={(stage) => setSearch({ stage }, { replace: true })}
          items={items.map((pb) => ({
            key: pb.stageId,
            label: localName({ nameZh: pb.stageNameZh, nameEn: pb.stageNameEn }),
            children: <PlaybookEditor playbook={pb} manage={manage} />,
          }))}
        />
      </Card>
    </>
  );
}

function PlaybookEditor({ playbook, manage }: { playbook: StagePlaybook; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Omit<StagePlaybookUpdate, 'version'>>();
  const [saving, setSaving] = useState(false);

  const save = async (values: Omit<StagePlaybookUpdate, 'version'>) => {
    setSaving(true);
    try {
      await api.put(`/pipeline-stages/${playbook.stageId}/playbook`, {
        guidanceZh: values.guidanceZh ?? '',
        guidanceEn: values.guidanceEn ?? '',
        talkTracks: values.talkTracks ?? [],
        recommended: values.recommended ?? [],
        version: playbook.version,
      });
      void message.success(t('playbooks.saved'));
      await client.invalidateQueries({ queryKey: ['playbooks', playbook.pipelineId] });
      await client.invalidateQueries({ queryKey: ['playbook', playbook.stageId] });
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={16}>
        <Form
          form={form}
          layout="vertical"
          disabled={!manage}
          initialValues={{
            guidanceZh: playbook.guidanceZh,
            guidanceEn: playbook.guidanceEn,
            talkTracks: playbook.talkTracks,
            recommended: playbook.recommended,
          }}
          onFinish={save}
          key={`${playbook.id}:${playbook.version}`}
        >
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="guidanceZh" label={t('playbooks.guidanceZh')}>
                <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={8000} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="guidanceEn" label={t('playbooks.guidanceEn')}>
                <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={8000} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Paragraph strong>{t('playbooks.talkTracks')}</Typography.Paragraph>
          <Form.List name="talkTracks">
            {(fields, { add, remove, move }) => (
              <>
                {fields.map((f, i) => (
                  <Card
                    key={f.key}
                    size="small"
                    style={{ marginBottom: 8 }}
                    extra={
                      manage && (
                        <Space>
                          <Button size="small" disabled={i === 0} onClick={() => move(i, i - 1)}>
                            ↑
                          </Button>
                          <Button
                            size="small"
                            disabled={i === fields.length - 1}
                            onClick={() => move(i, i + 1)}
                          >
                            ↓
                          </Button>
                          <Button
                            size="small"
                            danger
                            icon={<MinusCircleOutlined />}
                            onClick={() => remove(f.name)}
                          />
                        </Space>
                      )
                    }
                    title={
                      <Form.Item name={[f.name, 'key']} noStyle rules={[{ required: true }]}>
                        <Input size="small" style={{ width: 160 }} placeholder={t('playbooks.key')} />
                      </Form.Item>
                    }
                  >
                    <Row gutter={12}>
                      <Col xs={24} md={12}>
                        <Form.Item
                          name={[f.name, 'titleZh']}
                          label={t('playbooks.titleZh')}
                          rules={[{ required: true }]}
                        >
                          <Input maxLength={100} />
                        </Form.Item>
                        <Form.Item
                          name={[f.name, 'scriptZh']}
                          label={t('playbooks.scriptZh')}
                          rules={[{ required: true }]}
                        >
                          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={4000} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item
                          name={[f.name, 'titleEn']}
                          label={t('playbooks.titleEn')}
                          rules={[{ required: true }]}
                        >
                          <Input maxLength={100} />
                        </Form.Item>
                        <Form.Item
                          name={[f.name, 'scriptEn']}
                          label={t('playbooks.scriptEn')}
                          rules={[{ required: true }]}
                        >
                          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={4000} />
                        </Form.Item>
                      </Col>
                    </Row>
                  </Card>
                ))}
                {manage && (
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ key: `track_${fields.length + 1}` })}
                    style={{ marginBottom: 16 }}
                  >
                    {t('playbooks.addTalkTrack')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
          <Typography.Paragraph strong>{t('playbooks.recommended')}</Typography.Paragraph>
          <Form.List name="recommended">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'key']} rules={[{ required: true }]}>
                      <Input style={{ width: 140 }} placeholder={t('playbooks.key')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'textZh']} rules={[{ required: true }]}>
                      <Input style={{ width: 220 }} placeholder={t('playbooks.textZh')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'textEn']} rules={[{ required: true }]}>
                      <Input style={{ width: 220 }} placeholder={t('playbooks.textEn')} />
                    </Form.Item>
                    {manage && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                  </Space>
                ))}
                {manage && (
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ key: `item_${fields.length + 1}` })}
                  >
                    {t('playbooks.addRecommended')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
          {manage && (
            <div style={{ marginTop: 16 }}>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="playbook-save">
                {t('common.save')}
              </Button>
            </div>
          )}
        </Form>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('playbooks.exitChecklist')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('playbooks.exitChecklistHint')}</Typography.Paragraph>
          {playbook.checklist.length
            ? playbook.checklist.map((c) => (
                <Tag key={c.key} color={c.required ? 'orange' : undefined} style={{ marginBottom: 4 }}>
                  {localName({ nameZh: c.textZh, nameEn: c.textEn })}
                </Tag>
              ))
            : '—'}
        </Card>
        <Card size="small" title={t('playbooks.templates')}>
          <Attachments entity="playbook" entityId={playbook.id} />
        </Card>
      </Col>
    </Row>
  );
}
