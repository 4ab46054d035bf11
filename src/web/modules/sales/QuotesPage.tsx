import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Segmented, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { QuoteListItem } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { yuan } from './ContractParts.js';
import { QUOTE_STATES, QuoteStateTag } from './QuoteParts.js';

/** 报价单: the quotes I can see, mine or my team's, by state; expiring soon. */
export function QuotesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [who, setWho] = useState<'mine' | 'team'>('team');
  const [filters, setFilters] = useState<{ q?: string; state?: string; expiring?: boolean }>({});
  const { expiring, ...rest } = filters;
  const { list, rows } = usePagedList<QuoteListItem>(['quotes', who, filters], '/quotes', {
    ...rest,
    ...(expiring ? { expiringWithinDays: 7 } : {}),
    who,
  });
  const columns: ColumnsType<QuoteListItem> = [
    {
      title: t('quotes.number'),
      dataIndex: 'number',
      render: (n: string, q) => (
        <Link to={`/sales/quotes/${q.id}`} data-testid={`quote-row-${q.number}`}>
          {n} v{q.revision}
        </Link>
      ),
    },
    { title: t('quotes.customer'), dataIndex: 'customerName' },
    { title: t('quotes.opportunity'), dataIndex: 'opportunityName', responsive: ['lg'] },
    { title: t('quotes.total'), dataIndex: 'total', align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('quotes.state'),
      dataIndex: 'state',
      render: (_: unknown, q) => <QuoteStateTag state={q.state} expired={q.expired} />,
    },
    { title: t('quotes.validUntil'), dataIndex: 'validUntil', responsive: ['md'] },
    { title: t('quotes.owner'), dataIndex: 'ownerName', responsive: ['lg'] },
  ];
  return (
    <>
      <PageHeader
        title={t('quotes.title')}
        hint={t('quotes.hint')}
        extra={
          can('quotes.create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/sales/quotes/new')}
              data-testid="quote-new"
            >
              {t('quotes.new')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={who}
          onChange={(v) => setWho(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('quotes.mine') },
            { value: 'team', label: t('quotes.team') },
          ]}
        />
      </Space>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) => setFilters(all)}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={t('quotes.search')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('quotes.state')}
            style={{ width: 160 }}
            options={QUOTE_STATES.map((s) => ({ value: s, label: t(`quotes.states.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="expiring">
          <Select
            allowClear
            placeholder={t('quotes.expiringFilter')}
            style={{ width: 160 }}
            options={[{ value: true, label: t('quotes.expiringSoon') }]}
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
