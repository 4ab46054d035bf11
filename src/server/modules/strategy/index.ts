import { defineResource } from '../../platform/access/catalog.js';
import { defineNumbering } from '../../platform/numbering/numbering.js';

// Strategy module (issue 8): targets, their allocation and target agreements. Owned records:
// a rep sees the targets assigned to them, a manager those of their unit's subtree (and allocates
// within it), a director all of them and sets the company target.

/** Targets and their allocation: `create` a plan with the company target, `allocate` below it. */
export const targetsResource = defineResource({
  key: 'targets',
  module: 'strategy',
  scoped: true,
  actions: ['read', 'create', 'allocate'],
  defaults: {
    director: { actions: ['read', 'create', 'allocate'], scope: 'all' },
    manager: { actions: ['read', 'allocate'], scope: 'team' },
    rep: { actions: ['read'], scope: 'own' },
    // Finance needs the targets to compute bonuses (seed 002: 评估、考核).
    finance: { actions: ['read'], scope: 'all' },
  },
});

/** Target agreements (目标责任书): each assignee signs their own; managers see their team's. */
export const targetAgreementsResource = defineResource({
  key: 'target-agreements',
  module: 'strategy',
  scoped: true,
  actions: ['read', 'sign'],
  defaults: {
    director: { actions: ['read', 'sign'], scope: 'all' },
    manager: { actions: ['read', 'sign'], scope: 'team' },
    rep: { actions: ['read', 'sign'], scope: 'own' },
    finance: { actions: ['read'], scope: 'all' },
  },
});

/**
 * Forecast commits (业绩预测): each rep commits a monthly amount (`submit`, own); a manager reads the
 * team's and overrides with an audited adjustment (`adjust`, team); the director all of them.
 * `read` also opens the forecast-vs-target view, within the same scope.
 */
export const forecastCommitsResource = defineResource({
  key: 'forecast-commits',
  module: 'strategy',
  scoped: true,
  actions: ['read', 'submit', 'adjust'],
  defaults: {
    director: { actions: ['read', 'submit', 'adjust'], scope: 'all' },
    manager: { actions: ['read', 'submit', 'adjust'], scope: 'team' },
    rep: { actions: ['read', 'submit'], scope: 'own' },
    finance: { actions: ['read'], scope: 'all' },
  },
});

defineNumbering('target_agreement', 'TA');

export { type ActualQuery, type LastYearActual, setLastYearActual } from './targets/last-year.js';
export type { Metric, Period, PeriodKind } from './targets/rules.js';
export { allocate, allocationGap, subPeriods } from './targets/rules.js';
