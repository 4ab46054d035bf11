import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { approvalPolicyUpdate } from '../../../contracts/approvals.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { roles } from '../access/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, type FieldError, notFound, versionConflict } from '../errors.js';
import { type ApprovalTypeDefinition, approvalType, approvalTypes } from './registry.js';
import { approvalPolicies } from './schema.js';

type PolicyUpdate = z.infer<typeof approvalPolicyUpdate>;
type PolicyRow = typeof approvalPolicies.$inferSelect;

const NUMERIC_OPS = new Set(['gt', 'gte', 'lt', 'lte', 'eq', 'ne']);

function present(type: ApprovalTypeDefinition, row: PolicyRow | undefined) {
  return {
    docType: type.docType,
    label: type.label,
    facts: type.facts,
    active: row ? row.active : !!type.defaultRules?.length,
    rules: row ? row.rules : (type.defaultRules ?? []),
    version: row?.version ?? 0,
  };
}

export async function listPolicies(db: Db) {
  const rows = await db.select().from(approvalPolicies);
  const byType = new Map(rows.map((r) => [r.docType, r]));
  return { items: approvalTypes().map((t) => present(t, byType.get(t.docType))) };
}

/** Every condition names a fact the type declares, with an operator and value of its kind. */
async function validateRules(
  db: Db,
  type: ApprovalTypeDefinition,
  rules: PolicyUpdate['rules'],
): Promise<void> {
  const errors: FieldError[] = [];
  const facts = new Map(type.facts.map((f) => [f.key, f.type]));
  rules.forEach((rule, r) => {
    rule.conditions.forEach((c, i) => {
      const path = `rules.${r}.conditions.${i}`;
      const kind = facts.get(c.fact);
      if (!kind) {
        errors.push({
          path: `${path}.fact`,
          message: 'oneOf',
          params: { values: [...facts.keys()].join(', ') },
        });
        return;
      }
      if (kind === 'boolean') {
        if (c.op !== 'isTrue' && c.op !== 'isFalse') errors.push({ path: `${path}.op`, message: 'invalid' });
      } else if (kind === 'text') {
        if (c.op !== 'eq' && c.op !== 'ne') errors.push({ path: `${path}.op`, message: 'invalid' });
        else if (typeof c.value !== 'string') errors.push({ path: `${path}.value`, message: 'required' });
      } else if (!NUMERIC_OPS.has(c.op)) {
        errors.push({ path: `${path}.op`, message: 'invalid' });
      } else if (typeof c.value !== 'number' || !Number.isFinite(c.value)) {
        errors.push({ path: `${path}.value`, message: 'required' });
      }
    });
  });
  const steps = rules.flatMap((rule, r) =>
    rule.steps.map((s, i) => ({ approver: s.approver, path: `rules.${r}.steps.${i}.approver` })),
  );
  const roleKeys = [...new Set(steps.flatMap((s) => (s.approver.kind === 'role' ? [s.approver.role] : [])))];
  const userIds = [...new Set(steps.flatMap((s) => (s.approver.kind === 'user' ? [s.approver.userId] : [])))];
  const knownRoles = new Set(
    roleKeys.length
      ? (await db.select({ key: roles.key }).from(roles).where(inArray(roles.key, roleKeys))).map(
          (r) => r.key,
        )
      : [],
  );
  const knownUsers = new Set(
    userIds.length
      ? (
          await db
            .select({ id: users.id })
            .from(users)
            .where(and(inArray(users.id, userIds), eq(users.status, 'active')))
        ).map((u) => u.id)
      : [],
  );
  for (const { approver, path } of steps) {
    if (approver.kind === 'role' && !knownRoles.has(approver.role))
      errors.push({ path: `${path}.role`, message: 'invalid' });
    if (approver.kind === 'user' && !knownUsers.has(approver.userId))
      errors.push({ path: `${path}.userId`, message: 'invalid' });
  }
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

/** Replaces a document type's policy (created on first save). Requests already under way keep their steps. */
export async function savePolicy(db: Db, ctx: Ctx, docType: string, input: PolicyUpdate) {
  const type = approvalType(docType);
  if (!type) throw notFound();
  await validateRules(db, type, input.rules);
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(approvalPolicies).where(eq(approvalPolicies.docType, docType));
    if ((before?.version ?? 0) !== input.version) throw versionConflict();
    let after: PolicyRow | undefined;
    if (before) {
      [after] = await tx
        .update(approvalPolicies)
        .set({
          active: input.active,
          rules: input.rules,
          updatedAt: sql`now()`,
          version: sql`${approvalPolicies.version} + 1`,
        })
        .where(and(eq(approvalPolicies.docType, docType), eq(approvalPolicies.version, input.version)))
        .returning();
    } else {
      [after] = await tx
        .insert(approvalPolicies)
        .values({ docType, active: input.active, rules: input.rules, createdBy: ctx.actor?.userId ?? null })
        .onConflictDoNothing()
        .returning();
    }
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: before ? 'update' : 'create',
      entity: 'approval_policy',
      entityId: docType,
      before,
      after,
    });
    return present(type, after);
  });
}
