import type { DataScope } from './access/schema.js';
import type { Locale } from './i18n/locale.js';

/** Who is acting, resolved once per request from the session cookie or API token. */
export interface Actor {
  userId: string;
  username: string;
  name: string;
  orgUnitId: string;
  /** The actor's org unit path ('/root/region/team/'): the "team" scope is this subtree. */
  orgPath: string;
  partnerId: string | null;
  permissions: ReadonlySet<string>;
  scopes: Readonly<Record<string, DataScope>>;
  /** Set after an administrator's reset: only one's own account may be used until it is changed. */
  mustChangePassword: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
  csrfToken?: string;
}

/** What every service call receives besides its input: the actor (null = the system itself). */
export interface Ctx {
  actor: Actor | null;
  requestId: string;
  ip?: string;
  locale: Locale;
}

export const systemCtx = (requestId = 'system', locale: Locale = 'zh-CN'): Ctx => ({
  actor: null,
  requestId,
  locale,
});

export function actorName(ctx: Ctx): string {
  return ctx.actor ? ctx.actor.name : 'system';
}
