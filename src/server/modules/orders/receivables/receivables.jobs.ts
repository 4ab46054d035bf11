import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { defineJob, defineSchedule } from '../../../platform/jobs/jobs.js';
import { formatFen } from '../../../platform/money/amount-in-words.js';
import { defineNotificationEvent, notify } from '../../../platform/notifications/notify.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { defineContractFacts } from '../../sales/contract-ledger.js';
import { itemsCte, toItem } from './items.js';
import { collectedByContract } from './payments.service.js';
import { collectionTasks } from './schema.js';

export const RECEIVABLES_OVERDUE_JOB = 'orders.receivables-overdue';

defineNotificationEvent('orders.receivable-overdue', {
  title: {
    'zh-CN': '{customer} 的 {label} 已逾期 {days} 天',
    en: '{label} of {customer} is {days} days overdue',
  },
  body: {
    'zh-CN':
      '客户「{customer}」的 {label} 于 {dueDate} 到期，未收金额 {open}，已逾期 {days} 天，已生成催收任务。',
    en: '{label} of {customer} was due on {dueDate}; {open} is still open, {days} days overdue. A collection task was created.',
  },
  label: { 'zh-CN': '我的客户有应收款逾期', en: 'A receivable of my customer is overdue' },
});

/**
 * Daily: each overdue open item gets a collection task for its owner and one notification per
 * aging step (1–30, 31–60, 61–90, over 90) — the unique (item, bucket) makes reruns harmless.
 */
export async function alertOverdueReceivables(db: Db): Promise<number> {
  const today = dayIn(await companyTimeZone(db));
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with items as (${itemsCte})
      select items.*, c.name as customer_name, c.owner_id, c.org_unit_id from items
        join customers c on c.id = items.customer_id
       where items.amount - items.credited - items.paid > 0 and items.due_date::date < ${today}::date`,
  );
  let created = 0;
  for (const r of rows) {
    const item = toItem(r, today);
    await withTx(db, async (tx) => {
      const [task] = await tx
        .insert(collectionTasks)
        .values({
          customerId: item.customerId,
          invoiceId: item.kind === 'invoice' ? item.id : null,
          installmentId: item.kind === 'installment' ? item.id : null,
          itemId: item.id,
          bucket: item.bucket,
          dueDate: item.dueDate!,
          amountDue: item.open,
          assigneeId: (r.owner_id as string | null) ?? null,
          ownerId: (r.owner_id as string | null) ?? null,
          orgUnitId: String(r.org_unit_id),
        })
        .onConflictDoNothing()
        .returning({ id: collectionTasks.id });
      if (!task) return;
      created++;
      if (r.owner_id) {
        await notify(tx, {
          userIds: [String(r.owner_id)],
          event: 'orders.receivable-overdue',
          params: {
            customer: String(r.customer_name),
            label: item.label,
            dueDate: item.dueDate!,
            open: formatFen(item.open, { symbol: '¥' }),
            days: item.daysOverdue,
          },
          link: `/orders/receivables?customerId=${item.customerId}`,
          entity: 'customer',
          entityId: item.customerId,
        });
      }
    });
  }
  return created;
}

defineJob(RECEIVABLES_OVERDUE_JOB, async (_payload, job) => {
  const n = await alertOverdueReceivables(job.db);
  job.log.info(`created ${n} collection tasks`);
});
defineSchedule({ key: RECEIVABLES_OVERDUE_JOB, kind: RECEIVABLES_OVERDUE_JOB, cron: '30 7 * * *' });

// The contract ledger's "collected": Σ allocations to the contract's installments and invoices.
defineContractFacts('collected', collectedByContract);
