import { useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, List, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Notification } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useOpenNotification } from './NotificationBell.js';

/** My inbox: everything or only the unread, newest first; a click marks read and opens the record. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const open = useOpenNotification();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const { list, rows } = usePagedList<Notification>(
    ['notifications', 'inbox', filter],
    '/notifications',
    { unread: filter === 'unread' ? true : undefined },
    { limit: 30 },
  );

  async function readAll() {
    try {
      const { marked } = await api.post<{ marked: number }>('/notifications/read-all');
      void message.success(t('notifications.marked', { count: marked }));
      await client.invalidateQueries({ queryKey: ['notifications'] });
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        hint={t('notifications.hint')}
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/me/notifications')}>{t('notifications.preferences')}</Button>
            <Button type="primary" onClick={readAll} data-testid="inbox-read-all">
              {t('notifications.readAll')}
            </Button>
          </Space>
        }
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={filter}
        onChange={(v) => setFilter(v as 'all' | 'unread')}
        options={[
          { value: 'all', label: t('notifications.all') },
          { value: 'unread', label: t('notifications.unread') },
        ]}
        data-testid="inbox-filter"
      />
      <List
        bordered
        loading={list.isPending}
        dataSource={rows}
        style={{ background: '#fff' }}
        locale={{ emptyText: t('notifications.empty') }}
        renderItem={(n) => (
          <List.Item
            style={{ cursor: n.link || !n.read ? 'pointer' : undefined }}
            onClick={() => open(n)}
            data-testid="inbox-item"
            extra={
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
                {formatTime(n.createdAt)}
              </Typography.Text>
            }
          >
            <List.Item.Meta
              avatar={<Badge status={n.read ? 'default' : 'processing'} />}
              title={<Typography.Text strong={!n.read}>{n.title}</Typography.Text>}
              description={n.body}
            />
          </List.Item>
        )}
        footer={<LoadMore list={list} />}
      />
    </>
  );
}
