import { z } from 'zod';
import { id, isoDateTime } from './common.js';
import { forecastCategory, opportunityStatus } from './opportunities.js';

// The sales forecast: opportunities by month × forecast category, weighted and unweighted, by rep
// or team. Open ones count in their expected close month, won ones as `closed` in the month they
// were won; lost ones not at all.

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'format' });

export const forecastQuery = z
  .object({
    from: month,
    to: month,
    pipelineId: id.optional(),
    groupBy: z.enum(['rep', 'team']).default('rep'),
    /** mine = I own it; team = owned in my unit's subtree; all = everything I may see. */
    view: z.enum(['mine', 'team', 'all']).default('all'),
  })
  .strict();

export const forecastFigures = z.object({
  count: z.number().int(),
  /** Fen. */
  amount: z.number().int(),
  /** Fen: Σ round_half_up(amount × probability / 100) per opportunity (won: the amount). */
  weighted: z.number().int(),
});

export const forecastBlock = z.object({
  /** Month × category, only the non-empty ones. */
  cells: z.array(forecastFigures.extend({ month, category: forecastCategory })),
  byMonth: z.array(forecastFigures.extend({ month })),
  byCategory: z.array(forecastFigures.extend({ category: forecastCategory })),
  total: forecastFigures,
});

export const forecast = forecastBlock
  .extend({
    from: month,
    to: month,
    months: z.array(month),
    groupBy: z.enum(['rep', 'team']),
    /** Per rep (owner) or team (owner's unit), largest weighted total first. */
    groups: z.array(forecastBlock.extend({ id, name: z.string() })),
  })
  .meta({ id: 'Forecast' });

/** The opportunities behind one figure (drill-down): same filters, one month and/or category. */
export const forecastDealsQuery = forecastQuery
  .omit({ groupBy: true })
  .extend({
    month: month.optional(),
    category: forecastCategory.optional(),
    ownerId: id.optional(),
    orgUnitId: id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
export const forecastDeal = z.object({
  id,
  name: z.string(),
  customerId: id,
  customerName: z.string(),
  stageId: id,
  stageNameZh: z.string(),
  stageNameEn: z.string(),
  status: opportunityStatus,
  /** Fen. */
  amount: z.number().int(),
  probability: z.number().int(),
  /** As the forecast counts it: `closed` for won ones. */
  forecastCategory,
  forecastMonth: month,
  weighted: z.number().int(),
  expectedCloseDate: z.string().nullable(),
  closedAt: isoDateTime.nullable(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
});
export const forecastDeals = z.object({ items: z.array(forecastDeal), total: z.number().int() });

export type ForecastQuery = z.input<typeof forecastQuery>;
export type Forecast = z.infer<typeof forecast>;
export type ForecastBlock = z.infer<typeof forecastBlock>;
export type ForecastFigures = z.infer<typeof forecastFigures>;
export type ForecastDeals = z.infer<typeof forecastDeals>;
export type ForecastDeal = z.infer<typeof forecastDeal>;
