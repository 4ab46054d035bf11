import { createHmac } from 'node:crypto';
import type { Locale } from '../i18n/locale.js';
import type { WebhookKind } from './schema.js';

export interface RobotMessage {
  title: string;
  body: string;
  recipientName: string;
  /** Mainland mobile of the recipient: DingTalk @-mentions by mobile. */
  recipientMobile?: string | null;
  url?: string;
  locale: Locale;
}

export interface Robot {
  kind: WebhookKind;
  url: string;
  secret: string;
}

const WORDS = {
  'zh-CN': { to: '接收人', open: '查看详情' },
  en: { to: 'To', open: 'Open' },
} satisfies Record<Locale, Record<string, string>>;

/** DingTalk "加签": HMAC-SHA256 keyed by the secret over "timestamp\nsecret", Base64; timestamp in ms. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu "签名校验": HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, Base64; timestamp in s. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** The URL and JSON body a robot expects, in its own message format. */
export function robotRequest(robot: Robot, m: RobotMessage, now = new Date()): { url: string; body: object } {
  const w = WORDS[m.locale];
  switch (robot.kind) {
    case 'wecom': {
      // WeCom group robot markdown: bold, quote, links; the key in the URL is the credential.
      const lines = [`**${m.title}**`, `> ${m.body.replace(/\n/g, '\n> ')}`, `${w.to}: ${m.recipientName}`];
      if (m.url) lines.push(`[${w.open}](${m.url})`);
      return { url: robot.url, body: { msgtype: 'markdown', markdown: { content: lines.join('\n') } } };
    }
    case 'dingtalk': {
      const mention = m.recipientMobile ? ` @${m.recipientMobile}` : '';
      const lines = [`#### ${m.title}`, m.body, `${w.to}: ${m.recipientName}${mention}`];
      if (m.url) lines.push(`[${w.open}](${m.url})`);
      const body = {
        msgtype: 'markdown',
        markdown: { title: m.title, text: lines.join('\n\n') },
        at: { atMobiles: m.recipientMobile ? [m.recipientMobile] : [], isAtAll: false },
      };
      if (!robot.secret) return { url: robot.url, body };
      const url = new URL(robot.url);
      const timestamp = now.getTime();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingtalkSign(robot.secret, timestamp));
      return { url: url.toString(), body };
    }
    case 'feishu': {
      const lines = [m.title, m.body, `${w.to}: ${m.recipientName}`];
      if (m.url) lines.push(`${w.open}: ${m.url}`);
      const body = { msg_type: 'text', content: { text: lines.join('\n') } };
      if (!robot.secret) return { url: robot.url, body };
      const timestamp = Math.floor(now.getTime() / 1000);
      return {
        url: robot.url,
        body: { timestamp: String(timestamp), sign: feishuSign(robot.secret, timestamp), ...body },
      };
    }
  }
}

/**
 * Posts to the robot. The platforms answer HTTP 200 with an error code in the body when they
 * refuse a message (bad signature, rate limit), so both are checked.
 */
export async function postToRobot(robot: Robot, message: RobotMessage): Promise<void> {
  const { url, body } = robotRequest(robot, message);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return;
  }
  const code = answer.errcode ?? answer.code ?? answer.StatusCode;
  if (code !== undefined && code !== 0) {
    const reason = answer.errmsg ?? answer.msg ?? answer.StatusMessage ?? '';
    throw new Error(`${robot.kind} refused the message: ${String(code)} ${String(reason)}`.trim());
  }
}

/** A robot URL carries its credential (WeCom key, DingTalk access_token, Feishu hook id): show only its end. */
export function maskRobotUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const tail = `${u.pathname}${u.search}`;
    return `${u.protocol}//${u.host}/…${tail.slice(-4)}`;
  } catch {
    return '…';
  }
}
