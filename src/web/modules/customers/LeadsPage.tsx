import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { DuplicateCandidate, Lead, User } from '../../../contracts/index.js';
import { ApiError, api, type Page } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { useCustomFieldDescriptions } from '../platform/CustomFields.js';
import { ExportButton } from '../platform/ExportButton.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { ActivityPanel } from './ActivityPanel.js';
import { LeadFormModal, useLeadSources } from './LeadForm.js';

const STATUSES = ['new', 'working', 'converted', 'disqualified'] as const;
const STATUS_COLOR: Record<Lead['status'], string> = {
  new: 'blue',
  working: 'processing',
  converted: 'success',
  disqualified: 'default',
};

interface Filters {
  q?: string;
  status?: string;
  source?: string;
  minScore?: number;
  maxScore?: number;
}

/** "source:exhibition" → "来源：展会 +20" in the user's language. */
export function useReasonLabel() {
  const { t } = useTranslation();
  return (rule: string) => {
    const [kind, ...rest] = rule.split(':');
    const detail = rest.join(':');
    const value =
      kind === 'source'
        ? t(`leads.sources.${detail}`, { defaultValue: detail })
        : kind === 'field'
          ? t(`leads.fields.${detail}`, { defaultValue: detail })
          : kind === 'intent'
            ? t(`leads.intent.${detail}`, { defaultValue: detail })
            : detail;
    return t(`leads.reasons.${kind}`, { value, defaultValue: rule });
  };
}

/** Leads in my scope: filters, score with its reasons, assign, disqualify, convert. */
export function LeadsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { id: openId } = useParams();
  const client = useQueryClient();
  const sources = useLeadSources();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<Lead>(['leads', filters], '/leads', { ...filters });
  const refresh = () => void client.invalidateQueries({ queryKey: ['leads'] });

  const columns: ColumnsType<Lead> = [
    {
      title: t('leads.fields.personName'),
      key: 'name',
      render: (_: unknown, l) => (
        <Link to={`/leads/${l.id}`} data-testid={`lead-row-${l.id}`}>
          {l.personName ?? l.companyName ?? l.mobile ?? l.email}
          {l.personName && l.companyName ? <span style={{ color: '#888' }}> · {l.companyName}</span> : null}
        </Link>
      ),
    },
    {
      title: t('leads.score'),
      dataIndex: 'score',
      width: 120,
      render: (score: number) => <Progress percent={score} size="small" format={(p) => p} />,
    },
    {
      title: t('leads.fields.source'),
      dataIndex: 'source',
      responsive: ['md'],
      render: (s: string | null) => (s ? t(`leads.sources.${s}`, { defaultValue: s }) : '—'),
    },
    {
      title: t('leads.status'),
      dataIndex: 'status',
      render: (s: Lead['status'], l) => (
        <>
          <Tag color={STATUS_COLOR[s]}>{t(`leads.statuses.${s}`)}</Tag>
          {l.duplicateOfId && <Tag color="orange">{t('leads.returning')}</Tag>}
        </>
      ),
    },
    {
      title: t('leads.owner'),
      key: 'owner',
      responsive: ['sm'],
      render: (_: unknown, l) => l.ownerName ?? <Tag>{t('leads.inPool', { unit: l.orgUnitName })}</Tag>,
    },
    { title: t('leads.createdAt'), dataIndex: 'createdAt', responsive: ['lg'], render: formatTime },
  ];

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        hint={t('leads.hint')}
        extra={
          <Space wrap>
            {can('leads.create') && <ImportButton entity="leads" onImported={refresh} />}
            <ExportButton path="/leads" filters={{ ...filters }} testId="leads-export" />
            {can('leads.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="lead-new"
              >
                {t('leads.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('leads.search')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('leads.status')}
            style={{ width: 130 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="source">
          <Select
            allowClear
            placeholder={t('leads.fields.source')}
            style={{ width: 130 }}
            options={sources}
          />
        </Form.Item>
        <Form.Item name="minScore">
          <InputNumber min={0} max={100} placeholder={t('leads.minScore')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="maxScore">
          <InputNumber min={0} max={100} placeholder={t('leads.maxScore')} style={{ width: 110 }} />
        </Form.Item>
      </Form>
      <Table rowKey="id" columns={columns} dataSource={rows} loading={list.isLoading} pagination={false} />
      <LoadMore list={list} />
      <LeadFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(lead) => {
          setCreating(false);
          refresh();
          if (can('leads.read')) navigate(`/leads/${lead.id}`);
        }}
      />
      {openId && <LeadDrawer id={openId} onClose={() => navigate('/leads')} onChanged={refresh} />}
    </>
  );
}

function LeadDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const reason = useReasonLabel();
  const client = useQueryClient();
  const lead = useQuery({ queryKey: ['leads', 'one', id], queryFn: () => api.get<Lead>(`/leads/${id}`) });
  const [dialog, setDialog] = useState<'edit' | 'assign' | 'disqualify' | 'convert' | null>(null);
  const l = lead.data;
  const changed = () => {
    setDialog(null);
    void client.invalidateQueries({ queryKey: ['leads'] });
    onChanged();
  };
  const open = l && (l.status === 'new' || l.status === 'working');
  const details = Object.entries(l?.captureDetails ?? {}).filter(([, v]) => v !== null && v !== '');
  const custom = useCustomFieldDescriptions('lead', l?.customFields ?? {});

  return (
    <Drawer
      open
      onClose={onClose}
      width={560}
      title={l ? (l.personName ?? l.companyName ?? l.mobile) : ''}
      loading={lead.isLoading}
    >
      {lead.error && <Alert type="error" title={(lead.error as Error).message} />}
      {l && (
        <>
          <Space wrap style={{ marginBottom: 16 }}>
            {open && can('leads.update') && (
              <Button onClick={() => setDialog('edit')} data-testid="lead-edit">
                {t('common.edit')}
              </Button>
            )}
            {open && can('leads.assign') && (
              <Button onClick={() => setDialog('assign')} data-testid="lead-assign">
                {t('leads.assign')}
              </Button>
            )}
            {open && can('leads.convert') && (
              <Button type="primary" onClick={() => setDialog('convert')} data-testid="lead-convert">
                {t('leads.convert')}
              </Button>
            )}
            {open && can('leads.update') && (
              <Button danger onClick={() => setDialog('disqualify')} data-testid="lead-disqualify">
                {t('leads.disqualify')}
              </Button>
            )}
          </Space>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('leads.status')}>
              <Tag color={STATUS_COLOR[l.status]}>{t(`leads.statuses.${l.status}`)}</Tag>
              {l.disqualifyReason}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.owner')}>
              {l.ownerName ?? t('leads.inPool', { unit: l.orgUnitName })}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.companyName')}>
              {l.companyName ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.mobile')}>{l.mobile ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.email')}>{l.email ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.source')}>
              {l.source ? t(`leads.sources.${l.source}`, { defaultValue: l.source }) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.channel')}>
              {t(`leads.channels.${l.captureChannel}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.intentLevel')}>
              {l.intentLevel ? t(`leads.intent.${l.intentLevel}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.needs')}>{l.needs ?? '—'}</Descriptions.Item>
            {custom.map((f) => (
              <Descriptions.Item key={f.key} label={f.label}>
                {f.children}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('leads.createdAt')}>{formatTime(l.createdAt)}</Descriptions.Item>
            {l.duplicateOfId && (
              <Descriptions.Item label={t('leads.returning')}>
                <Link to={`/leads/${l.duplicateOfId}`} data-testid="lead-duplicate-of">
                  {t('leads.openEarlier')}
                </Link>
              </Descriptions.Item>
            )}
            {l.convertedCustomerId && (
              <Descriptions.Item label={t('leads.statuses.converted')}>
                <Link to={`/customers/${l.convertedCustomerId}`}>{t('leads.openCustomer')}</Link>
              </Descriptions.Item>
            )}
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>
            {t('leads.score')}: {l.score}
          </h4>
          <List
            size="small"
            dataSource={l.scoreReasons}
            locale={{ emptyText: t('leads.noReasons') }}
            renderItem={(r) => (
              <List.Item
                extra={
                  <Tag color={r.points >= 0 ? 'green' : 'red'}>
                    {r.points > 0 ? `+${r.points}` : r.points}
                  </Tag>
                }
              >
                {reason(r.rule)}
              </List.Item>
            )}
          />
          {details.length > 0 && (
            <>
              <h4 style={{ marginTop: 16 }}>{t(`leads.channels.${l.captureChannel}`)}</h4>
              <Descriptions column={1} size="small">
                {details.map(([k, v]) => (
                  <Descriptions.Item key={k} label={t(`leads.details.${k}`, { defaultValue: k })}>
                    {k === 'ageBand'
                      ? t(`leads.ageBands.${String(v)}`)
                      : k.endsWith('At') && typeof v === 'string'
                        ? formatTime(v)
                        : String(v)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </>
          )}
          <h4 style={{ marginTop: 16 }}>{t('leads.followUps')}</h4>
          <ActivityPanel leadId={l.id} />
          <LeadFormModal
            open={dialog === 'edit'}
            lead={l}
            onClose={() => setDialog(null)}
            onSaved={changed}
          />
          {dialog === 'assign' && <AssignDialog lead={l} onClose={() => setDialog(null)} onDone={changed} />}
          {dialog === 'disqualify' && (
            <DisqualifyDialog lead={l} onClose={() => setDialog(null)} onDone={changed} />
          )}
          {dialog === 'convert' && (
            <ConvertDialog lead={l} onClose={() => setDialog(null)} onDone={changed} />
          )}
        </>
      )}
    </Drawer>
  );
}

function AssignDialog({ lead, onClose, onDone }: { lead: Lead; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ ownerId: string }>();
  const [q, setQ] = useState('');
  const users = useQuery({
    queryKey: ['users', 'assign', q],
    queryFn: () => api.get<Page<User>>('/users', { q, status: 'active', limit: 20 }),
  });
  async function save() {
    const { ownerId } = await form.validateFields();
    try {
      await api.post(`/leads/${lead.id}/assign`, { ownerId, version: lead.version });
      void message.success(t('leads.assigned'));
      onDone();
    } catch (err) {
      showError(err, message, form);
    }
  }
  return (
    <Modal open title={t('leads.assign')} onCancel={onClose} onOk={() => void save()}>
      <Form form={form} layout="vertical">
        <Form.Item name="ownerId" label={t('leads.newOwner')} rules={[rules.required()]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            data-testid="lead-assign-owner"
            options={(users.data?.items ?? []).map((u) => ({
              value: u.id,
              label: `${u.name}（${u.orgUnitName}）`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DisqualifyDialog({
  lead,
  onClose,
  onDone,
}: {
  lead: Lead;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  async function save() {
    const { reason } = await form.validateFields();
    try {
      await api.post(`/leads/${lead.id}/disqualify`, { reason, version: lead.version });
      onDone();
    } catch (err) {
      showError(err, message, form);
    }
  }
  return (
    <Modal
      open
      title={t('leads.disqualify')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ danger: true }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('leads.disqualifyReason')} rules={[rules.required()]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="lead-disqualify-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Convert: the server checks for duplicates first; with candidates the person picks one of them
 * or confirms a new customer.
 */
function ConvertDialog({ lead, onClose, onDone }: { lead: Lead; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [candidates, setCandidates] = useState<DuplicateCandidate[] | null>(null);
  const [choice, setChoice] = useState<string>('new');
  const [busy, setBusy] = useState(false);
  const name = lead.companyName ?? lead.personName ?? '';

  async function convert() {
    setBusy(true);
    try {
      const body =
        candidates === null
          ? { version: lead.version }
          : choice === 'new'
            ? { confirmNew: true, version: lead.version }
            : { customerId: choice, version: lead.version };
      await api.post(`/leads/${lead.id}/convert`, body);
      void message.success(t('leads.converted'));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'lead_duplicates') {
        const found = await api.get<{ items: DuplicateCandidate[] }>('/customers/duplicates', {
          name,
          phone: lead.mobile,
        });
        setCandidates(found.items);
      } else showError(err, message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={t('leads.convert')}
      onCancel={onClose}
      onOk={() => void convert()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'lead-convert-ok' }}
    >
      {candidates === null ? (
        <p>{t('leads.convertHint', { name })}</p>
      ) : (
        <>
          <Alert type="warning" showIcon title={t('leads.duplicatesFound', { count: candidates.length })} />
          <Radio.Group value={choice} onChange={(e) => setChoice(e.target.value)} style={{ marginTop: 12 }}>
            <Space orientation="vertical">
              {candidates.map((c) => (
                <Radio key={c.id} value={c.id} disabled={!c.visible}>
                  {t('leads.useCustomer', { name: c.name, owner: c.ownerName ?? '—' })}
                </Radio>
              ))}
              <Radio value="new" data-testid="lead-convert-new">
                {t('leads.confirmNew')}
              </Radio>
            </Space>
          </Radio.Group>
        </>
      )}
    </Modal>
  );
}
