import type { ReactNode } from 'react';

/** What a product tab needs to know of the product it is shown on. */
export interface ProductRef {
  id: string;
  sku: string;
  uom: string;
  trackingMode: 'none' | 'batch' | 'serial';
}

/**
 * Extra tabs on the product detail page: stock by location, prices by list, and later sales.
 * Parts register theirs once, when their code loads, with registerProductTab: a key, the locale
 * key of its label, the permission that shows it, its order and a render function.
 */
export interface ProductTab {
  key: string;
  labelKey: string;
  /** Shown only to users with this permission. */
  permission?: string;
  /** Position among the tabs (they come after the overview). */
  order?: number;
  render(product: ProductRef): ReactNode;
}

const tabs: ProductTab[] = [];

export function registerProductTab(tab: ProductTab): void {
  const at = tabs.findIndex((t) => t.key === tab.key);
  if (at >= 0) tabs.splice(at, 1, tab);
  else tabs.push(tab);
}

export function productTabs(): ProductTab[] {
  return [...tabs].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
