import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import type { Locale } from 'antd/es/locale/index.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { LoginPage } from '../modules/platform/LoginPage.js';
import { WorkbenchPage } from '../modules/platform/WorkbenchPage.js';
// Registers the customer page's 商机 tab (the customer page is lazy; the registry must be filled first).
import '../modules/sales/OpportunitiesTab.js';
import '../modules/sales/QuotesTab.js';
import { Shell } from './Shell.js';
import { SessionProvider, useSession, useSetupState } from './session.js';
import { theme } from './theme.js';

// antd ships these as ES modules without "type": "module"; TypeScript sees a CommonJS wrapper, Vite the locale.
const esDefault = <T,>(m: T): Locale =>
  'default' in (m as object) ? (m as { default: Locale }).default : (m as Locale);
const zhCN = esDefault(zhCNModule);
const enUS = esDefault(enUSModule);

// Pages beyond the first screen load on demand, keeping the first download small for phones.
const SetupPage = lazy(() =>
  import('../modules/platform/SetupPage.js').then((m) => ({ default: m.SetupPage })),
);
const TrackingPage = lazy(() =>
  import('../modules/orders/TrackingPage.js').then((m) => ({ default: m.TrackingPage })),
);
const DirectoryPage = lazy(() =>
  import('../modules/org/DirectoryPage.js').then((m) => ({ default: m.DirectoryPage })),
);
const OrgPage = lazy(() => import('../modules/org/OrgPage.js').then((m) => ({ default: m.OrgPage })));
const UsersPage = lazy(() => import('../modules/org/UsersPage.js').then((m) => ({ default: m.UsersPage })));
const ApiTokensPage = lazy(() =>
  import('../modules/platform/ApiTokensPage.js').then((m) => ({ default: m.ApiTokensPage })),
);
const AuditPage = lazy(() =>
  import('../modules/platform/AuditPage.js').then((m) => ({ default: m.AuditPage })),
);
const ProfilePage = lazy(() =>
  import('../modules/platform/ProfilePage.js').then((m) => ({ default: m.ProfilePage })),
);
const RolesPage = lazy(() =>
  import('../modules/platform/RolesPage.js').then((m) => ({ default: m.RolesPage })),
);
const NotificationsPage = lazy(() =>
  import('../modules/platform/NotificationsPage.js').then((m) => ({ default: m.NotificationsPage })),
);
const NotificationPreferencesPage = lazy(() =>
  import('../modules/platform/NotificationPreferencesPage.js').then((m) => ({
    default: m.NotificationPreferencesPage,
  })),
);
const NotificationChannelsPage = lazy(() =>
  import('../modules/platform/NotificationChannelsPage.js').then((m) => ({
    default: m.NotificationChannelsPage,
  })),
);
const ImportsPage = lazy(() =>
  import('../modules/platform/ImportsPage.js').then((m) => ({ default: m.ImportsPage })),
);
const ApprovalsPage = lazy(() =>
  import('../modules/platform/ApprovalsPage.js').then((m) => ({ default: m.ApprovalsPage })),
);
const ApprovalPoliciesPage = lazy(() =>
  import('../modules/platform/ApprovalPoliciesPage.js').then((m) => ({ default: m.ApprovalPoliciesPage })),
);
const JobsPage = lazy(() => import('../modules/platform/JobsPage.js').then((m) => ({ default: m.JobsPage })));
const SettingsPage = lazy(() =>
  import('../modules/platform/SettingsPage.js').then((m) => ({ default: m.SettingsPage })),
);
const DueFollowUpsPage = lazy(() =>
  import('../modules/customers/DueFollowUpsPage.js').then((m) => ({ default: m.DueFollowUpsPage })),
);
const PoolPage = lazy(() =>
  import('../modules/customers/PoolPage.js').then((m) => ({ default: m.PoolPage })),
);
const ComplaintsPage = lazy(() =>
  import('../modules/customers/ComplaintsPage.js').then((m) => ({ default: m.ComplaintsPage })),
);
const QuotesPage = lazy(() =>
  import('../modules/sales/QuotesPage.js').then((m) => ({ default: m.QuotesPage })),
);
const QuoteFormPage = lazy(() =>
  import('../modules/sales/QuoteFormPage.js').then((m) => ({ default: m.QuoteFormPage })),
);
const QuoteDetailPage = lazy(() =>
  import('../modules/sales/QuoteDetailPage.js').then((m) => ({ default: m.QuoteDetailPage })),
);
const BidsPage = lazy(() => import('../modules/sales/BidsPage.js').then((m) => ({ default: m.BidsPage })));
const BidFormPage = lazy(() =>
  import('../modules/sales/BidFormPage.js').then((m) => ({ default: m.BidFormPage })),
);
const BidDetailPage = lazy(() =>
  import('../modules/sales/BidDetailPage.js').then((m) => ({ default: m.BidDetailPage })),
);
const ContractsPage = lazy(() =>
  import('../modules/sales/ContractsPage.js').then((m) => ({ default: m.ContractsPage })),
);
const ContractFormPage = lazy(() =>
  import('../modules/sales/ContractFormPage.js').then((m) => ({ default: m.ContractFormPage })),
);
const ContractDetailPage = lazy(() =>
  import('../modules/sales/ContractDetailPage.js').then((m) => ({ default: m.ContractDetailPage })),
);
const ContractLedgerPage = lazy(() =>
  import('../modules/sales/ContractLedgerPage.js').then((m) => ({ default: m.ContractLedgerPage })),
);
const OpportunitiesPage = lazy(() =>
  import('../modules/sales/OpportunitiesPage.js').then((m) => ({ default: m.OpportunitiesPage })),
);
const DirectorDashboardPage = lazy(() =>
  import('../modules/analytics/DashboardPage.js').then((m) => ({ default: m.DirectorDashboardPage })),
);
const ManagerDashboardPage = lazy(() =>
  import('../modules/analytics/DashboardPage.js').then((m) => ({ default: m.ManagerDashboardPage })),
);
const RepDashboardPage = lazy(() =>
  import('../modules/analytics/DashboardPage.js').then((m) => ({ default: m.RepDashboardPage })),
);
const ForecastPage = lazy(() =>
  import('../modules/sales/ForecastPage.js').then((m) => ({ default: m.ForecastPage })),
);
const OpportunityDetailPage = lazy(() =>
  import('../modules/sales/OpportunityDetailPage.js').then((m) => ({ default: m.OpportunityDetailPage })),
);
const PipelinesPage = lazy(() =>
  import('../modules/sales/PipelinesPage.js').then((m) => ({ default: m.PipelinesPage })),
);
const PlaybooksPage = lazy(() =>
  import('../modules/sales/PlaybooksPage.js').then((m) => ({ default: m.PlaybooksPage })),
);
const ContactsPage = lazy(() =>
  import('../modules/customers/ContactsPage.js').then((m) => ({ default: m.ContactsPage })),
);
const CustomFieldsPage = lazy(() =>
  import('../modules/platform/CustomFieldsPage.js').then((m) => ({ default: m.CustomFieldsPage })),
);
const MissingReviewsPage = lazy(() =>
  import('../modules/customers/MissingReviewsPage.js').then((m) => ({ default: m.MissingReviewsPage })),
);
const LoyaltySettingsPage = lazy(() =>
  import('../modules/customers/LoyaltySettingsPage.js').then((m) => ({ default: m.LoyaltySettingsPage })),
);
const CustomerSettingsPage = lazy(() =>
  import('../modules/customers/CustomerSettingsPage.js').then((m) => ({ default: m.CustomerSettingsPage })),
);

const LeadsPage = lazy(() =>
  import('../modules/customers/LeadsPage.js').then((m) => ({ default: m.LeadsPage })),
);
const ReceptionPage = lazy(() =>
  import('../modules/customers/ReceptionPage.js').then((m) => ({ default: m.ReceptionPage })),
);
const LeadScoringPage = lazy(() =>
  import('../modules/customers/LeadScoringPage.js').then((m) => ({ default: m.LeadScoringPage })),
);

const CustomersPage = lazy(() =>
  import('../modules/customers/CustomersPage.js').then((m) => ({ default: m.CustomersPage })),
);
const CustomerDetailPage = lazy(() =>
  import('../modules/customers/CustomerDetailPage.js').then((m) => ({ default: m.CustomerDetailPage })),
);

const MyDayPage = lazy(() =>
  import('../modules/customers/MyDayPage.js').then((m) => ({ default: m.MyDayPage })),
);
const CalendarPage = lazy(() =>
  import('../modules/customers/CalendarPage.js').then((m) => ({ default: m.CalendarPage })),
);
const VisitPlansPage = lazy(() =>
  import('../modules/customers/VisitPlanPage.js').then((m) => ({ default: m.VisitPlansPage })),
);
const VisitPlanPage = lazy(() =>
  import('../modules/customers/VisitPlanPage.js').then((m) => ({ default: m.VisitPlanPage })),
);

const ProductsPage = lazy(() =>
  import('../modules/orders/ProductsPage.js').then((m) => ({ default: m.ProductsPage })),
);
const ProductDetailPage = lazy(() =>
  import('../modules/orders/ProductDetailPage.js').then((m) => ({ default: m.ProductDetailPage })),
);
const CategoriesPage = lazy(() =>
  import('../modules/orders/CategoriesPage.js').then((m) => ({ default: m.CategoriesPage })),
);
const StockPage = lazy(() =>
  import('../modules/orders/StockPage.js').then((m) => ({ default: m.StockPage })),
);
const MovementsPage = lazy(() =>
  import('../modules/orders/MovementsPage.js').then((m) => ({ default: () => <m.MovementsPage /> })),
);
const ReservationsPage = lazy(() =>
  import('../modules/orders/ReservationsPage.js').then((m) => ({ default: m.ReservationsPage })),
);
const WarehousesPage = lazy(() =>
  import('../modules/orders/WarehousesPage.js').then((m) => ({ default: m.WarehousesPage })),
);
const ReceiptsPage = lazy(() =>
  import('../modules/orders/ReceiptsPage.js').then((m) => ({ default: m.ReceiptsPage })),
);
const ReceiptFormPage = lazy(() =>
  import('../modules/orders/ReceiptFormPage.js').then((m) => ({ default: m.ReceiptFormPage })),
);
const InvoicesPage = lazy(() =>
  import('../modules/orders/InvoicesPage.js').then((m) => ({ default: m.InvoicesPage })),
);
const InvoiceDetailPage = lazy(() =>
  import('../modules/orders/InvoiceDetailPage.js').then((m) => ({ default: m.InvoiceDetailPage })),
);
const TargetPlansPage = lazy(() =>
  import('../modules/strategy/TargetPlansPage.js').then((m) => ({ default: m.TargetPlansPage })),
);
const TargetPlanPage = lazy(() =>
  import('../modules/strategy/TargetPlanPage.js').then((m) => ({ default: m.TargetPlanPage })),
);
const TargetAgreementsPage = lazy(() =>
  import('../modules/strategy/TargetAgreementsPage.js').then((m) => ({ default: m.TargetAgreementsPage })),
);
const ForecastVsTargetPage = lazy(() =>
  import('../modules/strategy/ForecastVsTargetPage.js').then((m) => ({ default: m.ForecastVsTargetPage })),
);
const ReturnsPage = lazy(() =>
  import('../modules/orders/ReturnsPage.js').then((m) => ({ default: m.ReturnsPage })),
);
const ReturnDetailPage = lazy(() =>
  import('../modules/orders/ReturnDetailPage.js').then((m) => ({ default: m.ReturnDetailPage })),
);
const InvoiceFormPage = lazy(() =>
  import('../modules/orders/InvoiceFormPage.js').then((m) => ({ default: m.InvoiceFormPage })),
);
const PaymentsPage = lazy(() =>
  import('../modules/orders/PaymentsPage.js').then((m) => ({ default: m.PaymentsPage })),
);
const ReceivablesPage = lazy(() =>
  import('../modules/orders/ReceivablesPage.js').then((m) => ({ default: m.ReceivablesPage })),
);
const ReceiptDetailPage = lazy(() =>
  import('../modules/orders/ReceiptDetailPage.js').then((m) => ({ default: m.ReceiptDetailPage })),
);
const CycleCountsPage = lazy(() =>
  import('../modules/orders/CycleCountsPage.js').then((m) => ({ default: m.CycleCountsPage })),
);
const CycleCountPage = lazy(() =>
  import('../modules/orders/CycleCountPage.js').then((m) => ({ default: m.CycleCountPage })),
);
const ReorderPage = lazy(() =>
  import('../modules/orders/ReorderPage.js').then((m) => ({ default: m.ReorderPage })),
);
const UnitProjectsPage = lazy(() =>
  import('../modules/orders/UnitProjectsPage.js').then((m) => ({ default: m.UnitProjectsPage })),
);
const UnitProjectPage = lazy(() =>
  import('../modules/orders/UnitProjectPage.js').then((m) => ({ default: m.UnitProjectPage })),
);
const SalesOrdersPage = lazy(() =>
  import('../modules/orders/SalesOrdersPage.js').then((m) => ({ default: m.SalesOrdersPage })),
);
const SalesOrderFormPage = lazy(() =>
  import('../modules/orders/SalesOrderFormPage.js').then((m) => ({ default: m.SalesOrderFormPage })),
);
const SalesOrderDetailPage = lazy(() =>
  import('../modules/orders/SalesOrderDetailPage.js').then((m) => ({ default: m.SalesOrderDetailPage })),
);
const ShipmentProductionRequestsPage = lazy(() =>
  import('../modules/orders/ShipmentProductionRequestsPage.js').then((m) => ({
    default: m.ShipmentProductionRequestsPage,
  })),
);
const UnitsPage = lazy(() =>
  import('../modules/orders/UnitsPage.js').then((m) => ({ default: m.UnitsPage })),
);
const PriceListsPage = lazy(() =>
  import('../modules/orders/PriceListsPage.js').then((m) => ({ default: m.PriceListsPage })),
);
const PriceListPage = lazy(() =>
  import('../modules/orders/PriceListPage.js').then((m) => ({ default: m.PriceListPage })),
);
const PriceListTesterPage = lazy(() =>
  import('../modules/orders/PriceListTesterPage.js').then((m) => ({ default: m.PriceListTesterPage })),
);

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
});

const centered = { display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: '100vh' };

/** Sends visitors to setup on first run and to login when signed out. */
function Gate({ children }: { children: ReactNode }) {
  const setup = useSetupState();
  const { me, loading } = useSession();
  const location = useLocation();
  if (setup.isPending || loading) {
    return (
      <div style={centered}>
        <Spin size="large" />
      </div>
    );
  }
  if (setup.data?.needed) return location.pathname === '/setup' ? children : <Navigate to="/setup" replace />;
  // The public order tracking page: open to customers without an account and to signed-in users.
  if (location.pathname === '/track') return children;
  const open = location.pathname === '/login';
  if (!me && !open) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (me && (open || location.pathname === '/setup')) return <Navigate to="/" replace />;
  return children;
}

/** A page that needs a permission the user lacks shows "forbidden" rather than a broken page. */
function Guard({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession();
  const { t } = useTranslation();
  return can(permission) ? children : <Result status="403" title="403" subTitle={t('common.forbidden')} />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'zh-CN' ? zhCN : enUS} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <BrowserRouter>
              <Gate>
                <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
                  <Routes>
                    <Route path="/setup" element={<SetupPage />} />
                    <Route path="/login" element={<LoginPage />} />
                    <Route path="/track" element={<TrackingPage />} />
                    <Route element={<Shell />}>
                      <Route index element={<WorkbenchPage />} />
                      <Route path="me" element={<ProfilePage />} />
                      <Route path="me/notifications" element={<NotificationPreferencesPage />} />
                      <Route path="notifications" element={<NotificationsPage />} />
                      <Route path="approvals" element={<ApprovalsPage />} />
                      <Route path="approvals/:id" element={<ApprovalsPage />} />
                      <Route
                        path="admin/approval-policies"
                        element={
                          <Guard permission="approvals.manage">
                            <ApprovalPoliciesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/jobs"
                        element={
                          <Guard permission="jobs.read">
                            <JobsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/notifications"
                        element={
                          <Guard permission="notifications.manage">
                            <NotificationChannelsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="directory"
                        element={
                          <Guard permission="users.read">
                            <DirectoryPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/users"
                        element={
                          <Guard permission="users.manage">
                            <UsersPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/org"
                        element={
                          <Guard permission="org.manage">
                            <OrgPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/roles"
                        element={
                          <Guard permission="roles.read">
                            <RolesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/api-tokens"
                        element={
                          <Guard permission="api-tokens.manage">
                            <ApiTokensPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/imports"
                        element={
                          <Guard permission="imports.read">
                            <ImportsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/audit"
                        element={
                          <Guard permission="audit.read">
                            <AuditPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/settings"
                        element={
                          <Guard permission="settings.manage">
                            <SettingsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="customers/due"
                        element={
                          <Guard permission="customers.read">
                            <DueFollowUpsPage />
                          </Guard>
                        }
                      />
                      <Route path="customers/pool" element={<PoolPage />} />
                      <Route
                        path="my-day"
                        element={
                          <Guard permission="visit-plans.read">
                            <MyDayPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="calendar"
                        element={
                          <Guard permission="activities.read">
                            <CalendarPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="visit-plans"
                        element={
                          <Guard permission="visit-plans.read">
                            <VisitPlansPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="visit-plans/:id"
                        element={
                          <Guard permission="visit-plans.read">
                            <VisitPlanPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/opportunities"
                        element={
                          <Guard permission="opportunities.read">
                            <OpportunitiesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="dashboards/director"
                        element={
                          <Guard permission="dashboards.director">
                            <DirectorDashboardPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="dashboards/manager"
                        element={
                          <Guard permission="dashboards.manager">
                            <ManagerDashboardPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="dashboards/rep"
                        element={
                          <Guard permission="dashboards.rep">
                            <RepDashboardPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/forecast"
                        element={
                          <Guard permission="opportunities.read">
                            <ForecastPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/opportunities/:id"
                        element={
                          <Guard permission="opportunities.read">
                            <OpportunityDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/pipelines"
                        element={
                          <Guard permission="pipelines.read">
                            <PipelinesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/pipelines/:id/playbooks"
                        element={
                          <Guard permission="pipelines.read">
                            <PlaybooksPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/bids"
                        element={
                          <Guard permission="bids.read">
                            <BidsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/bids/new"
                        element={
                          <Guard permission="bids.create">
                            <BidFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/bids/:id"
                        element={
                          <Guard permission="bids.read">
                            <BidDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/bids/:id/edit"
                        element={
                          <Guard permission="bids.update">
                            <BidFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/quotes"
                        element={
                          <Guard permission="quotes.read">
                            <QuotesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/quotes/new"
                        element={
                          <Guard permission="quotes.create">
                            <QuoteFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/quotes/:id"
                        element={
                          <Guard permission="quotes.read">
                            <QuoteDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/quotes/:id/edit"
                        element={
                          <Guard permission="quotes.update">
                            <QuoteFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/contracts"
                        element={
                          <Guard permission="contracts.read">
                            <ContractsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/contracts/new"
                        element={
                          <Guard permission="contracts.create">
                            <ContractFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/contracts/:id"
                        element={
                          <Guard permission="contracts.read">
                            <ContractDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/contracts/:id/edit"
                        element={
                          <Guard permission="contracts.update">
                            <ContractFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/sales-orders"
                        element={
                          <Guard permission="sales-orders.read">
                            <SalesOrdersPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/sales-orders/new"
                        element={
                          <Guard permission="sales-orders.create">
                            <SalesOrderFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/sales-orders/:id"
                        element={
                          <Guard permission="sales-orders.read">
                            <SalesOrderDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/sales-orders/:id/edit"
                        element={
                          <Guard permission="sales-orders.update">
                            <SalesOrderFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/production-requests"
                        element={
                          <Guard permission="production-requests.read">
                            <ShipmentProductionRequestsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/invoices"
                        element={
                          <Guard permission="invoices.read">
                            <InvoicesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/invoices/new"
                        element={
                          <Guard permission="invoices.create">
                            <InvoiceFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/invoices/:id"
                        element={
                          <Guard permission="invoices.read">
                            <InvoiceDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="targets"
                        element={
                          <Guard permission="targets.read">
                            <TargetPlansPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="targets/plans/:id"
                        element={
                          <Guard permission="targets.read">
                            <TargetPlanPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="targets/agreements"
                        element={
                          <Guard permission="target-agreements.read">
                            <TargetAgreementsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="targets/forecast"
                        element={
                          <Guard permission="forecast-commits.read">
                            <ForecastVsTargetPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/returns"
                        element={
                          <Guard permission="returns.read">
                            <ReturnsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/returns/:id"
                        element={
                          <Guard permission="returns.read">
                            <ReturnDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/payments"
                        element={
                          <Guard permission="payments.read">
                            <PaymentsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="orders/receivables"
                        element={
                          <Guard permission="receivables.read">
                            <ReceivablesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="sales/contract-ledger"
                        element={
                          <Guard permission="contracts.read">
                            <ContractLedgerPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="complaints"
                        element={
                          <Guard permission="complaints.read">
                            <ComplaintsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="complaints/:id"
                        element={
                          <Guard permission="complaints.read">
                            <ComplaintsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="contacts"
                        element={
                          <Guard permission="customers.read">
                            <ContactsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/custom-fields"
                        element={
                          <Guard permission="custom-fields.manage">
                            <CustomFieldsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="customers/reviews-missing"
                        element={
                          <Guard permission="customers.read">
                            <MissingReviewsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/loyalty"
                        element={
                          <Guard permission="customer-settings.manage">
                            <LoyaltySettingsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/customer-settings"
                        element={
                          <Guard permission="customer-settings.manage">
                            <CustomerSettingsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="leads"
                        element={
                          <Guard permission="leads.read">
                            <LeadsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="leads/:id"
                        element={
                          <Guard permission="leads.read">
                            <LeadsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="leads/reception"
                        element={
                          <Guard permission="leads.create">
                            <ReceptionPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="admin/lead-scoring"
                        element={
                          <Guard permission="customer-settings.manage">
                            <LeadScoringPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="customers"
                        element={
                          <Guard permission="customers.read">
                            <CustomersPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="customers/:id"
                        element={
                          <Guard permission="customers.read">
                            <CustomerDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock"
                        element={
                          <Guard permission="stock.read">
                            <StockPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/movements"
                        element={
                          <Guard permission="stock.read">
                            <MovementsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/reservations"
                        element={
                          <Guard permission="stock.read">
                            <ReservationsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/warehouses"
                        element={
                          <Guard permission="stock.read">
                            <WarehousesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/receipts"
                        element={
                          <Guard permission="stock.read">
                            <ReceiptsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/receipts/new"
                        element={
                          <Guard permission="stock.receive">
                            <ReceiptFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/receipts/:id"
                        element={
                          <Guard permission="stock.read">
                            <ReceiptDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/receipts/:id/edit"
                        element={
                          <Guard permission="stock.receive">
                            <ReceiptFormPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/counts"
                        element={
                          <Guard permission="stock.read">
                            <CycleCountsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/counts/:id"
                        element={
                          <Guard permission="stock.read">
                            <CycleCountPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="stock/reorder"
                        element={
                          <Guard permission="stock.read">
                            <ReorderPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/products"
                        element={
                          <Guard permission="products.read">
                            <ProductsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/products/:id"
                        element={
                          <Guard permission="products.read">
                            <ProductDetailPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/categories"
                        element={
                          <Guard permission="products.read">
                            <CategoriesPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/price-lists"
                        element={
                          <Guard permission="price-lists.read">
                            <PriceListsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/price-lists/:id"
                        element={
                          <Guard permission="price-lists.read">
                            <PriceListPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/price-tester"
                        element={
                          <Guard permission="price-lists.read">
                            <PriceListTesterPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/unit-projects"
                        element={
                          <Guard permission="units.read">
                            <UnitProjectsPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/unit-projects/:id"
                        element={
                          <Guard permission="units.read">
                            <UnitProjectPage />
                          </Guard>
                        }
                      />
                      <Route
                        path="catalog/units"
                        element={
                          <Guard permission="units.read">
                            <UnitsPage />
                          </Guard>
                        }
                      />
                      <Route path="*" element={<NotFound />} />
                    </Route>
                  </Routes>
                </Suspense>
              </Gate>
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
