import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'acceptance_bill', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const AGING_BUCKETS = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;
export type AgingBucketKey = (typeof AGING_BUCKETS)[number];

const BUCKET_COLORS: Record<AgingBucketKey, string> = {
  not_due: 'green',
  d1_30: 'gold',
  d31_60: 'orange',
  d61_90: 'volcano',
  over_90: 'red',
};

export function BucketTag({ bucket }: { bucket: AgingBucketKey }) {
  const { t } = useTranslation();
  return <Tag color={BUCKET_COLORS[bucket]}>{t(`receivables.buckets.${bucket}`)}</Tag>;
}

export function PaymentKindTag({ kind }: { kind: 'receipt' | 'reversal' }) {
  const { t } = useTranslation();
  return kind === 'reversal' ? <Tag color="red">{t('payments.kinds.reversal')}</Tag> : null;
}
