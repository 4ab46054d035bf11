import type { SalesOrderSummary } from '../../../../contracts/sales-orders.js';
import { salesOrderListQuery } from '../../../../contracts/sales-orders.js';
import { fenToYuan } from '../../../platform/import-export/cells.js';
import { defineExporter, everyPage, type Label } from '../../../platform/import-export/definitions.js';
import { PRICES_PERMISSION } from './prices.js';
import { listSalesOrders } from './sales-orders.queries.js';

// 销售订单 → Excel, with the list's filters and scope.

const STATE_LABELS: Record<SalesOrderSummary['state'], Label> = {
  draft: { 'zh-CN': '草稿', en: 'Draft' },
  pending_credit: { 'zh-CN': '信用审批中', en: 'Credit approval' },
  confirmed: { 'zh-CN': '已确认', en: 'Confirmed' },
  partially_shipped: { 'zh-CN': '部分发货', en: 'Partially shipped' },
  shipped: { 'zh-CN': '已发货', en: 'Shipped' },
  completed: { 'zh-CN': '已完成', en: 'Completed' },
  cancelled: { 'zh-CN': '已取消', en: 'Cancelled' },
};
const CHANNEL_LABELS: Record<SalesOrderSummary['channel'], Label> = {
  direct: { 'zh-CN': '直销', en: 'Direct' },
  store: { 'zh-CN': '门店', en: 'Store' },
  online: { 'zh-CN': '线上', en: 'Online' },
  partner: { 'zh-CN': '渠道', en: 'Partner' },
};

defineExporter({
  entity: 'sales-orders',
  label: { 'zh-CN': '销售订单', en: 'Sales orders' },
  path: '/sales-orders',
  permission: 'sales-orders.read',
  query: salesOrderListQuery.omit({ limit: true, cursor: true }),
  columns: [
    { key: 'number', label: { 'zh-CN': '订单号', en: 'Number' }, value: (r: SalesOrderSummary) => r.number },
    { key: 'orderDate', label: { 'zh-CN': '下单日期', en: 'Order date' }, value: (r) => r.orderDate },
    { key: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, value: (r) => r.customerName },
    {
      key: 'channel',
      label: { 'zh-CN': '渠道', en: 'Channel' },
      value: (r, l) => CHANNEL_LABELS[r.channel][l],
    },
    { key: 'state', label: { 'zh-CN': '状态', en: 'State' }, value: (r, l) => STATE_LABELS[r.state][l] },
    {
      key: 'shortage',
      label: { 'zh-CN': '缺货', en: 'Shortage' },
      value: (r, l) => (r.shortage ? (l === 'zh-CN' ? '是' : 'Yes') : ''),
    },
    {
      key: 'total',
      label: { 'zh-CN': '金额（元）', en: 'Total (yuan)' },
      value: (r) => (r.total === undefined ? null : fenToYuan(r.total)),
      // Prices are sensitive: without sales-orders.prices the column is left out.
      permission: PRICES_PERMISSION,
    },
    { key: 'owner', label: { 'zh-CN': '负责人', en: 'Owner' }, value: (r) => r.ownerName },
    { key: 'orgUnit', label: { 'zh-CN': '所属部门', en: 'Org unit' }, value: (r) => r.orgUnitName },
  ],
  rows: everyPage(listSalesOrders),
});
