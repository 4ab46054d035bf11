import type { LeadScoringRules } from './leads.schema.js';

/** What scoring looks at: the lead's own fields plus the follow-ups logged in the last 30 days. */
export interface ScorableLead {
  source: string | null;
  needs: string | null;
  intentLevel: 'high' | 'medium' | 'low' | null;
  /** Field key → value, for completeness (only keys named in the rules count). */
  fields: Record<string, unknown>;
  recentActivities: number;
}

/**
 * One reason that moved the score: `rule` is `<kind>:<detail>` — `source:exhibition`,
 * `field:mobile`, `need:报价`, `intent:high`, `activity:3` — so the UI can say it in either language.
 */
export interface ScoreReason {
  rule: string;
  points: number;
}

/** The rules a fresh installation starts with; the administrator changes them on the scoring page. */
export const DEFAULT_SCORING_RULES: LeadScoringRules = {
  sourcePoints: {
    referral: 25,
    walk_in: 25,
    inbound_call: 20,
    exhibition: 20,
    campaign: 15,
    website: 10,
    ad: 5,
    other: 0,
  },
  fieldPoints: {
    personName: 5,
    companyName: 5,
    title: 3,
    mobile: 10,
    email: 5,
    wechat: 5,
    provinceCode: 3,
    cityCode: 2,
    needs: 5,
  },
  needKeywords: [],
  intentPoints: { high: 30, medium: 15, low: 0 },
  activityPoints: 5,
  activityMax: 20,
};

const filled = (v: unknown) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '');

/**
 * score(lead, rules): the sum of every rule that applies, clamped to 0–100, with the reasons
 * that produced it (rules worth 0 points are left out). Pure and deterministic.
 */
export function scoreLead(
  lead: ScorableLead,
  rules: LeadScoringRules,
): { score: number; reasons: ScoreReason[] } {
  const reasons: ScoreReason[] = [];
  const add = (rule: string, points: number) => {
    if (points !== 0 && Number.isFinite(points)) reasons.push({ rule, points });
  };

  if (lead.source) add(`source:${lead.source}`, rules.sourcePoints[lead.source] ?? 0);
  for (const [field, points] of Object.entries(rules.fieldPoints)) {
    if (filled(lead.fields[field])) add(`field:${field}`, points);
  }
  const needs = (lead.needs ?? '').toLowerCase();
  if (needs) {
    for (const { keyword, points } of rules.needKeywords) {
      if (keyword.trim() && needs.includes(keyword.trim().toLowerCase()))
        add(`need:${keyword.trim()}`, points);
    }
  }
  if (lead.intentLevel) add(`intent:${lead.intentLevel}`, rules.intentPoints[lead.intentLevel] ?? 0);
  if (lead.recentActivities > 0) {
    add(
      `activity:${lead.recentActivities}`,
      Math.min(lead.recentActivities * rules.activityPoints, rules.activityMax),
    );
  }

  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  return { score: Math.max(0, Math.min(100, Math.round(total))), reasons };
}
