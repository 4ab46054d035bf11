// Notifications: what other modules use. Loading this file registers the delivery job.
import './delivery.js';
import './retention.js';
import { defineNotificationEvent } from './events.js';

export { defineNotificationEvent, type NotifyInput, notify } from './notify.js';

defineNotificationEvent('system.test', {
  label: { 'zh-CN': '测试通知', en: 'Test notification' },
  title: { 'zh-CN': '测试通知', en: 'Test notification' },
  body: {
    'zh-CN': '{name}，这是一条测试通知：收到即说明该通知渠道工作正常。',
    en: '{name}, this is a test notification: if you can read it, this channel works.',
  },
});
