import type { ReactNode } from 'react';
import type { Customer } from '../../../contracts/index.js';

/**
 * Extra tabs on the customer 360 page. Later modules (opportunities, orders, invoices, payments)
 * register theirs once, when their code loads, with registerCustomerTab: a key, the locale key
 * of its label, the permission that shows it, its order and a render function of the customer.
 */
export interface CustomerTab {
  key: string;
  labelKey: string;
  /** Shown only to users with this permission. */
  permission?: string;
  /** Position among the extra tabs (they come after contacts and the timeline). */
  order?: number;
  render(customer: Customer): ReactNode;
}

const tabs: CustomerTab[] = [];

export function registerCustomerTab(tab: CustomerTab): void {
  const at = tabs.findIndex((t) => t.key === tab.key);
  if (at >= 0) tabs.splice(at, 1, tab);
  else tabs.push(tab);
}

export function customerTabs(): CustomerTab[] {
  return [...tabs].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
