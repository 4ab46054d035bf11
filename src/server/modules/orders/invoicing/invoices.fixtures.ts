import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { creditCodeCheckChar } from '../../customers/credit-code.js';
import { customers } from '../../customers/schema.js';
import { contractInstallments, contracts } from '../../sales/contracts.schema.js';

// Test fixtures for invoicing: a customer with fapiao details and an active contract with
// installments, written straight to the database.

let seq = 0;

/** A well-formed unified social credit code, different on each call. */
export function creditCode(): string {
  const body = `91310000MA1F${String(++seq).padStart(5, '0')}`;
  return body + creditCodeCheckChar(body);
}

export async function makeInvoiceCustomer(db: Db, owner: string, name = `开票客户${++seq}`) {
  const c = await makeCustomer(db, { name, owner });
  const [updated] = await db
    .update(customers)
    .set({ creditCode: creditCode(), address: '上海市浦东新区世纪大道 100 号', phone: '021-58880000' })
    .where(eq(customers.id, c.id))
    .returning();
  return updated!;
}

/** An active contract (tax 13%) for the customer with installments of the given amounts (fen). */
export async function makeContract(db: Db, customerId: string, owner: string, installments: number[]) {
  const user = await userByName(db, owner);
  const amount = installments.reduce((s, a) => s + a, 0);
  const [contract] = await db
    .insert(contracts)
    .values({
      number: `C-TEST-${String(++seq).padStart(6, '0')}`,
      title: '车辆采购合同',
      customerId,
      ourParty: '星辰汽车销售有限公司',
      amount,
      taxRate: '13',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      signedDate: '2026-01-05',
      state: 'active',
      ownerId: user.id,
      orgUnitId: user.orgUnitId,
    })
    .returning();
  const rows = await db
    .insert(contractInstallments)
    .values(
      installments.map((a, i) => ({
        contractId: contract!.id,
        seq: i + 1,
        dueDate: `2026-0${i + 2}-15`,
        amount: a,
      })),
    )
    .returning();
  return { contract: contract!, installments: rows.sort((a, b) => a.seq - b.seq) };
}
