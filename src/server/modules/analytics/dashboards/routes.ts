import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type DashboardRole,
  dashboard,
  dashboardQuery,
  dashboardRoles,
  widgetKey,
  widgetRecordsPage,
  widgetRecordsQuery,
} from '../../../../contracts/dashboards.js';
import { responses } from '../../../platform/http/responses.js';
import { getDashboard } from './dashboards.service.js';
import './export.js';
import { widgetRecords } from './records.js';
import './resource.js';

const tags = ['dashboards'];
const widgetParams = z.object({ widget: widgetKey }).strict();

const SUMMARY: Record<DashboardRole, string> = {
  director:
    "The director's dashboard: revenue vs target, regions, funnel, product mix, leaderboard, aging, coverage, new customers",
  manager:
    "The manager's dashboard: the team's figures plus visits, due follow-ups and stalled opportunities",
  rep: "The rep's dashboard: my targets and attainment, my pipeline, my due follow-ups, my day",
};

/** GET /dashboards/{role}, and per widget the records behind a row (the Excel export is the platform's). */
export const dashboardsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const role of dashboardRoles) {
    app.get(
      `/dashboards/${role}`,
      {
        config: { permission: `dashboards.${role}` },
        schema: { tags, summary: SUMMARY[role], querystring: dashboardQuery, response: responses(dashboard) },
      },
      async (request) => getDashboard(app.db, request.ctx, role, request.query),
    );
    app.get(
      `/dashboards/${role}/widgets/:widget/records`,
      {
        config: { permission: `dashboards.${role}` },
        schema: {
          tags,
          summary: `The records behind one figure of a widget of the ${role} dashboard (drill-down)`,
          params: widgetParams,
          querystring: widgetRecordsQuery,
          response: responses(widgetRecordsPage),
        },
      },
      async (request) => widgetRecords(app.db, request.ctx, role, request.params.widget, request.query),
    );
  }
};
