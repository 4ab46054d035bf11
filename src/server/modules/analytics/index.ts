import { Decimal } from 'decimal.js';
import { defineResource } from '../../platform/access/catalog.js';
import { systemCtx } from '../../platform/context.js';
import { type LastYearActual, setLastYearActual } from '../strategy/index.js';
import { measure } from './facts/measure.js';
import { factsDataAsOf } from './facts/refresh.js';

// Analytics module (issue 8): the sales facts roll-up every dashboard and target attainment reads.

/**
 * Sales facts (销售数据): the figures behind dashboards. A rep sees their own, a manager their
 * unit's subtree, the director and finance everything; `refresh` ("refresh now") is the
 * administrator's (admins hold every action).
 */
export const salesFactsResource = defineResource({
  key: 'sales-facts',
  module: 'analytics',
  scoped: true,
  actions: ['read', 'refresh'],
  defaults: {
    director: { actions: ['read'], scope: 'all' },
    manager: { actions: ['read'], scope: 'team' },
    rep: { actions: ['read'], scope: 'own' },
    assistant: { actions: ['read'], scope: 'team' },
    finance: { actions: ['read'], scope: 'all' },
  },
});

/**
 * The actual of a target's dimension value over a period, from the facts: the whole company, an
 * org unit's subtree, a rep, a product category or a customer, whatever the reader's own data
 * scope (whoever may see the target may see how far it got). Units come back in thousandths,
 * like target amounts. It is also last year's actual for seasonality allocation (the port).
 */
export const factsActual: LastYearActual = async (tx, q) => {
  const filter =
    q.dimension === 'org_unit' && q.dimensionId
      ? { orgUnitId: q.dimensionId }
      : q.dimension === 'rep' && q.dimensionId
        ? { repId: q.dimensionId }
        : q.dimension === 'product_category' && q.dimensionId
          ? { categoryId: q.dimensionId }
          : q.dimension === 'customer' && q.dimensionId
            ? { customerId: q.dimensionId }
            : {};
  // A category's or customer's target counts the sales of its assignee only (a rep, a unit).
  const within =
    q.within?.dimension === 'rep'
      ? { repId: q.within.id }
      : q.within?.dimension === 'org_unit'
        ? { orgUnitId: q.within.id }
        : {};
  // Before the first refresh (a new company, a test) the roll-up is empty: read the sources.
  const { rows } = await measure(tx, systemCtx('facts:actual'), {
    metric: q.metric,
    from: q.start,
    to: q.end,
    filter: { ...within, ...filter },
    live: (await factsDataAsOf(tx)) === null,
  });
  const value = new Decimal(rows[0]?.value ?? '0');
  return BigInt((q.metric === 'units' ? value.times(1000) : value).toFixed(0));
};
setLastYearActual(factsActual);

export {
  type DrillDownItem,
  type DrillDownPage,
  type DrillDownQuery,
  drillDown,
  type FactFilter,
  type FactGroupBy,
  type MeasureQuery,
  type MeasureResult,
  type MeasureRow,
  measure,
  refreshFacts,
} from './facts/index.js';
