import { z } from 'zod';
import { id } from './common.js';
import { targetMetric } from './targets.js';

// Sales facts (issue 8): figures from the daily roll-up and the records behind them.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'format' });
export const factGroupBy = z.enum([
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'orgUnit',
  'rep',
  'category',
  'province',
]);

const factFilterFields = {
  orgUnitId: id.optional(),
  repId: id.optional(),
  categoryId: id.optional(),
  customerId: id.optional(),
  provinceCode: z.string().max(6).optional(),
};

/** `groupBy` as a comma-separated list in the query string: `groupBy=month,rep`. */
export const measureQuery = z
  .object({
    metric: targetMetric,
    from: day,
    to: day,
    groupBy: z
      .string()
      .max(200)
      .optional()
      .transform((v) => (v ? v.split(',').map((s) => s.trim()) : []))
      .pipe(z.array(factGroupBy).max(4)),
    ...factFilterFields,
  })
  .strict();

export const measureResult = z.object({
  rows: z.array(z.object({ keys: z.record(z.string(), z.string()), value: z.string() })),
  dataAsOf: z.string().nullable(),
});

/** The cell's keys as measure() returned them, `name:value` pairs: `cell=month:2027-03,rep:…`. */
export const drillDownQuery = z
  .object({
    metric: targetMetric,
    from: day,
    to: day,
    ...factFilterFields,
    cell: z
      .string()
      .max(400)
      .optional()
      .transform((v) =>
        Object.fromEntries(
          (v ? v.split(',') : []).map((pair) => {
            const at = pair.indexOf(':');
            return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
          }),
        ),
      )
      .pipe(z.partialRecord(factGroupBy, z.string().max(60))),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const drillDownItem = z.object({
  kind: z.enum(['sales_order', 'shipment', 'payment', 'customer', 'activity', 'opportunity']),
  id,
  label: z.string(),
  day: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  ownerId: z.string().nullable(),
  orgUnitId: z.string(),
  value: z.string(),
});

export const drillDownPage = z.object({
  items: z.array(drillDownItem),
  nextCursor: z.string().nullable(),
  dataAsOf: z.string().nullable(),
});

export const factsStatus = z.object({
  dataAsOf: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastMode: z.enum(['incremental', 'full']).nullable(),
  lastDays: z.number().int(),
  lastDurationMs: z.number().int(),
});

export const factsRefresh = z.object({ full: z.boolean().default(false) }).strict();
export const factsRefreshQueued = z.object({ jobId: id });
