import { AccountPlanPanel } from './AccountPlanPanel.js';
import { AccountReviewsPanel } from './AccountReviewsPanel.js';
import { registerCustomerTab } from './customerTabs.js';
import { LoyaltyPanel } from './LoyaltyPanel.js';

// The customer 360 page's loyalty and account-card tabs (issue 4, items 12 and 13), registered
// once when CustomerDetailPage loads this file.

registerCustomerTab({
  key: 'loyalty',
  labelKey: 'loyalty.tab',
  permission: 'loyalty.read',
  order: 20,
  render: (customer) => <LoyaltyPanel customer={customer} />,
});

registerCustomerTab({
  key: 'account-plan',
  labelKey: 'accountCards.plan.tab',
  permission: 'customers.read',
  order: 30,
  render: (customer) => <AccountPlanPanel customer={customer} />,
});

registerCustomerTab({
  key: 'account-reviews',
  labelKey: 'accountCards.review.tab',
  permission: 'customers.read',
  order: 31,
  render: (customer) => <AccountReviewsPanel customer={customer} />,
});
