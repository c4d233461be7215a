// Date and time display for events: always in the event's own zone (where it is "at 14:00"), plus
// the viewer's zone where that differs.
import type { Locale } from '@podium/protocol';

/** Day-of-month and short month of an instant in a zone, for the calendar tile on event rows. */
export function dateTile(iso: string, locale: Locale, timeZone: string): { day: string; month: string; weekday: string } {
  const d = new Date(iso);
  const part = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(d);
  return { day: part({ day: 'numeric' }), month: part({ month: 'short' }).replace('.', ''), weekday: part({ weekday: 'short' }) };
}

/** "Tue, 3 Dec 2026, 14:00 – 15:30 CET": start date and time range in the zone. */
export function formatTimeRange(iso: string, durationMinutes: number, locale: Locale, timeZone: string): string {
  const start = new Date(iso);
  const end = new Date(start.getTime() + durationMinutes * 60_000);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone }).format(start);
  const time = (d: Date, withZone: boolean) =>
    new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone, ...(withZone ? { timeZoneName: 'short' } : {}) }).format(d);
  const sameDay =
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(start) ===
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(end);
  if (!sameDay) {
    const full = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
    return `${day}, ${time(start, false)} – ${full.format(end)}`;
  }
  return `${day}, ${time(start, false)} – ${time(end, true)}`;
}

/** True when the two zones show a different wall clock at this instant (worth showing the viewer's time too). */
export function zonesDiffer(iso: string, a: string, b: string): boolean {
  const f = (timeZone: string) =>
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return f(a) !== f(b);
}

/** A duration as hours and minutes ("1 h 30 min") in the reader's language. */
export function formatDuration(minutes: number, locale: Locale): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const unit = (value: number, u: 'hour' | 'minute') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  if (h === 0) return unit(m, 'minute');
  if (m === 0) return unit(h, 'hour');
  return `${unit(h, 'hour')} ${unit(m, 'minute')}`;
}

/** Days, hours, minutes and seconds left until `targetMs` (all zero once it has passed). */
export function countdownParts(targetMs: number, nowMs: number): { days: number; hours: number; minutes: number; seconds: number; done: boolean } {
  const left = Math.max(0, Math.floor((targetMs - nowMs) / 1000));
  return {
    days: Math.floor(left / 86400),
    hours: Math.floor((left % 86400) / 3600),
    minutes: Math.floor((left % 3600) / 60),
    seconds: left % 60,
    done: left === 0,
  };
}
