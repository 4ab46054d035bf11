import type { z } from 'zod';
import type { factType } from '../../../contracts/approvals.js';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../context.js';
import type { Locale } from '../i18n/locale.js';
import type { PolicyRule } from './policy.js';

type Localized = Record<Locale, string>;

export type ApprovalOutcome = 'approved' | 'rejected' | 'returned' | 'withdrawn';

export interface ApprovalDecision {
  /** Null when no rule matched and the document needed no approval. */
  requestId: string | null;
  docId: string;
  outcome: ApprovalOutcome;
  comment?: string | undefined;
}

export interface ApprovalTypeDefinition {
  docType: string;
  label: Localized;
  /** The document facts policies may test, e.g. amount (fen), discount %, credit overrun. */
  facts: { key: string; type: z.infer<typeof factType>; label: Localized }[];
  /**
   * The policy a company starts with (e.g. large contracts → finance, then the director). It
   * applies until the administrator saves the type's policy; from then on the saved one does.
   */
  defaultRules?: PolicyRule[];
  /**
   * The document's module decides what a final decision means (activate the contract, send the
   * quote back to draft…). Runs inside the decision's transaction: if it throws, nothing changes.
   */
  onDecision(tx: Db, ctx: Ctx, decision: ApprovalDecision): Promise<void>;
  /** Besides participants and approvals.read holders, who may see the document's approvals. */
  canView?(db: Db, ctx: Ctx, docId: string): Promise<boolean>;
}

const types = new Map<string, ApprovalTypeDefinition>();

/** Each document module registers its type once, at load. */
export function defineApprovalType(def: ApprovalTypeDefinition): void {
  types.set(def.docType, def);
}

export function approvalType(docType: string): ApprovalTypeDefinition | undefined {
  return types.get(docType);
}

export function approvalTypes(): ApprovalTypeDefinition[] {
  return [...types.values()].sort((a, b) => a.docType.localeCompare(b.docType));
}
