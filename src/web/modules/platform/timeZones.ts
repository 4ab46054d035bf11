/** Time zones offered in settings: China first, then the zones Chinese companies most often trade in. */
export const TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Macau',
  'Asia/Urumqi',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Moscow',
  'America/New_York',
  'America/Los_Angeles',
  'Australia/Sydney',
  'UTC',
];

/** "Asia/Shanghai · 中国标准时间" — the zone's own name in the reader's language, from the browser. */
export function timeZoneOptions(language: string, current?: string) {
  const zones = current && !TIME_ZONES.includes(current) ? [current, ...TIME_ZONES] : TIME_ZONES;
  return zones.map((zone) => {
    let name = '';
    try {
      name =
        new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'long' })
          .formatToParts(new Date())
          .find((p) => p.type === 'timeZoneName')?.value ?? '';
    } catch {
      // an unknown zone keeps its bare id
    }
    return { value: zone, label: name ? `${zone} · ${name}` : zone };
  });
}
