import { z } from 'zod';
import { fen, id, isoDateTime, version } from './common.js';

// Forecast against target (业绩预测, issue 8 item 5): reps' monthly commits with managers'
// adjustments, and per month of a window the target, the actual, the weighted pipeline, the
// commit, a statistical baseline and the pipeline coverage. Amounts in fen.

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'format' });
const note = z.string().trim().max(500);

export const forecastCommit = z.object({
  id,
  month,
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  commitAmount: fen,
  bestCaseAmount: fen,
  note: z.string(),
  submittedAt: isoDateTime,
  adjustedCommitAmount: fen.nullable(),
  adjustedBestCaseAmount: fen.nullable(),
  adjustmentNote: z.string().nullable(),
  adjustedBy: id.nullable(),
  adjustedByName: z.string().nullable(),
  adjustedAt: isoDateTime.nullable(),
  /** What counts in totals: the adjustment when there is one, else the rep's figures. */
  effectiveCommitAmount: fen,
  effectiveBestCaseAmount: fen,
  /** False once the month has ended (company time zone): no more submissions or adjustments. */
  open: z.boolean(),
  version,
});

export const forecastCommitsQuery = z
  .object({
    month,
    /** mine = my own commit; team = everyone in scope (a rep: only their own). */
    view: z.enum(['mine', 'team']).default('team'),
    orgUnitId: id.optional(),
  })
  .strict();

export const forecastCommitList = z.object({
  month,
  open: z.boolean(),
  items: z.array(forecastCommit),
  /** Σ effective figures of the listed commits. */
  totalCommit: fen,
  totalBestCase: fen,
});

export const forecastCommitSubmit = z
  .object({
    commitAmount: fen,
    bestCaseAmount: fen,
    note: note.default(''),
    /** The version last read; omit for a first submission of the month. */
    version: version.optional(),
  })
  .strict()
  .refine((v) => v.bestCaseAmount >= v.commitAmount, {
    message: 'bestCaseBelowCommit',
    path: ['bestCaseAmount'],
  });

export const forecastCommitAdjust = z
  .object({
    commitAmount: fen,
    bestCaseAmount: fen,
    /** Why the manager overrides the rep's figures (required). */
    note: note.min(1),
    version,
  })
  .strict()
  .refine((v) => v.bestCaseAmount >= v.commitAmount, {
    message: 'bestCaseBelowCommit',
    path: ['bestCaseAmount'],
  });

export const forecastMonthParams = z.object({ month }).strict();

export const forecastVsTargetQuery = z
  .object({
    from: month,
    to: month,
    /** An org unit (with its subtree); omit for everything in my scope. */
    orgUnitId: id.optional(),
    /** One rep; a rep without a filter sees their own figures. */
    repId: id.optional(),
  })
  .strict();

export const forecastVsTargetMonth = z.object({
  month,
  /** Σ published month targets of booked revenue for the company / unit / rep; null = none. */
  target: fen.nullable(),
  /** Booked revenue so far (whole month once it has ended). */
  actual: fen,
  /** Weighted open pipeline whose expected close date falls in the month. */
  weightedPipeline: fen.nullable(),
  /** Σ effective commits (manager adjustments override). */
  commit: fen,
  bestCase: fen,
  /** Statistical baseline (seasonal naive × trailing growth, else exponential smoothing). */
  baseline: fen.nullable(),
  /** Holt-Winters additive (24+ months of history), else simple exponential smoothing. */
  smoothing: fen.nullable(),
  /** max(target − actual, 0); null without a target. */
  remaining: fen.nullable(),
  /** weightedPipeline / remaining × 100, whole percent half up; null when nothing remains. */
  coveragePercent: z.number().int().nullable(),
  /** The month is over / under way / ahead, in the company time zone. */
  status: z.enum(['past', 'current', 'future']),
});

export const forecastVsTarget = z.object({
  from: month,
  to: month,
  orgUnitId: id.nullable(),
  repId: id.nullable(),
  /** The baseline's method and the months of history it used. */
  baselineMethod: z.enum(['seasonal_naive', 'exponential_smoothing', 'none']),
  smoothingMethod: z.enum(['holt_winters', 'exponential_smoothing', 'none']),
  historyMonths: z.number().int(),
  months: z.array(forecastVsTargetMonth),
  total: forecastVsTargetMonth.omit({ month: true, status: true, coveragePercent: true }).extend({
    coveragePercent: z.number().int().nullable(),
  }),
  dataAsOf: z.string().nullable(),
});

export type ForecastCommit = z.infer<typeof forecastCommit>;
export type ForecastCommitList = z.infer<typeof forecastCommitList>;
export type ForecastVsTarget = z.infer<typeof forecastVsTarget>;
export type ForecastVsTargetMonth = z.infer<typeof forecastVsTargetMonth>;
