import { z } from 'zod';
import { auditEntry, id, listQuery } from './common.js';

export const auditQuery = listQuery
  .omit({ sort: true })
  .extend({
    actorId: id.optional(),
    entity: z.string().max(50).optional(),
    entityId: z.string().max(100).optional(),
    action: z.string().max(50).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export { auditEntry };

/** A record's history tab: its audit entries, newest first. */
export const history = z.object({ items: z.array(auditEntry) });
