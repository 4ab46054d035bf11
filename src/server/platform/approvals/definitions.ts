import { defineResource } from '../access/catalog.js';
import { defineNotificationEvent } from '../notifications/notify.js';
import { defineNumbering } from '../numbering/numbering.js';

// What the approvals engine registers: its resource, document numbers and notification events.
// Imported by the service itself, so that anything submitting for approval (the demo loader in
// the CLI too) finds them without loading the app.

// Approvals: everyone uses the inbox; `read` sees every request (directors), `manage` edits policies.
defineResource({
  key: 'approvals',
  module: 'platform',
  scoped: false,
  actions: ['read', 'manage'],
  defaults: { director: { actions: ['read'] } },
});

defineNumbering('approval', 'AP');

defineNotificationEvent('approval.requested', {
  title: { 'zh-CN': '待审批：{title}', en: 'Approval needed: {title}' },
  body: {
    'zh-CN': '{submitter} 提交的 {number} 等待你审批。',
    en: '{number}, submitted by {submitter}, is waiting for your decision.',
  },
  label: { 'zh-CN': '有待我审批的单据', en: 'A document waits for my approval' },
});
defineNotificationEvent('approval.reminder', {
  title: { 'zh-CN': '审批提醒：{title}', en: 'Reminder: {title}' },
  body: {
    'zh-CN': '{number} 已等待你审批 {days} 天。',
    en: '{number} has been waiting for your decision for {days} days.',
  },
  label: { 'zh-CN': '待审批超过一天的提醒', en: 'Reminder of approvals waiting over a day' },
});
defineNotificationEvent('approval.approved', {
  title: { 'zh-CN': '已通过：{title}', en: 'Approved: {title}' },
  body: {
    'zh-CN': '{number} 已审批通过（{actor}）。{comment}',
    en: '{number} was approved by {actor}. {comment}',
  },
  label: { 'zh-CN': '我提交的单据已通过', en: 'My submission was approved' },
});
defineNotificationEvent('approval.rejected', {
  title: { 'zh-CN': '已驳回：{title}', en: 'Rejected: {title}' },
  body: { 'zh-CN': '{number} 被 {actor} 驳回：{comment}', en: '{number} was rejected by {actor}: {comment}' },
  label: { 'zh-CN': '我提交的单据被驳回', en: 'My submission was rejected' },
});
defineNotificationEvent('approval.returned', {
  title: { 'zh-CN': '退回修改：{title}', en: 'Returned for changes: {title}' },
  body: {
    'zh-CN': '{number} 被 {actor} 退回修改：{comment}',
    en: '{number} was returned for changes by {actor}: {comment}',
  },
  label: { 'zh-CN': '我提交的单据被退回修改', en: 'My submission was returned for changes' },
});
defineNotificationEvent('approval.withdrawn', {
  title: { 'zh-CN': '已撤回：{title}', en: 'Withdrawn: {title}' },
  body: {
    'zh-CN': '{submitter} 撤回了 {number}，无需再审批。',
    en: '{submitter} withdrew {number}; no decision is needed.',
  },
  label: { 'zh-CN': '待我审批的单据被撤回', en: 'A document waiting for me was withdrawn' },
});
