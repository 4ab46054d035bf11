import type { z } from 'zod';
import type { policyCondition, policyRule } from '../../../contracts/approvals.js';

export type PolicyCondition = z.infer<typeof policyCondition>;
export type PolicyRule = z.infer<typeof policyRule>;
export type Facts = Record<string, unknown>;

/** Does one condition hold for the document's facts? A missing fact never matches. */
export function conditionHolds(condition: PolicyCondition, facts: Facts): boolean {
  const actual = facts[condition.fact];
  const expected = condition.value;
  switch (condition.op) {
    case 'isTrue':
      return actual === true;
    case 'isFalse':
      return actual === false;
    case 'eq':
      return actual !== undefined && actual === expected;
    case 'ne':
      return actual !== undefined && actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (condition.op === 'gt') return actual > expected;
      if (condition.op === 'gte') return actual >= expected;
      if (condition.op === 'lt') return actual < expected;
      return actual <= expected;
    }
  }
}

/**
 * The rule that decides a document's steps: the first, in the policy's order, whose conditions
 * all hold. None → the document needs no approval.
 */
export function selectRule(rules: readonly PolicyRule[], facts: Facts): PolicyRule | undefined {
  return rules.find((rule) => rule.conditions.every((c) => conditionHolds(c, facts)));
}
