import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { unitProjects, units } from './schema.js';

// Units are not owned by anyone: the permission alone decides, so each row reads the same for a
// unit "of" the actor, of their team and of another team.

let projectId: string | undefined;
let n = 0;

const all = (o: Outcome): [Outcome, Outcome, Outcome] => [o, o, o];
const allow = all('allow');
const forbidden = all('forbidden');

checkAuthzMatrix({
  resource: 'units',
  async recordOwnedBy(_owner, t) {
    const db = t.database.db;
    if (!projectId) {
      const [p] = await db
        .insert(unitProjects)
        .values({ code: 'AUTHZ', name: '授权测试项目', kind: 'property' })
        .returning();
      projectId = p!.id;
    }
    n++;
    const [u] = await db
      .insert(units)
      .values({
        projectId,
        kind: 'property',
        building: '1号楼',
        floor: Math.ceil(n / 6),
        position: ((n - 1) % 6) + 1,
        number: `1-${n}`,
        grade: 'B',
        area: '90.00',
        listPrice: 150_000_000,
      })
      .returning();
    return u!.id;
  },
  actions: {
    read: (client, id) => client.get(`/units/${id}`),
    grid: async (client) => client.get(`/unit-projects/${projectId}/grid`),
    hold: (client, id) => client.post('/units/hold', { units: [{ id, version: 1 }], reason: '人为保留' }),
    release: async (client, id, admin) => {
      const held = await admin.post('/units/hold', { units: [{ id, version: 1 }], reason: '人为保留' });
      return client.post('/units/release', {
        units: [{ id, version: held.body.units[0].version }],
        reason: '释放',
      });
    },
    reserve: (client, id) => client.post(`/units/${id}/reserve`, { key: `AUTHZ-${id}` }),
    update: (client, id) => client.patch(`/units/${id}`, { unitType: '两室两厅', version: 1 }),
    reprice: (client, id) =>
      client.post('/units/reprice', { projectId, unitIds: [id], percent: 1, reason: '调价' }),
  },
  // Directors run release control and prices; managers hold, release and take subscriptions;
  // everyone else in sales only looks; dealers' staff do not see the company's units.
  expect: {
    admin: {
      read: allow,
      grid: allow,
      hold: allow,
      release: allow,
      reserve: allow,
      update: allow,
      reprice: allow,
    },
    director: {
      read: allow,
      grid: allow,
      hold: allow,
      release: allow,
      reserve: allow,
      update: allow,
      reprice: allow,
    },
    manager01: {
      read: allow,
      grid: allow,
      hold: allow,
      release: allow,
      reserve: allow,
      update: forbidden,
      reprice: forbidden,
    },
    manager02: { read: allow, hold: allow, update: forbidden },
    rep01: {
      read: allow,
      grid: allow,
      hold: forbidden,
      release: forbidden,
      reserve: forbidden,
      update: forbidden,
      reprice: forbidden,
    },
    assistant01: { read: allow, hold: forbidden, reserve: forbidden, update: forbidden },
    marketing01: { read: allow, hold: forbidden, update: forbidden },
    partner01: { read: forbidden, grid: forbidden, hold: forbidden, update: forbidden },
  },
});
