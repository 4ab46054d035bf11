import { PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Segmented, Select, Space, Switch, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Bid } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { BID_STATES, BidDeadline, BidStateTag, BondTag, day } from './BidParts.js';
import { yuan } from './ContractParts.js';

interface Filters {
  q?: string;
  state?: string;
  deadline?: [Dayjs | null, Dayjs | null] | null;
  bondOverdue?: boolean;
}

/** 投标: the bids I can see, by state and deadline, the next three days' deadlines highlighted. */
export function BidsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [who, setWho] = useState<'mine' | 'team'>('team');
  const [sort, setSort] = useState<'submissionDeadline' | '-createdAt'>('submissionDeadline');
  const [filters, setFilters] = useState<Filters>({});
  const params = {
    q: filters.q || undefined,
    state: filters.state,
    deadlineFrom: day(filters.deadline?.[0]),
    deadlineTo: day(filters.deadline?.[1]),
    bondOverdue: filters.bondOverdue ? 'true' : undefined,
    who,
    sort,
  };
  const { list, rows } = usePagedList<Bid>(['bids', params], '/bids', params);
  const columns: ColumnsType<Bid> = [
    {
      title: t('bids.tenderNumber'),
      dataIndex: 'tenderNumber',
      render: (n: string, b) => (
        <Link to={`/sales/bids/${b.id}`} data-testid={`bid-row-${b.tenderNumber}`}>
          {n}
        </Link>
      ),
    },
    { title: t('bids.projectName'), dataIndex: 'projectName' },
    { title: t('bids.issuer'), dataIndex: 'issuerName', responsive: ['md'] },
    {
      title: t('bids.submissionDeadline'),
      dataIndex: 'submissionDeadline',
      render: (_: unknown, b) => <BidDeadline bid={b} />,
    },
    {
      title: t('bids.bidPrice'),
      dataIndex: 'bidPrice',
      align: 'right',
      responsive: ['lg'],
      render: (v: number | null) => yuan(v),
    },
    {
      title: t('bids.state'),
      dataIndex: 'state',
      render: (_: unknown, b) => <BidStateTag state={b.state} />,
    },
    {
      title: t('bids.bond.title'),
      key: 'bond',
      responsive: ['lg'],
      render: (_: unknown, b) => (b.bondAmount ? <BondTag bid={b} /> : null),
    },
    { title: t('bids.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
  ];
  return (
    <>
      <PageHeader
        title={t('bids.title')}
        hint={t('bids.hint')}
        extra={
          can('bids.create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/sales/bids/new')}
              data-testid="bid-new"
            >
              {t('bids.new')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={who}
          onChange={(v) => setWho(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('bids.mine') },
            { value: 'team', label: t('bids.team') },
          ]}
        />
        <Segmented
          value={sort}
          onChange={(v) => setSort(v as typeof sort)}
          options={[
            { value: 'submissionDeadline', label: t('bids.sortDeadline') },
            { value: '-createdAt', label: t('bids.sortNewest') },
          ]}
        />
      </Space>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('bids.search')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('bids.state')}
            style={{ width: 140 }}
            options={BID_STATES.map((s) => ({ value: s, label: t(`bids.states.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="deadline">
          <DatePicker.RangePicker
            placeholder={[t('bids.deadlineFrom'), t('bids.deadlineTo')]}
            allowEmpty={[true, true]}
          />
        </Form.Item>
        <Form.Item name="bondOverdue" label={t('bids.bond.overdueOnly')} valuePropName="checked">
          <Switch size="small" />
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
