import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { returnState } from '../../../contracts/index.js';

export const RETURN_STATES = [
  'requested',
  'approved',
  'received',
  'closed',
  'rejected',
  'cancelled',
] as const;
export const RETURN_TYPES = ['return', 'exchange'] as const;
export const RETURN_REASONS = [
  'quality_defect',
  'wrong_item',
  'damaged_in_transit',
  'changed_mind',
  'other',
] as const;

const COLORS: Record<z.infer<typeof returnState>, string> = {
  requested: 'gold',
  approved: 'blue',
  received: 'green',
  closed: 'default',
  rejected: 'red',
  cancelled: 'default',
};

export function ReturnStateTag({ state }: { state: z.infer<typeof returnState> }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[state]}>{t(`returns.states.${state}`)}</Tag>;
}
