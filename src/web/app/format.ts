import dayjs from 'dayjs';

/** A timestamp in the reader's local time, to the minute. */
export const formatTime = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
