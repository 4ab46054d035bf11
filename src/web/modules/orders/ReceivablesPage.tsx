import { useQuery } from '@tanstack/react-query';
import { Checkbox, Input, Segmented, Select, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import {
  type AgingRow,
  type agingReport,
  agingSorts,
  type dueReceivables,
} from '../../../contracts/payments.js';
import { api } from '../../app/api.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { ExportButton } from '../platform/ExportButton.js';
import { yuan } from '../sales/ContractParts.js';
import { BucketTag } from './PaymentParts.js';
import { ReceivableCustomerDrawer } from './ReceivableCustomerDrawer.js';

type Aging = z.infer<typeof agingReport>;
type Due = z.infer<typeof dueReceivables>;
type DueRow = Due['items'][number];

const BUCKET_FIELDS = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'over90'] as const;

/** 应收: aging by customer, owner or team, and the 客户到期应收账款明细表. */
export function ReceivablesPage() {
  const { t } = useTranslation();
  const [customer, setCustomer] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('receivables.title')} hint={t('receivables.hint')} />
      <Tabs
        items={[
          { key: 'aging', label: t('receivables.aging'), children: <AgingTab onCustomer={setCustomer} /> },
          { key: 'due', label: t('receivables.due'), children: <DueTab onCustomer={setCustomer} /> },
        ]}
      />
      <ReceivableCustomerDrawer customerId={customer} onClose={() => setCustomer(null)} />
    </>
  );
}

type AgingSort = (typeof agingSorts)[number];

/**
 * Aging, keyset-paged (50 rows, Load more) with the totals of the whole filter from the server:
 * a finance user sees the largest overdue first and the company totals without loading 20,000 rows.
 */
function AgingTab({ onCustomer }: { onCustomer: (id: string) => void }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<'customer' | 'owner' | 'team'>('customer');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<AgingSort>('-overdue');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const filters = {
    by,
    sort,
    ...(by === 'customer' && q ? { q } : {}),
    ...(overdueOnly ? { overdueOnly: 'true' } : {}),
  };
  const { list, rows } = usePagedList<AgingRow>(
    ['receivables', 'aging', filters],
    '/receivables/aging',
    filters,
  );
  const first = list.data?.pages[0] as Aging | undefined;
  const money = (v: number) => <span style={{ whiteSpace: 'nowrap' }}>{yuan(v)}</span>;
  const columns: ColumnsType<AgingRow> = [
    {
      title: t(`receivables.by.${by}`),
      dataIndex: 'name',
      width: 240,
      fixed: 'left',
      render: (n: string, r) =>
        r.customerId ? (
          <Typography.Link onClick={() => onCustomer(r.customerId as string)} data-testid={`aging-${n}`}>
            {n}
          </Typography.Link>
        ) : (
          n
        ),
    },
    ...(by === 'customer'
      ? [{ title: t('receivables.owner'), dataIndex: 'ownerName', width: 90, responsive: ['lg' as const] }]
      : []),
    ...BUCKET_FIELDS.map((f) => ({
      title: t(`receivables.bucketColumns.${f}`),
      dataIndex: f,
      align: 'right' as const,
      width: 130,
      render: money,
    })),
    { title: t('receivables.overdue'), dataIndex: 'overdue', align: 'right', width: 130, render: money },
    { title: t('receivables.unapplied'), dataIndex: 'unapplied', align: 'right', width: 120, render: money },
    {
      title: t('receivables.balance'),
      dataIndex: 'balance',
      align: 'right',
      width: 140,
      render: (v: number) => <Typography.Text strong>{money(v)}</Typography.Text>,
    },
  ];
  const totals = first?.totals;
  return (
    <>
      <div style={{ display: 'flex', gap: 12, marginBottom: 12, flexWrap: 'wrap', alignItems: 'center' }}>
        <Segmented
          value={by}
          onChange={(v) => setBy(v as typeof by)}
          options={(['customer', 'owner', 'team'] as const).map((k) => ({
            value: k,
            label: t(`receivables.by.${k}`),
          }))}
          data-testid="aging-by"
        />
        {by === 'customer' && (
          <Input.Search
            allowClear
            placeholder={t('receivables.search')}
            style={{ width: 220 }}
            onSearch={setQ}
          />
        )}
        <Select<AgingSort>
          value={sort}
          onChange={setSort}
          style={{ width: 170 }}
          options={agingSorts.map((k) => ({ value: k, label: t(`receivables.sorts.${SORT_LABELS[k]}`) }))}
          data-testid="aging-sort"
        />
        <Checkbox checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)}>
          {t('receivables.overdueOnly')}
        </Checkbox>
        {first && (
          <Typography.Text type="secondary">{t('receivables.asOf', { date: first.asOf })}</Typography.Text>
        )}
        <ExportButton path="/receivables/aging" filters={filters} testId="aging-export" />
      </div>
      <Table
        rowKey="key"
        size="middle"
        scroll={{ x: 1480 }}
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        data-testid="aging"
        summary={() =>
          totals && (
            <Table.Summary.Row data-testid="aging-totals">
              <Table.Summary.Cell index={0} colSpan={by === 'customer' ? 2 : 1}>
                <Typography.Text strong>{t('receivables.totals')}</Typography.Text>
              </Table.Summary.Cell>
              {[...BUCKET_FIELDS, 'overdue' as const, 'unapplied' as const, 'balance' as const].map(
                (f, i) => (
                  <Table.Summary.Cell key={f} index={i + 2} align="right">
                    <Typography.Text strong>{yuan(totals[f])}</Typography.Text>
                  </Table.Summary.Cell>
                ),
              )}
            </Table.Summary.Row>
          )
        }
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}

const SORT_LABELS: Record<AgingSort, string> = { '-overdue': 'overdue', '-balance': 'balance', name: 'name' };

function DueTab({ onCustomer }: { onCustomer: (id: string) => void }) {
  const { t } = useTranslation();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const query = { overdueOnly: overdueOnly || undefined };
  const { data, isLoading } = useQuery({
    queryKey: ['receivables', 'due', query],
    queryFn: () => api.get<Due>('/receivables/due', query),
  });
  const columns: ColumnsType<DueRow> = [
    {
      title: t('receivables.customer'),
      dataIndex: 'customerName',
      render: (n: string, r) => (
        <Typography.Link onClick={() => onCustomer(r.customerId)}>{n}</Typography.Link>
      ),
    },
    { title: t('receivables.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
    { title: t('receivables.item'), dataIndex: 'label' },
    { title: t('receivables.contract'), dataIndex: 'contractNumber', responsive: ['xl'] },
    { title: t('receivables.dueDate'), dataIndex: 'dueDate' },
    { title: t('receivables.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('receivables.collected'),
      dataIndex: 'collected',
      align: 'right',
      render: (v: number) => yuan(v),
    },
    { title: t('receivables.open'), dataIndex: 'open', align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('receivables.daysOverdue'),
      dataIndex: 'daysOverdue',
      align: 'right',
      render: (d: number) => (d > 0 ? d : ''),
    },
    { title: t('receivables.bucket'), dataIndex: 'bucket', render: (b) => <BucketTag bucket={b} /> },
    {
      title: t('receivables.lastNote'),
      dataIndex: 'lastNote',
      responsive: ['xl'],
      render: (n: string | null, r) =>
        n ? `${n}${r.promisedDate ? ` (${t('receivables.promised')} ${r.promisedDate})` : ''}` : '',
    },
  ];
  return (
    <>
      <div style={{ display: 'flex', gap: 12, marginBottom: 12, justifyContent: 'space-between' }}>
        <Checkbox checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)}>
          {t('receivables.overdueOnly')}
        </Checkbox>
        <ExportButton path="/receivables/due" filters={query} testId="due-receivables-export" />
      </div>
      <Table
        rowKey={(r) => `${r.kind}:${r.itemId}`}
        size="middle"
        scroll={{ x: 1200 }}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isLoading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="due-receivables"
      />
    </>
  );
}
