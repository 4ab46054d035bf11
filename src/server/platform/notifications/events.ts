import type { Locale } from '../i18n/locale.js';
import { interpolate } from '../i18n/messages.js';

type Localized = Record<Locale, string>;

export interface NotificationEventDef {
  title: Localized;
  body: Localized;
  /** The event type's name on the preferences page; defaults to the title without placeholders. */
  label?: Localized;
}

const events = new Map<string, NotificationEventDef>();

/** Declare an event type once (module load): its localized title/body templates with {placeholders}. */
export function defineNotificationEvent(event: string, def: NotificationEventDef): void {
  events.set(event, def);
}

export function notificationEvents(): string[] {
  return [...events.keys()].sort();
}

export const isKnownEvent = (event: string) => events.has(event);

export function eventLabel(event: string, locale: Locale): string {
  const def = events.get(event);
  if (!def) return event;
  return (
    def.label?.[locale] ??
    def.title[locale]
      .replace(/\{\w+\}/g, '')
      .replace(/\s{2,}/g, ' ')
      .trim()
  );
}

/** The title and body of a notification in one language; an event no longer defined shows its key. */
export function renderNotification(
  event: string,
  params: Record<string, string | number>,
  locale: Locale,
): { title: string; body: string } {
  const def = events.get(event);
  if (!def) return { title: event, body: '' };
  return { title: interpolate(def.title[locale], params), body: interpolate(def.body[locale], params) };
}
