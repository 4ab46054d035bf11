import {
  AccountBookOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BranchesOutlined,
  BuildOutlined,
  CalculatorOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  ClusterOutlined,
  ContactsOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  EnvironmentOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  FunnelPlotOutlined,
  GiftOutlined,
  IdcardOutlined,
  ImportOutlined,
  InboxOutlined,
  KeyOutlined,
  LockOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PhoneOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

/**
 * The side menu, grouped by module. Each entry names the permission it needs ('self' = any
 * signed-in user); the shell shows only what the user may open. Modules add entries here.
 */
export interface MenuEntry {
  key: string;
  path: string;
  labelKey: string;
  icon: ReactNode;
  permission: string;
}

export interface MenuGroup {
  key: string;
  labelKey: string;
  entries: MenuEntry[];
}

export const menu: MenuGroup[] = [
  {
    key: 'home',
    labelKey: 'menu.home',
    entries: [
      {
        key: 'workbench',
        path: '/',
        labelKey: 'menu.workbench',
        icon: <DashboardOutlined />,
        permission: 'self',
      },
      {
        key: 'notifications',
        path: '/notifications',
        labelKey: 'notifications.title',
        icon: <BellOutlined />,
        permission: 'self',
      },
      {
        key: 'approvals',
        path: '/approvals',
        labelKey: 'menu.approvals',
        icon: <SolutionOutlined />,
        permission: 'self',
      },
    ],
  },
  {
    key: 'org',
    labelKey: 'menu.org',
    entries: [
      {
        key: 'directory',
        path: '/directory',
        labelKey: 'menu.directory',
        icon: <TeamOutlined />,
        permission: 'users.read',
      },
    ],
  },
  {
    key: 'customers',
    labelKey: 'menu.customers',
    entries: [
      {
        key: 'my-day',
        path: '/my-day',
        labelKey: 'visits.menu.myDay',
        icon: <CarryOutOutlined />,
        permission: 'visit-plans.read',
      },
      {
        key: 'customers',
        path: '/customers',
        labelKey: 'customer.menu',
        icon: <ContactsOutlined />,
        permission: 'customers.read',
      },
      {
        key: 'leads',
        path: '/leads',
        labelKey: 'menu.leads',
        icon: <FunnelPlotOutlined />,
        permission: 'leads.read',
      },
      {
        key: 'reception',
        path: '/leads/reception',
        labelKey: 'menu.reception',
        icon: <PhoneOutlined />,
        permission: 'leads.create',
      },
      {
        key: 'contacts',
        path: '/contacts',
        labelKey: 'menu.contacts',
        icon: <IdcardOutlined />,
        permission: 'customers.read',
      },
      {
        key: 'due-follow-ups',
        path: '/customers/due',
        labelKey: 'menu.dueFollowUps',
        icon: <FieldTimeOutlined />,
        permission: 'customers.read',
      },
      {
        key: 'missing-reviews',
        path: '/customers/reviews-missing',
        labelKey: 'menu.missingReviews',
        icon: <ProfileOutlined />,
        permission: 'customers.read',
      },
      {
        key: 'complaints',
        path: '/complaints',
        labelKey: 'complaints.menu',
        icon: <CustomerServiceOutlined />,
        permission: 'complaints.read',
      },
      {
        key: 'pool',
        path: '/customers/pool',
        labelKey: 'menu.pool',
        icon: <InboxOutlined />,
        permission: 'self',
      },
      {
        key: 'visit-plans',
        path: '/visit-plans',
        labelKey: 'visits.menu.visitPlans',
        icon: <EnvironmentOutlined />,
        permission: 'visit-plans.read',
      },
      {
        key: 'calendar',
        path: '/calendar',
        labelKey: 'visits.menu.calendar',
        icon: <CalendarOutlined />,
        permission: 'activities.read',
      },
    ],
  },
  {
    key: 'sales',
    labelKey: 'menu.sales',
    entries: [
      {
        key: 'opportunities',
        path: '/sales/opportunities',
        labelKey: 'opportunities.menu',
        icon: <FundProjectionScreenOutlined />,
        permission: 'opportunities.read',
      },
      {
        key: 'forecast',
        path: '/sales/forecast',
        labelKey: 'forecast.menu',
        icon: <BarChartOutlined />,
        permission: 'opportunities.read',
      },
      {
        key: 'pipelines',
        path: '/sales/pipelines',
        labelKey: 'pipelines.menu',
        icon: <NodeIndexOutlined />,
        permission: 'pipelines.manage',
      },
      {
        key: 'bids',
        path: '/sales/bids',
        labelKey: 'bids.menu',
        icon: <TrophyOutlined />,
        permission: 'bids.read',
      },
      {
        key: 'quotes',
        path: '/sales/quotes',
        labelKey: 'quotes.menu',
        icon: <CalculatorOutlined />,
        permission: 'quotes.read',
      },
      {
        key: 'contracts',
        path: '/sales/contracts',
        labelKey: 'contracts.menu',
        icon: <FileDoneOutlined />,
        permission: 'contracts.read',
      },
      {
        key: 'contract-ledger',
        path: '/sales/contract-ledger',
        labelKey: 'contracts.ledger.menu',
        icon: <AccountBookOutlined />,
        permission: 'contracts.read',
      },
    ],
  },
  {
    key: 'catalog',
    labelKey: 'menu.catalog',
    entries: [
      {
        key: 'products',
        path: '/catalog/products',
        labelKey: 'catalog.menu.products',
        icon: <ShoppingOutlined />,
        permission: 'products.read',
      },
      {
        key: 'product-categories',
        path: '/catalog/categories',
        labelKey: 'catalog.menu.categories',
        icon: <ClusterOutlined />,
        permission: 'products.read',
      },
      {
        key: 'price-lists',
        path: '/catalog/price-lists',
        labelKey: 'pricing.menu.lists',
        icon: <TagsOutlined />,
        permission: 'price-lists.read',
      },
      {
        key: 'price-tester',
        path: '/catalog/price-tester',
        labelKey: 'pricing.menu.tester',
        icon: <CalculatorOutlined />,
        permission: 'price-lists.read',
      },
      {
        key: 'stock-overview',
        path: '/stock',
        labelKey: 'stock.menu.overview',
        icon: <DatabaseOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'stock-movements',
        path: '/stock/movements',
        labelKey: 'stock.menu.movements',
        icon: <SwapOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'stock-reservations',
        path: '/stock/reservations',
        labelKey: 'stock.menu.reservations',
        icon: <LockOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'stock-receipts',
        path: '/stock/receipts',
        labelKey: 'receipts.menu.receipts',
        icon: <InboxOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'cycle-counts',
        path: '/stock/counts',
        labelKey: 'receipts.menu.counts',
        icon: <AuditOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'stock-reorder',
        path: '/stock/reorder',
        labelKey: 'receipts.menu.reorder',
        icon: <AlertOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'warehouses',
        path: '/stock/warehouses',
        labelKey: 'stock.menu.warehouses',
        icon: <ShopOutlined />,
        permission: 'stock.read',
      },
      {
        key: 'unit-projects',
        path: '/catalog/unit-projects',
        labelKey: 'units.menu.projects',
        icon: <AppstoreOutlined />,
        permission: 'units.read',
      },
      {
        key: 'units',
        path: '/catalog/units',
        labelKey: 'units.menu.units',
        icon: <BuildOutlined />,
        permission: 'units.read',
      },
    ],
  },
  {
    key: 'admin',
    labelKey: 'menu.admin',
    entries: [
      {
        key: 'lead-scoring',
        path: '/admin/lead-scoring',
        labelKey: 'menu.leadScoring',
        icon: <ThunderboltOutlined />,
        permission: 'customer-settings.manage',
      },
      {
        key: 'customer-settings',
        path: '/admin/customer-settings',
        labelKey: 'menu.customerSettings',
        icon: <ControlOutlined />,
        permission: 'customer-settings.manage',
      },
      {
        key: 'loyalty-settings',
        path: '/admin/loyalty',
        labelKey: 'menu.loyaltySettings',
        icon: <GiftOutlined />,
        permission: 'customer-settings.manage',
      },
      {
        key: 'custom-fields',
        path: '/admin/custom-fields',
        labelKey: 'menu.customFields',
        icon: <FormOutlined />,
        permission: 'custom-fields.manage',
      },
      {
        key: 'users',
        path: '/admin/users',
        labelKey: 'menu.users',
        icon: <UserOutlined />,
        permission: 'users.manage',
      },
      {
        key: 'org-units',
        path: '/admin/org',
        labelKey: 'menu.orgUnits',
        icon: <ApartmentOutlined />,
        permission: 'org.manage',
      },
      {
        key: 'roles',
        path: '/admin/roles',
        labelKey: 'menu.roles',
        icon: <SafetyCertificateOutlined />,
        permission: 'roles.read',
      },
      {
        key: 'api-tokens',
        path: '/admin/api-tokens',
        labelKey: 'menu.apiTokens',
        icon: <KeyOutlined />,
        permission: 'api-tokens.manage',
      },
      {
        key: 'imports',
        path: '/admin/imports',
        labelKey: 'menu.imports',
        icon: <ImportOutlined />,
        permission: 'imports.read',
      },
      {
        key: 'approval-policies',
        path: '/admin/approval-policies',
        labelKey: 'menu.approvalPolicies',
        icon: <BranchesOutlined />,
        permission: 'approvals.manage',
      },
      {
        key: 'jobs',
        path: '/admin/jobs',
        labelKey: 'menu.jobs',
        icon: <ScheduleOutlined />,
        permission: 'jobs.read',
      },
      {
        key: 'audit',
        path: '/admin/audit',
        labelKey: 'menu.audit',
        icon: <AuditOutlined />,
        permission: 'audit.read',
      },
      {
        key: 'settings',
        path: '/admin/settings',
        labelKey: 'menu.settings',
        icon: <SettingOutlined />,
        permission: 'settings.manage',
      },
      {
        key: 'notification-channels',
        path: '/admin/notifications',
        labelKey: 'notifications.admin.menu',
        icon: <NotificationOutlined />,
        permission: 'notifications.manage',
      },
    ],
  },
];

export function visibleMenu(can: (permission: string) => boolean): MenuGroup[] {
  return menu
    .map((g) => ({ ...g, entries: g.entries.filter((e) => e.permission === 'self' || can(e.permission)) }))
    .filter((g) => g.entries.length > 0);
}
