import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Empty, Flex, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Activity, DueFollowUp, MyDay } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';
import { ActivityForm } from './ActivityPanel.js';
import { SummaryModal } from './VisitPlanPage.js';
import {
  CustomerPicker,
  PLAN_STATUS_COLORS,
  PlanActuals,
  StopActions,
  StopState,
  useRefreshVisits,
} from './visitPlanParts.js';

/**
 * 我的一天: a rep's landing on a phone — one column, big buttons. Logging a visit is "log a visit",
 * pick the customer (the day's stops and due customers are one tap), "save".
 */
export function MyDayPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const refresh = useRefreshVisits();
  const [logFor, setLogFor] = useState<string | 'pick' | null>(null);
  const [summarising, setSummarising] = useState(false);
  const day = useQuery({ queryKey: ['my-day'], queryFn: () => api.get<MyDay>('/my-day') });
  const due = useQuery({
    queryKey: ['due-follow-ups', 'mine', 'due', 'my-day'],
    queryFn: () => api.get<Page<DueFollowUp>>('/follow-ups/due', { who: 'mine', limit: 20 }),
    enabled: can('customers.read'),
  });
  if (day.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const data = day.data;
  const plan = data?.plan ?? null;
  const canLog = can('activities.create');

  async function submitPlan() {
    if (!plan) return;
    try {
      await api.post(`/visit-plans/${plan.id}/submit`, { version: plan.version });
      void message.success(t('visits.plan.submittedNow'));
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  async function finishTask(task: Activity) {
    try {
      await api.patch(`/activities/${task.id}`, {
        done: true,
        occurredAt: new Date().toISOString(),
        version: task.version,
      });
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  // One tap to the customers most likely visited now: the plan's stops, then the due ones.
  const quick = [
    ...(plan?.stops ?? []).map((s) => ({ id: s.customerId, name: s.customerName })),
    ...(due.data?.items ?? []).map((d) => ({ id: d.customerId, name: d.name })),
  ].filter((c, i, all) => all.findIndex((o) => o.id === c.id) === i);

  return (
    <div style={{ maxWidth: 640, margin: '0 auto' }}>
      <Flex justify="space-between" align="baseline" style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('visits.myDay.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{data?.date}</Typography.Text>
      </Flex>
      {canLog && (
        <Button
          type="primary"
          size="large"
          block
          style={{ height: 52, fontSize: 17, marginBottom: 16 }}
          onClick={() => setLogFor('pick')}
          data-testid="my-day-log-visit"
        >
          {t('visits.myDay.logVisit')}
        </Button>
      )}

      <Card
        size="small"
        title={t('visits.myDay.plan')}
        style={{ marginBottom: 16 }}
        extra={
          plan && (
            <Link to={`/visit-plans/${plan.id}`}>
              <Tag color={PLAN_STATUS_COLORS[plan.status]}>{t(`visits.status.${plan.status}`)}</Tag>
            </Link>
          )
        }
        data-testid="my-day-plan"
      >
        {!plan ? (
          <Empty description={t('visits.myDay.noPlan')}>
            {can('visit-plans.create') && data && (
              <Button
                type="primary"
                size="large"
                onClick={() => navigate(`/visit-plans/new?day=${data.date}`)}
                data-testid="my-day-plan-today"
              >
                {t('visits.myDay.planToday')}
              </Button>
            )}
          </Empty>
        ) : (
          <Flex vertical gap={12}>
            <PlanActuals plan={plan} />
            {plan.stops.map((s) => (
              <div
                key={s.id}
                style={{ borderTop: '1px solid rgba(5,5,5,0.06)', paddingTop: 12 }}
                data-testid="my-day-stop"
              >
                <Flex justify="space-between" align="baseline" gap={8}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {s.position}. <Link to={`/customers/${s.customerId}`}>{s.customerName}</Link>
                  </Typography.Text>
                  <span>
                    {s.plannedTime && <Tag>{s.plannedTime}</Tag>}
                    <StopState stop={s} />
                  </span>
                </Flex>
                <Typography.Paragraph type="secondary" style={{ margin: '2px 0 8px' }}>
                  {s.purpose}
                  {s.checkInAt && ` · ${t('visits.stop.checkInAt')} ${formatTime(s.checkInAt).slice(11)}`}
                </Typography.Paragraph>
                <StopActions plan={plan} stop={s} block />
              </div>
            ))}
            {plan.status !== 'done' && (
              <Flex gap={8}>
                {plan.status === 'draft' && plan.stops.length > 0 && (
                  <Button size="large" block onClick={submitPlan} data-testid="my-day-submit">
                    {t('visits.plan.submit')}
                  </Button>
                )}
                <Button size="large" block onClick={() => setSummarising(true)} data-testid="my-day-summary">
                  {t('visits.plan.complete')}
                </Button>
              </Flex>
            )}
            {plan.summary && (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {plan.summary}
              </Typography.Paragraph>
            )}
          </Flex>
        )}
      </Card>

      {can('customers.read') && (
        <Card
          size="small"
          title={t('visits.myDay.dueFollowUps')}
          style={{ marginBottom: 16 }}
          data-testid="my-day-due"
        >
          {(due.data?.items.length ?? 0) === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followUps.none')} />
          ) : (
            <Flex vertical gap={8}>
              {due.data?.items.map((d) => (
                <Flex key={d.customerId} justify="space-between" align="center" gap={8}>
                  <div style={{ minWidth: 0 }}>
                    {d.grade && <Tag>{d.grade}</Tag>}
                    <Link to={`/customers/${d.customerId}`}>{d.name}</Link>
                    <div>
                      {d.overdueDays > 0 ? (
                        <Typography.Text type="danger" style={{ fontSize: 12 }}>
                          {t('followUps.overdueDays', { count: d.overdueDays })}
                        </Typography.Text>
                      ) : (
                        <Typography.Text type="warning" style={{ fontSize: 12 }}>
                          {t('followUps.dueToday')}
                        </Typography.Text>
                      )}
                    </div>
                  </div>
                  {canLog && (
                    <Button size="large" onClick={() => setLogFor(d.customerId)} data-testid="my-day-due-log">
                      {t('followUps.log')}
                    </Button>
                  )}
                </Flex>
              ))}
              {(due.data?.total ?? 0) > (due.data?.items.length ?? 0) && (
                <Link to="/customers/due">{t('visits.myDay.allDue', { count: due.data?.total ?? 0 })}</Link>
              )}
            </Flex>
          )}
        </Card>
      )}

      <Card size="small" title={t('visits.myDay.openTasks')} data-testid="my-day-tasks">
        {(data?.openTasks.length ?? 0) === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('visits.myDay.noTasks')} />
        ) : (
          <Flex vertical gap={8}>
            {data?.openTasks.map((task) => (
              <Flex key={task.id} justify="space-between" align="center" gap={8}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong>{task.subject}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(task.occurredAt)} ·{' '}
                      {task.customerId ? (
                        <Link to={`/customers/${task.customerId}`}>{task.customerName}</Link>
                      ) : task.leadId ? (
                        <Link to={`/leads/${task.leadId}`}>{task.leadName}</Link>
                      ) : null}
                    </Typography.Text>
                  </div>
                </div>
                {can('activities.update') && (
                  <Button size="large" onClick={() => finishTask(task)} data-testid="my-day-task-done">
                    {t('visits.myDay.markDone')}
                  </Button>
                )}
              </Flex>
            ))}
          </Flex>
        )}
      </Card>

      {logFor === 'pick' && (
        <Drawer
          open
          onClose={() => setLogFor(null)}
          title={t('visits.myDay.logVisit')}
          size="min(480px, 100vw)"
          destroyOnHidden
        >
          <CustomerPicker onChange={(id) => setLogFor(id)} testId="my-day-customer" />
          {quick.length > 0 && (
            <>
              <Typography.Paragraph type="secondary" style={{ margin: '16px 0 8px' }}>
                {t('visits.myDay.quickPick')}
              </Typography.Paragraph>
              <Flex vertical gap={8}>
                {quick.map((c) => (
                  <Button
                    key={c.id}
                    size="large"
                    block
                    onClick={() => setLogFor(c.id)}
                    data-testid="my-day-quick-customer"
                  >
                    {c.name}
                  </Button>
                ))}
              </Flex>
            </>
          )}
        </Drawer>
      )}
      {logFor && logFor !== 'pick' && (
        <ActivityForm
          customerId={logFor}
          onClose={() => setLogFor(null)}
          onSaved={() => {
            setLogFor(null);
            refresh();
          }}
        />
      )}
      {summarising && plan && <SummaryModal plan={plan} onClose={() => setSummarising(false)} />}
    </div>
  );
}
