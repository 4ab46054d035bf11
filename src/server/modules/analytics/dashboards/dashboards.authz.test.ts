import { checkAuthzMatrix } from '../../../testing/authz.js';
import { userByName } from '../../customers/activities.fixtures.js';

// Dashboards: who opens which role dashboard, and for which org unit. The "record" is the org unit
// of the given user: a rep may filter on their own unit only, a manager on their subtree, the
// director and finance on any; a unit outside one's data scope is not found (404).

checkAuthzMatrix({
  resource: 'dashboards',
  async recordOwnedBy(username, t) {
    return (await userByName(t.database.db, username)).orgUnitId;
  },
  actions: {
    director: (client, unit) => client.get(`/dashboards/director?period=month&orgUnitId=${unit}`),
    manager: (client, unit) => client.get(`/dashboards/manager?period=month&orgUnitId=${unit}`),
    rep: (client, unit) => client.get(`/dashboards/rep?period=month&orgUnitId=${unit}`),
    export: (client, unit) =>
      client.get(`/dashboards/manager/widgets/leaderboard/export?format=xlsx&period=month&orgUnitId=${unit}`),
  },
  expect: {
    admin: {
      director: ['allow', 'allow', 'allow'],
      manager: ['allow', 'allow', 'allow'],
      rep: ['allow', 'allow', 'allow'],
      export: ['allow', 'allow', 'allow'],
    },
    director: {
      director: ['allow', 'allow', 'allow'],
      manager: ['allow', 'allow', 'allow'],
      rep: ['allow', 'allow', 'allow'],
      export: ['allow', 'allow', 'allow'],
    },
    manager01: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['allow', 'allow', 'hidden'],
      rep: ['allow', 'allow', 'hidden'],
      export: ['allow', 'allow', 'hidden'],
    },
    manager02: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['allow', 'allow', 'hidden'],
      rep: ['allow', 'allow', 'hidden'],
      export: ['allow', 'allow', 'hidden'],
    },
    rep01: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['forbidden', 'forbidden', 'forbidden'],
      rep: ['allow', 'allow', 'hidden'],
      export: ['forbidden', 'forbidden', 'forbidden'],
    },
    assistant01: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['allow', 'allow', 'hidden'],
      rep: ['forbidden', 'forbidden', 'forbidden'],
      export: ['allow', 'allow', 'hidden'],
    },
    finance01: {
      director: ['allow', 'allow', 'allow'],
      manager: ['forbidden', 'forbidden', 'forbidden'],
      rep: ['forbidden', 'forbidden', 'forbidden'],
      export: ['forbidden', 'forbidden', 'forbidden'],
    },
    marketing01: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['forbidden', 'forbidden', 'forbidden'],
      rep: ['forbidden', 'forbidden', 'forbidden'],
      export: ['forbidden', 'forbidden', 'forbidden'],
    },
    warehouse01: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['forbidden', 'forbidden', 'forbidden'],
      rep: ['forbidden', 'forbidden', 'forbidden'],
      export: ['forbidden', 'forbidden', 'forbidden'],
    },
    partner01: {
      director: ['forbidden', 'forbidden', 'forbidden'],
      manager: ['forbidden', 'forbidden', 'forbidden'],
      rep: ['forbidden', 'forbidden', 'forbidden'],
      export: ['forbidden', 'forbidden', 'forbidden'],
    },
  },
});
