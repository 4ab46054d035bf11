import type { Db } from '../../../db/client.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { contractInstallments, contracts } from '../../sales/contracts.schema.js';
import { invoices } from '../invoicing/schema.js';

let n = 0;
// Days in the company's time zone (the test company is in Shanghai), as the services count them.
const daysAgo = (d: number) => dayIn('Asia/Shanghai', new Date(Date.now() - d * 86_400_000));

/** A customer of `owner` with an active contract whose installments are due the given days ago (negative: ahead). */
export async function customerWithInstallments(
  db: Db,
  owner: string,
  plan: { amount: number; dueDaysAgo: number }[],
) {
  const customer = await makeCustomer(db, { name: `回款客户${++n}`, owner });
  const u = await userByName(db, owner);
  const total = plan.reduce((s, p) => s + p.amount, 0);
  const [contract] = await db
    .insert(contracts)
    .values({
      number: `C-TEST-${String(n).padStart(6, '0')}`,
      title: '分期买卖合同',
      customerId: customer.id,
      ourParty: '星辰汽车销售有限公司',
      amount: total,
      startDate: daysAgo(200),
      endDate: daysAgo(-200),
      signedDate: daysAgo(200),
      ownerId: u.id,
      orgUnitId: u.orgUnitId,
      state: 'active',
    })
    .returning();
  const installments = await db
    .insert(contractInstallments)
    .values(
      plan.map((p, i) => ({
        contractId: contract!.id,
        seq: i + 1,
        dueDate: daysAgo(p.dueDaysAgo),
        amount: p.amount,
      })),
    )
    .returning();
  return { customer, contract: contract!, installments };
}

/** An issued invoice of the customer, due `dueDaysAgo` days ago. */
export async function issuedInvoice(
  db: Db,
  customerId: string,
  owner: string,
  total: number,
  dueDaysAgo: number,
) {
  const u = await userByName(db, owner);
  const [inv] = await db
    .insert(invoices)
    .values({
      number: `INV-TEST-${String(++n).padStart(6, '0')}`,
      customerId,
      buyerTitle: '测试买方',
      total,
      issueDate: daysAgo(dueDaysAgo + 30),
      dueDate: daysAgo(dueDaysAgo),
      state: 'issued',
      ownerId: u.id,
      orgUnitId: u.orgUnitId,
    })
    .returning();
  return inv!;
}
