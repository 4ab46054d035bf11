import { userByName } from '../../modules/customers/activities.fixtures.js';
import type { Client, TestApp } from '../../testing/app.js';
import { checkAuthzMatrix } from '../../testing/authz.js';
import { savedViews } from './schema.js';

let n = 0;

const actions = {
  read: (client: Client, id: string) => client.get(`/views/${id}`),
  rename: async (client: Client, id: string, admin: Client) => {
    // The admin sees every shared view but no one's private one: read the version from the DB side.
    const res = await admin.get(`/views/${id}`);
    const version = res.statusCode === 200 ? res.body.version : 1;
    return client.patch(`/views/${id}`, { name: `改名 ${++n}`, version });
  },
  delete: (client: Client, id: string) => client.delete(`/views/${id}`),
};

const insertView = (shared: boolean) => async (username: string, t: TestApp) => {
  const db = t.database.db;
  const owner = await userByName(db, username);
  const [v] = await db
    .insert(savedViews)
    .values({
      listKey: 'opportunities',
      name: `${shared ? '共享' : '私人'}视图 ${++n}`,
      filters: { stage: ['需求调研'], sort: 'amount.desc' },
      shared,
      ownerId: owner.id,
    })
    .returning();
  return v!.id;
};

const everyone = [
  'admin',
  'director',
  'manager01',
  'manager02',
  'rep01',
  'assistant01',
  'marketing01',
  'partner01',
] as const;

// A private view is its author's alone: everyone else, the administrator included, gets 404.
checkAuthzMatrix({
  resource: 'views (private)',
  recordOwnedBy: insertView(false),
  actions,
  expect: Object.fromEntries(
    everyone.map((a) => [
      a,
      {
        read: ['allow', 'hidden', 'hidden'],
        rename: ['allow', 'hidden', 'hidden'],
        delete: ['allow', 'hidden', 'hidden'],
      },
    ]),
  ),
});

// A shared view of the opportunities list: everyone who reads opportunities sees it; its author
// changes it, and so do holders of views.manage (directors, the administrator).
checkAuthzMatrix({
  resource: 'views (shared)',
  recordOwnedBy: insertView(true),
  actions,
  expect: Object.fromEntries(
    everyone.map((a) => {
      const manages = a === 'admin' || a === 'director';
      const change = manages ? 'allow' : 'forbidden';
      return [
        a,
        {
          read: ['allow', 'allow', 'allow'],
          rename: ['allow', change, change],
          delete: ['allow', change, change],
        },
      ];
    }),
  ),
});
