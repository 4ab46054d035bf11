import { and, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { roles } from '../../../platform/access/schema.js';
import { recordAudits } from '../../../platform/audit/audit.js';
import { systemCtx } from '../../../platform/context.js';
import { defineJob, defineSchedule } from '../../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../../platform/notifications/notify.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { userRoles, users } from '../../org/schema.js';
import { unitSellThroughAlerts } from './schema.js';
import { activeUnitProjects, sellThroughOf } from './units.service.js';

export const UNIT_SELL_THROUGH_JOB = 'orders.unit-sell-through';

defineNotificationEvent('orders.unit-sell-through-ahead', {
  title: {
    'zh-CN': '{project} {grade} 类房源销售超前',
    en: '{project}: grade {grade} units are selling ahead of target',
  },
  body: {
    'zh-CN':
      '「{stage}」阶段 {grade} 类房源销售率 {actual}%，超出阶段目标进度 {expected}% 的 30% 以上。建议立即提价或人为保留部分房源。',
    en: 'In stage "{stage}", grade {grade} is {actual}% sold, at least 30% ahead of the {expected}% expected by now. Consider raising prices or holding units back.',
  },
  label: { 'zh-CN': '某等级房源销售超前（建议提价或保留）', en: 'A grade of units sells ahead of target' },
});

defineNotificationEvent('orders.unit-sell-through-behind', {
  title: {
    'zh-CN': '{project} {grade} 类房源销售落后',
    en: '{project}: grade {grade} units are behind target',
  },
  body: {
    'zh-CN':
      '「{stage}」阶段 {grade} 类房源销售率 {actual}%，低于阶段目标进度 {expected}% 达 20% 以上。请召集专题研讨会。',
    en: 'In stage "{stage}", grade {grade} is {actual}% sold, at least 20% behind the {expected}% expected by now. Call a review meeting.',
  },
  label: { 'zh-CN': '某等级房源销售落后（召集研讨会）', en: 'A grade of units is behind target' },
});

/** Who hears about sell-through: active users whose roles hold units.hold or units.manage. */
async function releaseControllers(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      and(
        eq(users.status, 'active'),
        or(
          sql`${roles.permissions} @> '["units.hold"]'::jsonb`,
          sql`${roles.permissions} @> '["units.manage"]'::jsonb`,
        ),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * The daily check: for each active project's current stage, every grade that is ahead
 * (suggest_raise_or_hold) or behind (alert_review) is announced once — the alert row's primary
 * key (project, stage, grade, suggestion) makes a rerun, or a second worker, find it sent.
 */
export async function alertUnitSellThrough(db: Db, date?: string): Promise<number> {
  const ctx = systemCtx(`job:${UNIT_SELL_THROUGH_JOB}`);
  const day = date ?? dayIn(await companyTimeZone(db));
  return withTx(db, async (tx) => {
    let sent = 0;
    let recipients: string[] | null = null;
    for (const project of await activeUnitProjects(tx)) {
      for (const stage of project.stages) {
        if (stage.startDate > day || stage.endDate < day) continue;
        const result = await sellThroughOf(tx, project, stage, day);
        for (const g of result.grades) {
          if (g.suggestion === 'on_track') continue;
          const [inserted] = await tx
            .insert(unitSellThroughAlerts)
            .values({
              projectId: project.id,
              stage: stage.code,
              grade: g.grade,
              suggestion: g.suggestion,
              sellThroughPct: g.sellThroughPct,
              expectedPct: g.expectedPct,
            })
            .onConflictDoNothing()
            .returning();
          if (!inserted) continue;
          recipients ??= await releaseControllers(tx);
          await notify(tx, {
            userIds: recipients,
            event:
              g.suggestion === 'alert_review'
                ? 'orders.unit-sell-through-behind'
                : 'orders.unit-sell-through-ahead',
            params: {
              project: project.name,
              stage: stage.name,
              grade: g.grade,
              actual: g.sellThroughPct,
              expected: g.expectedPct,
            },
            link: `/catalog/unit-projects/${project.id}`,
            entity: 'unit_project',
            entityId: project.id,
          });
          await recordAudits(tx, ctx, [
            {
              action: g.suggestion,
              entity: 'unit_project',
              entityId: project.id,
              after: {
                stage: stage.code,
                grade: g.grade,
                sellThroughPct: g.sellThroughPct,
                expectedPct: g.expectedPct,
              },
            },
          ]);
          sent++;
        }
      }
    }
    return sent;
  });
}

defineJob(UNIT_SELL_THROUGH_JOB, async (_payload, job) => {
  const n = await alertUnitSellThrough(job.db);
  job.log.info(`sent ${n} unit sell-through alerts`);
});
defineSchedule({ key: UNIT_SELL_THROUGH_JOB, kind: UNIT_SELL_THROUGH_JOB, cron: '0 8 * * *' });
