import { checkAuthzMatrix } from '../../testing/authz.js';
import { pdfBytes, uploadFile } from './testing.js';

const userIds = new Map<string, string>();
/** One file per user, attached by the administrator, to test downloads against. */
const fileOf = new Map<string, string>();

// Files attached to a user inherit the user's permissions and data scope: whoever can see the
// user sees and downloads the files; only who can manage users adds or removes them.
checkAuthzMatrix({
  resource: 'attachments on users',
  async recordOwnedBy(username, _t, admin) {
    if (!userIds.size) {
      const all = await admin.get('/users?limit=500');
      for (const u of all.body.items) userIds.set(u.username, u.id);
    }
    const id = userIds.get(username)!;
    if (!fileOf.has(id)) {
      const res = await uploadFile(
        admin,
        { entity: 'user', entityId: id },
        `${username} 合同.pdf`,
        pdfBytes(username),
      );
      fileOf.set(id, res.body.id);
    }
    return id;
  },
  actions: {
    list: (client, id) => client.get(`/attachments?entity=user&entityId=${id}`),
    download: (client, id) => client.get(`/attachments/${fileOf.get(id)}/content`),
    upload: (client, id) =>
      uploadFile(client, { entity: 'user', entityId: id }, '证书.pdf', pdfBytes('证书')),
  },
  expect: {
    admin: {
      list: ['allow', 'allow', 'allow'],
      download: ['allow', 'allow', 'allow'],
      upload: ['allow', 'allow', 'allow'],
    },
    director: {
      list: ['allow', 'allow', 'allow'],
      download: ['allow', 'allow', 'allow'],
      upload: ['forbidden', 'forbidden', 'forbidden'],
    },
    manager01: {
      list: ['allow', 'allow', 'hidden'],
      download: ['allow', 'allow', 'hidden'],
      upload: ['forbidden', 'forbidden', 'hidden'],
    },
    rep01: {
      list: ['allow', 'allow', 'hidden'],
      download: ['allow', 'allow', 'hidden'],
      upload: ['forbidden', 'forbidden', 'hidden'],
    },
    assistant01: {
      list: ['allow', 'allow', 'hidden'],
      download: ['allow', 'allow', 'hidden'],
      upload: ['forbidden', 'forbidden', 'hidden'],
    },
  },
});
