import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { auditQuery } from '../../../contracts/audit.js';
import type { Db } from '../../db/client.js';
import { containsPattern, keyset, whereAll } from '../http/pagination.js';
import { auditLog } from './schema.js';

type AuditRow = typeof auditLog.$inferSelect;

function present(row: AuditRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    changes: row.changes,
    requestId: row.requestId,
  };
}

/**
 * The company-wide audit log, newest first. Ids are UUIDv7 (time-ordered), so the id alone is
 * the keyset and the page costs the same at any depth.
 */
export async function listAudit(db: Db, query: z.infer<typeof auditQuery>) {
  const page = keyset({ ...query, sort: '-id' }, { id: auditLog.id }, auditLog.id, '-id');
  const q = containsPattern(query.q);
  const filter = whereAll(
    query.actorId ? eq(auditLog.actorId, query.actorId) : undefined,
    query.entity ? eq(auditLog.entity, query.entity) : undefined,
    query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.from ? gte(auditLog.at, new Date(query.from)) : undefined,
    query.to ? lt(auditLog.at, new Date(query.to)) : undefined,
    q ? or(ilike(auditLog.actorName, q), ilike(auditLog.entityId, q), ilike(auditLog.action, q)) : undefined,
  );
  const rows = await db
    .select()
    .from(auditLog)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(auditLog).where(filter);
  const result = page.page(rows, n, (r) => [r.id, r.id]);
  return { ...result, items: result.items.map(present) };
}

/** One record's history, newest first (the caller has already checked the record is visible). */
export async function recordHistory(db: Db, entity: string, entityId: string, extra?: SQL) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, entityId), extra))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(500);
  return { items: rows.map(present) };
}
