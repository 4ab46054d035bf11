import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Complaint, Customer, CustomerHealth, HealthLevelValue } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { useSession } from '../../app/session.js';
import { ComplaintDrawer } from './ComplaintDrawer.js';
import { ComplaintForm } from './ComplaintForm.js';
import { useComplaintColumns } from './ComplaintsPage.js';
import { registerCustomerTab } from './customerTabs.js';

const LEVEL_COLORS: Record<HealthLevelValue, string> = {
  good: 'success',
  watch: 'warning',
  at_risk: 'error',
};

/** The customer's complaints on its 360 page, with "record a complaint" for this customer. */
function CustomerComplaints({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const { list, rows } = usePagedList<Complaint>(
    ['complaints', 'customer', customer.id],
    '/complaints',
    { customerId: customer.id },
    { limit: 20 },
  );
  const columns = useComplaintColumns(false);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['complaints'] });
    void client.invalidateQueries({ queryKey: ['customer-health', customer.id] });
  };
  return (
    <div data-testid="customer-complaints">
      {can('complaints.create') && !customer.mergedIntoId && (
        <Space style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="complaint-new"
          >
            {t('complaints.new')}
          </Button>
        </Space>
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({
          onClick: (e) => {
            // The number is a link to the complaints page; elsewhere the row opens it in place.
            if ((e.target as HTMLElement).closest('a')) return;
            setOpen(c.id);
          },
        })}
        locale={{ emptyText: <Empty description={t('complaints.none')} /> }}
      />
      <LoadMore list={list} />
      {creating && (
        <ComplaintForm
          customerId={customer.id}
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            refresh();
            setOpen(c.id);
          }}
        />
      )}
      {open && <ComplaintDrawer id={open} onClose={() => setOpen(null)} onChanged={refresh} />}
    </div>
  );
}

/** "open_complaint:critical" → "未解决投诉（紧急）× 1：−30" in the reader's language. */
function useHealthReason() {
  const { t } = useTranslation();
  return (r: CustomerHealth['reasons'][number]) => {
    const [kind, detail] = r.rule.split(':');
    const label = t(`complaints.health.reasons.${kind}`, {
      severity: detail ? t(`complaints.severities.${detail}`, { defaultValue: detail }) : '',
      defaultValue: r.rule,
    });
    return `${label} × ${r.count}: ${r.points}`;
  };
}

/** The customer's health in the 360 header: a coloured tag, the reasons on hover. */
export function CustomerHealthTag({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const reason = useHealthReason();
  const health = useQuery({
    queryKey: ['customer-health', customerId],
    queryFn: () => api.get<CustomerHealth>(`/customers/${customerId}/health`),
  });
  const h = health.data;
  if (!h) return null;
  const tip = h.reasons.length
    ? h.reasons.map((r) => <div key={r.rule}>{reason(r)}</div>)
    : t('complaints.health.noIssues');
  return (
    <Tooltip title={tip}>
      <Tag color={LEVEL_COLORS[h.level]} data-testid="customer-health">
        {t('complaints.health.label', { level: t(`complaints.health.levels.${h.level}`), score: h.score })}
      </Tag>
    </Tooltip>
  );
}

registerCustomerTab({
  key: 'complaints',
  labelKey: 'complaints.tab',
  permission: 'complaints.read',
  order: 30,
  render: (customer) => <CustomerComplaints customer={customer} />,
});
