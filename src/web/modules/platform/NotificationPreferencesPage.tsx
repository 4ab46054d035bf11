import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Switch, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationPreferences } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';

type Row = NotificationPreferences['items'][number];
const CHANNELS = ['inApp', 'email', 'webhook'] as const;

/** My channels per event type: in the app, by email, in the team's chat robot. */
export function NotificationPreferencesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const prefs = useQuery({
    queryKey: ['notification-preferences'],
    queryFn: () => api.get<NotificationPreferences>('/notification-preferences'),
  });
  const [rows, setRows] = useState<Row[]>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (prefs.data) setRows(prefs.data.items);
  }, [prefs.data]);

  const toggle = (event: string, channel: (typeof CHANNELS)[number], on: boolean) =>
    setRows((rs) => rs.map((r) => (r.event === event ? { ...r, [channel]: on } : r)));

  async function save() {
    setSaving(true);
    try {
      const saved = await api.put<NotificationPreferences>('/notification-preferences', {
        items: rows.map(({ event, inApp, email, webhook }) => ({ event, inApp, email, webhook })),
      });
      client.setQueryData(['notification-preferences'], saved);
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <PageHeader title={t('notifications.preferences')} hint={t('notifications.preferencesHint')} />
      <Card
        extra={
          <Button type="primary" loading={saving} onClick={save} data-testid="preferences-save">
            {t('common.save')}
          </Button>
        }
      >
        <Table
          rowKey="event"
          size="small"
          loading={prefs.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: true }}
          data-testid="preferences-table"
          columns={[
            { title: t('notifications.event'), dataIndex: 'label' },
            ...CHANNELS.map((channel) => ({
              title: t(`notifications.channels.${channel}`),
              key: channel,
              width: 120,
              render: (_: unknown, r: Row) => (
                <Switch
                  size="small"
                  checked={r[channel]}
                  onChange={(on) => toggle(r.event, channel, on)}
                  data-testid={`pref-${r.event}-${channel}`}
                />
              ),
            })),
          ]}
        />
      </Card>
    </>
  );
}
