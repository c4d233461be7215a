import { describe, expect, it } from 'vitest';
import { mayWriteDoc } from './doc-permissions';

const closed = { notesEditableByAttendees: false };
const open = { notesEditableByAttendees: true };

describe('mayWriteDoc', () => {
  it('board: hosts and presenters always, attendees only as speakers', () => {
    expect(mayWriteDoc('board', 'host', 'none', closed)).toBe(true);
    expect(mayWriteDoc('board', 'presenter', 'none', closed)).toBe(true);
    expect(mayWriteDoc('board', 'attendee', 'speaker', closed)).toBe(true);
    expect(mayWriteDoc('board', 'attendee', 'camera', open)).toBe(false);
    expect(mayWriteDoc('board', 'attendee', 'none', open)).toBe(false);
  });

  it('notes: hosts and presenters always, attendees only when the host opened the notes to them', () => {
    expect(mayWriteDoc('notes', 'host', 'none', closed)).toBe(true);
    expect(mayWriteDoc('notes', 'presenter', 'none', closed)).toBe(true);
    expect(mayWriteDoc('notes', 'attendee', 'speaker', closed)).toBe(false);
    expect(mayWriteDoc('notes', 'attendee', 'none', open)).toBe(true);
  });
});
