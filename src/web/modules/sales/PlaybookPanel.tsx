import { useQuery } from '@tanstack/react-query';
import { Card, Collapse, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StagePlaybook as Playbook } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { Attachments } from '../platform/Attachments.js';
import { localName } from './OpportunityParts.js';

const text = (zh: string, en: string) => localName({ nameZh: zh, nameEn: en });

export function usePlaybook(stageId: string | undefined) {
  return useQuery({
    queryKey: ['playbook', stageId],
    queryFn: () => api.get<Playbook>(`/pipeline-stages/${stageId}/playbook`),
    enabled: !!stageId,
  });
}

/**
 * 销售指南: the playbook of the stage an opportunity is at — how to work the stage, talk tracks
 * to copy, the stage's exit checklist, recommended steps and the document templates to download.
 */
export function StagePlaybook({ stageId }: { stageId: string }) {
  const { t } = useTranslation();
  const q = usePlaybook(stageId);
  const pb = q.data;
  if (!pb) return <Card loading={q.isLoading} size="small" />;
  const guidance = text(pb.guidanceZh, pb.guidanceEn);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="stage-playbook">
      <Card size="small" title={t('playbooks.guidance', { stage: text(pb.stageNameZh, pb.stageNameEn) })}>
        {guidance ? (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
            {guidance}
          </Typography.Paragraph>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('playbooks.noGuidance')} />
        )}
      </Card>
      <Card size="small" title={t('playbooks.talkTracks')}>
        {pb.talkTracks.length ? (
          <Collapse
            size="small"
            data-testid="playbook-talk-tracks"
            items={pb.talkTracks.map((tt) => {
              const script = text(tt.scriptZh, tt.scriptEn);
              return {
                key: tt.key,
                label: text(tt.titleZh, tt.titleEn),
                children: (
                  <Typography.Paragraph
                    style={{ whiteSpace: 'pre-wrap', margin: 0 }}
                    copyable={{ text: script, tooltips: [t('playbooks.copy'), t('playbooks.copied')] }}
                  >
                    {script}
                  </Typography.Paragraph>
                ),
              };
            })}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('playbooks.noTalkTracks')} />
        )}
      </Card>
      {(pb.checklist.length > 0 || pb.recommended.length > 0) && (
        <Card size="small" title={t('playbooks.checklist')}>
          <List
            size="small"
            dataSource={[
              ...pb.checklist.map((c) => ({
                key: `c:${c.key}`,
                label: text(c.textZh, c.textEn),
                required: c.required,
              })),
              ...pb.recommended.map((r) => ({
                key: `r:${r.key}`,
                label: text(r.textZh, r.textEn),
                required: null,
              })),
            ]}
            renderItem={(item) => (
              <List.Item key={item.key}>
                <Space>
                  {item.required === true && <Tag color="orange">{t('playbooks.requiredToLeave')}</Tag>}
                  {item.required === false && <Tag>{t('playbooks.exitItem')}</Tag>}
                  {item.required === null && <Tag color="blue">{t('playbooks.recommendedTag')}</Tag>}
                  {item.label}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card size="small" title={t('playbooks.templates')}>
        <Attachments entity="playbook" entityId={pb.id} />
      </Card>
    </Space>
  );
}

/** The pipelines page's way into a stage's playbook editor. */
export function PlaybookLink({ pipelineId, stageId }: { pipelineId: string; stageId: string }) {
  const { t } = useTranslation();
  return (
    <Link
      to={`/sales/pipelines/${pipelineId}/playbooks?stage=${stageId}`}
      data-testid={`playbook-link-${stageId}`}
    >
      {t('playbooks.open')}
    </Link>
  );
}
