import { describe, expect, it } from 'vitest';
import { formatOffset, listTimeZones, utcToZoned, zonedToUtc, zoneOffsetMs } from './timezone';

describe('zonedToUtc()', () => {
  it('reads a winter wall time in Europe/Warsaw as UTC+1', () => {
    expect(zonedToUtc('2026-01-15', '14:00', 'Europe/Warsaw')).toBe('2026-01-15T13:00:00.000Z');
  });

  it('reads a summer wall time in Europe/Berlin as UTC+2', () => {
    expect(zonedToUtc('2026-07-01', '09:30', 'Europe/Berlin')).toBe('2026-07-01T07:30:00.000Z');
  });

  it('handles zones west of UTC across midnight', () => {
    expect(zonedToUtc('2026-03-01', '22:00', 'America/New_York')).toBe('2026-03-02T03:00:00.000Z');
    expect(zonedToUtc('2026-08-01', '22:00', 'America/Los_Angeles')).toBe('2026-08-02T05:00:00.000Z');
  });

  it('handles half- and quarter-hour offsets', () => {
    expect(zonedToUtc('2026-05-10', '10:00', 'Asia/Kolkata')).toBe('2026-05-10T04:30:00.000Z');
    expect(zonedToUtc('2026-05-10', '10:00', 'Asia/Kathmandu')).toBe('2026-05-10T04:15:00.000Z');
  });

  it('handles southern-hemisphere daylight saving time', () => {
    expect(zonedToUtc('2026-01-10', '12:00', 'Australia/Sydney')).toBe('2026-01-10T01:00:00.000Z');
    expect(zonedToUtc('2026-07-10', '12:00', 'Australia/Sydney')).toBe('2026-07-10T02:00:00.000Z');
  });

  it('treats UTC as no offset', () => {
    expect(zonedToUtc('2026-12-31', '23:59', 'UTC')).toBe('2026-12-31T23:59:00.000Z');
  });

  it('moves a time skipped by the spring DST jump forward, like Temporal "compatible"', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; it becomes 03:30 CEST = 01:30Z.
    expect(zonedToUtc('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first occurrence of a time repeated by the autumn DST change', () => {
    // 02:30 happens twice in Berlin on 2026-10-25: first at CEST (00:30Z), then at CET (01:30Z).
    expect(zonedToUtc('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('converts times just around a DST change exactly', () => {
    expect(zonedToUtc('2026-03-29', '01:59', 'Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    expect(zonedToUtc('2026-03-29', '03:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('returns null for impossible dates, times and unknown zones', () => {
    expect(zonedToUtc('2026-02-30', '10:00', 'Europe/Paris')).toBeNull();
    expect(zonedToUtc('2026-02-10', '25:00', 'Europe/Paris')).toBeNull();
    expect(zonedToUtc('', '10:00', 'Europe/Paris')).toBeNull();
    expect(zonedToUtc('2026-02-10', '10:00', 'Mars/Olympus_Mons')).toBeNull();
  });

  it('round-trips with utcToZoned() for every zone the runtime knows', () => {
    for (const zone of listTimeZones()) {
      const iso = zonedToUtc('2026-06-15', '18:45', zone);
      expect(iso, zone).not.toBeNull();
      expect(utcToZoned(iso!, zone), zone).toEqual({ date: '2026-06-15', time: '18:45' });
    }
  });
});

describe('utcToZoned()', () => {
  it('shows an instant as the wall clock of the zone', () => {
    expect(utcToZoned('2026-01-15T23:30:00.000Z', 'Europe/Warsaw')).toEqual({ date: '2026-01-16', time: '00:30' });
    expect(utcToZoned('2026-01-15T00:00:00.000Z', 'UTC')).toEqual({ date: '2026-01-15', time: '00:00' });
  });
});

describe('zoneOffsetMs() and formatOffset()', () => {
  it('gives the offset at that instant, signed', () => {
    expect(formatOffset(zoneOffsetMs(Date.UTC(2026, 0, 1), 'Asia/Kolkata'))).toBe('UTC+05:30');
    expect(formatOffset(zoneOffsetMs(Date.UTC(2026, 0, 1), 'America/New_York'))).toBe('UTC−05:00');
    expect(formatOffset(0)).toBe('UTC+00:00');
  });
});

describe('listTimeZones()', () => {
  it('is sorted, contains UTC and keeps extra zones such as the browser’s', () => {
    const zones = listTimeZones(['Europe/Kiev']);
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Kiev');
    expect([...zones].sort((a, b) => a.localeCompare(b))).toEqual(zones);
  });
});
