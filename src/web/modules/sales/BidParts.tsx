import { Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Bid, BidStateValue, BondMethodValue } from '../../../contracts/index.js';
import { formatTime } from '../../app/format.js';

export const BID_STATES: BidStateValue[] = ['preparing', 'submitted', 'won', 'lost', 'cancelled'];
export const BOND_METHODS: BondMethodValue[] = ['bank_transfer', 'guarantee_letter', 'cash', 'other'];

const STATE_COLORS: Record<BidStateValue, string> = {
  preparing: 'processing',
  submitted: 'cyan',
  won: 'green',
  lost: 'default',
  cancelled: 'orange',
};

export function BidStateTag({ state }: { state: BidStateValue }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="bid-state">
      {t(`bids.states.${state}`)}
    </Tag>
  );
}

/** The submission deadline, highlighted when the server says it is within three days. */
export function BidDeadline({ bid }: { bid: Pick<Bid, 'submissionDeadline' | 'deadlineSoon'> }) {
  const { t } = useTranslation();
  return (
    <span>
      {formatTime(bid.submissionDeadline)}
      {bid.deadlineSoon && (
        <Tag color="red" style={{ marginLeft: 8 }} data-testid="bid-deadline-soon">
          {t('bids.deadlineSoon')}
        </Tag>
      )}
    </span>
  );
}

/** The bond's situation in a word: not paid, paid, overdue for refund, refunded. */
export function BondTag({ bid }: { bid: Pick<Bid, 'bondPaidOn' | 'bondRefundedOn' | 'bondOverdue'> }) {
  const { t } = useTranslation();
  if (bid.bondRefundedOn) return <Tag color="green">{t('bids.bond.refunded')}</Tag>;
  if (bid.bondOverdue) return <Tag color="red">{t('bids.bond.overdue')}</Tag>;
  if (bid.bondPaidOn) return <Tag color="blue">{t('bids.bond.paid')}</Tag>;
  return <Tag>{t('bids.bond.notPaid')}</Tag>;
}

export const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);
export const instant = (d: Dayjs | null | undefined) => (d ? d.format() : undefined);
export const fenToInput = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? undefined : (fen / 100).toFixed(2);
