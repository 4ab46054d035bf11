import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defineAttachable } from '../../platform/files/attachables.js';
import { isVisibleCustomer } from './customers.service.js';
import { customers } from './schema.js';

// Files on a customer (business licence, contracts scanned on a visit) follow the customer's
// data scope; a merged customer's files have moved to the survivor and it takes no new ones.
defineAttachable('customer', {
  readPermission: 'customers.read',
  writePermission: 'customers.update',
  canRead: isVisibleCustomer,
  canWrite: async (db: Db, _ctx, id) => {
    const [row] = await db
      .select({ mergedIntoId: customers.mergedIntoId })
      .from(customers)
      .where(eq(customers.id, id));
    return !row?.mergedIntoId;
  },
});
