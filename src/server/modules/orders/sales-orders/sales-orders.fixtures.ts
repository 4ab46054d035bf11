import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { userByName } from '../../customers/activities.fixtures.js';
import { contacts, customers } from '../../customers/schema.js';
import { contracts } from '../../sales/contracts.schema.js';
import { products } from '../catalog/schema.js';

// Builders for the order-to-cash stories: a product at a price, a customer's contact with an
// e-mail address, an active contract, a credit limit.

let n = 0;

export async function makeSellable(
  db: Db,
  input: { name: string; listPrice: number; trackingMode?: 'none' | 'batch' | 'serial'; uom?: string },
) {
  n++;
  const [p] = await db
    .insert(products)
    .values({
      sku: `SO-T-${String(n).padStart(4, '0')}-${Math.random().toString(36).slice(2, 6)}`,
      name: input.name,
      uom: input.uom ?? '台',
      listPrice: input.listPrice,
      costPrice: Math.round(input.listPrice * 0.7),
      trackingMode: input.trackingMode ?? 'none',
    })
    .returning();
  return p!;
}

export async function makeContact(
  db: Db,
  customerId: string,
  input: { name: string; email?: string; mobile?: string },
) {
  const [c] = await db
    .insert(contacts)
    .values({ customerId, name: input.name, email: input.email ?? null, mobile: input.mobile ?? null })
    .returning();
  return c!;
}

/** An active (signed) contract of the customer, owned by `owner`. */
export async function makeActiveContract(db: Db, customerId: string, owner: string, amount: number) {
  n++;
  const user = await userByName(db, owner);
  const [c] = await db
    .insert(contracts)
    .values({
      number: `C-TEST-${String(n).padStart(6, '0')}`,
      title: '年度采购合同',
      customerId,
      ourParty: '星辰汽车销售有限公司',
      amount,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      signedDate: '2026-01-05',
      ownerId: user.id,
      orgUnitId: user.orgUnitId,
      state: 'active',
    })
    .returning();
  return c!;
}

export async function setCreditLimit(db: Db, customerId: string, fen: number | null) {
  await db
    .update(customers)
    .set({ creditLimit: fen === null ? null : BigInt(fen) })
    .where(eq(customers.id, customerId));
}
