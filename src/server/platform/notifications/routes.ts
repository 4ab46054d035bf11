import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deliveryListQuery,
  emailChannel,
  emailChannelUpdate,
  idParams,
  markedRead,
  notification,
  notificationDelivery,
  notificationListQuery,
  notificationPreferences,
  notificationPreferencesUpdate,
  notificationWebhook,
  notificationWebhookCreate,
  notificationWebhookUpdate,
  ok,
  page,
  unreadCount,
} from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import './index.js';
import {
  countUnread,
  createWebhook,
  deleteWebhook,
  getEmailChannel,
  getPreferences,
  listDeliveries,
  listNotifications,
  listWebhooks,
  markAllRead,
  markRead,
  retryDelivery,
  sendTestNotification,
  updateEmailChannel,
  updatePreferences,
  updateWebhook,
} from './notifications.service.js';

const tags = ['notifications'];

export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  // The signed-in user's inbox

  app.get(
    '/notifications',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'My notifications, newest first (in the language of the request)',
        querystring: notificationListQuery,
        response: responses(page(notification)),
      },
    },
    async (request) => listNotifications(app.db, request.ctx, request.query),
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { permission: 'self' },
      schema: { tags, summary: 'How many of my notifications are unread', response: responses(unreadCount) },
    },
    async (request) => countUnread(app.db, request.ctx),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'Mark one of my notifications read',
        params: idParams,
        response: responses(notification),
      },
    },
    async (request) => markRead(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { permission: 'self' },
      schema: { tags, summary: 'Mark all my notifications read', response: responses(markedRead) },
    },
    async (request) => markAllRead(app.db, request.ctx),
  );

  app.post(
    '/notifications/test',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Send myself a test notification through every configured channel',
        response: responses(ok),
      },
    },
    async (request) => sendTestNotification(app.db, request.ctx),
  );

  app.get(
    '/notification-preferences',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'My channels per event type (in-app, email, robot)',
        response: responses(notificationPreferences),
      },
    },
    async (request) => getPreferences(app.db, request.ctx),
  );

  app.put(
    '/notification-preferences',
    {
      config: { permission: 'self' },
      schema: {
        tags,
        summary: 'Change my channels for the event types listed',
        body: notificationPreferencesUpdate,
        response: responses(notificationPreferences),
      },
    },
    async (request) => updatePreferences(app.db, request.ctx, request.body),
  );

  // Channels, configured by the administrator

  app.get(
    '/notification-channels/email',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Mail server settings (the password is never returned)',
        response: responses(emailChannel),
      },
    },
    async () => getEmailChannel(app.db),
  );

  app.put(
    '/notification-channels/email',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Change the mail server settings',
        body: emailChannelUpdate,
        response: responses(emailChannel),
      },
    },
    async (request) => updateEmailChannel(app.db, request.ctx, request.body),
  );

  app.get(
    '/notification-webhooks',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Chat robots (WeCom, DingTalk, Feishu), URLs masked',
        response: responses(z.object({ items: z.array(notificationWebhook) })),
      },
    },
    async () => listWebhooks(app.db),
  );

  app.post(
    '/notification-webhooks',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Add a chat robot',
        body: notificationWebhookCreate,
        response: responses(notificationWebhook, 201),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createWebhook(app.db, request.ctx, request.body);
    },
  );

  app.patch(
    '/notification-webhooks/:id',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Change a chat robot',
        params: idParams,
        body: notificationWebhookUpdate,
        response: responses(notificationWebhook),
      },
    },
    async (request) => updateWebhook(app.db, request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/notification-webhooks/:id',
    {
      config: { permission: 'notifications.manage' },
      schema: { tags, summary: 'Remove a chat robot', params: idParams, response: responses(ok) },
    },
    async (request) => deleteWebhook(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/notification-deliveries',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Outgoing emails and robot messages, newest first, with their status and last error',
        querystring: deliveryListQuery,
        response: responses(page(notificationDelivery)),
      },
    },
    async (request) => listDeliveries(app.db, request.ctx, request.query),
  );

  app.post(
    '/notification-deliveries/:id/retry',
    {
      config: { permission: 'notifications.manage' },
      schema: {
        tags,
        summary: 'Try a failed or waiting delivery again now',
        params: idParams,
        response: responses(notificationDelivery),
      },
    },
    async (request) => retryDelivery(app.db, request.ctx, request.params.id),
  );
};
