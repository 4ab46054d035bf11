import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { settings, settingsUpdate } from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import { getSettings, presentSettings, updateSettings } from './settings.service.js';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settings',
    {
      config: { permission: 'self' },
      schema: { tags: ['settings'], summary: 'Company settings', response: responses(settings) },
    },
    async () => presentSettings(await getSettings(app.db)),
  );

  app.patch(
    '/settings',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Change company settings',
        body: settingsUpdate,
        response: responses(settings),
      },
    },
    async (request) => updateSettings(app.db, request.ctx, request.body),
  );
};
