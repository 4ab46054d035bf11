import { useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DueFollowUp } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ActivityForm } from './ActivityPanel.js';

const GRADE_COLORS = { A: 'red', B: 'orange', C: 'blue' } as const;

/** 待跟进: customers due today or overdue by their grade's cadence — mine, or my team's. */
export function DueFollowUpsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const client = useQueryClient();
  const [who, setWho] = useState<'mine' | 'team'>('mine');
  const [when, setWhen] = useState<'due' | 'overdue'>('due');
  const [logging, setLogging] = useState<string | null>(null);
  const { list, rows } = usePagedList<DueFollowUp>(['due-follow-ups', who, when], '/follow-ups/due', {
    who,
    when,
  });
  // A team view only makes sense for those who see others' customers.
  const canTeam = can('customers.assign');

  const columns: ColumnsType<DueFollowUp> = [
    {
      title: t('followUps.customer'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={4}>
          {r.grade && <Tag color={GRADE_COLORS[r.grade]}>{r.grade}</Tag>}
          <Link to={`/customers/${r.customerId}`}>{name}</Link>
        </Space>
      ),
    },
    {
      title: t('followUps.dueAt'),
      dataIndex: 'followUpDueAt',
      render: (at: string, r) => (
        <Space orientation="vertical" size={0}>
          <span>{formatTime(at)}</span>
          {r.overdueDays > 0 ? (
            <Typography.Text type="danger">
              {t('followUps.overdueDays', { count: r.overdueDays })}
            </Typography.Text>
          ) : (
            <Typography.Text type="warning">{t('followUps.dueToday')}</Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('followUps.lastFollowUp'),
      dataIndex: 'lastFollowUpAt',
      responsive: ['md'],
      render: (at: string | null) => formatTime(at),
    },
    ...(who === 'team'
      ? [
          {
            title: t('followUps.owner'),
            dataIndex: 'ownerName',
            render: (name: string, r: DueFollowUp) => `${name} · ${r.orgUnitName}`,
          },
        ]
      : []),
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, r) =>
        can('activities.create') && (
          <Button size="small" type="primary" onClick={() => setLogging(r.customerId)} data-testid="due-log">
            {t('followUps.log')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('followUps.title')} hint={t('followUps.hint')} />
      <Space wrap style={{ marginBottom: 12 }}>
        {canTeam && (
          <Segmented
            value={who}
            onChange={(v) => setWho(v as 'mine' | 'team')}
            options={[
              { value: 'mine', label: t('followUps.mine') },
              { value: 'team', label: t('followUps.team') },
            ]}
            data-testid="due-who"
          />
        )}
        <Segmented
          value={when}
          onChange={(v) => setWhen(v as 'due' | 'overdue')}
          options={[
            { value: 'due', label: t('followUps.dueAndOverdue') },
            { value: 'overdue', label: t('followUps.overdueOnly') },
          ]}
        />
      </Space>
      <Table
        rowKey="customerId"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('followUps.none')} /> }}
        footer={() => <LoadMore list={list} />}
        data-testid="due-table"
      />
      {logging && (
        <ActivityForm
          customerId={logging}
          onClose={() => setLogging(null)}
          onSaved={() => {
            setLogging(null);
            void client.invalidateQueries({ queryKey: ['due-follow-ups'] });
            void client.invalidateQueries({ queryKey: ['activities'] });
          }}
        />
      )}
    </>
  );
}
