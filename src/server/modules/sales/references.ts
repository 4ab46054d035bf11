import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { invalidReference } from '../../platform/errors.js';
import { whereAll } from '../../platform/http/pagination.js';
import { visibleCustomers } from '../customers/customers.service.js';
import { contacts, customers } from '../customers/schema.js';

// Checks shared by the sales documents (quotes, contracts, bids) on what they point at.

/** The customer exists, is not merged away and is visible to the actor; else 400 on `customerId`. */
export async function assertVisibleCustomer(tx: Db, ctx: Ctx, customerId: string): Promise<void> {
  const [customer] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(whereAll(eq(customers.id, customerId), isNull(customers.mergedIntoId), visibleCustomers(ctx)));
  if (!customer) throw invalidReference('customerId');
}

/** The contact is an active contact of that customer; else 400 on `contactId`. */
export async function assertCustomerContact(tx: Db, customerId: string, contactId: string): Promise<void> {
  const [contact] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.customerId, customerId), isNull(contacts.archivedAt)));
  if (!contact) throw invalidReference('contactId');
}
