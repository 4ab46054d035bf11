import { eq, inArray } from 'drizzle-orm';
import { defineInvoiceableSource } from '../invoicing/invoices.service.js';
import { formatQuantity } from '../stock/ledger.js';
import { salesOrderLines, salesOrders } from './schema.js';

// Order lines are invoiceable (source 'sales_order_line'): up to the ordered amount and quantity
// of a confirmed order (not a draft, not one waiting for credit approval, not a cancelled one).

defineInvoiceableSource('sales_order_line', async (db, ids) => {
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      id: salesOrderLines.id,
      amount: salesOrderLines.amount,
      quantity: salesOrderLines.quantity,
      orderId: salesOrders.id,
      customerId: salesOrders.customerId,
      contractId: salesOrders.contractId,
      state: salesOrders.state,
    })
    .from(salesOrderLines)
    .innerJoin(salesOrders, eq(salesOrders.id, salesOrderLines.orderId))
    // Ids that are not order lines simply do not come back.
    .where(inArray(salesOrderLines.id, ids));
  const open = rows.filter((r) => !['draft', 'pending_credit', 'cancelled'].includes(r.state));
  return new Map(
    open.map((r) => [
      r.id,
      {
        limitAmount: r.amount,
        limitQuantity: formatQuantity(r.quantity),
        customerId: r.customerId,
        contractId: r.contractId,
        orderId: r.orderId,
      },
    ]),
  );
});
