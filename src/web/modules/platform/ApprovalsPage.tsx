import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApprovalRequestView } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { UserSelect } from '../org/UserSelect.js';
import { ApprovalStatusTag, ApprovalSteps } from './ApprovalTimeline.js';
import { useApprovalCounts } from './approvalData.js';

type Box = 'pending' | 'done' | 'submitted';

const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });

/** A fact as people read it: money in yuan from fen, percentages with %, yes/no. */
function factText(f: ApprovalRequestView['facts'][number], t: (key: string) => string): string {
  if (typeof f.value === 'boolean') return t(f.value ? 'common.yes' : 'common.no');
  if (f.type === 'money' && typeof f.value === 'number') return yuan.format(f.value / 100);
  if (f.type === 'percent') return `${f.value}%`;
  return String(f.value ?? '—');
}

/** My approvals: waiting for me, decided by me, submitted by me; a request opens in a drawer. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const [box, setBox] = useState<Box>('pending');
  const [delegating, setDelegating] = useState(false);
  const counts = useApprovalCounts();
  const { list, rows } = usePagedList<ApprovalRequestView>(
    ['approvals', 'list', box],
    '/approvals',
    { box },
    { limit: 30 },
  );

  const tab = (key: Box, count?: number) => ({
    key,
    label: (
      <Space size={6}>
        {t(`approvals.box.${key}`)}
        {!!count && <Badge count={count} size="small" />}
      </Space>
    ),
  });

  return (
    <>
      <PageHeader
        title={t('approvals.title')}
        hint={t('approvals.hint')}
        extra={
          <Button onClick={() => setDelegating(true)} data-testid="approvals-delegate">
            {t('approvals.delegation.button')}
          </Button>
        }
      />
      <Tabs
        activeKey={box}
        onChange={(k) => setBox(k as Box)}
        items={[tab('pending', counts.data?.pending), tab('done'), tab('submitted', counts.data?.submitted)]}
      />
      <Table
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: t(`approvals.empty.${box}`) }}
        onRow={(r) => ({ onClick: () => navigate(`/approvals/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('approvals.number'), dataIndex: 'number', width: 150 },
          {
            title: t('approvals.document'),
            render: (_, r) => (
              <>
                <Typography.Text strong>{r.title}</Typography.Text>
                <div>
                  <Typography.Text type="secondary">{r.docTypeLabel}</Typography.Text>
                </div>
              </>
            ),
          },
          { title: t('approvals.submitter'), render: (_, r) => r.submitter.name, width: 110 },
          {
            title: t('approvals.currentStep'),
            width: 140,
            render: (_, r) => r.steps.find((s) => s.status === 'pending')?.name ?? '—',
          },
          {
            title: t('approvals.statusLabel'),
            width: 100,
            render: (_, r) => <ApprovalStatusTag status={r.status} />,
          },
          { title: t('approvals.submittedAt'), width: 150, render: (_, r) => formatTime(r.createdAt) },
        ]}
        footer={() => <LoadMore list={list} />}
        data-testid="approvals-table"
      />
      {id && <ApprovalDrawer id={id} onClose={() => navigate('/approvals')} />}
      <DelegationsModal open={delegating} onClose={() => setDelegating(false)} />
    </>
  );
}

function ApprovalDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [acting, setActing] = useState<'approve' | 'reject' | 'return' | 'withdraw' | null>(null);
  const [form] = Form.useForm<{ comment?: string }>();
  const request = useQuery({
    queryKey: ['approvals', 'one', id],
    queryFn: () => api.get<ApprovalRequestView>(`/approvals/${id}`),
  });
  const r = request.data;
  const pendingStep = r?.steps.find((s) => s.status === 'pending');

  async function submit() {
    if (!r || !acting) return;
    const { comment } = await form.validateFields();
    try {
      const body = comment ? { comment } : {};
      const next =
        acting === 'withdraw'
          ? await api.post<ApprovalRequestView>(`/approvals/${r.id}/withdraw`, body)
          : await api.post<ApprovalRequestView>(`/approvals/${r.id}/${acting}`, {
              stepId: pendingStep?.id,
              ...body,
            });
      client.setQueryData(['approvals', 'one', id], next);
      await client.invalidateQueries({ queryKey: ['approvals'] });
      void message.success(t(`approvals.done.${acting}`));
      setActing(null);
      form.resetFields();
    } catch (err) {
      showError(err, message, form);
      await request.refetch();
    }
  }

  const needsComment = acting === 'reject' || acting === 'return';
  return (
    <Drawer
      open
      onClose={onClose}
      size={560}
      title={r ? `${r.number} · ${r.docTypeLabel}` : t('approvals.title')}
      loading={request.isPending}
      extra={r && <ApprovalStatusTag status={r.status} />}
      footer={
        r &&
        (r.canAct || r.canWithdraw) && (
          <Space wrap>
            {r.canAct && (
              <>
                <Button type="primary" onClick={() => setActing('approve')} data-testid="approval-approve">
                  {t('approvals.action.approve')}
                </Button>
                <Button onClick={() => setActing('return')} data-testid="approval-return">
                  {t('approvals.action.return')}
                </Button>
                <Button danger onClick={() => setActing('reject')} data-testid="approval-reject">
                  {t('approvals.action.reject')}
                </Button>
              </>
            )}
            {r.canWithdraw && (
              <Button onClick={() => setActing('withdraw')} data-testid="approval-withdraw">
                {t('approvals.action.withdraw')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {r && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {r.link ? <Link to={r.link}>{r.title}</Link> : r.title}
          </Typography.Title>
          <Descriptions
            size="small"
            column={1}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'submitter', label: t('approvals.submitter'), children: r.submitter.name },
              { key: 'at', label: t('approvals.submittedAt'), children: formatTime(r.createdAt) },
              { key: 'rule', label: t('approvals.rule'), children: r.ruleName ?? '—' },
              ...r.facts.map((f) => ({ key: `fact-${f.key}`, label: f.label, children: factText(f, t) })),
            ]}
          />
          <ApprovalSteps request={r} />
        </>
      )}
      <Modal
        open={!!acting}
        title={acting ? t(`approvals.action.${acting}`) : ''}
        onCancel={() => setActing(null)}
        onOk={submit}
        okText={t('common.confirm')}
        okButtonProps={{ danger: acting === 'reject', id: 'approval-confirm' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="comment"
            label={t('approvals.comment')}
            rules={needsComment ? [rules.required()] : []}
            extra={needsComment ? t('approvals.commentRequired') : undefined}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount data-testid="approval-comment" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

interface Delegation {
  id: string;
  user: { id: string; name: string };
  delegate: { id: string; name: string };
  startsAt: string;
  endsAt: string;
  reason: string;
}

/** While I am away, someone else may decide my approvals. */
function DelegationsModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ delegateId: string; range: [Dayjs, Dayjs]; reason?: string }>();
  const list = useQuery({
    queryKey: ['approvals', 'delegations'],
    queryFn: () => api.get<{ items: Delegation[] }>('/approval-delegations'),
    enabled: open,
  });

  async function create() {
    const v = await form.validateFields();
    try {
      await api.post('/approval-delegations', {
        delegateId: v.delegateId,
        startsAt: v.range[0].startOf('day').toISOString(),
        endsAt: v.range[1].endOf('day').toISOString(),
        reason: v.reason ?? '',
      });
      form.resetFields();
      await client.invalidateQueries({ queryKey: ['approvals'] });
    } catch (err) {
      showError(err, message, form);
    }
  }

  async function cancel(id: string) {
    try {
      await api.post(`/approval-delegations/${id}/cancel`);
      await client.invalidateQueries({ queryKey: ['approvals'] });
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('approvals.delegation.title')} width={600}>
      <Typography.Paragraph type="secondary">{t('approvals.delegation.hint')}</Typography.Paragraph>
      <List
        size="small"
        bordered
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('approvals.delegation.none') }}
        style={{ marginBottom: 16 }}
        renderItem={(d) => (
          <List.Item
            actions={[
              <Popconfirm
                key="cancel"
                title={t('approvals.delegation.cancelConfirm')}
                onConfirm={() => cancel(d.id)}
              >
                <Button size="small">{t('approvals.delegation.cancel')}</Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={t('approvals.delegation.line', { user: d.user.name, delegate: d.delegate.name })}
              description={`${formatTime(d.startsAt)} – ${formatTime(d.endsAt)}${d.reason ? ` · ${d.reason}` : ''}`}
            />
          </List.Item>
        )}
      />
      <Form form={form} layout="vertical" onFinish={create}>
        <Form.Item name="delegateId" label={t('approvals.delegation.delegate')} rules={[rules.required()]}>
          <UserSelect testId="delegation-delegate" />
        </Form.Item>
        <Form.Item name="range" label={t('approvals.delegation.period')} rules={[rules.required()]}>
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('approvals.delegation.reason')}>
          <Input maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('approvals.delegation.add')}
        </Button>
      </Form>
    </Modal>
  );
}
