import { describe, expect, it } from 'vitest';
import type { RecordingTrack, StageState, TimelineEntry } from '@podium/protocol';
import { PlaybackClock } from './clock';
import { boardUpdatesUntil, chaptersOf, entriesUntil, formatClock, pictureAt, roomAt, trackLiveAt, trackTimeAt } from './playback-model';

const slides = (page: number): StageState => ({ content: 'slides', slides: { fileId: 'fil_a' as never, name: 'deck.pdf', page, pageCount: 3 }, whiteboardPage: 1 });
const author = { participantId: 'prt_h' as never, displayName: 'Hana', role: 'host' as const };
const chat = (at: number, id: string, text: string): TimelineEntry => ({
  at, type: 'chat', message: { id: id as never, from: author, to: 'everyone', text, sentAt: new Date(at).toISOString() },
});
const entries: TimelineEntry[] = [
  { at: 0, type: 'initial', stage: slides(1), participants: [{ participantId: 'prt_h' as never, displayName: 'Hana', role: 'host' }], activeSpeaker: null, board: 'AAA=' },
  chat(1000, 'msg_1', 'hello'),
  { at: 2000, type: 'active-speaker', participantId: 'prt_s' as never },
  { at: 3000, type: 'doc-update', doc: 'board', update: 'AQI=' },
  { at: 4000, type: 'stage', stage: slides(2) },
  { at: 4000, type: 'doc-update', doc: 'notes', update: 'AQM=' },
  chat(5000, 'msg_2', 'later'),
  { at: 6000, type: 'chat-deleted', messageId: 'msg_1' },
  { at: 7000, type: 'active-speaker', participantId: null },
];
const track = (id: string, kind: RecordingTrack['kind'], participantId: string, offsetMs: number, durationMs: number): RecordingTrack => ({
  id: id as never, kind, participantId: participantId as never, displayName: participantId, codec: 'video/VP8', contentType: 'video/webm',
  offsetMs, durationMs, size: 1, droppedPackets: 0,
});

describe('playback model', () => {
  it('entriesUntil() counts the entries at or before t', () => {
    expect(entriesUntil(entries, -1)).toBe(0);
    expect(entriesUntil(entries, 0)).toBe(1);
    expect(entriesUntil(entries, 4000)).toBe(6);
    expect(entriesUntil(entries, 99_999)).toBe(entries.length);
  });

  it('roomAt() shows the stage, the chat so far and respects deletions', () => {
    const early = roomAt(entries, 3500);
    expect(early.stage.slides?.page).toBe(1);
    expect(early.chat.map((c) => c.message.text)).toEqual(['hello']);
    expect(early.activeSpeaker).toBe('prt_s');
    const later = roomAt(entries, 5500);
    expect(later.stage.slides?.page).toBe(2);
    expect(later.chat.map((c) => c.message.text)).toEqual(['hello', 'later']);
    const afterDelete = roomAt(entries, 8000);
    expect(afterDelete.chat.map((c) => c.message.text)).toEqual(['later']);
    expect(afterDelete.activeSpeaker).toBeNull();
    expect(afterDelete.lastSpeaker).toBe('prt_s');
  });

  it('roomAt() keeps each question in its latest state at t, in asking order', () => {
    const q = (at: number, id: string, votes: number): TimelineEntry => ({
      at, type: 'question', question: { id: id as never, text: id, anonymous: false, author, askedAt: '2026-01-01T00:00:00Z', votes, status: 'open' },
    });
    const list = [q(1, 'q_a', 0), q(2, 'q_b', 0), q(3, 'q_a', 5)];
    expect(roomAt(list, 2).questions.map((x) => [x.question.id, x.question.votes])).toEqual([['q_a', 0], ['q_b', 0]]);
    expect(roomAt(list, 3).questions.map((x) => [x.question.id, x.question.votes])).toEqual([['q_a', 5], ['q_b', 0]]);
  });

  it('roomAt() shows each poll as attendees saw it at t: launched, then closed with its results shared', () => {
    const p = (at: number, status: 'live' | 'closed', results?: { counts: number[]; voters: number }): TimelineEntry => ({
      at, type: 'poll', poll: { id: 'pol_a' as never, question: 'Which first?', options: ['A', 'B'], multiple: false, status, resultsShared: !!results, createdAt: '2026-01-01T00:00:00Z', ...(results ? { results } : {}) },
    });
    const list = [p(1000, 'live'), p(5000, 'closed', { counts: [2, 1], voters: 3 })];
    expect(roomAt(list, 500).polls).toEqual([]);
    expect(roomAt(list, 2000).polls.map((x) => [x.at, x.poll.status, x.poll.results])).toEqual([[1000, 'live', undefined]]);
    expect(roomAt(list, 6000).polls.map((x) => [x.at, x.poll.status, x.poll.results?.voters])).toEqual([[1000, 'closed', 3]]);
  });

  it('chaptersOf() marks the start and every slide change', () => {
    expect(chaptersOf(entries).map((c) => [c.at, c.label.kind === 'slide' ? c.label.page : 0])).toEqual([[0, 1], [4000, 2]]);
  });

  it('boardUpdatesUntil() takes the initial board and board updates only', () => {
    expect(boardUpdatesUntil(entries, 2999).map((u) => u.update)).toEqual(['AAA=']);
    expect(boardUpdatesUntil(entries, 9999).map((u) => u.update)).toEqual(['AAA=', 'AQI=']);
  });

  it('pictureAt() shows the screen with the speaker in a corner, else the speaker, else a presenter', () => {
    const tracks = [track('rtk_h', 'video', 'prt_h', 0, 10_000), track('rtk_s', 'video', 'prt_s', 1000, 5000), track('rtk_x', 'screen', 'prt_h', 3000, 2000)];
    const room = roomAt(entries, 2500);
    expect(pictureAt(tracks, room, 2500)).toEqual({ main: tracks[1], pip: null });
    expect(pictureAt(tracks, room, 3500)).toEqual({ main: tracks[2], pip: tracks[1] });
    // The speaker's camera ended: the host's camera.
    expect(pictureAt(tracks, roomAt(entries, 6500), 6500)).toEqual({ main: tracks[0], pip: null });
    expect(pictureAt([], room, 0)).toEqual({ main: null, pip: null });
  });

  it('trackLiveAt() and trackTimeAt() place a track by its offset', () => {
    const tr = track('rtk_a', 'audio', 'prt_h', 2000, 3000);
    expect(trackLiveAt(tr, 1999)).toBe(false);
    expect(trackLiveAt(tr, 2000)).toBe(true);
    expect(trackLiveAt(tr, 5000)).toBe(false);
    expect(trackTimeAt(tr, 3500)).toBe(1.5);
    expect(trackTimeAt(tr, 0)).toBe(0);
  });

  it('formatClock() writes minutes and seconds, and hours when needed', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65_400)).toBe('1:05');
    expect(formatClock(3_725_000)).toBe('1:02:05');
  });

  it('PlaybackClock runs at its rate, stops at the end and keeps its place when paused', () => {
    let now = 0;
    const clock = new PlaybackClock(10_000, () => now);
    clock.play();
    now = 1000;
    expect(clock.position).toBe(1000);
    clock.setRate(2);
    now = 2000;
    expect(clock.position).toBe(3000);
    clock.pause();
    now = 5000;
    expect(clock.position).toBe(3000);
    clock.seek(9500);
    clock.play();
    now = 10_000;
    expect(clock.position).toBe(10_000);
  });
});
