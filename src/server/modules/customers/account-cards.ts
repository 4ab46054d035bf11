// Monthly review (客户月评卡) rules, pure and tested in account-cards.test.ts.

/** The five points a monthly review scores, 1 (poor) to 5 (excellent). seed 002: 热情 and risk. */
export const REVIEW_SCORES = ['enthusiasm', 'sales', 'payment', 'priceDiscipline', 'capability'] as const;
export type ReviewScoreKey = (typeof REVIEW_SCORES)[number];
export type ReviewScores = Record<ReviewScoreKey, number>;

/**
 * The overall rating: the average of the scores rounded half up to one decimal, computed in
 * tenths on integers so 3.45 never turns into 3.4 through floating point.
 */
export function overallRating(scores: ReviewScores): number {
  const values = REVIEW_SCORES.map((k) => scores[k]);
  const sum = values.reduce((a, b) => a + b, 0);
  const tenths = Math.floor((sum * 10 * 2 + values.length) / (values.length * 2));
  return tenths / 10;
}

/** A month as 'YYYY-MM'. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month ('YYYY-MM') an instant falls in, in the company's time zone. */
export function monthOf(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}`;
}
