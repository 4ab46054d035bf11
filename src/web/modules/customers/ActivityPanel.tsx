import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  Popconfirm,
  Segmented,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Activity, ActivityTypeValue } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';

export const ACTIVITY_TYPES: ActivityTypeValue[] = ['visit', 'call', 'message', 'email', 'meeting', 'task'];
const TYPE_COLORS: Record<ActivityTypeValue, string> = {
  visit: 'green',
  call: 'blue',
  message: 'cyan',
  email: 'geekblue',
  meeting: 'purple',
  task: 'orange',
};

interface QuickValues {
  type: ActivityTypeValue;
  subject: string;
  notes?: string;
  outcome?: string;
  nextStep?: string;
  nextStepAt?: Dayjs | null;
  /** When it happened: now by default; an earlier visit can be logged afterwards. */
  occurredAt?: Dayjs;
  done?: boolean;
}

/**
 * The activity timeline of one customer or lead, newest first, with a "log activity" quick form.
 * The form is one phone screen: the type defaults to a visit and the subject is prefilled, so
 * logging a visit is two taps.
 */
export function ActivityPanel({ customerId, leadId }: { customerId?: string; leadId?: string }) {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Activity | 'new' | null>(null);
  const filter = { customerId, leadId };
  const { list, rows } = usePagedList<Activity>(['activities', filter], '/activities', filter, {
    limit: 20,
    enabled: !!(customerId || leadId),
  });

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['activities'] });
    void client.invalidateQueries({ queryKey: ['customers'] });
    void client.invalidateQueries({ queryKey: ['leads'] });
    void client.invalidateQueries({ queryKey: ['due-follow-ups'] });
  };

  async function remove(a: Activity) {
    try {
      await api.delete(`/activities/${a.id}`);
      refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  const myId = me?.user.id;
  return (
    <div data-testid="activity-panel">
      <Space style={{ marginBottom: 16 }}>
        {can('activities.create') && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="activity-log">
            {t('activities.log')}
          </Button>
        )}
      </Space>
      {rows.length === 0 && !list.isLoading ? (
        <Empty description={t('activities.none')} />
      ) : (
        <Timeline
          items={rows.map((a) => ({
            key: a.id,
            color: TYPE_COLORS[a.type],
            title: formatTime(a.occurredAt),
            content: (
              <div data-testid="activity-item">
                <Space wrap size={4}>
                  <Tag color={TYPE_COLORS[a.type]}>{t(`activities.types.${a.type}`)}</Tag>
                  <Typography.Text strong>{a.subject}</Typography.Text>
                  {a.type === 'task' && !a.done && <Tag>{t('activities.open')}</Tag>}
                  {a.contactName && <Typography.Text type="secondary">· {a.contactName}</Typography.Text>}
                  <Typography.Text type="secondary">· {a.ownerName ?? '—'}</Typography.Text>
                </Space>
                {a.notes && (
                  <Typography.Paragraph style={{ margin: '4px 0' }}>{a.notes}</Typography.Paragraph>
                )}
                {a.outcome && (
                  <div>
                    <Typography.Text type="secondary">{t('activities.outcome')}: </Typography.Text>
                    {a.outcome}
                  </div>
                )}
                {a.nextStep && (
                  <div>
                    <Typography.Text type="secondary">{t('activities.nextStep')}: </Typography.Text>
                    {a.nextStep}
                    {a.nextStepAt && ` (${formatTime(a.nextStepAt)})`}
                  </div>
                )}
                {a.ownerId === myId && (
                  <Space size={0}>
                    {can('activities.update') && (
                      <Button type="link" size="small" onClick={() => setEditing(a)}>
                        {t('common.edit')}
                      </Button>
                    )}
                    {can('activities.delete') && (
                      <Popconfirm title={t('activities.confirmDelete')} onConfirm={() => remove(a)}>
                        <Button type="link" size="small" danger>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                )}
              </div>
            ),
          }))}
        />
      )}
      {list.hasNextPage || rows.length > 0 ? <LoadMore list={list} /> : null}
      {editing && (
        <ActivityForm
          customerId={customerId}
          leadId={leadId}
          activity={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </div>
  );
}

export function ActivityForm({
  customerId,
  leadId,
  activity,
  onClose,
  onSaved,
}: {
  customerId?: string | undefined;
  leadId?: string | undefined;
  activity?: Activity | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<QuickValues>();
  const [saving, setSaving] = useState(false);
  const type = Form.useWatch('type', form) ?? activity?.type ?? 'visit';
  const subjectFor = (ty: ActivityTypeValue) => t(`activities.defaultSubject.${ty}`);

  async function save(values: QuickValues) {
    setSaving(true);
    const common = {
      type: values.type,
      subject: values.subject,
      notes: values.notes || undefined,
      outcome: values.outcome || undefined,
      nextStep: values.nextStep || undefined,
      nextStepAt: values.nextStepAt ? values.nextStepAt.toISOString() : undefined,
      occurredAt: values.occurredAt ? values.occurredAt.toISOString() : undefined,
      ...(values.type === 'task' ? { done: !!values.done } : {}),
    };
    try {
      if (activity) {
        await api.patch(`/activities/${activity.id}`, {
          ...common,
          notes: values.notes || null,
          outcome: values.outcome || null,
          nextStep: values.nextStep || null,
          nextStepAt: values.nextStepAt ? values.nextStepAt.toISOString() : null,
          version: activity.version,
        });
      } else {
        await api.post('/activities', { ...common, customerId, leadId });
      }
      void message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open
      onClose={onClose}
      title={activity ? t('activities.edit') : t('activities.log')}
      size="min(480px, 100vw)"
      destroyOnHidden
      styles={{ body: { paddingTop: 12 } }}
    >
      <Form
        form={form}
        layout="vertical"
        size="middle"
        onFinish={save}
        requiredMark={false}
        initialValues={
          activity
            ? {
                ...activity,
                notes: activity.notes ?? undefined,
                outcome: activity.outcome ?? undefined,
                nextStep: activity.nextStep ?? undefined,
                nextStepAt: activity.nextStepAt ? dayjs(activity.nextStepAt) : null,
                occurredAt: dayjs(activity.occurredAt),
              }
            : { type: 'visit', subject: subjectFor('visit'), done: false, occurredAt: dayjs() }
        }
        onValuesChange={(changed: Partial<QuickValues>) => {
          // A new record's subject follows the type until the user writes their own.
          if (!activity && changed.type) {
            const current = form.getFieldValue('subject') as string | undefined;
            if (!current || ACTIVITY_TYPES.some((ty) => subjectFor(ty) === current))
              form.setFieldValue('subject', subjectFor(changed.type));
          }
        }}
      >
        <Form.Item name="type" style={{ marginBottom: 12 }}>
          <Segmented
            block
            data-testid="activity-type"
            options={ACTIVITY_TYPES.map((ty) => ({ value: ty, label: t(`activities.types.${ty}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="subject"
          label={t('activities.subject')}
          rules={[rules.required()]}
          style={{ marginBottom: 12 }}
        >
          <Input maxLength={200} data-testid="activity-subject" />
        </Form.Item>
        <Form.Item name="notes" label={t('activities.notes')} style={{ marginBottom: 12 }}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={5000}
            data-testid="activity-notes"
          />
        </Form.Item>
        <Form.Item name="occurredAt" label={t('activities.occurredAt')} style={{ marginBottom: 12 }}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowClear={false}
            style={{ width: '100%' }}
            data-testid="activity-occurred-at"
          />
        </Form.Item>
        <Form.Item name="outcome" label={t('activities.outcome')} style={{ marginBottom: 12 }}>
          <Input maxLength={500} data-testid="activity-outcome" />
        </Form.Item>
        <Space.Compact block style={{ marginBottom: 12 }}>
          <Form.Item name="nextStep" noStyle>
            <Input maxLength={500} placeholder={t('activities.nextStep')} data-testid="activity-next-step" />
          </Form.Item>
          <Form.Item name="nextStepAt" noStyle>
            <DatePicker
              placeholder={t('activities.nextStepAt')}
              style={{ width: 150 }}
              inputReadOnly
              data-testid="activity-next-step-at"
            />
          </Form.Item>
        </Space.Compact>
        {type === 'task' && (
          <Form.Item name="done" valuePropName="checked" style={{ marginBottom: 12 }}>
            <Checkbox>{t('activities.done')}</Checkbox>
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="activity-save">
          {t('common.save')}
        </Button>
      </Form>
    </Drawer>
  );
}
