import { Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { useOrgUnits, useRoles } from './orgData.js';
import { UnitTreeSelect } from './UnitTreeSelect.js';

export interface UserFilters {
  q?: string;
  orgUnitId?: string;
  status?: 'active' | 'disabled';
  role?: string;
}

/**
 * The users in my data scope with a filter bar and keyset "load more". The directory shows it
 * read-only; the administration page adds actions.
 */
export function UserList({
  actions,
  orgUnitId,
  onOrgUnitIdChange,
}: {
  actions?: (user: User) => ReactNode;
  /** Set when the page picks the unit itself (the directory's org tree). */
  orgUnitId?: string;
  onOrgUnitIdChange?: (id: string | undefined) => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const screens = Grid.useBreakpoint();
  const [own, setFilters] = useState<UserFilters>({});
  const filters = onOrgUnitIdChange ? { ...own, orgUnitId } : own;
  const units = useOrgUnits(false, can('org.read'));
  const roles = useRoles(!!actions && can('roles.read'));
  const { list, rows } = usePagedList<User>(['users', filters], '/users', { ...filters });
  const set = (patch: Partial<UserFilters>) => {
    if ('orgUnitId' in patch && onOrgUnitIdChange) onOrgUnitIdChange(patch.orgUnitId);
    setFilters((f) => ({ ...f, ...patch }));
  };

  const columns: ColumnsType<User> = [
    {
      title: t('user.name'),
      dataIndex: 'name',
      render: (name: string, u) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{name}</Typography.Text>
          <Typography.Text type="secondary">{u.username}</Typography.Text>
          {/* On a phone the mobile column is hidden; a tap-to-call link takes its place. */}
          {!screens.md && u.phone && <a href={`tel:${u.phone}`}>{u.phone}</a>}
        </Space>
      ),
    },
    { title: t('user.orgUnit'), dataIndex: 'orgUnitName' },
    { title: t('user.position'), dataIndex: 'position', responsive: ['md'] },
    {
      title: t('user.phone'),
      dataIndex: 'phone',
      responsive: ['md'],
      render: (phone: string | null) => (phone ? <a href={`tel:${phone}`}>{phone}</a> : '—'),
    },
    { title: t('user.email'), dataIndex: 'email', responsive: ['lg'] },
    { title: t('user.manager'), dataIndex: 'managerName', responsive: ['lg'] },
    {
      title: t('user.roles'),
      key: 'roles',
      responsive: ['sm'],
      render: (_, u) =>
        u.roles.map((r) => <Tag key={r.id}>{i18n.language === 'zh-CN' ? r.nameZh : r.nameEn}</Tag>),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: string, u) => (
        <Space size={4} wrap>
          <Tag color={s === 'active' ? 'green' : 'default'}>{t(`user.statuses.${s}`)}</Tag>
          {u.lockedUntil && new Date(u.lockedUntil) > new Date() && (
            <Tag color="orange">{t('user.locked')}</Tag>
          )}
        </Space>
      ),
    },
    ...(actions
      ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, u: User) => actions(u) }]
      : []),
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap data-testid="user-filters">
        <Input.Search
          allowClear
          placeholder={t('user.search')}
          onSearch={(q) => set({ q })}
          style={{ width: 200 }}
          data-testid="user-search"
        />
        {units.data && (
          <UnitTreeSelect
            allowClear
            placeholder={t('user.orgUnit')}
            units={units.data.items}
            value={filters.orgUnitId}
            onChange={(id) => set({ orgUnitId: id })}
            style={{ width: 180 }}
            data-testid="user-filter-org-unit"
          />
        )}
        <Select
          allowClear
          placeholder={t('common.status')}
          style={{ width: 120 }}
          onChange={(status) => set({ status })}
          options={['active', 'disabled'].map((s) => ({ value: s, label: t(`user.statuses.${s}`) }))}
        />
        {roles.data && (
          <Select
            allowClear
            placeholder={t('user.roles')}
            style={{ width: 140 }}
            onChange={(role) => set({ role })}
            options={roles.data.items.map((r) => ({
              value: r.key,
              label: i18n.language === 'zh-CN' ? r.nameZh : r.nameEn,
            }))}
          />
        )}
        <ExportButton path="/users" filters={{ ...filters }} testId="user-export" />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        footer={() => <LoadMore list={list} />}
      />
    </Space>
  );
}
