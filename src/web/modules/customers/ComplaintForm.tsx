import { useQuery } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Segmented, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  Complaint,
  ComplaintChannelValue,
  ComplaintSettingsDto,
  ComplaintSeverityValue,
  ComplaintStatusValue,
  Contact,
  Customer,
} from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { UserSelect } from '../org/UserSelect.js';

export const SEVERITIES: ComplaintSeverityValue[] = ['critical', 'high', 'medium', 'low'];
export const CHANNELS: ComplaintChannelValue[] = ['phone', 'visit', 'email', 'wechat', 'web'];
export const COMPLAINT_STATUSES: ComplaintStatusValue[] = ['open', 'in_progress', 'resolved', 'closed'];
export const SEVERITY_COLORS: Record<ComplaintSeverityValue, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'blue',
  low: 'default',
};
export const STATUS_COLORS: Record<ComplaintStatusValue, string> = {
  open: 'gold',
  in_progress: 'processing',
  resolved: 'success',
  closed: 'default',
};

export function useComplaintSettings() {
  return useQuery({
    queryKey: ['complaint-settings'],
    queryFn: () => api.get<ComplaintSettingsDto>('/complaint-settings'),
    staleTime: 60_000,
  });
}

/** A category code shown in the reader's language; codes an administrator added show as typed. */
export function useCategoryLabel() {
  const { t } = useTranslation();
  return (code: string) => t(`complaints.categories.${code}`, { defaultValue: code });
}

export function SeverityTag({ severity }: { severity: ComplaintSeverityValue }) {
  const { t } = useTranslation();
  return <Tag color={SEVERITY_COLORS[severity]}>{t(`complaints.severities.${severity}`)}</Tag>;
}

export function StatusTag({ status }: { status: ComplaintStatusValue }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`complaints.statuses.${status}`)}</Tag>;
}

interface Values {
  customerId?: string;
  contactId?: string | null;
  subject: string;
  description?: string;
  category: string;
  severity: ComplaintSeverityValue;
  channel: ComplaintChannelValue;
  ownerId?: string | null;
}

/** Searches customers in my scope by name, pinyin or phone. */
function CustomerPicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  async function search(q: string) {
    const res = await api.get<Page<Customer>>('/customers', { q: q || undefined, limit: 20 });
    setOptions(res.items.map((c) => ({ value: c.id, label: c.name })));
  }
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      onFocus={() => void search('')}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('complaints.pickCustomer')}
      data-testid="complaint-customer"
    />
  );
}

/**
 * Records a complaint (on a given customer, or one picked here) or corrects one. The handler
 * defaults to the customer's owner; those who may assign can pick someone else.
 */
export function ComplaintForm({
  customerId,
  complaint,
  onClose,
  onSaved,
}: {
  customerId?: string | undefined;
  complaint?: Complaint | undefined;
  onClose: () => void;
  onSaved: (c: Complaint) => void;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const settings = useComplaintSettings();
  const categoryLabel = useCategoryLabel();
  const picked = Form.useWatch('customerId', form);
  const forCustomer = complaint?.customerId ?? customerId ?? picked;
  const contacts = useQuery({
    queryKey: ['customer-contacts', forCustomer],
    queryFn: () => api.get<{ items: Contact[] }>(`/customers/${forCustomer}/contacts`),
    enabled: !!forCustomer,
  });
  const categories = [...(settings.data?.categories ?? [])];
  if (complaint && !categories.includes(complaint.category)) categories.push(complaint.category);

  async function save(values: Values) {
    setSaving(true);
    try {
      const saved = complaint
        ? await api.patch<Complaint>(`/complaints/${complaint.id}`, {
            contactId: values.contactId ?? null,
            subject: values.subject,
            description: values.description || null,
            category: values.category,
            severity: values.severity,
            channel: values.channel,
            version: complaint.version,
          })
        : await api.post<Complaint>('/complaints', {
            customerId: customerId ?? values.customerId,
            contactId: values.contactId || undefined,
            subject: values.subject,
            description: values.description || undefined,
            category: values.category,
            severity: values.severity,
            channel: values.channel,
            ownerId: values.ownerId || undefined,
          });
      void message.success(t('common.saved'));
      onSaved(saved);
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
      title={complaint ? t('complaints.edit', { number: complaint.number }) : t('complaints.new')}
      size="min(520px, 100vw)"
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        requiredMark={false}
        initialValues={
          complaint
            ? { ...complaint, description: complaint.description ?? undefined }
            : { severity: 'medium', channel: 'phone' }
        }
      >
        {!complaint && !customerId && (
          <Form.Item name="customerId" label={t('complaints.customer')} rules={[rules.required()]}>
            <CustomerPicker />
          </Form.Item>
        )}
        <Form.Item name="subject" label={t('complaints.subject')} rules={[rules.required()]}>
          <Input maxLength={200} data-testid="complaint-subject" />
        </Form.Item>
        <Form.Item name="description" label={t('complaints.description')}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={5000}
            data-testid="complaint-description"
          />
        </Form.Item>
        <Form.Item name="severity" label={t('complaints.severity')} rules={[rules.required()]}>
          <Segmented
            block
            data-testid="complaint-severity"
            options={SEVERITIES.map((s) => ({ value: s, label: t(`complaints.severities.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="category" label={t('complaints.category')} rules={[rules.required()]}>
          <Select
            data-testid="complaint-category"
            options={categories.map((c) => ({ value: c, label: categoryLabel(c) }))}
          />
        </Form.Item>
        <Form.Item name="channel" label={t('complaints.channel')} rules={[rules.required()]}>
          <Select
            data-testid="complaint-channel"
            options={CHANNELS.map((c) => ({ value: c, label: t(`complaints.channels.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="contactId" label={t('complaints.contact')}>
          <Select
            allowClear
            disabled={!forCustomer}
            data-testid="complaint-contact"
            options={(contacts.data?.items ?? [])
              .filter((c) => !c.archived)
              .map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
          />
        </Form.Item>
        {!complaint && can('complaints.assign') && (
          <Form.Item name="ownerId" label={t('complaints.handler')} extra={t('complaints.handlerHint')}>
            <UserSelect testId="complaint-owner" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="complaint-save">
          {t('common.save')}
        </Button>
      </Form>
    </Drawer>
  );
}
