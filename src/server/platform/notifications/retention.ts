import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defineJob, defineSchedule } from '../jobs/jobs.js';
import { notificationDeliveries, notifications } from './schema.js';

/**
 * The inbox keeps what matters: read notifications for 90 days, unread ones for a year. A
 * notification with a delivery still being tried is kept; deliveries go with their notification.
 */
export async function pruneNotifications(db: Db): Promise<number> {
  const deleted = await db
    .delete(notifications)
    .where(
      sql`((${notifications.readAt} < now() - interval '90 days')
            or ${notifications.createdAt} < now() - interval '365 days')
          and not exists (select 1 from ${notificationDeliveries}
                          where ${notificationDeliveries.notificationId} = ${notifications.id}
                            and ${notificationDeliveries.status} = 'pending')`,
    )
    .returning({ id: notifications.id });
  return deleted.length;
}

defineJob('notifications.prune', async (_payload, job) => {
  job.log.info(`pruned ${await pruneNotifications(job.db)} old notifications`);
});
defineSchedule({ key: 'notifications.prune', kind: 'notifications.prune', cron: '45 3 * * *' });
