import nodemailer from 'nodemailer';
import type { notificationSettings } from './schema.js';

type Settings = typeof notificationSettings.$inferSelect;

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** A full URL to open the record, when the app's address is configured. */
  url?: string;
  cc?: string[];
  /** Files sent with the message (a quote's PDF). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Sends one message through the configured SMTP server; throws with the server's reason on failure. */
export async function sendMail(settings: Settings, mail: OutgoingMail, openLabel: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    ...(settings.smtpUser ? { auth: { user: settings.smtpUser, pass: settings.smtpPassword } } : {}),
    // A slow or silent server fails this attempt rather than holding the worker.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    const text = mail.url ? `${mail.text}\n\n${openLabel}: ${mail.url}` : mail.text;
    const html = [
      `<p>${escapeHtml(mail.text).replace(/\n/g, '<br>')}</p>`,
      mail.url ? `<p><a href="${escapeHtml(mail.url)}">${escapeHtml(openLabel)}</a></p>` : '',
    ].join('');
    await transport.sendMail({
      from: settings.fromName
        ? { name: settings.fromName, address: settings.fromAddress }
        : settings.fromAddress,
      to: mail.to,
      ...(mail.cc?.length ? { cc: mail.cc } : {}),
      subject: mail.subject,
      text,
      html,
      ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
    });
  } finally {
    transport.close();
  }
}
