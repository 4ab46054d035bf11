import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, type Client, createTestApp, setupCompany, type TestApp } from './app.js';

/**
 * The authorization matrix: for each actor, each action on a record the actor owns, a record
 * owned within the actor's team (org unit subtree) and a record owned in another team, the
 * outcome through the HTTP API. Each resource adds one table; see users.authz.test.ts.
 */
export type Outcome = 'allow' | 'hidden' | 'forbidden';
export type Relation = 'own' | 'sameTeam' | 'otherTeam';
const RELATIONS: Relation[] = ['own', 'sameTeam', 'otherTeam'];

/** Demo-company actors and, for each, whose record counts as own / same team / other team. */
export const ACTORS = {
  admin: { own: 'admin', sameTeam: 'director', otherTeam: 'rep07' },
  director: { own: 'director', sameTeam: 'assistant01', otherTeam: 'rep07' },
  manager01: { own: 'manager01', sameTeam: 'rep04', otherTeam: 'rep07' },
  manager02: { own: 'manager02', sameTeam: 'rep03', otherTeam: 'rep04' },
  rep01: { own: 'rep01', sameTeam: 'rep02', otherTeam: 'rep07' },
  assistant01: { own: 'assistant01', sameTeam: 'assistant02', otherTeam: 'rep07' },
  // 市场部 has no one else: "same team" is a colleague at head office.
  marketing01: { own: 'marketing01', sameTeam: 'director', otherTeam: 'rep07' },
  // A dealer's salesperson attached to 华东一组.
  partner01: { own: 'partner01', sameTeam: 'rep01', otherTeam: 'rep07' },
  // 财务部 and 仓储物流部 have one person each: "same team" is a colleague at head office (销售管理部),
  // "other team" a rep in another region. Both roles work company-wide by default.
  finance01: { own: 'finance01', sameTeam: 'assistant01', otherTeam: 'rep07' },
  warehouse01: { own: 'warehouse01', sameTeam: 'assistant01', otherTeam: 'rep07' },
} as const;
export type ActorName = keyof typeof ACTORS;

export interface AuthzMatrix {
  resource: string;
  /** The id of a record owned by the given demo user (created through the API if need be). */
  recordOwnedBy(owner: string, t: TestApp, admin: Client): Promise<string>;
  /** Each action, performed by `client` on the record `id`. */
  actions: Record<string, (client: Client, id: string, admin: Client) => Promise<{ statusCode: number }>>;
  /** actor → action → outcome on [own, same team, other team]. */
  expect: Partial<Record<ActorName, Record<string, [Outcome, Outcome, Outcome]>>>;
}

function outcomeOf(status: number): Outcome | `unexpected ${number}` {
  if (status >= 200 && status < 300) return 'allow';
  if (status === 404) return 'hidden';
  if (status === 403) return 'forbidden';
  return `unexpected ${status}`;
}

export function checkAuthzMatrix(matrix: AuthzMatrix) {
  describe(`authorization matrix: ${matrix.resource}`, () => {
    let t: TestApp;
    let admin: Client;
    const clients = new Map<string, Client>();
    beforeAll(async () => {
      t = await createTestApp();
      admin = await setupCompany(t.app);
    });
    afterAll(() => t.close());

    const cases = Object.entries(matrix.expect).flatMap(([actor, actions]) =>
      Object.entries(actions).flatMap(([action, outcomes]) =>
        RELATIONS.map((relation, i) => ({
          actor: actor as ActorName,
          action,
          relation,
          expected: outcomes[i]!,
        })),
      ),
    );
    it.each(cases)('$actor $action $relation → $expected', async ({ actor, action, relation, expected }) => {
      let client = clients.get(actor);
      if (!client) {
        client = actor === 'admin' ? await as(t.app, ADMIN.username, ADMIN.password) : await as(t.app, actor);
        clients.set(actor, client);
      }
      const id = await matrix.recordOwnedBy(ACTORS[actor][relation], t, admin);
      const res = await matrix.actions[action]!(client, id, admin);
      expect(outcomeOf(res.statusCode)).toBe(expected);
    });
  });
}
