import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE,
  defaultForecastCategory,
  exitBlockers,
  isStalled,
  orderStages,
  stageListErrors,
} from './pipelines.rules.js';

const facts = { amount: 0, expectedCloseDate: null, contactCount: 0, nextStep: null, competitorCount: 0 };

describe('pipeline rules', () => {
  it('the default pipeline has one won and one lost stage and passes its own checks', () => {
    expect(stageListErrors(DEFAULT_PIPELINE.stages)).toEqual([]);
  });

  it('a pipeline with two won stages or none lost is refused', () => {
    const open = { kind: 'open' as const, checklist: [] };
    const won = { kind: 'won' as const, checklist: [] };
    const lost = { kind: 'lost' as const, checklist: [] };
    expect(stageListErrors([open, won, won, lost])).toEqual([{ path: 'stages', message: 'stageKinds' }]);
    expect(stageListErrors([open, won])).toEqual([{ path: 'stages', message: 'stageKinds' }]);
    expect(stageListErrors([won, lost])).toEqual([{ path: 'stages', message: 'stageKinds' }]);
  });

  it('repeated checklist keys in a stage are refused', () => {
    const item = { key: 'a', textZh: '甲', textEn: 'A', required: true };
    expect(
      stageListErrors([
        { kind: 'open', checklist: [item, item] },
        { kind: 'won', checklist: [] },
        { kind: 'lost', checklist: [] },
      ]),
    ).toEqual([{ path: 'stages.0.checklist', message: 'unitDuplicate' }]);
  });

  it('won and lost stages sort after the open ones, which keep their order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('open', 'won', 'lost') as fc.Arbitrary<'open' | 'won' | 'lost'>),
        (kinds) => {
          const sorted = orderStages(kinds.map((kind, i) => ({ kind, i })));
          expect(sorted).toHaveLength(kinds.length);
          const rank = { open: 0, won: 1, lost: 2 };
          for (let j = 1; j < sorted.length; j++) {
            const a = sorted[j - 1]!;
            const b = sorted[j]!;
            expect(rank[a.kind] < rank[b.kind] || (a.kind === b.kind && a.i < b.i)).toBe(true);
          }
        },
      ),
    );
  });

  it('forecast category follows the stage: commit from 80%, best case from 50%, closed once won or lost', () => {
    expect(defaultForecastCategory('open', 10)).toBe('pipeline');
    expect(defaultForecastCategory('open', 60)).toBe('best_case');
    expect(defaultForecastCategory('open', 80)).toBe('commit');
    expect(defaultForecastCategory('won', 100)).toBe('closed');
    expect(defaultForecastCategory('lost', 0)).toBe('closed');
  });

  it('leaving 需求调研 needs the written needs confirmation and a contact', () => {
    const stage = DEFAULT_PIPELINE.stages[1]!;
    const blocked = exitBlockers(stage, facts, new Set(['budget_known']));
    expect(blocked.items.map((i) => i.key)).toEqual(['needs_confirmed']);
    expect(blocked.fields).toEqual(['contactId']);
    expect(exitBlockers(stage, { ...facts, contactCount: 1 }, new Set(['needs_confirmed']))).toEqual({
      items: [],
      fields: [],
    });
  });

  it('an opportunity is stalled from the stall day on', () => {
    const now = new Date('2026-06-15T00:00:00Z');
    expect(isStalled(new Date('2026-06-01T00:00:00Z'), 14, now)).toBe(true);
    expect(isStalled(new Date('2026-06-02T00:00:00Z'), 14, now)).toBe(false);
  });
});
