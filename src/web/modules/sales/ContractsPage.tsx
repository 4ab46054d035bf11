import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Segmented, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ContractListItem } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { CONTRACT_STATES, ContractStateTag, yuan } from './ContractParts.js';

/** 合同: the contracts I can see, mine or my team's, by state. */
export function ContractsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [who, setWho] = useState<'mine' | 'team'>('team');
  const [filters, setFilters] = useState<{ q?: string; state?: string }>({});
  const { list, rows } = usePagedList<ContractListItem>(['contracts', who, filters], '/contracts', {
    ...filters,
    who,
  });
  const columns: ColumnsType<ContractListItem> = [
    {
      title: t('contracts.number'),
      dataIndex: 'number',
      render: (n: string, c) => (
        <Link to={`/sales/contracts/${c.id}`} data-testid={`contract-row-${c.number}`}>
          {n}
        </Link>
      ),
    },
    { title: t('contracts.titleField'), dataIndex: 'title' },
    { title: t('contracts.customer'), dataIndex: 'customerName', responsive: ['md'] },
    { title: t('contracts.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('contracts.state'),
      dataIndex: 'state',
      render: (_: unknown, c) => <ContractStateTag state={c.state} />,
    },
    { title: t('contracts.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
    { title: t('contracts.endDate'), dataIndex: 'endDate', responsive: ['lg'] },
  ];
  return (
    <>
      <PageHeader
        title={t('contracts.title')}
        hint={t('contracts.hint')}
        extra={
          can('contracts.create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/sales/contracts/new')}
              data-testid="contract-new"
            >
              {t('contracts.new')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={who}
          onChange={(v) => setWho(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('contracts.mine') },
            { value: 'team', label: t('contracts.team') },
          ]}
        />
      </Space>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('contracts.search')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('contracts.state')}
            style={{ width: 160 }}
            options={CONTRACT_STATES.map((s) => ({ value: s, label: t(`contracts.states.${s}`) }))}
          />
        </Form.Item>
      </Form>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}
