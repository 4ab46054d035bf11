import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InvoiceStateValue, InvoiceTypeValue } from '../../../contracts/index.js';

export const INVOICE_STATES: InvoiceStateValue[] = ['draft', 'issued', 'partially_paid', 'paid', 'void'];
export const INVOICE_TYPES: InvoiceTypeValue[] = ['general', 'special'];
/** The VAT rates a line may carry (the server checks them too). */
export const INVOICE_RATES = ['0.13', '0.09', '0.06', '0.05', '0.03', '0.01', '0'];

const STATE_COLORS: Record<InvoiceStateValue, string> = {
  draft: 'default',
  issued: 'processing',
  partially_paid: 'orange',
  paid: 'green',
  void: 'red',
};

export function InvoiceStateTag({ state }: { state: InvoiceStateValue }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="invoice-state">
      {t(`invoices.states.${state}`)}
    </Tag>
  );
}

export const ratePercent = (rate: string) => `${Math.round(Number(rate) * 10000) / 100}%`;
