import { Button, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { TFunction } from 'i18next';
import type { ApiToken } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';

/** Token table columns, shared by "my tokens" and the administrators' list. */
export function tokenColumns(
  t: TFunction,
  revoke: (token: ApiToken) => void,
  withOwner: boolean,
): ColumnsType<ApiToken> {
  return [
    { title: t('tokens.name'), dataIndex: 'name' },
    ...(withOwner ? [{ title: t('tokens.owner'), dataIndex: 'userName' }] : []),
    { title: t('tokens.prefix'), dataIndex: 'prefix', render: (p: string) => <code>{p}…</code> },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: formatTime },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')),
    },
    {
      title: t('tokens.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      render: (v: string | null) => (v ? formatTime(v) : '—'),
    },
    {
      title: t('common.status'),
      key: 'status',
      render: (_, token) =>
        token.revokedAt ? <Tag>{t('tokens.revoked')}</Tag> : <Tag color="green">{t('tokens.active')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        !token.revokedAt && (
          <Button size="small" danger onClick={() => revoke(token)}>
            {t('tokens.revoke')}
          </Button>
        ),
    },
  ];
}
