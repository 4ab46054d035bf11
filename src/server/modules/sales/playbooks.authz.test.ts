import { checkAuthzMatrix } from '../../testing/authz.js';

// Playbooks belong to the sales process (resource `pipelines`, unscoped): everyone in sales reads
// them, only those who manage the process (directors, the administrator) rewrite them. The
// "record" is the 需求调研 stage of the standard pipeline, the same for every relation.
checkAuthzMatrix({
  resource: 'playbooks',
  async recordOwnedBy(_owner, _t, admin) {
    const standard = (await admin.get('/pipelines')).body.items[0];
    return standard.stages[1].id;
  },
  actions: {
    read: (client, stageId) => client.get(`/pipeline-stages/${stageId}/playbook`),
    update: async (client, stageId, admin) => {
      const { version } = (await admin.get(`/pipeline-stages/${stageId}/playbook`)).body;
      return client.put(`/pipeline-stages/${stageId}/playbook`, {
        guidanceEn: `Ask, then listen (${version})`,
        version,
      });
    },
  },
  expect: Object.fromEntries(
    (
      [
        'admin',
        'director',
        'manager01',
        'manager02',
        'rep01',
        'assistant01',
        'marketing01',
        'partner01',
      ] as const
    ).map((a) => {
      const manages = a === 'admin' || a === 'director';
      return [
        a,
        {
          read: ['allow', 'allow', 'allow'],
          update: manages ? ['allow', 'allow', 'allow'] : ['forbidden', 'forbidden', 'forbidden'],
        },
      ];
    }),
  ),
});
