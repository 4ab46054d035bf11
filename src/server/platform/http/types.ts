import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../context.js';
import type { Locale } from '../i18n/locale.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
    /** Every route as registered (method, url, config): the permission check walks it. */
    routeTable: { method: string; url: string; permission?: string; public?: boolean }[];
  }
  interface FastifyRequest {
    locale: Locale;
    actor: Actor | null;
    /** The service context of this request: actor, request id, client ip, locale. */
    ctx: Ctx;
  }
  interface FastifyContextConfig {
    /**
     * The permission this route requires, e.g. 'users.read'; 'self' = any signed-in user.
     * Every /api route declares one unless it is `public` (and on the public allow-list).
     */
    permission?: string;
    public?: boolean;
  }
}
