import type { Faker } from '@faker-js/faker';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { createOrgUnit, setTerritories, updateOrgUnit } from '../modules/org/org-units.service.js';
import { orgUnits } from '../modules/org/schema.js';
import { createUser } from '../modules/org/users.service.js';
import { roleIdsByKey } from '../platform/access/roles.service.js';
import type { Ctx } from '../platform/context.js';

/** The password of every demo account; shown on the login page while the demo is loaded. */
export const DEMO_PASSWORD = 'Xiaoguan2026';

// seeds 002/004: a national sales force split into regions, each with teams and a manager.
const REGIONS = [
  {
    name: '华东',
    code: 'EAST',
    teams: [
      ['31', '32'],
      ['33', '34', '36', '37'],
    ],
  },
  { name: '华南', code: 'SOUTH', teams: [['44'], ['35', '45', '46']] },
  {
    name: '华北',
    code: 'NORTH',
    teams: [
      ['11', '12'],
      ['13', '14', '15'],
    ],
  },
  {
    name: '西南',
    code: 'SOUTHWEST',
    teams: [
      ['50', '51'],
      ['52', '53', '54'],
    ],
  },
] as const;

const HQ_DEPARTMENTS = [
  {
    name: '销售管理部',
    code: 'SALES-OPS',
    staff: [
      ['director', 'director', '销售总监'],
      ['assistant', 'assistant01', '销售内勤'],
      ['assistant', 'assistant02', '销售内勤'],
    ],
  },
  { name: '财务部', code: 'FIN', staff: [['finance', 'finance01', '财务专员']] },
  { name: '仓储物流部', code: 'WH', staff: [['warehouse', 'warehouse01', '仓库主管']] },
  { name: '市场部', code: 'MKT', staff: [['marketing', 'marketing01', '市场专员']] },
] as const;

/** Accounts listed on the login page in demo mode: one of each kind of user. */
export const DEMO_ACCOUNTS = [
  'director',
  'manager01',
  'manager02',
  'rep01',
  'rep07',
  'assistant01',
  'finance01',
  'warehouse01',
  'marketing01',
  'partner01',
] as const;

export interface DemoOrg {
  companyId: string;
  regions: {
    id: string;
    name: string;
    managerId: string;
    teams: { id: string; name: string; leadId: string; repIds: string[] }[];
  }[];
  userIds: Record<string, string>;
}

/** Four regions with two teams each, a head office, and about forty users across the roles. */
export async function seedDemoOrg(
  tx: Db,
  ctx: Ctx,
  faker: Faker,
  opts: { scale: number; passwordHash: string },
): Promise<DemoOrg> {
  const [company] = await tx.select().from(orgUnits).where(eq(orgUnits.kind, 'company'));
  if (!company) throw new Error('Set up the company before loading the demo');
  const roleIds = await roleIdsByKey(tx);
  const userIds: Record<string, string> = {};
  const mobile = () => `1${faker.helpers.arrayElement(['3', '5', '7', '8', '9'])}${faker.string.numeric(9)}`;

  const addUser = async (
    username: string,
    role: string,
    orgUnitId: string,
    position: string,
    managerId?: string,
  ) => {
    const user = await createUser(
      tx,
      ctx,
      {
        username,
        name: faker.person.lastName() + faker.person.firstName(),
        phone: mobile(),
        email: `${username}@example.com`,
        position,
        orgUnitId,
        managerId: managerId ?? null,
        roleIds: [roleIds[role]!],
        password: DEMO_PASSWORD,
      },
      { passwordHash: opts.passwordHash },
    );
    userIds[username] = user.id;
    return user.id;
  };

  for (const dept of HQ_DEPARTMENTS) {
    const unit = await createOrgUnit(tx, ctx, {
      parentId: company.id,
      name: dept.name,
      code: dept.code,
      kind: 'department',
    });
    for (const [role, username, position] of dept.staff) {
      await addUser(username, role, unit.id, position, role === 'director' ? undefined : userIds.director);
    }
  }

  let managerNo = 0;
  let repNo = 0;
  let partnerNo = 0;
  const pad = (n: number) => String(n).padStart(2, '0');
  const regions: DemoOrg['regions'] = [];
  for (const [r, region] of REGIONS.entries()) {
    const unit = await createOrgUnit(tx, ctx, {
      parentId: company.id,
      name: region.name,
      code: region.code,
      kind: 'region',
      sortOrder: r,
    });
    const managerId = await addUser(
      `manager${pad(++managerNo)}`,
      'manager',
      unit.id,
      '区域经理',
      userIds.director,
    );
    await updateOrgUnit(tx, ctx, unit.id, { headUserId: managerId, version: unit.version });
    await setTerritories(tx, ctx, { orgUnitId: unit.id }, region.teams.flat());
    const teams: DemoOrg['regions'][number]['teams'] = [];
    for (const [t, provinces] of region.teams.entries()) {
      const team = await createOrgUnit(tx, ctx, {
        parentId: unit.id,
        name: `${region.name}${['一', '二', '三'][t]}组`,
        code: `${region.code}-${t + 1}`,
        kind: 'team',
        sortOrder: t,
      });
      const leadId = await addUser(`manager${pad(++managerNo)}`, 'manager', team.id, '销售主管', managerId);
      await updateOrgUnit(tx, ctx, team.id, { headUserId: leadId, version: team.version });
      await setTerritories(tx, ctx, { orgUnitId: team.id }, [...provinces]);
      const repIds: string[] = [];
      for (let i = 0; i < 3 * opts.scale; i++) {
        const repId = await addUser(`rep${pad(++repNo)}`, 'rep', team.id, '销售代表', leadId);
        await setTerritories(tx, ctx, { userId: repId }, [provinces[i % provinces.length]!]);
        repIds.push(repId);
      }
      // A dealer's salesperson (渠道伙伴) working under the first team of the first two regions.
      if (t === 0 && r < 2) {
        await addUser(`partner${pad(++partnerNo)}`, 'partner', team.id, '经销商业务员', leadId);
      }
      teams.push({ id: team.id, name: team.name, leadId, repIds });
    }
    regions.push({ id: unit.id, name: region.name, managerId, teams });
  }
  return { companyId: company.id, regions, userIds };
}
