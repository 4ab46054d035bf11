import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { maskRobotUrl, postToRobot, type RobotMessage, robotRequest } from './webhooks.js';

const message: RobotMessage = {
  title: '报价单 Q-2026-000001 待审批',
  body: '张三提交了报价单，折扣 18%。',
  recipientName: '李经理',
  recipientMobile: '13800138000',
  url: 'https://crm.example.com/quotes/1',
  locale: 'zh-CN',
};
const now = new Date('2026-03-01T08:00:00Z');

describe('robot message formats', () => {
  it('DingTalk without a secret keeps its URL; with one it adds timestamp (ms) and sign, and @-mentions by mobile', () => {
    const plain = robotRequest(
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: '' },
      message,
      now,
    );
    expect(plain.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=t');
    const signed = robotRequest(
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECabc' },
      message,
      now,
    );
    const url = new URL(signed.url);
    expect(url.searchParams.get('access_token')).toBe('t');
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    expect(url.searchParams.get('sign')).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(signed.body).toMatchObject({
      msgtype: 'markdown',
      at: { atMobiles: ['13800138000'], isAtAll: false },
    });
    expect(JSON.stringify(signed.body)).toContain('@13800138000');
  });

  it('Feishu puts timestamp (s) and sign in the body of a text message', () => {
    const r = robotRequest(
      { kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret: 's' },
      message,
      now,
    );
    expect(r.body).toMatchObject({
      timestamp: String(now.getTime() / 1000),
      sign: expect.stringMatching(/=$/),
      msg_type: 'text',
      content: { text: expect.stringContaining('https://crm.example.com/quotes/1') },
    });
  });

  it('WeCom sends markdown with the link; the English words follow the message language', () => {
    const r = robotRequest(
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: '' },
      { ...message, locale: 'en' },
      now,
    );
    expect(r.body).toEqual({
      msgtype: 'markdown',
      markdown: {
        content:
          '**报价单 Q-2026-000001 待审批**\n> 张三提交了报价单，折扣 18%。\nTo: 李经理\n[Open](https://crm.example.com/quotes/1)',
      },
    });
  });

  it('masks the credential a robot URL carries', () => {
    expect(maskRobotUrl('https://oapi.dingtalk.com/robot/send?access_token=abcdef123456')).toBe(
      'https://oapi.dingtalk.com/…3456',
    );
    expect(maskRobotUrl('not a url')).toBe('…');
  });
});

describe('robot answers', () => {
  it('an HTTP 200 carrying an error code is a failure with the platform’s reason', async () => {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":310000,"errmsg":"sign not match"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send?access_token=t`;
    try {
      await expect(postToRobot({ kind: 'dingtalk', url, secret: 'x' }, message)).rejects.toThrow(
        /310000 sign not match/,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
