import { describe, expect, it } from 'vitest';
import { conditionHolds, type PolicyRule, selectRule } from './policy.js';

const step = {
  name: '上级',
  approver: { kind: 'manager' as const },
  mode: 'any' as const,
  skipIfNone: false,
};
const rules: PolicyRule[] = [
  { name: 'big', conditions: [{ fact: 'amount', op: 'gt', value: 10_000_000 }], steps: [step, step] },
  {
    name: 'discount and overrun',
    conditions: [
      { fact: 'discountPct', op: 'gte', value: 15 },
      { fact: 'creditOverrun', op: 'isTrue' },
    ],
    steps: [step],
  },
  { name: 'any discount', conditions: [{ fact: 'discountPct', op: 'gt', value: 5 }], steps: [step] },
];

describe('approval policy rules', () => {
  it('takes the first rule whose conditions all hold', () => {
    expect(selectRule(rules, { amount: 20_000_000, discountPct: 20, creditOverrun: true })?.name).toBe('big');
    expect(selectRule(rules, { amount: 1, discountPct: 15, creditOverrun: true })?.name).toBe(
      'discount and overrun',
    );
    expect(selectRule(rules, { amount: 1, discountPct: 15, creditOverrun: false })?.name).toBe(
      'any discount',
    );
  });

  it('matches nothing at the thresholds themselves for "greater than", so no approval is needed', () => {
    expect(selectRule(rules, { amount: 10_000_000, discountPct: 5 })).toBeUndefined();
  });

  it('never matches a fact the document did not provide, or one of the wrong kind', () => {
    expect(conditionHolds({ fact: 'amount', op: 'lt', value: 100 }, {})).toBe(false);
    expect(conditionHolds({ fact: 'amount', op: 'lt', value: 100 }, { amount: '50' })).toBe(false);
    expect(conditionHolds({ fact: 'flag', op: 'isTrue' }, { flag: 'yes' })).toBe(false);
    expect(conditionHolds({ fact: 'channel', op: 'ne', value: 'online' }, {})).toBe(false);
    expect(conditionHolds({ fact: 'channel', op: 'eq', value: 'partner' }, { channel: 'partner' })).toBe(
      true,
    );
  });
});
