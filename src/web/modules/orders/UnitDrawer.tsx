import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Unit, UnitActionValue, UnitEvent } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';
import { formatTotal, formatYuan, UnitStatusTag } from './UnitParts.js';

/** A modal asking for the reason of a release-control move (hold, release, reverse a sale). */
export function ReasonModal({
  title,
  onSubmit,
  onClose,
}: {
  title: string;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  async function submit() {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await onSubmit(reason);
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'unit-reason-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('units.reason')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input.TextArea rows={3} data-testid="unit-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const PERMISSION: Record<UnitActionValue, string> = {
  hold: 'units.hold',
  release: 'units.hold',
  reserve: 'units.hold',
  cancel: 'units.hold',
  sell: 'units.manage',
  reverse_sale: 'units.manage',
};

/** One unit: its facts, what its state allows, and its history of moves. */
export function UnitDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const unit = useQuery({ queryKey: ['unit', id], queryFn: () => api.get<Unit>(`/units/${id}`) });
  const events = useQuery({
    queryKey: ['unit', id, 'events'],
    queryFn: () => api.get<UnitEvent[]>(`/units/${id}/events`),
  });
  const [asking, setAsking] = useState<UnitActionValue | null>(null);
  const [reserving, setReserving] = useState(false);
  const u = unit.data;

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['unit', id] });
    void client.invalidateQueries({ queryKey: ['unit-grid'] });
    void client.invalidateQueries({ queryKey: ['units'] });
    void client.invalidateQueries({ queryKey: ['unit-sell-through'] });
  };
  async function run(action: UnitActionValue, reason?: string) {
    if (!u) return;
    const ref = [{ id: u.id, version: u.version }];
    if (action === 'hold') await api.post('/units/hold', { units: ref, reason });
    if (action === 'release') await api.post('/units/release', { units: ref, reason });
    if (action === 'cancel') await api.post(`/units/${u.id}/cancel-reservation`, { reason });
    if (action === 'sell') await api.post(`/units/${u.id}/sell`, {});
    if (action === 'reverse_sale')
      await api.post(`/units/${u.id}/reverse-sale`, { reason, version: u.version });
    void message.success(t('common.saved'));
    refresh();
  }

  return (
    <Drawer
      open
      onClose={onClose}
      width={520}
      title={u ? `${u.building ? `${u.building} ` : ''}${u.number}` : t('units.unit')}
      data-testid="unit-drawer"
    >
      {!u ? (
        <Spin />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Space wrap>
            <UnitStatusTag status={u.status} />
            {u.actions
              .filter((a) => can(PERMISSION[a]))
              .map((a) => (
                <Button
                  key={a}
                  size="small"
                  danger={a === 'reverse_sale'}
                  data-testid={`unit-action-${a}`}
                  onClick={async () => {
                    if (a === 'reserve') setReserving(true);
                    else if (a === 'sell') await run('sell').catch((err: unknown) => showError(err, message));
                    else setAsking(a);
                  }}
                >
                  {t(`units.actions.${a}`)}
                </Button>
              ))}
          </Space>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('units.project')}>{u.projectName}</Descriptions.Item>
            {u.vin && (
              <Descriptions.Item label={t('units.vin')}>
                {u.vin}
                {u.vinCheckDigitOk === false && (
                  <Typography.Text type="warning"> {t('units.vinCheckDigitWarning')}</Typography.Text>
                )}
              </Descriptions.Item>
            )}
            {u.floor !== null && <Descriptions.Item label={t('units.floor')}>{u.floor}</Descriptions.Item>}
            <Descriptions.Item label={t('units.unitType')}>{u.unitType ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('units.grade')}>{u.grade}</Descriptions.Item>
            {u.area && <Descriptions.Item label={t('units.area')}>{u.area} ㎡</Descriptions.Item>}
            {u.spec && <Descriptions.Item label={t('units.spec')}>{u.spec}</Descriptions.Item>}
            {u.orientation && (
              <Descriptions.Item label={t('units.orientation')}>{u.orientation}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('units.listPrice')}>
              {formatTotal(u.listPrice, i18n.language)}
            </Descriptions.Item>
            {u.unitPrice !== null && (
              <Descriptions.Item label={t('units.unitPrice')}>
                {formatYuan(u.unitPrice, i18n.language)} / ㎡
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('units.stage')}>{u.stage ?? '—'}</Descriptions.Item>
            {u.status === 'held' && (
              <Descriptions.Item label={t('units.holdReason')}>
                {u.holdReason}
                {u.heldByName && ` · ${u.heldByName}`} · {formatTime(u.heldAt)}
              </Descriptions.Item>
            )}
            {u.reservationKey && (
              <Descriptions.Item label={t('units.reservation')}>
                {u.reservationKey}
                {u.reservationSourceId && ` · ${u.reservationSourceId}`} · {formatTime(u.reservedAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('units.history')}</Typography.Title>
            <Timeline
              data-testid="unit-history"
              items={(events.data ?? []).map((e) => ({
                key: e.id,
                children: (
                  <>
                    <Typography.Text strong>
                      {t(`units.events.${e.action}`, { defaultValue: e.action })}
                    </Typography.Text>
                    {e.fromStatus && e.fromStatus !== e.toStatus && (
                      <Typography.Text type="secondary">
                        {' '}
                        {t(`units.statuses.${e.fromStatus}`)} → {t(`units.statuses.${e.toStatus}`)}
                      </Typography.Text>
                    )}
                    <div>
                      <Typography.Text type="secondary">
                        {e.actorName} · {formatTime(e.at)}
                      </Typography.Text>
                    </div>
                    {e.reason && <div>{e.reason}</div>}
                  </>
                ),
              }))}
            />
          </div>
        </Space>
      )}
      {asking && (
        <ReasonModal
          title={t(`units.actions.${asking}`)}
          onClose={() => setAsking(null)}
          onSubmit={(reason) => run(asking, reason)}
        />
      )}
      {reserving && u && <ReserveModal unit={u} onClose={() => setReserving(false)} onDone={refresh} />}
    </Drawer>
  );
}

/** 认购: the subscription number is the reservation's key (a retry with it changes nothing). */
function ReserveModal({ unit, onClose, onDone }: { unit: Unit; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ key: string; sourceId?: string }>();
  const [busy, setBusy] = useState(false);
  async function submit() {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/units/${unit.id}/reserve`, {
        key: values.key,
        sourceType: 'subscription',
        sourceId: values.sourceId || undefined,
      });
      void message.success(t('common.saved'));
      onDone();
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={t('units.actions.reserve')} onCancel={onClose} onOk={submit} confirmLoading={busy}>
      <Form form={form} layout="vertical">
        <Form.Item
          name="key"
          label={t('units.reservationKey')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input placeholder="RG-2026-0001" data-testid="unit-reserve-key" />
        </Form.Item>
        <Form.Item name="sourceId" label={t('units.reservationBuyer')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
