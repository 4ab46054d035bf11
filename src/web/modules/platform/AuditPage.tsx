import { DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { UserSelect } from '../org/UserSelect.js';
import { Changes } from './Changes.js';

/** What the platform audits today; business modules add their entities and actions here. */
const ENTITIES = [
  'user',
  'org_unit',
  'role',
  'api_token',
  'company_settings',
  'approval_request',
  'approval_policy',
  'approval_delegation',
  'job',
  'job_schedule',
  'import',
  'notification_settings',
  'notification_webhook',
  'notification_delivery',
  'notification_preferences',
];
const ACTIONS = [
  'create',
  'update',
  'delete',
  'archive',
  'set_territories',
  'disable',
  'enable',
  'reset_password',
  'change_password',
  'update_profile',
  'revoke',
  'login',
  'logout',
  'login_failed',
  'account_locked',
  'grant_new_permissions',
  'load_demo',
  'submit',
  'approve',
  'reject',
  'return',
  'withdraw',
  'cancel',
  'retry',
  'run',
  'start',
  'finish',
  'fail',
  'attachment_upload',
  'attachment_download',
  'attachment_delete',
];

interface Filters {
  actorId?: string;
  entity?: string;
  action?: string;
  q?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The audit log with filters by who, what and when; rows expand to show the changes. */
export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const query = {
    actorId: filters.actorId,
    entity: filters.entity,
    action: filters.action,
    q: filters.q,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
  };
  const { list: log, rows } = usePagedList<AuditEntry>(['audit', query], '/audit-log', query);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <>
      <PageHeader title={t('menu.audit')} hint={t('audit.hint')} />
      <Space wrap style={{ marginBottom: 12 }} data-testid="audit-filters">
        <UserSelect
          anyStatus
          placeholder={t('audit.actor')}
          style={{ width: 200 }}
          onChange={(actorId) => set({ actorId: actorId ?? undefined })}
          value={filters.actorId}
          testId="audit-actor"
        />
        <Select
          allowClear
          placeholder={t('audit.entity')}
          style={{ width: 150 }}
          options={ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))}
          onChange={(entity) => set({ entity })}
          data-testid="audit-entity"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.action')}
          style={{ width: 150 }}
          options={ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
          onChange={(action) => set({ action })}
          data-testid="audit-action"
        />
        <DatePicker.RangePicker onChange={(range) => set({ range })} style={{ maxWidth: 280 }} />
        <Input.Search
          allowClear
          placeholder={t('audit.search')}
          onSearch={(q) => set({ q })}
          style={{ width: 220 }}
        />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={log.isPending}
        dataSource={rows}
        pagination={false}
        expandable={{
          expandedRowRender: (e) => (
            <>
              <Changes changes={e.changes} action={e.action} />
              <Typography.Paragraph
                type="secondary"
                style={{ margin: '6px 0 0', fontSize: 12, wordBreak: 'break-all' }}
              >
                {t('audit.entityId')}: <code>{e.entityId}</code> · {t('audit.requestId')}:{' '}
                <code>{e.requestId ?? '—'}</code>
              </Typography.Paragraph>
            </>
          ),
        }}
        columns={[
          {
            title: t('audit.at'),
            dataIndex: 'at',
            render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at)}</span>,
          },
          {
            title: t('audit.actor'),
            dataIndex: 'actorName',
            render: (name: string, e) => (e.actorId ? name : t('audit.system')),
          },
          {
            title: t('audit.action'),
            key: 'action',
            render: (_, e) => (
              <span>
                {t(`audit.actions.${e.action}`, { defaultValue: e.action })}
                <Typography.Text type="secondary">
                  {' · '}
                  {t(`audit.entities.${e.entity}`, { defaultValue: e.entity })}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t('audit.summary'),
            key: 'summary',
            ellipsis: true,
            responsive: ['md'],
            render: (_, e) =>
              Object.keys(e.changes)
                .map((f) => t(`auditFields.${f}`, { defaultValue: f }))
                .join(t('common.listSeparator')),
          },
          {
            title: t('audit.entityId'),
            dataIndex: 'entityId',
            ellipsis: true,
            width: 140,
            responsive: ['lg'],
            render: (id: string) => <code title={id}>{id}</code>,
          },
        ]}
        footer={() => <LoadMore list={log} />}
      />
    </>
  );
}
