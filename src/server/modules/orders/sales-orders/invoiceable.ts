import { Decimal } from 'decimal.js';
import { eq, inArray } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { contracts } from '../../sales/contracts.schema.js';
import { defineInvoiceableSource } from '../invoicing/invoices.service.js';
import { returnedForInvoicing } from '../returns/returns.service.js';
import { formatQuantity } from '../stock/ledger.js';
import { salesOrderLines, salesOrders } from './schema.js';

// Order lines are invoiceable (source 'sales_order_line'): up to the ordered amount and quantity
// of a confirmed order (not a draft, not one waiting for credit approval, not a cancelled one).
// Goods returned and received come off the ceiling; a credit note gives its amount back.
// Orders under a contract are not: the contract's installments are its receivables and are
// invoiced themselves (source 'contract'); billing the order too would count the money twice.

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
      contractNumber: contracts.number,
      orderNumber: salesOrders.number,
      state: salesOrders.state,
    })
    .from(salesOrderLines)
    .innerJoin(salesOrders, eq(salesOrders.id, salesOrderLines.orderId))
    .leftJoin(contracts, eq(contracts.id, salesOrders.contractId))
    // Ids that are not order lines simply do not come back.
    .where(inArray(salesOrderLines.id, ids));
  const underContract = rows.find((r) => r.contractId);
  if (underContract) {
    throw new AppError('invoice_contract_order', {
      order: underContract.orderNumber,
      contract: underContract.contractNumber,
    });
  }
  const open = rows.filter((r) => !['draft', 'pending_credit', 'cancelled'].includes(r.state));
  // Goods returned (and received) are no longer there to invoice.
  const returned = await returnedForInvoicing(
    db,
    open.map((r) => r.id),
  );
  return new Map(
    open.map((r) => [
      r.id,
      {
        limitAmount: r.amount - (returned.get(r.id)?.amount ?? 0),
        limitQuantity: formatQuantity(new Decimal(r.quantity).minus(returned.get(r.id)?.quantity ?? 0)),
        customerId: r.customerId,
        contractId: r.contractId,
        orderId: r.orderId,
      },
    ]),
  );
});
