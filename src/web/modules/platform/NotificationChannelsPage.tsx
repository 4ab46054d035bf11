import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  EmailChannel,
  NotificationDelivery,
  NotificationPreferences,
  NotificationWebhook,
} from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';

const KINDS = ['wecom', 'dingtalk', 'feishu'] as const;
const STATUS_COLOR = { pending: 'processing', sent: 'success', failed: 'error' } as const;

interface EmailValues {
  enabled: boolean;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password?: string;
  fromAddress: string;
  fromName: string;
  appUrl: string;
}

function EmailSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<EmailValues>();
  const email = useQuery({
    queryKey: ['notification-channels', 'email'],
    queryFn: () => api.get<EmailChannel>('/notification-channels/email'),
  });

  async function save(values: EmailValues) {
    try {
      const saved = await api.put<EmailChannel>('/notification-channels/email', {
        enabled: values.enabled,
        host: values.host ?? '',
        port: values.port,
        secure: values.secure,
        username: values.username ?? '',
        // An empty password box keeps the stored password.
        ...(values.password ? { password: values.password } : {}),
        fromAddress: values.fromAddress ?? '',
        fromName: values.fromName ?? '',
        appUrl: values.appUrl ?? '',
        version: email.data!.version,
      });
      client.setQueryData(['notification-channels', 'email'], saved);
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message, form);
    }
  }

  async function clearPassword() {
    try {
      const d = email.data!;
      const saved = await api.put<EmailChannel>('/notification-channels/email', {
        enabled: d.enabled,
        host: d.host,
        port: d.port,
        secure: d.secure,
        username: d.username,
        password: '',
        fromAddress: d.fromAddress,
        fromName: d.fromName,
        appUrl: d.appUrl,
        version: d.version,
      });
      client.setQueryData(['notification-channels', 'email'], saved);
    } catch (err) {
      showError(err, message);
    }
  }

  if (!email.data) return <Card loading />;
  const { passwordSet, version, ...initial } = email.data;
  return (
    <Card style={{ maxWidth: 640 }}>
      <Typography.Paragraph type="secondary">{t('notifications.email.hint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        key={version}
        initialValues={initial}
        onFinish={save}
        data-testid="email-settings-form"
      >
        <Form.Item name="enabled" label={t('notifications.email.enabled')} valuePropName="checked">
          <Switch data-testid="email-enabled" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="host" label={t('notifications.email.host')} style={{ width: 300 }}>
            <Input maxLength={200} placeholder="smtp.exmail.qq.com" data-testid="email-host" />
          </Form.Item>
          <Form.Item name="port" label={t('notifications.email.port')} rules={[rules.required()]}>
            <InputNumber min={1} max={65535} data-testid="email-port" />
          </Form.Item>
          <Form.Item
            name="secure"
            label={t('notifications.email.secure')}
            valuePropName="checked"
            tooltip={t('notifications.email.secureHint')}
          >
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="username" label={t('notifications.email.username')}>
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('notifications.email.password')}
          extra={passwordSet ? t('notifications.email.passwordKept') : undefined}
        >
          <Input.Password
            maxLength={500}
            autoComplete="new-password"
            placeholder={passwordSet ? '••••••••' : undefined}
            data-testid="email-password"
          />
        </Form.Item>
        {passwordSet && (
          <Button size="small" style={{ marginTop: -12, marginBottom: 16 }} onClick={clearPassword}>
            {t('notifications.email.clearPassword')}
          </Button>
        )}
        <Space wrap align="start">
          <Form.Item name="fromAddress" label={t('notifications.email.fromAddress')} rules={[rules.email()]}>
            <Input maxLength={200} style={{ width: 280 }} placeholder="noreply@example.com" />
          </Form.Item>
          <Form.Item name="fromName" label={t('notifications.email.fromName')}>
            <Input maxLength={100} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name="appUrl"
          label={t('notifications.email.appUrl')}
          extra={t('notifications.email.appUrlHint')}
        >
          <Input maxLength={1000} placeholder="https://crm.example.com" />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="email-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

interface RobotValues {
  name: string;
  kind: (typeof KINDS)[number];
  url?: string;
  secret?: string;
  events?: string[];
  enabled: boolean;
}

function Robots() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<RobotValues>();
  const [editing, setEditing] = useState<NotificationWebhook | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const robots = useQuery({
    queryKey: ['notification-webhooks'],
    queryFn: () => api.get<{ items: NotificationWebhook[] }>('/notification-webhooks'),
  });
  // The event types come from the preferences list, which names every defined event.
  const events = useQuery({
    queryKey: ['notification-preferences'],
    queryFn: () => api.get<NotificationPreferences>('/notification-preferences'),
  });
  const eventOptions = events.data?.items.map((e) => ({ value: e.event, label: e.label })) ?? [];
  const labelOf = (event: string) => eventOptions.find((o) => o.value === event)?.label ?? event;

  async function submit(values: RobotValues) {
    setSaving(true);
    try {
      const body = {
        name: values.name,
        kind: values.kind,
        ...(values.url ? { url: values.url } : {}),
        ...(values.secret !== undefined && values.secret !== '' ? { secret: values.secret } : {}),
        events: values.events ?? [],
        enabled: values.enabled,
      };
      if (editing === 'new') await api.post('/notification-webhooks', body);
      else if (editing)
        await api.patch(`/notification-webhooks/${editing.id}`, { ...body, version: editing.version });
      setEditing(null);
      await robots.refetch();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  function remove(robot: NotificationWebhook) {
    modal.confirm({
      title: t('notifications.robots.deleteConfirm', { name: robot.name }),
      okButtonProps: { danger: true },
      okText: t('common.delete'),
      onOk: async () => {
        await api.delete(`/notification-webhooks/${robot.id}`).catch((err) => showError(err, message));
        await robots.refetch();
      },
    });
  }

  return (
    <Card
      extra={
        <Button
          onClick={() => {
            form.resetFields();
            setEditing('new');
          }}
          data-testid="robot-add"
        >
          {t('notifications.robots.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('notifications.robots.hint')}</Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        loading={robots.isPending}
        dataSource={robots.data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('notifications.robots.name'), dataIndex: 'name' },
          {
            title: t('notifications.robots.kind'),
            dataIndex: 'kind',
            render: (k: string) => t(`notifications.robots.kinds.${k}`),
          },
          { title: t('notifications.robots.url'), dataIndex: 'url', render: (u: string) => <code>{u}</code> },
          {
            title: t('notifications.robots.signed'),
            dataIndex: 'secretSet',
            render: (s: boolean) => (s ? t('common.yes') : t('common.no')),
          },
          {
            title: t('notifications.robots.events'),
            dataIndex: 'events',
            render: (es: string[]) =>
              es.length
                ? es.map((e) => <Tag key={e}>{labelOf(e)}</Tag>)
                : t('notifications.robots.allEvents'),
          },
          {
            title: t('common.status'),
            dataIndex: 'enabled',
            render: (on: boolean) =>
              on ? (
                <Tag color="success">{t('notifications.robots.on')}</Tag>
              ) : (
                <Tag>{t('notifications.robots.off')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  type="link"
                  onClick={() => {
                    form.setFieldsValue({
                      name: r.name,
                      kind: r.kind,
                      events: r.events,
                      enabled: r.enabled,
                      url: '',
                      secret: '',
                    });
                    setEditing(r);
                  }}
                >
                  {t('common.edit')}
                </Button>
                <Button size="small" type="link" danger onClick={() => remove(r)}>
                  {t('common.delete')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={editing === 'new' ? t('notifications.robots.add') : t('common.edit')}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving, 'data-testid': 'robot-save' }}
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ kind: 'wecom', enabled: true, events: [] }}
          data-testid="robot-form"
        >
          <Form.Item name="name" label={t('notifications.robots.name')} rules={[rules.required()]}>
            <Input maxLength={100} data-testid="robot-name" />
          </Form.Item>
          <Form.Item name="kind" label={t('notifications.robots.kind')}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`notifications.robots.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item
            name="url"
            label={t('notifications.robots.url')}
            rules={editing === 'new' ? [rules.required()] : []}
            extra={editing !== 'new' ? t('notifications.robots.urlKept') : t('notifications.robots.urlHint')}
          >
            <Input maxLength={1000} autoComplete="off" data-testid="robot-url" />
          </Form.Item>
          <Form.Item
            name="secret"
            label={t('notifications.robots.secret')}
            extra={
              editing !== 'new' && editing?.secretSet
                ? t('notifications.robots.secretKept')
                : t('notifications.robots.secretHint')
            }
          >
            <Input.Password maxLength={500} autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="events"
            label={t('notifications.robots.events')}
            extra={t('notifications.robots.eventsHint')}
          >
            <Select mode="multiple" allowClear options={eventOptions} optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="enabled" label={t('notifications.robots.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function Deliveries() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string | undefined>('failed');
  const [channel, setChannel] = useState<string | undefined>();
  const { list, rows } = usePagedList<NotificationDelivery>(
    ['notification-deliveries', status, channel],
    '/notification-deliveries',
    { status, channel },
  );

  async function retry(d: NotificationDelivery) {
    try {
      await api.post(`/notification-deliveries/${d.id}/retry`);
      void message.success(t('notifications.deliveries.retried'));
      await list.refetch();
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <Card>
      <Typography.Paragraph type="secondary">{t('notifications.deliveries.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          value={status}
          onChange={setStatus}
          placeholder={t('common.status')}
          style={{ width: 140 }}
          options={(['pending', 'sent', 'failed'] as const).map((s) => ({
            value: s,
            label: t(`notifications.deliveries.statuses.${s}`),
          }))}
          data-testid="deliveries-status"
        />
        <Select
          allowClear
          value={channel}
          onChange={setChannel}
          placeholder={t('notifications.deliveries.channel')}
          style={{ width: 140 }}
          options={(['email', 'webhook'] as const).map((c) => ({
            value: c,
            label: t(`notifications.channels.${c}`),
          }))}
        />
        <Button onClick={() => list.refetch()}>{t('notifications.deliveries.refresh')}</Button>
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        data-testid="deliveries-table"
        columns={[
          {
            title: t('notifications.deliveries.createdAt'),
            dataIndex: 'createdAt',
            render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at)}</span>,
          },
          { title: t('notifications.deliveries.message'), dataIndex: 'title', ellipsis: true },
          { title: t('notifications.deliveries.recipient'), dataIndex: 'recipientName' },
          {
            title: t('notifications.deliveries.channel'),
            key: 'channel',
            render: (_, d) =>
              d.channel === 'webhook' ? (d.webhookName ?? '—') : t('notifications.channels.email'),
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: NotificationDelivery['status']) => (
              <Tag color={STATUS_COLOR[s]}>{t(`notifications.deliveries.statuses.${s}`)}</Tag>
            ),
          },
          { title: t('notifications.deliveries.attempts'), dataIndex: 'attempts', width: 80 },
          {
            title: t('notifications.deliveries.next'),
            dataIndex: 'nextAttemptAt',
            render: (at: string | null) => formatTime(at),
          },
          {
            title: t('notifications.deliveries.lastError'),
            dataIndex: 'lastError',
            ellipsis: true,
            render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) =>
              d.status !== 'sent' && (
                <Button size="small" type="link" onClick={() => retry(d)} data-testid="delivery-retry">
                  {t('notifications.deliveries.retry')}
                </Button>
              ),
          },
        ]}
        footer={() => <LoadMore list={list} />}
      />
    </Card>
  );
}

/** The administrator's page: mail server, chat robots, and what was sent or is failing. */
export function NotificationChannelsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();

  async function sendTest() {
    try {
      await api.post('/notifications/test');
      void message.success(t('notifications.testSent'));
      await client.invalidateQueries({ queryKey: ['notifications'] });
      await client.invalidateQueries({ queryKey: ['notification-deliveries'] });
    } catch (err) {
      showError(err, message);
    }
  }

  return (
    <>
      <PageHeader
        title={t('notifications.admin.title')}
        hint={t('notifications.admin.hint')}
        extra={
          <Button onClick={sendTest} data-testid="notification-send-test">
            {t('notifications.sendTest')}
          </Button>
        }
      />
      <Tabs
        items={[
          { key: 'email', label: t('notifications.channels.email'), children: <EmailSettings /> },
          { key: 'robots', label: t('notifications.channels.webhook'), children: <Robots /> },
          { key: 'deliveries', label: t('notifications.deliveries.title'), children: <Deliveries /> },
        ]}
      />
    </>
  );
}
