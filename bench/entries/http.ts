import { DEMO_PASSWORD } from '../../src/server/demo/index.js';
import { BENCH_ADMIN as ADMIN } from '../lib/company.js';
import type { HttpEntry } from '../lib/entry.js';

/** A demo rep: the users list is scoped to their team. */
const REP = 'rep01';
/** A common surname: the search touches many rows, as a real name search does. */
const SEARCH = `limit=50&status=active&q=${encodeURIComponent('张')}`;

export const healthEntry: HttpEntry = {
  kind: 'http',
  name: 'health',
  title: 'GET /api/health',
  request: async () => ({ method: 'GET', path: '/api/health' }),
};

export const usersEntries: HttpEntry[] = [
  {
    kind: 'http',
    name: 'users',
    title: 'GET /users first page (admin)',
    request: async (ctx) => ({
      method: 'GET',
      path: '/api/v1/users?limit=50',
      headers: await ctx.signIn(ADMIN.username, ADMIN.password),
    }),
  },
  {
    kind: 'http',
    name: 'users-search',
    title: 'GET /users?q=张&status (admin)',
    request: async (ctx) => ({
      method: 'GET',
      path: `/api/v1/users?${SEARCH}`,
      headers: await ctx.signIn(ADMIN.username, ADMIN.password),
    }),
  },
  {
    kind: 'http',
    name: 'users-rep',
    title: 'GET /users first page (rep, team)',
    request: async (ctx) => ({
      method: 'GET',
      path: '/api/v1/users?limit=50',
      headers: await ctx.signIn(REP),
    }),
  },
  {
    kind: 'http',
    name: 'users-rep-search',
    title: 'GET /users?q=张&status (rep, team)',
    request: async (ctx) => ({
      method: 'GET',
      path: `/api/v1/users?${SEARCH}`,
      headers: await ctx.signIn(REP),
    }),
  },
];

export const loginEntry: HttpEntry = {
  kind: 'http',
  name: 'login',
  title: 'POST /auth/login (scrypt)',
  // Password hashing is CPU-bound on purpose; more connections would only queue.
  connections: (options) => options.loginConnections,
  request: async () => ({
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { username: 'rep02', password: DEMO_PASSWORD },
  }),
};
