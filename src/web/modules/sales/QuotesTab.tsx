import { PlusOutlined } from '@ant-design/icons';
import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer, QuoteListItem } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { useSession } from '../../app/session.js';
import { registerCustomerTab } from '../customers/customerTabs.js';
import { yuan } from './ContractParts.js';
import { QuoteStateTag } from './QuoteParts.js';

/** The customer's quotes on its 360 page, with "new quote" for this customer. */
function CustomerQuotes({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { list, rows } = usePagedList<QuoteListItem>(
    ['quotes', 'customer', customer.id],
    '/quotes',
    { customerId: customer.id },
    { limit: 20 },
  );
  return (
    <div data-testid="customer-quotes">
      {can('quotes.create') && (
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => navigate(`/sales/quotes/new?customerId=${customer.id}`)}
        >
          {t('quotes.new')}
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
            title: t('quotes.number'),
            dataIndex: 'number',
            render: (n: string, q) => (
              <Link to={`/sales/quotes/${q.id}`}>
                {n} v{q.revision}
              </Link>
            ),
          },
          { title: t('quotes.total'), dataIndex: 'total', align: 'right', render: (v: number) => yuan(v) },
          { title: t('quotes.validUntil'), dataIndex: 'validUntil' },
          {
            title: t('quotes.state'),
            render: (_: unknown, q) => <QuoteStateTag state={q.state} expired={q.expired} />,
          },
        ]}
      />
    </div>
  );
}

registerCustomerTab({
  key: 'quotes',
  labelKey: 'quotes.tab',
  permission: 'quotes.read',
  order: 25,
  render: (customer) => <CustomerQuotes customer={customer} />,
});
