import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer, Opportunity } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { useSession } from '../../app/session.js';
import { registerCustomerTab } from '../customers/customerTabs.js';
import { OpportunityForm } from './OpportunityForm.js';
import { OpportunityStatusTag, stageLabel, yuanShort } from './OpportunityParts.js';

/** The customer's opportunities on its 360 page, with "new opportunity" for this customer. */
function CustomerOpportunities({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<Opportunity>(
    ['opportunities', 'customer', customer.id],
    '/opportunities',
    { customerId: customer.id },
    { limit: 20 },
  );
  return (
    <div data-testid="customer-opportunities">
      {can('opportunities.create') && (
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)}>
          {t('opportunities.new')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        loading={list.isLoading}
        footer={() => <LoadMore list={list} />}
        columns={[
          {
            title: t('opportunities.name'),
            dataIndex: 'name',
            render: (n: string, o) => <Link to={`/sales/opportunities/${o.id}`}>{n}</Link>,
          },
          { title: t('opportunities.stage'), render: (_: unknown, o) => stageLabel(o) },
          {
            title: t('opportunities.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (v: number) => yuanShort(v),
          },
          { title: t('opportunities.expectedCloseDate'), dataIndex: 'expectedCloseDate' },
          { title: t('opportunities.status'), render: (_: unknown, o) => <OpportunityStatusTag o={o} /> },
        ]}
      />
      <OpportunityForm
        open={creating}
        customerId={customer.id}
        onClose={(id) => {
          setCreating(false);
          if (id) void client.invalidateQueries({ queryKey: ['opportunities'] });
        }}
      />
    </div>
  );
}

registerCustomerTab({
  key: 'opportunities',
  labelKey: 'opportunities.tab',
  permission: 'opportunities.read',
  order: 20,
  render: (customer) => <CustomerOpportunities customer={customer} />,
});
