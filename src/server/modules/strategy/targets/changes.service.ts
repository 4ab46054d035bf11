import { and, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { targetChangeCreate } from '../../../../contracts/targets.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { submitForApproval } from '../../../platform/approvals/approvals.service.js';
import { defineApprovalType } from '../../../platform/approvals/registry.js';
import { recordAudit, recordAudits } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField } from '../../../platform/errors.js';
import { sendAgreement, supersedeAgreement } from './agreements.service.js';
import { allocate, allocationGap } from './rules.js';
import {
  type TargetChangeRow,
  type TargetChangeState,
  type TargetNodeRow,
  targetChangeRequests,
  targetNodes,
} from './schema.js';
import {
  actorOf,
  assertAllocatable,
  formatAmount,
  loadTree,
  loadVisibleNode,
  type Tree,
  userNames,
} from './tree.js';

// Target changes after publication (目标调整): a re-split of a published level among its children,
// applied only once approved. Signed agreements of the changed targets are superseded and the
// assignees are sent new ones; months below a changed target are re-split in proportion.

const OUTCOME: Record<string, TargetChangeState> = {
  approved: 'approved',
  rejected: 'rejected',
  returned: 'returned',
  withdrawn: 'withdrawn',
};

async function applyChange(tx: Db, ctx: Ctx, change: TargetChangeRow) {
  const tree = await loadTree(tx, change.planId, true);
  const audits: Parameters<typeof recordAudits>[2] = [];
  const setAmount = async (node: TargetNodeRow, amount: number) => {
    if (node.amount === amount) return;
    const [after] = await tx
      .update(targetNodes)
      .set({ amount, updatedAt: sql`now()`, version: sql`${targetNodes.version} + 1` })
      .where(eq(targetNodes.id, node.id))
      .returning();
    audits.push({ action: 'change', entity: 'target_node', entityId: node.id, before: node, after: after! });
    tree.nodes.set(node.id, after!);
    // Keep every level below balanced: re-split it in the proportions it had.
    const kids = tree.children.get(node.id) ?? [];
    if (kids.length) {
      const parts = allocate(
        BigInt(amount),
        kids.map((k) => BigInt(k.amount)),
      );
      for (const [i, k] of kids.entries()) await setAmount(k, Number(parts[i]));
    }
  };
  for (const c of change.changes) {
    const node = tree.nodes.get(c.nodeId);
    if (node) await setAmount(node, c.to);
  }
  await recordAudits(tx, ctx, audits);
  for (const c of change.changes) {
    const node = tree.nodes.get(c.nodeId);
    const agreement = node ? tree.agreements.get(node.id) : undefined;
    if (
      !node ||
      c.from === c.to ||
      !agreement ||
      (agreement.state !== 'signed' && agreement.state !== 'sent')
    )
      continue;
    await supersedeAgreement(tx, ctx, agreement);
    if (node.ownerId && node.ownerId !== ctx.actor?.userId) await sendAgreement(tx, ctx, tree, node);
  }
}

defineApprovalType({
  docType: 'target_change',
  label: { 'zh-CN': '目标调整审批', en: 'Target change approval' },
  facts: [{ key: 'moved', type: 'number', label: { 'zh-CN': '调整量', en: 'Amount moved' } }],
  // The director decides changes to published targets; the director's own changes pass.
  defaultRules: [
    {
      name: '目标调整',
      conditions: [],
      steps: [
        {
          name: '销售总监审批',
          approver: { kind: 'role', role: 'director', scope: 'company' },
          mode: 'any',
          skipIfNone: true,
        },
      ],
    },
  ],
  async onDecision(tx, ctx, decision) {
    const [before] = await tx
      .select()
      .from(targetChangeRequests)
      .where(eq(targetChangeRequests.id, decision.docId))
      .for('update');
    if (before?.state !== 'pending') return;
    const state = OUTCOME[decision.outcome]!;
    await tx
      .update(targetChangeRequests)
      .set({
        state,
        decidedAt: new Date(),
        updatedAt: sql`now()`,
        version: sql`${targetChangeRequests.version} + 1`,
      })
      .where(eq(targetChangeRequests.id, before.id));
    await recordAudit(tx, ctx, {
      action: state === 'approved' ? 'approve' : state,
      entity: 'target_change',
      entityId: before.id,
      before: { state: before.state },
      after: { state, comment: decision.comment ?? null },
    });
    if (state === 'approved') await applyChange(tx, ctx, before);
  },
  async canView(db, ctx, docId) {
    const [row] = await db.select().from(targetChangeRequests).where(eq(targetChangeRequests.id, docId));
    if (!row) return false;
    try {
      await loadVisibleNode(db, ctx, row.parentId);
      return true;
    } catch {
      return false;
    }
  },
});

function presentChange(tree: Tree, row: TargetChangeRow, names: Map<string, string>) {
  return {
    id: row.id,
    planId: row.planId,
    parentId: row.parentId,
    changes: row.changes.map((c) => ({ ...c, label: tree.nodes.get(c.nodeId)?.label ?? '' })),
    reason: row.reason,
    state: row.state,
    approvalRequestId: row.approvalRequestId,
    requestedBy: row.createdBy ? { id: row.createdBy, name: names.get(row.createdBy) ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

export async function listChanges(db: Db, ctx: Ctx, parentId: string) {
  const { tree } = await loadVisibleNode(db, ctx, parentId);
  const rows = await db
    .select()
    .from(targetChangeRequests)
    .where(eq(targetChangeRequests.parentId, parentId))
    .orderBy(desc(targetChangeRequests.id));
  const names = await userNames(
    db,
    rows.map((r) => r.createdBy),
  );
  return { items: rows.map((r) => presentChange(tree, r, names)) };
}

/**
 * Requests new amounts for some children of a published target. The children must still sum to
 * it (422 otherwise); the change applies when approved, and at once when no approver is needed.
 */
export async function requestChange(
  db: Db,
  ctx: Ctx,
  parentId: string,
  input: z.infer<typeof targetChangeCreate>,
) {
  const actor = actorOf(ctx);
  const id = await withTx(db, async (tx) => {
    const { tree, node } = await loadVisibleNode(tx, ctx, parentId, true);
    await assertAllocatable(tx, ctx, tree, node, false);
    const kids = tree.children.get(node.id) ?? [];
    const next = new Map(kids.map((k) => [k.id, k.amount]));
    for (const [i, c] of input.changes.entries()) {
      if (!next.has(c.nodeId)) throw invalidField(`changes.${i}.nodeId`, 'invalid');
      next.set(c.nodeId, c.amount);
    }
    const [pending] = await tx
      .select({ id: targetChangeRequests.id })
      .from(targetChangeRequests)
      .where(and(eq(targetChangeRequests.parentId, node.id), eq(targetChangeRequests.state, 'pending')));
    if (pending) throw new AppError('target_change_pending', { node: node.label });
    const gap = allocationGap(BigInt(node.amount), [...next.values()].map(BigInt));
    if (gap !== 0n) {
      const m = tree.plan.metric;
      throw new AppError('target_unbalanced', {
        node: `${node.label} ${node.periodKey}`,
        nodeId: node.id,
        amount: formatAmount(m, node.amount),
        sum: formatAmount(m, BigInt(node.amount) + gap),
        difference: formatAmount(m, gap),
      });
    }
    const changes = input.changes
      .map((c) => ({ nodeId: c.nodeId, from: tree.nodes.get(c.nodeId)!.amount, to: c.amount }))
      .filter((c) => c.from !== c.to);
    if (!changes.length) throw invalidField('changes', 'invalid');
    const [row] = await tx
      .insert(targetChangeRequests)
      .values({
        planId: node.planId,
        parentId: node.id,
        changes,
        reason: input.reason,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'target_change', entityId: row!.id, after: row! });
    const moved = changes.reduce((a, c) => a + Math.max(0, c.to - c.from), 0);
    const approval = await submitForApproval(tx, ctx, {
      docType: 'target_change',
      docId: row!.id,
      title: `目标调整 · ${tree.plan.name} · ${node.label} ${node.periodKey} · ${formatAmount(tree.plan.metric, moved)}`,
      link: `/targets/plans/${node.planId}`,
      facts: { moved },
    });
    await tx
      .update(targetChangeRequests)
      .set({ approvalRequestId: approval.requestId })
      .where(eq(targetChangeRequests.id, row!.id));
    return row!.id;
  });
  const { tree } = await loadVisibleNode(db, ctx, parentId);
  const [row] = await db.select().from(targetChangeRequests).where(eq(targetChangeRequests.id, id));
  return presentChange(tree, row!, await userNames(db, [row!.createdBy]));
}
