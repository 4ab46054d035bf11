import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QuoteStateValue } from '../../../contracts/index.js';

export const QUOTE_STATES: QuoteStateValue[] = [
  'draft',
  'pending_approval',
  'approved',
  'sent',
  'accepted',
  'rejected',
  'superseded',
];

const STATE_COLORS: Record<QuoteStateValue, string> = {
  draft: 'default',
  pending_approval: 'processing',
  approved: 'cyan',
  sent: 'blue',
  accepted: 'green',
  rejected: 'red',
  superseded: 'default',
};

export function QuoteStateTag({ state, expired }: { state: QuoteStateValue; expired?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={STATE_COLORS[state]} data-testid="quote-state">
        {t(`quotes.states.${state}`)}
      </Tag>
      {expired && <Tag color="orange">{t('quotes.expired')}</Tag>}
    </>
  );
}

/** "20.00" → "20%", "0.00" → "" */
export const percentLabel = (p: string) => (Number(p) === 0 ? '' : `${p.replace(/\.?0+$/, '')}%`);
