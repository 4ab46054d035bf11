import { BellOutlined, SettingOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Dropdown, Empty, Flex, List, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Notification } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { formatTime } from '../../app/format.js';

/** How often the header asks for the unread count; focusing the window asks at once. */
const POLL_MS = 30_000;

export const unreadCountKey = ['notifications', 'unread-count'];

/** My unread count, polled; the bell and the workbench share it. */
export function useUnreadCount() {
  return useQuery({
    queryKey: unreadCountKey,
    queryFn: () => api.get<{ count: number }>('/notifications/unread-count'),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** Marks a notification read and opens what it is about; shared by the bell and the inbox page. */
export function useOpenNotification() {
  const navigate = useNavigate();
  const client = useQueryClient();
  return async (n: Notification) => {
    if (!n.read) {
      await api.post(`/notifications/${n.id}/read`).catch(() => undefined);
      await client.invalidateQueries({ queryKey: ['notifications'] });
    }
    // Links are in-app paths (the server refuses others); anything else stays put.
    if (n.link?.startsWith('/') && !n.link.startsWith('//')) navigate(n.link);
  };
}

/** The bell in the header: unread count kept fresh without a reload, the latest few on click. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const open = useOpenNotification();
  const [dropdownOpen, setDropdownOpen] = useState(false);
  const unread = useUnreadCount();
  const latest = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => api.get<Page<Notification>>('/notifications', { limit: 8 }),
    enabled: dropdownOpen,
  });
  const count = unread.data?.count ?? 0;

  async function readAll() {
    await api.post('/notifications/read-all').catch(() => undefined);
    await client.invalidateQueries({ queryKey: ['notifications'] });
  }

  const panel = (
    <div
      style={{
        width: 360,
        maxWidth: 'calc(100vw - 24px)',
        background: '#fff',
        borderRadius: 8,
        boxShadow: '0 6px 16px rgba(0,0,0,0.12)',
      }}
      data-testid="notification-panel"
    >
      <Flex
        justify="space-between"
        align="center"
        style={{ padding: '10px 12px', borderBottom: '1px solid #f0f0f0' }}
      >
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Flex gap={4}>
          <Button
            size="small"
            type="link"
            disabled={count === 0}
            onClick={readAll}
            data-testid="notification-read-all"
          >
            {t('notifications.readAll')}
          </Button>
          <Button
            size="small"
            type="text"
            icon={<SettingOutlined />}
            aria-label={t('notifications.preferences')}
            onClick={() => {
              setDropdownOpen(false);
              navigate('/me/notifications');
            }}
          />
        </Flex>
      </Flex>
      <div style={{ maxHeight: 400, overflow: 'auto' }}>
        {latest.isPending ? (
          <Spin style={{ display: 'block', margin: 24 }} />
        ) : latest.data?.items.length ? (
          <List
            size="small"
            dataSource={latest.data.items}
            renderItem={(n) => (
              <List.Item
                style={{ cursor: 'pointer', padding: '8px 12px', background: n.read ? undefined : '#f0f7ff' }}
                onClick={async () => {
                  setDropdownOpen(false);
                  await open(n);
                }}
                data-testid="notification-item"
              >
                <List.Item.Meta
                  title={
                    <Typography.Text strong={!n.read} ellipsis>
                      {n.title}
                    </Typography.Text>
                  }
                  description={
                    <>
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                        {n.body}
                      </Typography.Paragraph>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(n.createdAt)}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
        )}
      </div>
      <div style={{ borderTop: '1px solid #f0f0f0', textAlign: 'center', padding: 6 }}>
        <Button
          type="link"
          onClick={() => {
            setDropdownOpen(false);
            navigate('/notifications');
          }}
          data-testid="notification-view-all"
        >
          {t('notifications.viewAll')}
        </Button>
      </div>
    </div>
  );

  return (
    <Dropdown
      trigger={['click']}
      open={dropdownOpen}
      onOpenChange={(next) => {
        setDropdownOpen(next);
        if (next) void unread.refetch();
      }}
      popupRender={() => panel}
      placement="bottomRight"
    >
      <Button
        type="text"
        aria-label={t('notifications.bellLabel', { count })}
        data-testid="notification-bell"
      >
        <Badge count={count} size="small" overflowCount={99} data-testid="notification-count">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Dropdown>
  );
}
