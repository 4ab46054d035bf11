import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ContractStateValue } from '../../../contracts/index.js';

export const CONTRACT_STATES: ContractStateValue[] = [
  'draft',
  'in_review',
  'approved',
  'active',
  'completed',
  'terminated',
];

const STATE_COLORS: Record<ContractStateValue, string> = {
  draft: 'default',
  in_review: 'processing',
  approved: 'cyan',
  active: 'green',
  completed: 'blue',
  terminated: 'red',
};

export function ContractStateTag({ state }: { state: ContractStateValue }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="contract-state">
      {t(`contracts.states.${state}`)}
    </Tag>
  );
}

const cny = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });

/** Fen as ¥1,234.56 (display only; the server does all the arithmetic). */
export const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '' : cny.format(fen / 100);

/** Yuan typed in a form → whole fen (the input allows two decimals). */
export const toFen = (yuanValue: number | string | null | undefined) => {
  if (yuanValue === null || yuanValue === undefined || yuanValue === '') return 0;
  const [whole = '0', cents = ''] = String(yuanValue).split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0').slice(0, 2));
};
