import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { defineAttachable } from '../../../platform/files/attachables.js';
import { productExists } from './products.service.js';
import { products } from './schema.js';

// Product pictures (and spec sheets) are attachments of the product: every catalog reader sees
// them, whoever may change products adds and removes them, not on an archived product.
defineAttachable('product', {
  readPermission: 'products.read',
  writePermission: 'products.update',
  canRead: (db: Db, _ctx, id) => productExists(db, id),
  canWrite: async (db: Db, _ctx, id) => {
    const [row] = await db.select({ status: products.status }).from(products).where(eq(products.id, id));
    return row?.status === 'active';
  },
});
