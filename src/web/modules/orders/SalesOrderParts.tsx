import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

// Small pieces shared by the sales order pages.

export const ORDER_STATES = [
  'draft',
  'pending_credit',
  'confirmed',
  'partially_shipped',
  'shipped',
  'completed',
  'cancelled',
] as const;
export const ORDER_CHANNELS = ['direct', 'store', 'online', 'partner'] as const;

const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  pending_credit: 'orange',
  confirmed: 'blue',
  partially_shipped: 'cyan',
  shipped: 'geekblue',
  completed: 'green',
  cancelled: 'red',
};

export function SalesOrderStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLORS[state]}>{t(`salesOrders.states.${state}`)}</Tag>;
}

export function ShipmentStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  const color = state === 'delivered' ? 'green' : state === 'posted' ? 'blue' : 'default';
  return <Tag color={color}>{t(`salesOrders.shipmentStates.${state}`)}</Tag>;
}
