import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Rate,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AuditEntry, Complaint, ComplaintActionValue } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { UserSelect } from '../org/UserSelect.js';
import { ComplaintForm, SeverityTag, StatusTag, useCategoryLabel } from './ComplaintForm.js';

/** Overdue flag or the time left, for lists and the detail. */
export function SlaDue({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <span>{formatTime(complaint.slaDueAt)}</span>
      {complaint.overdue && (
        <Tag color="red" data-testid="complaint-overdue">
          {t('complaints.overdue')}
        </Tag>
      )}
    </Space>
  );
}

type Dialog = 'edit' | 'assign' | 'resolve' | 'reopen' | 'close' | null;

/** One complaint: its facts, the buttons its state allows, the resolution and satisfaction forms, its history. */
export function ComplaintDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const categoryLabel = useCategoryLabel();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: ['complaints', 'one', id],
    queryFn: () => api.get<Complaint>(`/complaints/${id}`),
  });
  const history = useQuery({
    queryKey: ['history', `/complaints/${id}/history`],
    queryFn: () => api.get<{ items: AuditEntry[] }>(`/complaints/${id}/history`),
  });
  const c = query.data;

  const changed = () => {
    setDialog(null);
    void client.invalidateQueries({ queryKey: ['complaints'] });
    void client.invalidateQueries({ queryKey: ['history', `/complaints/${id}/history`] });
    void client.invalidateQueries({ queryKey: ['customer-health'] });
    onChanged?.();
  };

  async function act(action: ComplaintActionValue | 'assign', body: Record<string, unknown> = {}) {
    if (!c) return false;
    setBusy(true);
    try {
      await api.post(`/complaints/${c.id}/${action}`, { ...body, version: c.version });
      void message.success(t(`complaints.done.${action}`));
      changed();
      return true;
    } catch (err) {
      showError(err, message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const has = (a: ComplaintActionValue) => !!c?.actions.includes(a);
  const live = c && c.status !== 'closed';

  return (
    <Drawer
      open
      onClose={onClose}
      size={600}
      title={c ? `${c.number} · ${c.subject}` : ''}
      loading={query.isLoading}
    >
      {query.error && <Alert type="error" title={(query.error as Error).message} />}
      {c && (
        <>
          <Space wrap style={{ marginBottom: 16 }}>
            {has('start') && can('complaints.update') && (
              <Button
                type="primary"
                loading={busy}
                onClick={() => void act('start')}
                data-testid="complaint-start"
              >
                {t('complaints.actions.start')}
              </Button>
            )}
            {has('resolve') && can('complaints.update') && (
              <Button type="primary" onClick={() => setDialog('resolve')} data-testid="complaint-resolve">
                {t('complaints.actions.resolve')}
              </Button>
            )}
            {has('close') && can('complaints.close') && (
              <Button type="primary" onClick={() => setDialog('close')} data-testid="complaint-close">
                {t('complaints.actions.close')}
              </Button>
            )}
            {has('reopen') && can('complaints.update') && (
              <Button onClick={() => setDialog('reopen')} data-testid="complaint-reopen">
                {t('complaints.actions.reopen')}
              </Button>
            )}
            {live && can('complaints.assign') && (
              <Button onClick={() => setDialog('assign')} data-testid="complaint-assign">
                {t('complaints.actions.assign')}
              </Button>
            )}
            {live && can('complaints.update') && (
              <Button onClick={() => setDialog('edit')} data-testid="complaint-edit">
                {t('common.edit')}
              </Button>
            )}
          </Space>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('complaints.status')}>
              <StatusTag status={c.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.customer')}>
              <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
              {c.contactName && <Typography.Text type="secondary"> · {c.contactName}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.severity')}>
              <SeverityTag severity={c.severity} />
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.category')}>
              {categoryLabel(c.category)}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.channel')}>
              {t(`complaints.channels.${c.channel}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.handler')}>
              {c.ownerName} · {c.orgUnitName}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.slaDueAt')}>
              <SlaDue complaint={c} />
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.description')}>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {c.description ?? '—'}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.receivedAt')}>
              {formatTime(c.createdAt)}
            </Descriptions.Item>
            {c.startedAt && (
              <Descriptions.Item label={t('complaints.startedAt')}>
                {formatTime(c.startedAt)}
              </Descriptions.Item>
            )}
            {c.resolution && (
              <Descriptions.Item label={t('complaints.resolution')}>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {c.resolution}
                </Typography.Paragraph>
                {c.resolvedAt && (
                  <Typography.Text type="secondary">{formatTime(c.resolvedAt)}</Typography.Text>
                )}
              </Descriptions.Item>
            )}
            {c.satisfaction !== null && (
              <Descriptions.Item label={t('complaints.satisfaction')}>
                <Rate disabled value={c.satisfaction} /> {formatTime(c.closedAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>{t('complaints.history')}</h4>
          <Timeline
            items={(history.data?.items ?? []).map((e) => ({
              key: e.id,
              content: (
                <>
                  <Typography.Text strong>
                    {t(`complaints.actions.${e.action}`, {
                      defaultValue: t(`audit.actions.${e.action}`, { defaultValue: e.action }),
                    })}
                  </Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    {e.actorId ? e.actorName : t('audit.system')} · {formatTime(e.at)}
                  </Typography.Text>
                </>
              ),
            }))}
          />
          {dialog === 'edit' && (
            <ComplaintForm complaint={c} onClose={() => setDialog(null)} onSaved={changed} />
          )}
          {dialog === 'resolve' && (
            <TextDialog
              title={t('complaints.actions.resolve')}
              label={t('complaints.resolution')}
              name="resolution"
              required
              busy={busy}
              onCancel={() => setDialog(null)}
              onOk={(resolution) => act('resolve', { resolution })}
            />
          )}
          {dialog === 'reopen' && (
            <TextDialog
              title={t('complaints.actions.reopen')}
              label={t('complaints.reopenReason')}
              name="reason"
              busy={busy}
              onCancel={() => setDialog(null)}
              onOk={(reason) => act('reopen', reason ? { reason } : {})}
            />
          )}
          {dialog === 'close' && (
            <CloseDialog
              busy={busy}
              onCancel={() => setDialog(null)}
              onOk={(satisfaction) => act('close', { satisfaction })}
            />
          )}
          {dialog === 'assign' && (
            <AssignDialog
              complaint={c}
              busy={busy}
              onCancel={() => setDialog(null)}
              onOk={(ownerId) => act('assign', { ownerId })}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

function TextDialog({
  title,
  label,
  name,
  required = false,
  busy,
  onCancel,
  onOk,
}: {
  title: string;
  label: string;
  name: string;
  required?: boolean;
  busy: boolean;
  onCancel: () => void;
  onOk: (text: string | undefined) => Promise<boolean>;
}) {
  const [form] = Form.useForm<Record<string, string>>();
  async function ok() {
    const values = await form.validateFields();
    await onOk(values[name]?.trim() || undefined);
  }
  return (
    <Modal
      open
      title={title}
      onCancel={onCancel}
      onOk={() => void ok()}
      okButtonProps={{ loading: busy, 'data-testid': `complaint-${name}-ok` }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name={name} label={label} rules={required ? [rules.required()] : []}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={name === 'reason' ? 500 : 5000}
            data-testid={`complaint-${name}`}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseDialog({
  busy,
  onCancel,
  onOk,
}: {
  busy: boolean;
  onCancel: () => void;
  onOk: (satisfaction: number) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ satisfaction: number }>();
  async function ok() {
    const { satisfaction } = await form.validateFields();
    await onOk(satisfaction);
  }
  return (
    <Modal
      open
      title={t('complaints.actions.close')}
      onCancel={onCancel}
      onOk={() => void ok()}
      okButtonProps={{ loading: busy, 'data-testid': 'complaint-close-ok' }}
    >
      <Typography.Paragraph type="secondary">{t('complaints.closeHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="satisfaction" label={t('complaints.satisfaction')} rules={[rules.required()]}>
          <Rate
            tooltips={[1, 2, 3, 4, 5].map((n) => t(`complaints.satisfactionLevels.${n}`))}
            data-testid="complaint-satisfaction"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AssignDialog({
  complaint,
  busy,
  onCancel,
  onOk,
}: {
  complaint: Complaint;
  busy: boolean;
  onCancel: () => void;
  onOk: (ownerId: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ ownerId: string }>();
  async function ok() {
    const { ownerId } = await form.validateFields();
    await onOk(ownerId);
  }
  return (
    <Modal
      open
      title={t('complaints.actions.assign')}
      onCancel={onCancel}
      onOk={() => void ok()}
      okButtonProps={{ loading: busy }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="ownerId" label={t('complaints.newHandler')} rules={[rules.required()]}>
          <UserSelect exclude={complaint.ownerId} testId="complaint-assign-owner" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
