import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, User } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { LoadMore } from '../../app/LoadMore.js';
import { Changes } from './Changes.js';

const ENTITIES = ['user', 'org_unit', 'role', 'api_token', 'company_settings'];

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
  const actors = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => api.get<Page<User>>('/users', { limit: 500 }),
  });
  const query = {
    actorId: filters.actorId,
    entity: filters.entity,
    action: filters.action,
    q: filters.q,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
  };
  const log = useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntry>>('/audit-log', { ...query, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('menu.audit')}</Typography.Title>
      <Space wrap>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.actor')}
          style={{ width: 180 }}
          options={actors.data?.items.map((u) => ({ value: u.id, label: `${u.name} (${u.username})` }))}
          onChange={(actorId) => set({ actorId })}
        />
        <Select
          allowClear
          placeholder={t('audit.entity')}
          style={{ width: 160 }}
          options={ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))}
          onChange={(entity) => set({ entity })}
        />
        <Input.Search
          allowClear
          placeholder={t('audit.search')}
          onSearch={(q) => set({ q })}
          style={{ width: 200 }}
        />
        <DatePicker.RangePicker onChange={(range) => set({ range })} />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={log.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 960 }}
        expandable={{
          expandedRowRender: (e) => <Changes changes={e.changes} />,
          rowExpandable: (e) => Object.keys(e.changes).length > 0,
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
            dataIndex: 'action',
            render: (a: string) => t(`audit.actions.${a}`, { defaultValue: a }),
          },
          {
            title: t('audit.entity'),
            dataIndex: 'entity',
            render: (e: string) => t(`audit.entities.${e}`, { defaultValue: e }),
          },
          { title: t('audit.entityId'), dataIndex: 'entityId', ellipsis: true, responsive: ['md'] },
          { title: t('audit.requestId'), dataIndex: 'requestId', ellipsis: true, responsive: ['lg'] },
        ]}
        footer={() => <LoadMore list={log} />}
      />
    </Space>
  );
}
