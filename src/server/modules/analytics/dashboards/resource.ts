import { defineResource } from '../../../platform/access/catalog.js';

/**
 * Dashboards (数据看板): which role dashboards one may open. The figures on them are limited by
 * the data scopes of what they show (sales facts, targets, opportunities, receivables,
 * customers), so a rep's dashboard is their own and a manager's their unit's subtree.
 */
export const dashboardsResource = defineResource({
  key: 'dashboards',
  module: 'analytics',
  scoped: false,
  actions: ['director', 'manager', 'rep'],
  defaults: {
    director: { actions: ['director', 'manager', 'rep'] },
    manager: { actions: ['manager', 'rep'] },
    rep: { actions: ['rep'] },
    assistant: { actions: ['manager'] },
    finance: { actions: ['director'] },
  },
});
