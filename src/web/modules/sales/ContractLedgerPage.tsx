import { Checkbox, Form, Input, InputNumber, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContractLedgerRow } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { ExportButton } from '../platform/ExportButton.js';
import { CONTRACT_STATES, ContractStateTag, yuan } from './ContractParts.js';

interface Filters {
  q?: string;
  state?: string;
  dueWithinDays?: number;
  overdue?: boolean;
}

const FIGURES = ['ordered', 'shipped', 'invoiced', 'collected'] as const;

/** 合同管理台账: every contract from signing to collection, one row each. */
export function ContractLedgerPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const query = {
    q: filters.q,
    state: filters.state,
    dueWithinDays: filters.dueWithinDays ?? undefined,
    overdue: filters.overdue ? true : undefined,
  };
  const { list, rows } = usePagedList<ContractLedgerRow>(
    ['contract-ledger', query],
    '/contract-ledger',
    query,
  );
  const columns: ColumnsType<ContractLedgerRow> = [
    {
      title: t('contracts.number'),
      dataIndex: 'number',
      fixed: 'left',
      render: (n: string, r) => <Link to={`/sales/contracts/${r.id}`}>{n}</Link>,
    },
    { title: t('contracts.customer'), dataIndex: 'customerName' },
    { title: t('contracts.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
    {
      title: t('contracts.state'),
      dataIndex: 'state',
      render: (_: unknown, r) => <ContractStateTag state={r.state} />,
    },
    { title: t('contracts.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => yuan(v) },
    ...FIGURES.map((k) => ({
      title: t(`contracts.ledger.${k}`),
      key: k,
      width: 150,
      render: (_: unknown, r: ContractLedgerRow) => (
        <div data-testid={`ledger-${k}-${r.number}`}>
          <Typography.Text style={{ fontSize: 12 }}>{yuan(r[k].amount)}</Typography.Text>
          <Progress percent={Number(r[k].percent)} size="small" format={() => `${r[k].percent}%`} />
        </div>
      ),
    })),
    {
      title: t('contracts.ledger.nextDue'),
      key: 'nextDue',
      render: (_: unknown, r) =>
        r.nextDue ? (
          <Space direction="vertical" size={0}>
            <span>
              {r.nextDue.dueDate} {r.overdue && <Tag color="red">{t('contracts.ledger.overdue')}</Tag>}
            </span>
            <Typography.Text type="secondary">{yuan(r.nextDue.amount)}</Typography.Text>
          </Space>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('contracts.ledger.title')}
        hint={t('contracts.ledger.hint')}
        extra={<ExportButton path="/contract-ledger" filters={query} testId="contract-ledger-export" />}
      />
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('contracts.search')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('contracts.state')}
            style={{ width: 150 }}
            options={CONTRACT_STATES.filter((s) => s !== 'draft' && s !== 'in_review').map((s) => ({
              value: s,
              label: t(`contracts.states.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="dueWithinDays">
          <InputNumber
            min={0}
            max={3650}
            placeholder={t('contracts.ledger.dueWithin')}
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item name="overdue" valuePropName="checked">
          <Checkbox>{t('contracts.ledger.overdueOnly')}</Checkbox>
        </Form.Item>
      </Form>
      <Table
        rowKey="id"
        size="middle"
        scroll={{ x: 1200 }}
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        footer={() => <LoadMore list={list} />}
        data-testid="contract-ledger"
      />
    </>
  );
}
