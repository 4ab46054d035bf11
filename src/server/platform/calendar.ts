/**
 * Arithmetic on business days written YYYY-MM-DD. A business day is already in the company's
 * time zone (see `dayIn` in settings), so the arithmetic is done on the calendar alone, in UTC,
 * where every day has 24 hours.
 */
const DAY_MS = 86_400_000;

const epochDay = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** The day `days` after (or, negative, before) `day`. */
export function addDays(day: string, days: number): string {
  return new Date((epochDay(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}
