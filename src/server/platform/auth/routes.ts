import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiToken,
  apiTokenCreate,
  apiTokenCreated,
  idParams,
  listQuery,
  loginBody,
  me,
  ok,
  page,
  passwordChange,
  profileUpdate,
  setupBody,
  setupState,
} from '../../../contracts/index.js';
import { demoAccounts } from '../../demo/index.js';
import { updateProfile } from '../../modules/org/users.service.js';
import { loadActor } from '../access/actor.js';
import { AppError } from '../errors.js';
import { responses } from '../http/responses.js';
import { findSettings } from '../settings/settings.service.js';
import { isSetupNeeded, setupCompany } from '../setup/setup.service.js';
import { changeOwnPassword, describeMe, login, logout } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './authenticate.js';
import { sha256 } from './secrets.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const policy = { session: app.config.session, login: app.config.login };
  /** Login and setup are the only anonymous writes: throttled per client address. */
  const loginRateLimit = { max: app.config.login.ratePerMinute, timeWindow: '1 minute' };

  async function signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: z.infer<typeof loginBody>,
  ) {
    const { userId, session } = await login(app.db, request.ctx, credentials, policy, {
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    setSessionCookie(reply, app.config, session);
    const actor = await loadActor(app.db, userId, {
      via: 'session',
      sessionId: sha256(session.token),
      csrfToken: session.csrfToken,
    });
    return describeMe(app.db, actor!);
  }

  app.get(
    '/setup',
    {
      config: { public: true },
      schema: {
        security: [],
        tags: ['auth'],
        summary: 'First-run state and, in demo mode, the demo accounts',
        response: responses(setupState),
      },
    },
    async () => {
      const settings = await findSettings(app.db);
      return {
        needed: !settings,
        companyName: settings?.name ?? null,
        demoAccounts: await demoAccounts(app.db),
      };
    },
  );

  app.post(
    '/setup',
    {
      config: { public: true, rateLimit: loginRateLimit },
      schema: {
        security: [],
        tags: ['auth'],
        summary: 'Create the company and its administrator (first run only); signs the administrator in',
        body: setupBody,
        response: responses(me),
      },
    },
    async (request, reply) => {
      if (!(await isSetupNeeded(app.db))) throw new AppError('setup_done');
      await setupCompany(app.db, request.ctx, request.body, { demoData: app.config.demoData });
      return signIn(request, reply, {
        username: request.body.admin.username,
        password: request.body.admin.password,
      });
    },
  );

  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: loginRateLimit },
      schema: {
        security: [],
        tags: ['auth'],
        summary: 'Sign in with username (or email) and password',
        body: loginBody,
        response: responses(me),
      },
    },
    async (request, reply) => {
      if (await isSetupNeeded(app.db)) throw new AppError('setup_required');
      return signIn(request, reply, request.body);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'self' },
      schema: { tags: ['auth'], summary: 'Sign out', response: responses(ok) },
    },
    async (request, reply) => {
      await logout(app.db, request.ctx);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { permission: 'self' },
      schema: { tags: ['auth'], summary: 'The signed-in user', response: responses(me) },
    },
    async (request) => describeMe(app.db, request.actor!),
  );

  app.patch(
    '/me',
    {
      config: { permission: 'self' },
      schema: { tags: ['auth'], summary: 'Edit my profile', body: profileUpdate, response: responses(me) },
    },
    async (request) => {
      await updateProfile(app.db, request.ctx, request.body);
      return describeMe(app.db, request.actor!);
    },
  );

  app.post(
    '/me/password',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        body: passwordChange,
        response: responses(ok),
      },
    },
    async (request) => {
      await changeOwnPassword(app.db, request.ctx, request.body);
      return { ok: true as const };
    },
  );

  app.get(
    '/me/api-tokens',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['api-tokens'],
        summary: 'My API tokens',
        response: responses(z.object({ items: z.array(apiToken) })),
      },
    },
    async (request) => ({ items: await listTokens(app.db, { userId: request.actor!.userId }) }),
  );

  app.post(
    '/me/api-tokens',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['api-tokens'],
        summary: 'Create a personal API token (the secret is shown once)',
        body: apiTokenCreate,
        response: responses(apiTokenCreated, 201),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createToken(app.db, request.ctx, request.body);
    },
  );

  app.delete(
    '/me/api-tokens/:id',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke one of my API tokens',
        params: idParams,
        response: responses(ok),
      },
    },
    async (request) => {
      await revokeToken(app.db, request.ctx, request.params.id, request.actor!.userId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api-tokens',
    {
      config: { permission: 'api-tokens.manage' },
      schema: {
        tags: ['api-tokens'],
        summary: "Every user's API tokens",
        querystring: listQuery.pick({ q: true }).strict(),
        response: responses(page(apiToken)),
      },
    },
    async (request) => {
      const items = await listTokens(app.db, { q: request.query.q });
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.delete(
    '/api-tokens/:id',
    {
      config: { permission: 'api-tokens.manage' },
      schema: {
        tags: ['api-tokens'],
        summary: "Revoke any user's API token",
        params: idParams,
        response: responses(ok),
      },
    },
    async (request) => {
      await revokeToken(app.db, request.ctx, request.params.id);
      return { ok: true as const };
    },
  );
};
