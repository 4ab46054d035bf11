import { dayIn } from '../../../platform/settings/settings.service.js';
import { checkAuthzMatrix } from '../../../testing/authz.js';
import { userByName } from '../../customers/activities.fixtures.js';
import { addMonths } from './rules.js';
import { forecastCommits } from './schema.js';

let n = 0;

checkAuthzMatrix({
  resource: 'forecast-commits',
  // A commit of `username` for an open month (each case its own month: one commit per rep and month).
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const [c] = await db
      .insert(forecastCommits)
      .values({
        month: addMonths(dayIn('Asia/Shanghai', new Date()).slice(0, 7), ++n),
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
        commitAmount: 100_000,
        bestCaseAmount: 150_000,
      })
      .returning();
    return c!.id;
  },
  actions: {
    read: (client, id) => client.get(`/forecast-commits/${id}`),
    adjust: async (client, id, admin) => {
      const { version } = (await admin.get(`/forecast-commits/${id}`)).body;
      return client.post(`/forecast-commits/${id}/adjust`, {
        commitAmount: 80_000,
        bestCaseAmount: 120_000,
        note: '复核后下调',
        version,
      });
    },
  },
  // Reps see their own commits; managers see and adjust their unit's subtree; the director and
  // finance all (finance reads only). Staff outside sales have none.
  expect: {
    admin: { read: ['allow', 'allow', 'allow'], adjust: ['allow', 'allow', 'allow'] },
    director: { read: ['allow', 'allow', 'allow'], adjust: ['allow', 'allow', 'allow'] },
    manager01: { read: ['allow', 'allow', 'hidden'], adjust: ['allow', 'allow', 'hidden'] },
    manager02: { read: ['allow', 'allow', 'hidden'], adjust: ['allow', 'allow', 'hidden'] },
    rep01: { read: ['allow', 'hidden', 'hidden'], adjust: ['forbidden', 'forbidden', 'forbidden'] },
    finance01: { read: ['allow', 'allow', 'allow'], adjust: ['forbidden', 'forbidden', 'forbidden'] },
    assistant01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
    warehouse01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      read: ['forbidden', 'forbidden', 'forbidden'],
      adjust: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
