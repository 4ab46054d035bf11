import { checkAuthzMatrix } from '../../../testing/authz.js';
import { makeCustomer, userByName } from '../../customers/activities.fixtures.js';
import { activities } from '../../customers/schema.js';

// Sales facts: a figure's records are those of the reader's data scope (a rep: own, a manager and
// an assistant: the unit's subtree, the director and finance: all); "refresh now" is the
// administrator's. The record here is a visit the user logged, read through the drill-down.

let n = 0;
const ownerOf = new Map<string, string>();
const DAY = '2026-06-15';

checkAuthzMatrix({
  resource: 'sales-facts',
  async recordOwnedBy(username, t) {
    const db = t.database.db;
    const owner = await userByName(db, username);
    const customer = await makeCustomer(db, { name: `事实授权客户${++n}`, owner: username });
    const [a] = await db
      .insert(activities)
      .values({
        type: 'visit',
        subject: `授权拜访 ${n}`,
        customerId: customer.id,
        occurredAt: new Date(`${DAY}T03:00:00Z`),
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
      })
      .returning();
    ownerOf.set(a!.id, owner.id);
    return a!.id;
  },
  actions: {
    read: async (client, id) => {
      const res = await client.get(
        `/analytics/facts/records?metric=visits&from=${DAY}&to=${DAY}&cell=rep:${ownerOf.get(id)}&limit=500`,
      );
      if (res.statusCode !== 200) return res;
      return res.body.items.some((i: { id: string }) => i.id === id) ? res : { statusCode: 404 };
    },
    refresh: (client) => client.post('/analytics/facts/refresh', {}),
  },
  expect: {
    admin: { read: ['allow', 'allow', 'allow'], refresh: ['allow', 'allow', 'allow'] },
    director: { read: ['allow', 'allow', 'allow'], refresh: ['forbidden', 'forbidden', 'forbidden'] },
    manager01: { read: ['allow', 'allow', 'hidden'], refresh: ['forbidden', 'forbidden', 'forbidden'] },
    manager02: { read: ['allow', 'allow', 'hidden'] },
    rep01: { read: ['allow', 'hidden', 'hidden'], refresh: ['forbidden', 'forbidden', 'forbidden'] },
    assistant01: { read: ['allow', 'allow', 'hidden'] },
    finance01: { read: ['allow', 'allow', 'allow'] },
    warehouse01: { read: ['forbidden', 'forbidden', 'forbidden'] },
    marketing01: { read: ['forbidden', 'forbidden', 'forbidden'] },
    partner01: { read: ['forbidden', 'forbidden', 'forbidden'] },
  },
});
