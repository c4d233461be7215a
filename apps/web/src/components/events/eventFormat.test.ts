import { describe, expect, it } from 'vitest';
import { countdownParts, dateTile, formatDuration, formatTimeRange, zonesDiffer } from './eventFormat';

describe('formatTimeRange()', () => {
  it('shows start and end in the event’s zone, with the zone once', () => {
    const text = formatTimeRange('2026-12-03T12:00:00Z', 90, 'en', 'Europe/Berlin');
    expect(text).toContain('Dec 3, 2026');
    expect(text).toMatch(/01:00\sPM – 02:30\sPM/);
  });

  it('names both days when the event runs past midnight in its zone', () => {
    const text = formatTimeRange('2026-12-03T22:00:00Z', 180, 'en', 'UTC');
    expect(text).toContain('Dec 3, 2026');
    expect(text).toContain('Dec 4');
  });
});

describe('zonesDiffer()', () => {
  it('is false for zones with the same wall clock at that instant', () => {
    expect(zonesDiffer('2026-12-03T12:00:00Z', 'Europe/Berlin', 'Europe/Warsaw')).toBe(false);
    expect(zonesDiffer('2026-12-03T12:00:00Z', 'Europe/Berlin', 'Europe/London')).toBe(true);
  });
});

describe('formatDuration()', () => {
  it('uses hours and minutes in the reader’s language', () => {
    expect(formatDuration(45, 'en')).toBe('45 min');
    expect(formatDuration(90, 'en')).toBe('1 hr 30 min');
    expect(formatDuration(120, 'de')).toBe('2 Std.');
  });
});

describe('dateTile()', () => {
  it('takes the day in the event’s zone, not the viewer’s', () => {
    expect(dateTile('2026-12-03T23:30:00Z', 'en', 'Europe/Warsaw').day).toBe('4');
    expect(dateTile('2026-12-03T23:30:00Z', 'en', 'UTC').day).toBe('3');
  });
});

describe('countdownParts()', () => {
  it('splits the time left into days, hours, minutes and seconds', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(countdownParts(now + ((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000, now)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5, done: false });
  });

  it('stops at zero once the start has passed', () => {
    expect(countdownParts(1000, 5000)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0, done: true });
  });
});
