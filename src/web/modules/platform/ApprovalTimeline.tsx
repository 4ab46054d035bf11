import { useQuery } from '@tanstack/react-query';
import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalRequestView } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';

const STEP_COLOR: Record<string, string> = {
  approved: 'green',
  pending: 'blue',
  rejected: 'red',
  returned: 'orange',
};

const STATUS_COLOR: Record<string, string> = {
  pending: 'processing',
  waiting: 'default',
  approved: 'success',
  rejected: 'error',
  returned: 'warning',
  withdrawn: 'default',
  skipped: 'default',
  cancelled: 'default',
};

export function ApprovalStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`approvals.status.${status}`)}</Tag>;
}

/** One approval round: submission, then each step with its approvers, decision and comment. */
export function ApprovalSteps({ request }: { request: ApprovalRequestView }) {
  const { t } = useTranslation();
  const names = (people: { name: string }[]) => people.map((p) => p.name).join(t('common.listSeparator'));
  return (
    <Timeline
      items={[
        {
          color: 'blue',
          content: (
            <>
              <Typography.Text strong>
                {t('approvals.submittedBy', { name: request.submitter.name })}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary">{formatTime(request.createdAt)}</Typography.Text>
              </div>
            </>
          ),
        },
        ...request.steps.map((s) => {
          const decided = new Set(s.votes.map((v) => v.for?.id ?? v.by.id));
          const waitingFor = s.approvers.filter((a) => !decided.has(a.id));
          return {
            color: STEP_COLOR[s.status] ?? 'gray',
            content: (
              <div data-testid="approval-step">
                <Space wrap size={4}>
                  <Typography.Text strong>{s.name}</Typography.Text>
                  <ApprovalStatusTag status={s.status} />
                  {s.mode === 'all' && s.approvers.length > 1 && <Tag>{t('approvals.mode.all')}</Tag>}
                </Space>
                {s.votes.map((v) => (
                  <div key={`${v.by.id}-${v.at}`}>
                    <Typography.Text type="secondary">
                      {v.for ? t('approvals.actedFor', { name: v.by.name, for: v.for.name }) : v.by.name}
                      {' · '}
                      {t(`approvals.status.${v.decision}`)}
                      {' · '}
                      {formatTime(v.at)}
                    </Typography.Text>
                    {v.comment && (
                      <Typography.Paragraph style={{ margin: 0 }}>“{v.comment}”</Typography.Paragraph>
                    )}
                  </div>
                ))}
                {(s.status === 'pending' || s.status === 'waiting') && (
                  <div>
                    <Typography.Text type="secondary">
                      {t('approvals.approvers', { names: names(waitingFor) })}
                    </Typography.Text>
                  </div>
                )}
                {s.status === 'skipped' && (
                  <div>
                    <Typography.Text type="secondary">{t('approvals.noApprover')}</Typography.Text>
                  </div>
                )}
              </div>
            ),
          };
        }),
      ]}
    />
  );
}

/** The approval timeline of any document: every round, newest first. Modules put it on their detail pages. */
export function ApprovalTimeline({ docType, docId }: { docType: string; docId: string }) {
  const { t } = useTranslation();
  const rounds = useQuery({
    queryKey: ['approvals', 'timeline', docType, docId],
    queryFn: () => api.get<{ items: ApprovalRequestView[] }>('/approvals/timeline', { docType, docId }),
  });
  if (!rounds.data?.items.length)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approvals.noRounds')} />;
  return (
    <>
      {rounds.data.items.map((r) => (
        <div key={r.id} style={{ marginBottom: 16 }}>
          <Space style={{ marginBottom: 8 }}>
            <Typography.Text>{r.number}</Typography.Text>
            <ApprovalStatusTag status={r.status} />
          </Space>
          <ApprovalSteps request={r} />
        </div>
      ))}
    </>
  );
}
