import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  Opportunity,
  OpportunityDetail,
  Pipeline,
  PipelineStage,
  SalesSettings,
} from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import i18n from '../../app/i18n.js';
import { rules } from '../../app/rules.js';

const cny = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 });
/** Fen as ¥12,800 (display only). */
export const yuanShort = (fen: number) => cny.format(Math.round(fen / 100));

/** A stage, pipeline or reason label in the reader's language. */
export const localName = (x: { nameZh: string; nameEn: string }) =>
  i18n.language === 'en' ? x.nameEn : x.nameZh;
export const stageLabel = (o: Pick<Opportunity, 'stageNameZh' | 'stageNameEn'>) =>
  i18n.language === 'en' ? o.stageNameEn : o.stageNameZh;

export function usePipelines() {
  return useQuery({ queryKey: ['pipelines'], queryFn: () => api.get<{ items: Pipeline[] }>('/pipelines') });
}
export function useSalesSettings() {
  return useQuery({ queryKey: ['sales-settings'], queryFn: () => api.get<SalesSettings>('/sales-settings') });
}

const STATUS_COLORS = { open: 'processing', won: 'success', lost: 'default' } as const;
export function OpportunityStatusTag({ o }: { o: Pick<Opportunity, 'status' | 'stalled'> }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={STATUS_COLORS[o.status]}>{t(`opportunities.statuses.${o.status}`)}</Tag>
      {o.stalled && <Tag color="warning">{t('opportunities.stalled')}</Tag>}
    </>
  );
}

interface Blocked {
  opportunity: Pick<Opportunity, 'id' | 'version'>;
  to: PipelineStage | 'win';
  from: PipelineStage;
  detail: string;
  items: string[];
  fields: string[];
}

/**
 * Stage moves as the board and the detail page make them: POST /move (or /win); when the server
 * answers 422 it shows what is missing — the checklist items to tick here and retry, and the
 * fields to fill in on the opportunity first.
 */
export function useStageMove(pipeline: Pipeline | undefined, onDone: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [ticks, setTicks] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['opportunities'] });
    void client.invalidateQueries({ queryKey: ['opportunity'] });
    onDone();
  };

  async function attempt(
    o: Pick<Opportunity, 'id' | 'version' | 'stageId'>,
    to: PipelineStage | 'win',
    checklist: Record<string, boolean> = {},
  ) {
    const from = pipeline?.stages.find((s) => s.id === o.stageId);
    setBusy(true);
    try {
      if (to === 'win') await api.post(`/opportunities/${o.id}/win`, { version: o.version, checklist });
      else await api.post(`/opportunities/${o.id}/move`, { stageId: to.id, version: o.version, checklist });
      setBlocked(null);
      setTicks([]);
      void message.success(t('opportunities.moved'));
      refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && from) {
        const items = err.errors.filter((e) => e.path.startsWith('checklist.')).map((e) => e.path.slice(10));
        setBlocked({
          opportunity: o,
          to,
          from,
          detail: err.detail ?? err.title,
          items,
          fields: err.errors.filter((e) => !e.path.startsWith('checklist.')).map((e) => e.path),
        });
        setTicks(Object.keys(checklist).filter((k) => checklist[k]));
      } else {
        showError(err, message);
        refresh();
      }
    } finally {
      setBusy(false);
    }
  }

  const modal = blocked && (
    <Modal
      open
      title={t('opportunities.blockedTitle', { stage: localName(blocked.from) })}
      okText={t('opportunities.retryMove')}
      okButtonProps={{ disabled: blocked.fields.length > 0, loading: busy, 'data-testid': 'move-retry' }}
      onOk={() =>
        void attempt(
          { ...blocked.opportunity, stageId: blocked.from.id },
          blocked.to,
          Object.fromEntries(ticks.map((k) => [k, true])),
        )
      }
      onCancel={() => setBlocked(null)}
    >
      <Typography.Paragraph>{blocked.detail}</Typography.Paragraph>
      {blocked.items.length > 0 && (
        <Checkbox.Group
          value={ticks}
          onChange={(v) => setTicks(v as string[])}
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          data-testid="move-checklist"
          options={blocked.from.checklist.map((c) => ({
            value: c.key,
            label: `${i18n.language === 'en' ? c.textEn : c.textZh}${c.required ? ' *' : ''}`,
          }))}
        />
      )}
      {blocked.fields.length > 0 && (
        <Typography.Paragraph type="warning" style={{ marginTop: 12 }}>
          {t('opportunities.fillFieldsFirst', {
            fields: blocked.fields.map((f) => t(`opportunities.requiredFields.${f}`)).join(', '),
          })}
        </Typography.Paragraph>
      )}
    </Modal>
  );
  return { attempt, modal, busy };
}

/** 输单: the reason (from the configurable list) is required; the competitor it went to is optional. */
export function LoseDialog({
  opportunity,
  onClose,
}: {
  opportunity: Pick<OpportunityDetail, 'id' | 'version'> | null;
  onClose: (changed: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const settings = useSalesSettings();
  const [saving, setSaving] = useState(false);
  async function submit(values: { reasonCode: string; competitorLostTo?: string; note?: string }) {
    if (!opportunity) return;
    setSaving(true);
    try {
      await api.post(`/opportunities/${opportunity.id}/lose`, { ...values, version: opportunity.version });
      form.resetFields();
      onClose(true);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open={!!opportunity}
      title={t('opportunities.lose')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okButtonProps={{ danger: true, loading: saving, 'data-testid': 'lose-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="reasonCode" label={t('opportunities.lossReason')} rules={[rules.required()]}>
          <Select
            data-testid="lose-reason"
            options={(settings.data?.lossReasons ?? []).map((r) => ({
              value: r.code,
              label: i18n.language === 'en' ? r.labelEn : r.labelZh,
            }))}
          />
        </Form.Item>
        <Form.Item name="competitorLostTo" label={t('opportunities.competitorLostTo')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="note" label={t('opportunities.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A loss reason code shown in the reader's language. */
export function useLossReasonLabel() {
  const settings = useSalesSettings();
  return (code: string | null) => {
    if (!code) return '';
    const r = settings.data?.lossReasons.find((x) => x.code === code);
    return r ? (i18n.language === 'en' ? r.labelEn : r.labelZh) : code;
  };
}
