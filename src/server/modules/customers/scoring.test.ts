import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_RULES, type ScorableLead, scoreLead } from './scoring.js';

const lead = (over: Partial<ScorableLead> = {}): ScorableLead => ({
  source: null,
  needs: null,
  intentLevel: null,
  fields: {},
  recentActivities: 0,
  ...over,
});
const rules = DEFAULT_SCORING_RULES;

describe('score(lead, rules)', () => {
  it.each([
    ['an empty lead', lead(), 0, []],
    ['a referral', lead({ source: 'referral' }), 25, ['source:referral']],
    ['an unknown source counts nothing', lead({ source: 'pigeon' }), 0, []],
    [
      'a complete contact',
      lead({ fields: { personName: '张三', mobile: '13800138000', email: ' ', wechat: '' } }),
      15,
      ['field:personName', 'field:mobile'],
    ],
    ['high intent', lead({ intentLevel: 'high' }), 30, ['intent:high']],
    ['low intent is worth nothing', lead({ intentLevel: 'low' }), 0, []],
    ['two follow-ups', lead({ recentActivities: 2 }), 10, ['activity:2']],
    ['activity is capped', lead({ recentActivities: 9 }), 20, ['activity:9']],
  ])('%s → %i', (_name, input, score, reasonRules) => {
    const result = scoreLead(input, rules);
    expect(result.score).toBe(score);
    expect(result.reasons.map((r) => r.rule)).toEqual(reasonRules);
  });

  it('matches need keywords case-insensitively and lists each match', () => {
    const withKeywords = {
      ...rules,
      needKeywords: [
        { keyword: '冷链', points: 15 },
        { keyword: 'EV', points: 10 },
        { keyword: '二手', points: -20 },
      ],
    };
    const result = scoreLead(lead({ needs: '冷链车队，考虑 ev 车型' }), withKeywords);
    expect(result.reasons).toEqual([
      { rule: 'need:冷链', points: 15 },
      { rule: 'need:EV', points: 10 },
    ]);
    expect(result.score).toBe(25);
  });

  it('is clamped to 0–100 whatever the rules add up to', () => {
    const generous = {
      ...rules,
      sourcePoints: { referral: 100 },
      intentPoints: { high: 100, medium: 0, low: 0 },
    };
    expect(scoreLead(lead({ source: 'referral', intentLevel: 'high' }), generous).score).toBe(100);
    const harsh = { ...rules, needKeywords: [{ keyword: '二手', points: -50 }] };
    const result = scoreLead(lead({ needs: '只要二手车' }), harsh);
    expect(result.score).toBe(0);
    expect(result.reasons).toEqual([{ rule: 'need:二手', points: -50 }]);
  });

  it('the score is the sum of the reasons when within range (property over many leads)', () => {
    const sources = Object.keys(rules.sourcePoints);
    const levels = ['high', 'medium', 'low', null] as const;
    for (let i = 0; i < 200; i++) {
      const l = lead({
        source: sources[i % sources.length]!,
        intentLevel: levels[i % 4]!,
        recentActivities: i % 7,
        fields: {
          mobile: i % 2 ? '13800138000' : null,
          email: i % 3 ? 'a@b.c' : null,
          needs: i % 5 ? 'x' : null,
        },
      });
      const { score, reasons } = scoreLead(l, rules);
      const sum = reasons.reduce((s, r) => s + r.points, 0);
      expect(score).toBe(Math.max(0, Math.min(100, sum)));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
    }
  });
});
