/**
 * Calendar days, times of day and local date-times in a unit's time zone, given either as an
 * IANA name (`America/Sao_Paulo`, daylight saving included) or as a fixed GMT offset as
 * Conexa writes it (`GMT-03:00`, `GMT-3`, `-03:00`, `GMT`). The scheduler places reminders
 * with them; the coworking service writes its clock as Conexa does (`localDateTime`).
 */

const offsetPattern = /^(?:(?:GMT|UTC)(?:([+-])(\d{1,2})(?::?(\d{2}))?)?|([+-])(\d{1,2})(?::?(\d{2}))?)$/;

/** A fixed offset in minutes east of UTC, or null when `zone` is not an offset. */
function fixedOffset(zone: string): number | null {
  const match = offsetPattern.exec(zone);
  if (!match) return null;
  const sign = match[1] ?? match[4];
  if (sign === undefined) return 0;
  const hours = Number(match[2] ?? match[5]);
  const minutes = Number(match[3] ?? match[6] ?? 0);
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Whether `zone` is an IANA time zone this runtime knows or a GMT offset. */
export function isTimeZone(zone: string): boolean {
  const offset = fixedOffset(zone);
  if (offset !== null) return Math.abs(offset) <= 14 * 60;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `at`, in minutes (east positive). */
export function offsetMinutes(zone: string, at: Date): number {
  const fixed = fixedOffset(zone);
  if (fixed !== null) return fixed;
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar day (Y-m-d) it is in `zone` at `at`. */
export function dateIn(zone: string, at: Date): string {
  return new Date(at.getTime() + offsetMinutes(zone, at) * 60_000).toISOString().slice(0, 10);
}

/** The instant at which it is `date` (Y-m-d) `time` (H:i) in `zone`. */
export function instantIn(zone: string, date: string, time: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const local = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the guess, then at the corrected instant (they differ across a DST change).
  const first = local - offsetMinutes(zone, new Date(local)) * 60_000;
  return new Date(local - offsetMinutes(zone, new Date(first)) * 60_000);
}

/** `date` (Y-m-d) plus `days` calendar days. */
export function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * `at` as Conexa writes a date-time, `Y-m-d\TH:i:sP` in `zone`: the local time, whole seconds and
 * the zone's offset then, e.g. 2026-12-06T17:36:25-03:00 (`+00:00` for UTC, never `Z`).
 */
export function localDateTime(at: Date, zone: string): string {
  const seconds = Math.floor(at.getTime() / 1000) * 1000;
  const offset = offsetMinutes(zone, new Date(seconds));
  const local = new Date(seconds + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}
