import type { Db } from '../../db/client.js';
import { actorName, type Ctx } from '../context.js';
import { auditLog } from './schema.js';

const HIDDEN = /password|token|hash|secret/i;
// Bookkeeping columns change on every write and say nothing a reader needs.
const SKIPPED = new Set(['updatedAt', 'version']);

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value ?? null;
}

/** Field-by-field difference between two versions of a row, secrets masked. */
export function diffRows(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (SKIPPED.has(key)) continue;
    const from = plain(before?.[key]);
    const to = plain(after?.[key]);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes[key] = HIDDEN.test(key)
      ? { from: from === null ? null : '***', to: to === null ? null : '***' }
      : { from, to };
  }
  return changes;
}

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Writes one audit row; call it inside the transaction of the write it describes. */
export async function recordAudit(tx: Db, ctx: Ctx, input: AuditInput): Promise<void> {
  await recordAudits(tx, ctx, [input]);
}

/** Writes the audit rows of a batch of writes (an import's batch) in one statement. */
export async function recordAudits(tx: Db, ctx: Ctx, inputs: AuditInput[]): Promise<void> {
  if (!inputs.length) return;
  await tx.insert(auditLog).values(
    inputs.map((input) => ({
      actorId: ctx.actor?.userId ?? null,
      actorName: actorName(ctx),
      action: input.action,
      entity: input.entity,
      entityId: input.entityId,
      changes: diffRows(input.before, input.after),
      requestId: ctx.requestId,
      ip: ctx.ip ?? null,
    })),
  );
}
