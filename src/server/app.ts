import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { uuidv7 } from 'uuidv7';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { accountCardsRoutes } from './modules/customers/account-cards.routes.js';
import { activitiesRoutes } from './modules/customers/activities.routes.js';
import { complaintsRoutes } from './modules/customers/complaints.routes.js';
import { leadsRoutes } from './modules/customers/leads.routes.js';
import { loyaltyRoutes } from './modules/customers/loyalty.routes.js';
import { visitPlansRoutes } from './modules/customers/visit-plans.routes.js';
import { webToLeadRoutes } from './modules/customers/web-to-lead.routes.js';
import { orgRoutes } from './modules/org/routes.js';
import './modules/org/index.js';
import { customersRoutes } from './modules/customers/customers.routes.js';
import './modules/customers/index.js';
import './modules/orders/index.js';
import './modules/sales/index.js';
import { dashboardsRoutes } from './modules/analytics/dashboards/routes.js';
import { analyticsRoutes } from './modules/analytics/routes.js';
import { catalogRoutes } from './modules/orders/catalog/catalog.routes.js';
import { invoicesRoutes } from './modules/orders/invoicing/invoices.routes.js';
import { pricingRoutes } from './modules/orders/pricing/pricing.routes.js';
import { receivablesRoutes } from './modules/orders/receivables/receivables.routes.js';
import { returnsRoutes } from './modules/orders/returns/routes.js';
import { salesOrdersRoutes } from './modules/orders/sales-orders/routes.js';
import { receiptsRoutes } from './modules/orders/stock/receipts.routes.js';
import { stockRoutes } from './modules/orders/stock/stock.routes.js';
import { warehousesRoutes } from './modules/orders/stock/warehouses.routes.js';
import { trackingRoutes } from './modules/orders/tracking/routes.js';
import { unitsRoutes } from './modules/orders/units/units.routes.js';
import { bidsRoutes } from './modules/sales/bids.routes.js';
import { contractsRoutes } from './modules/sales/contracts.routes.js';
import { forecastRoutes } from './modules/sales/forecast.routes.js';
import { opportunitiesRoutes } from './modules/sales/opportunities.routes.js';
import { playbooksRoutes } from './modules/sales/playbooks.routes.js';
import { quotesRoutes } from './modules/sales/quotes.routes.js';
import { attainmentRoutes } from './modules/strategy/attainment/routes.js';
import { forecastCommitsRoutes } from './modules/strategy/forecast/routes.js';
import { targetsRoutes } from './modules/strategy/targets/routes.js';
import { accessRoutes } from './platform/access/routes.js';
import { approvalRoutes } from './platform/approvals/routes.js';
import './platform/approvals/index.js';
import { auditRoutes } from './platform/audit/routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { customFieldRoutes } from './platform/custom-fields/routes.js';
import { AppError } from './platform/errors.js';
import { filesRoutes } from './platform/files/routes.js';
import { installHttp } from './platform/http/install.js';
import { sendProblem } from './platform/http/problem.js';
import { importExportRoutes } from './platform/import-export/routes.js';
import { jobRoutes } from './platform/jobs/routes.js';
import { notificationsRoutes } from './platform/notifications/routes.js';
import './platform/resources.js';
import { settingsRoutes } from './platform/settings/routes.js';
import { viewsRoutes } from './platform/views/routes.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Each module's HTTP routes, mounted under /api/v1. Later modules add one line here. */
const modules = [
  authRoutes,
  accessRoutes,
  auditRoutes,
  settingsRoutes,
  jobRoutes,
  approvalRoutes,
  filesRoutes,
  notificationsRoutes,
  customFieldRoutes,
  orgRoutes,
  customersRoutes,
  importExportRoutes,
  leadsRoutes,
  webToLeadRoutes,
  activitiesRoutes,
  complaintsRoutes,
  visitPlansRoutes,
  loyaltyRoutes,
  accountCardsRoutes,
  warehousesRoutes,
  stockRoutes,
  receiptsRoutes,
  catalogRoutes,
  unitsRoutes,
  salesOrdersRoutes,
  returnsRoutes,
  trackingRoutes,
  receivablesRoutes,
  invoicesRoutes,
  pricingRoutes,
  bidsRoutes,
  contractsRoutes,
  opportunitiesRoutes,
  forecastRoutes,
  playbooksRoutes,
  quotesRoutes,
  targetsRoutes,
  analyticsRoutes,
  dashboardsRoutes,
  attainmentRoutes,
  forecastCommitsRoutes,
  viewsRoutes,
];

export interface AppOptions {
  config: Config;
  db: Db;
  /** Pino logging; tests pass false. */
  logger?: boolean;
}

export async function buildApp({ config, db, logger = true }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger && {
      level: config.logLevel,
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // A caller's (or proxy's) request id is kept when it looks like one, so logs line up.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : uuidv7();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', db);
  app.decorate('config', config);
  app.decorate('routeTable', []);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeTable.push({
        method,
        url: route.url,
        permission: route.config?.permission,
        public: route.config?.public,
      });
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design writes its styles at run time (CSS-in-JS).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  installHttp(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Xiaoguan (销管) API',
        version: '1',
        description:
          'Sales management API. Browser sessions use the xg_session cookie plus the X-CSRF-Token header on writes; ' +
          'integrations use personal API tokens as `Authorization: Bearer xg_…`. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'xg_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await db.execute(sql`select 1`);
      return { status: 'ok' };
    } catch {
      return sendProblem(reply, new AppError('unavailable'));
    }
  });

  for (const routes of modules) await app.register(routes, { prefix: '/api/v1' });

  const webDir = config.webDir ?? defaultWebDir;
  const hasWeb = existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      // Vite fingerprints everything under assets/, so it can be cached for good.
      setHeaders: (res, file) => {
        res.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api/');
    if (isPage && hasWeb) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    if (isPage) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The web app is not built. Run \`npm run build\` in ${packageRoot}, or use \`npm start\`.\n`);
    }
    const url = request.url.split('?')[0]!.slice(0, 200);
    return sendProblem(reply, new AppError('route_not_found', { method: request.method, url }));
  });

  return app;
}
