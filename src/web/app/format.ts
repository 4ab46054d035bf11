import dayjs from 'dayjs';

/** A timestamp in the reader's local time, to the minute. */
export const formatTime = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';

/** Money in fen as yuan in the reader's language (¥1,280,000.00); '—' when there is none. */
export const yuan = (fen: number | null | undefined, locale: string) =>
  fen === null || fen === undefined
    ? '—'
    : new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100);
