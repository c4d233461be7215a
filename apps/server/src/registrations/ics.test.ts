import { describe, expect, it } from 'vitest';
import { buildIcs, escapeIcsText, foldIcsLine, icsUtc } from './ics';

const base = {
  uid: 'evt_abc@podium',
  start: new Date('2026-03-03T13:00:00Z'),
  end: new Date('2026-03-03T14:30:00Z'),
  stamp: new Date('2026-02-01T08:15:30.123Z'),
  summary: 'Results',
  description: 'Hello',
  url: 'https://podium.example/join/abc.def',
};

function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n');
}

describe('ics', () => {
  it('icsUtc() writes UTC basic format without milliseconds', () => {
    expect(icsUtc(new Date('2026-02-01T08:15:30.123Z'))).toBe('20260201T081530Z');
  });

  it('escapeIcsText() escapes backslash, semicolon, comma and every kind of newline', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });

  it('buildIcs() makes one VEVENT with UID, DTSTAMP, DTSTART/DTEND in UTC, SUMMARY, DESCRIPTION and URL, CRLF-terminated', () => {
    const ics = buildIcs({ ...base, summary: 'Q1; results, final', description: 'Line 1\nLine 2' });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const lines = unfold(ics);
    expect(lines).toContain('BEGIN:VCALENDAR');
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('UID:evt_abc@podium');
    expect(lines).toContain('DTSTAMP:20260201T081530Z');
    expect(lines).toContain('DTSTART:20260303T130000Z');
    expect(lines).toContain('DTEND:20260303T143000Z');
    expect(lines).toContain('SUMMARY:Q1\\; results\\, final');
    expect(lines).toContain('DESCRIPTION:Line 1\\nLine 2');
    expect(lines).toContain('URL:https://podium.example/join/abc.def');
    expect(lines.indexOf('BEGIN:VEVENT')).toBeLessThan(lines.indexOf('END:VEVENT'));
  });

  it('foldIcsLine() keeps every physical line within 75 octets and unfolds back to the original', () => {
    const long = `DESCRIPTION:${'x'.repeat(300)}`;
    const folded = foldIcsLine(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
  });

  it('foldIcsLine() never splits a multi-byte UTF-8 character', () => {
    const long = `SUMMARY:${'Zażółć gęślą jaźń 🎤 '.repeat(12)}`;
    const folded = foldIcsLine(long);
    for (const line of folded.split('\r\n')) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
      expect(line).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(long);
  });

  it('foldIcsLine() leaves a line of exactly 75 octets alone', () => {
    const line = `SUMMARY:${'a'.repeat(67)}`;
    expect(Buffer.byteLength(line)).toBe(75);
    expect(foldIcsLine(line)).toBe(line);
  });

  it('buildIcs() folds a long description', () => {
    const ics = buildIcs({ ...base, description: 'word, '.repeat(60) });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain(`DESCRIPTION:${'word\\, '.repeat(60)}`);
  });
});
