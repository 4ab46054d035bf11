import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Flex,
  Input,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job, JobSchedule } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';

const STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const COLOR: Record<string, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'default',
};

/** Background work for the administrator: recurring schedules, recent runs and failures. */
export function JobsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const manage = can('jobs.manage');
  const client = useQueryClient();
  const [state, setState] = useState<string | undefined>();
  const summary = useQuery({
    queryKey: ['jobs', 'summary'],
    queryFn: () => api.get<Record<string, number>>('/jobs/summary'),
    refetchInterval: 10_000,
  });
  const schedules = useQuery({
    queryKey: ['jobs', 'schedules'],
    queryFn: () => api.get<{ items: JobSchedule[] }>('/job-schedules'),
  });
  const { list } = usePagedList<Job>(
    ['jobs', 'list', state],
    '/jobs',
    { state },
    { refetchInterval: 10_000 },
  );

  async function run(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      void message.success(t(done));
      await client.invalidateQueries({ queryKey: ['jobs'] });
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <>
      <PageHeader title={t('jobs.title')} hint={t('jobs.hint')} />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        {STATES.map((s) => (
          <Card key={s} size="small" style={{ minWidth: 120 }} hoverable onClick={() => setState(s)}>
            <Statistic title={t(`jobs.state.${s}`)} value={summary.data?.[s] ?? 0} />
          </Card>
        ))}
      </Flex>

      <Typography.Title level={5}>{t('jobs.schedules')}</Typography.Title>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        style={{ marginBottom: 24 }}
        loading={schedules.isPending}
        dataSource={schedules.data?.items ?? []}
        scroll={{ x: 720 }}
        locale={{ emptyText: t('jobs.noSchedules') }}
        columns={[
          {
            title: t('jobs.kind'),
            dataIndex: 'kind',
            render: (k: string) => t(`jobs.kinds.${k}`, { defaultValue: k }),
          },
          {
            title: t('jobs.cron'),
            dataIndex: 'cron',
            render: (cron: string, s) =>
              manage ? (
                <Input
                  defaultValue={cron}
                  style={{ width: 150, fontFamily: 'monospace' }}
                  onBlur={(e) =>
                    e.target.value !== cron &&
                    run(
                      () =>
                        api.patch(`/job-schedules/${s.key}`, { cron: e.target.value, version: s.version }),
                      'common.saved',
                    )
                  }
                />
              ) : (
                <Typography.Text code>{cron}</Typography.Text>
              ),
          },
          {
            title: t('jobs.enabled'),
            dataIndex: 'enabled',
            render: (enabled: boolean, s) => (
              <Switch
                checked={enabled}
                disabled={!manage}
                onChange={(v) =>
                  run(
                    () => api.patch(`/job-schedules/${s.key}`, { enabled: v, version: s.version }),
                    'common.saved',
                  )
                }
              />
            ),
          },
          { title: t('jobs.nextRun'), render: (_, s) => (s.enabled ? formatTime(s.nextRunAt) : '—') },
          { title: t('jobs.lastRun'), render: (_, s) => formatTime(s.lastRunAt) },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  render: (_: unknown, s: JobSchedule) => (
                    <Button
                      size="small"
                      onClick={() => run(() => api.post(`/job-schedules/${s.key}/run`), 'jobs.queued')}
                    >
                      {t('jobs.runNow')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />

      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('jobs.runs')}
        </Typography.Title>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('jobs.allStates')}
          value={state}
          onChange={setState}
          options={STATES.map((s) => ({ value: s, label: t(`jobs.state.${s}`) }))}
          data-testid="jobs-state"
        />
      </Flex>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data?.pages.flatMap((p) => p.items) ?? []}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('jobs.kind'),
            dataIndex: 'kind',
            render: (k: string) => t(`jobs.kinds.${k}`, { defaultValue: k }),
          },
          {
            title: t('jobs.stateLabel'),
            dataIndex: 'state',
            render: (s: string) => <Tag color={COLOR[s]}>{t(`jobs.state.${s}`)}</Tag>,
          },
          { title: t('jobs.attempts'), render: (_, j) => `${j.attempts} / ${j.maxAttempts}` },
          { title: t('jobs.runAt'), render: (_, j) => formatTime(j.runAt) },
          { title: t('jobs.finishedAt'), render: (_, j) => formatTime(j.finishedAt) },
          {
            title: t('jobs.error'),
            dataIndex: 'lastError',
            render: (e: string | null) =>
              e ? (
                <Typography.Text type="danger" ellipsis={{ tooltip: e }} style={{ maxWidth: 260 }}>
                  {e}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  render: (_: unknown, j: Job) => (
                    <Space>
                      {(j.state === 'failed' || j.state === 'cancelled') && (
                        <Button
                          size="small"
                          onClick={() => run(() => api.post(`/jobs/${j.id}/retry`), 'jobs.queued')}
                        >
                          {t('jobs.retry')}
                        </Button>
                      )}
                      {j.state === 'queued' && (
                        <Button
                          size="small"
                          onClick={() => run(() => api.post(`/jobs/${j.id}/cancel`), 'jobs.cancelled')}
                        >
                          {t('jobs.cancel')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}
