/**
 * iCalendar (RFC 5545) files for the confirmation email: one VEVENT, times in UTC, text escaped and
 * lines folded at 75 octets so every calendar client reads them.
 */

/** What goes into an event's .ics file. */
export interface IcsEvent {
  /** Stable per event, so a later file with the same UID updates the calendar entry instead of adding one. */
  uid: string;
  start: Date;
  end: Date;
  /** When this file was made. */
  stamp: Date;
  summary: string;
  description: string;
  /** The personal join link. */
  url: string;
}

const MAX_OCTETS = 75;

/** A UTC date-time in the basic format iCalendar wants, e.g. 20260301T140000Z. */
export function icsUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds one content line at 75 octets (RFC 5545 §3.1): continuation lines start with a space,
 * which counts toward their 75. Never splits a UTF-8 sequence.
 */
export function foldIcsLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** A complete VCALENDAR with one VEVENT (METHOD:PUBLISH), lines ending in CRLF. */
export function buildIcs(ev: IcsEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Podium//Podium//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(ev.uid)}`,
    `DTSTAMP:${icsUtc(ev.stamp)}`,
    `DTSTART:${icsUtc(ev.start)}`,
    `DTEND:${icsUtc(ev.end)}`,
    `SUMMARY:${escapeIcsText(ev.summary)}`,
    `DESCRIPTION:${escapeIcsText(ev.description)}`,
    // URL is a URI value, not TEXT: it is not escaped (join links contain no CR/LF).
    `URL:${ev.url.replace(/[\r\n]/g, '')}`,
    `LOCATION:${escapeIcsText(ev.url)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}
