import { z } from 'zod';
import { id, version } from './common.js';
import { targetMetric } from './targets.js';

// Target attainment (目标达成, issue 8 item 4). Amounts in the metric's smallest unit, like
// target amounts: fen, 1, or thousandths of a unit (`metricKind`).

export const trafficLight = z.enum(['green', 'amber', 'red', 'not_started']);

export const attainmentThresholds = z.object({
  greenPercent: z.number().int(),
  amberPercent: z.number().int(),
  version,
});

export const attainmentThresholdsUpdate = z
  .object({
    greenPercent: z.number().int().min(1).max(200),
    amberPercent: z.number().int().min(1).max(200),
    version,
  })
  .strict()
  .refine((v) => v.amberPercent <= v.greenPercent, {
    message: 'attainmentThresholds',
    path: ['amberPercent'],
  });

export const nodeAttainment = z.object({
  nodeId: id,
  planId: id,
  metric: targetMetric,
  metricKind: z.enum(['money', 'quantity', 'count']),
  dimension: z.string(),
  dimensionId: z.string().nullable(),
  label: z.string(),
  parentId: z.string().nullable(),
  periodKind: z.string(),
  periodKey: z.string(),
  start: z.string(),
  end: z.string(),
  /** Today in the company time zone (counted as elapsed). */
  asOf: z.string(),
  target: z.number().int(),
  actual: z.number().int(),
  attainmentPercent: z.string().nullable(),
  gap: z.number().int(),
  totalDays: z.number().int(),
  elapsedDays: z.number().int(),
  remainingDays: z.number().int(),
  expectedToDate: z.number().int(),
  projection: z.number().int().nullable(),
  requiredDailyRate: z.number().int().nullable(),
  pacePercent: z.string().nullable(),
  status: trafficLight,
  dataAsOf: z.string().nullable(),
});

export const planAttainmentQuery = z.object({ parentId: id.optional() }).strict();
export const planAttainment = z.object({
  items: z.array(nodeAttainment),
  thresholds: attainmentThresholds,
  dataAsOf: z.string().nullable(),
});
