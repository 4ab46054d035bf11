import { PlusOutlined } from '@ant-design/icons';
import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Bid } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { useSession } from '../../app/session.js';
import { BidDeadline, BidStateTag } from './BidParts.js';
import { yuan } from './ContractParts.js';

/** The bids of one opportunity, with a shortcut to record a new one for it. */
export function BidsSection({ opportunityId, customerId }: { opportunityId: string; customerId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { list, rows } = usePagedList<Bid>(['bids', 'opportunity', opportunityId], '/bids', {
    opportunityId,
    sort: 'submissionDeadline',
  });
  return (
    <>
      {can('bids.create') && (
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => navigate(`/sales/bids/new?customerId=${customerId}&opportunityId=${opportunityId}`)}
          data-testid="opportunity-new-bid"
        >
          {t('bids.newForOpportunity')}
        </Button>
      )}
      <Table<Bid>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        loading={list.isLoading}
        locale={{ emptyText: t('bids.noBids') }}
        columns={[
          {
            title: t('bids.tenderNumber'),
            dataIndex: 'tenderNumber',
            render: (n: string, b) => <Link to={`/sales/bids/${b.id}`}>{n}</Link>,
          },
          { title: t('bids.projectName'), dataIndex: 'projectName' },
          {
            title: t('bids.submissionDeadline'),
            dataIndex: 'submissionDeadline',
            render: (_: unknown, b) => <BidDeadline bid={b} />,
          },
          {
            title: t('bids.bidPrice'),
            dataIndex: 'bidPrice',
            align: 'right',
            render: (v: number | null) => yuan(v),
          },
          {
            title: t('bids.state'),
            dataIndex: 'state',
            render: (_: unknown, b) => <BidStateTag state={b.state} />,
          },
        ]}
        footer={() => <LoadMore list={list} />}
      />
    </>
  );
}
