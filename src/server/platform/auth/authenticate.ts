import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { loadActor } from '../access/actor.js';
import type { Actor } from '../context.js';
import { AppError } from '../errors.js';
import { sameSecret } from './secrets.js';
import { resolveSession } from './sessions.js';
import { resolveToken } from './tokens.service.js';

export const SESSION_COOKIE = 'xg_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves the actor from `Authorization: Bearer <token>` or the session cookie. */
export async function authenticate(db: Db, config: Config, request: FastifyRequest): Promise<Actor | null> {
  const auth = request.headers.authorization;
  if (auth) {
    const [scheme, secret] = auth.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !secret) throw new AppError('unauthenticated');
    const token = await resolveToken(db, secret);
    const actor =
      token && (await loadActor(db, token.userId, { via: 'token', tokenId: token.id }, token.permissions));
    if (!actor) throw new AppError('unauthenticated');
    return actor;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const session = await resolveSession(db, cookie, config.session);
  if (!session) return null;
  const actor = await loadActor(db, session.userId, {
    via: 'session',
    sessionId: session.id,
    csrfToken: session.csrfToken,
  });
  // Writes authenticated by cookie must carry the session's CSRF token (double submit).
  if (actor && UNSAFE.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !sameSecret(header, session.csrfToken))
      throw new AppError('csrf_failed');
  }
  return actor;
}

export function setSessionCookie(
  reply: FastifyReply,
  config: Config,
  session: { token: string; expiresAt: Date },
) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.session.cookieSecure ?? reply.request.protocol === 'https',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
