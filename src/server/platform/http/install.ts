import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { pgConstraint, pgErrorCode } from '../../db/tx.js';
import { authenticate } from '../auth/authenticate.js';
import { AppError } from '../errors.js';
import { localeFromHeader } from '../i18n/locale.js';
import { fieldErrorsFromIssue, sendProblem } from './problem.js';

/** Field named by a unique index such as `users_email_idx` → `email`. */
function fieldOfConstraint(constraint: string | undefined): string {
  const parts = (constraint ?? '').replace(/_(idx|key|unique)$/, '').split('_');
  return parts.slice(1).join('_') || 'id';
}

/**
 * Cross-cutting HTTP behaviour: locale, authentication and permission checks, CSRF, and every
 * error rendered as localised problem+json without internals.
 */
export function installHttp(app: FastifyInstance) {
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('actor', null);
  app.decorateRequest('ctx', {
    getter() {
      return { actor: this.actor, requestId: this.id, ip: this.ip, locale: this.locale };
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.locale = localeFromHeader(request.headers['accept-language']);
    const config = request.routeOptions.config;
    // Only the versioned API is guarded; health, OpenAPI and the web app's files are public.
    if (!request.routeOptions.url?.startsWith('/api/v1/')) return;
    request.actor = await authenticate(app.db, app.config, request);
    if (config.public) return;
    if (!request.actor) throw new AppError('unauthenticated');
    const permission = config.permission;
    if (!permission) throw new AppError('forbidden', { permission: '?' });
    // Until a reset password is replaced, only the user's own account routes ('self') work.
    if (permission !== 'self' && request.actor.mustChangePassword)
      throw new AppError('password_change_required');
    if (permission !== 'self' && !request.actor.permissions.has(permission)) {
      throw new AppError('forbidden', { permission });
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendProblem(reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendProblem(
        reply,
        new AppError('validation_failed', {}, error.validation.flatMap(fieldErrorsFromIssue)),
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, new AppError('payload_too_large', { limit: app.config.bodyLimit }));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, new AppError('unsupported_media_type'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, new AppError('bad_request'));
    }
    if (error.statusCode === 429) return sendProblem(reply, new AppError('rate_limited'));
    if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith('FST_'))) {
      return sendProblem(reply, new AppError('bad_request'));
    }
    // A race a service did not pre-check still ends as a clean client error, never a 500.
    const pgCode = pgErrorCode(error);
    if (pgCode === '23505') {
      const field = fieldOfConstraint(pgConstraint(error));
      return sendProblem(reply, new AppError('duplicate', { field }, [{ path: field, message: 'invalid' }]));
    }
    if (pgCode === '23503') return sendProblem(reply, new AppError('invalid_reference', { field: '?' }));
    if (pgCode === '40001' || pgCode === '40P01') return sendProblem(reply, new AppError('version_conflict'));
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new AppError('internal', {}, [], 500));
  });
}
