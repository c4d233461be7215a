/**
 * What the playback page shows at a moment of a recording, computed from its tracks and timeline:
 * which tracks are live, which one fills the main area (the screen share, else the active
 * speaker's camera), the stage, chat and questions as they were, and the chapter marks. Pure
 * functions of (recording, timeline, t), so a seek is just another t.
 */
import type { ChatMessage, Poll, Question, RecordingTimeline, RecordingTrack, StageState, TimelineEntry } from '@podium/protocol';
import { DEFAULT_STAGE } from '@podium/protocol';

/** Whether `track` has media at `t` (ms after the recording's start). */
export function trackLiveAt(track: RecordingTrack, t: number): boolean {
  return t >= track.offsetMs && t < track.offsetMs + Math.max(track.durationMs, 1);
}

/** Where inside its own file a track is at `t`, in seconds (0 before its start). */
export function trackTimeAt(track: RecordingTrack, t: number): number {
  return Math.max(0, Math.min(t - track.offsetMs, track.durationMs)) / 1000;
}

/** The length of the recording in ms: the longest of its stated duration, its timeline and its tracks. */
export function playbackDuration(durationMs: number | null, timeline: RecordingTimeline | null, tracks: readonly RecordingTrack[]): number {
  let d = Math.max(durationMs ?? 0, timeline?.durationMs ?? 0);
  for (const tr of tracks) d = Math.max(d, tr.offsetMs + tr.durationMs);
  return d;
}

/** Index of the first entry with `at > t` (entries are in time order): entries before it have happened. */
export function entriesUntil(entries: readonly TimelineEntry[], t: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The room as it was at a moment. */
export interface RoomAt {
  stage: StageState;
  activeSpeaker: string | null;
  /** The last speaker before or at t (kept through silences, so the picture does not flicker away). */
  lastSpeaker: string | null;
  /** Public chat so far, oldest first, without deleted messages; `at` is when it appeared. */
  chat: { at: number; message: ChatMessage }[];
  /** Questions so far in asking order, each in its latest state at t. */
  questions: { at: number; question: Question }[];
  /** Polls launched so far in launch order, each as attendees saw it at t (results once shared). */
  polls: { at: number; poll: Poll }[];
  /** Pointers shown at t, by participant. */
  pointers: Map<string, { x: number; y: number; visible: boolean }>;
  /** Who was in the room (id → display name and role). */
  people: Map<string, { displayName: string; role: string }>;
}

/** The room at `t`: replays the entries up to it (a few thousand entries replay in well under a millisecond each). */
export function roomAt(entries: readonly TimelineEntry[], t: number): RoomAt {
  const room: RoomAt = { stage: DEFAULT_STAGE, activeSpeaker: null, lastSpeaker: null, chat: [], questions: [], polls: [], pointers: new Map(), people: new Map() };
  const end = entriesUntil(entries, t);
  const deleted = new Set<string>();
  const questionIndex = new Map<string, number>();
  const pollIndex = new Map<string, number>();
  for (let i = 0; i < end; i++) {
    const e = entries[i]!;
    switch (e.type) {
      case 'initial':
        room.stage = e.stage;
        room.activeSpeaker = e.activeSpeaker;
        room.lastSpeaker = e.activeSpeaker;
        for (const p of e.participants) room.people.set(p.participantId, { displayName: p.displayName, role: p.role });
        break;
      case 'participant-joined':
        room.people.set(e.participantId, { displayName: e.displayName, role: e.role });
        break;
      case 'participant-left':
        room.pointers.delete(e.participantId);
        break;
      case 'active-speaker':
        room.activeSpeaker = e.participantId;
        if (e.participantId) room.lastSpeaker = e.participantId;
        break;
      case 'stage':
        room.stage = e.stage;
        break;
      case 'pointer':
        room.pointers.set(e.participantId, { x: e.x, y: e.y, visible: e.visible });
        break;
      case 'chat':
        room.chat.push({ at: e.at, message: e.message });
        break;
      case 'chat-deleted':
        deleted.add(e.messageId);
        break;
      case 'question': {
        const known = questionIndex.get(e.question.id);
        if (known === undefined) {
          questionIndex.set(e.question.id, room.questions.length);
          room.questions.push({ at: e.at, question: e.question });
        } else {
          room.questions[known] = { at: room.questions[known]!.at, question: e.question };
        }
        break;
      }
      case 'poll': {
        const known = pollIndex.get(e.poll.id);
        if (known === undefined) {
          pollIndex.set(e.poll.id, room.polls.length);
          room.polls.push({ at: e.at, poll: e.poll });
        } else {
          room.polls[known] = { at: room.polls[known]!.at, poll: e.poll };
        }
        break;
      }
      default:
        break;
    }
  }
  if (deleted.size) room.chat = room.chat.filter((c) => !deleted.has(c.message.id));
  for (const [id, p] of room.pointers) if (!p.visible) room.pointers.delete(id);
  return room;
}

/** A chapter mark: where the slide (or the stage's content) changed. */
export interface Chapter {
  at: number;
  label: { kind: 'slide'; name: string; page: number; pageCount: number } | { kind: 'whiteboard'; page: number } | { kind: 'none' };
}

function stageKey(s: StageState): string {
  if (s.content === 'slides' && s.slides) return `s:${s.slides.fileId}:${s.slides.page}`;
  if (s.content === 'whiteboard') return `w:${s.whiteboardPage}`;
  return s.content;
}

/** The chapter marks of a timeline: one at the start and one at each change of what the stage shows. */
export function chaptersOf(entries: readonly TimelineEntry[]): Chapter[] {
  const out: Chapter[] = [];
  let last = '';
  for (const e of entries) {
    if (e.type !== 'initial' && e.type !== 'stage') continue;
    const key = stageKey(e.stage);
    if (key === last) continue;
    last = key;
    const s = e.stage;
    const label: Chapter['label'] = s.content === 'slides' && s.slides
      ? { kind: 'slide', name: s.slides.name, page: s.slides.page, pageCount: s.slides.pageCount }
      : s.content === 'whiteboard' ? { kind: 'whiteboard', page: s.whiteboardPage } : { kind: 'none' };
    // Two changes at the same moment (a deck put on stage, then its page) make one mark.
    if (out.length && out[out.length - 1]!.at === e.at) out[out.length - 1] = { at: e.at, label };
    else out.push({ at: e.at, label });
  }
  return out.length === 1 && out[0]!.label.kind === 'none' ? [] : out;
}

/** What the main area shows: a video track, and a camera in a corner when the main one is a screen. */
export interface MainPicture {
  main: RecordingTrack | null;
  pip: RecordingTrack | null;
}

/**
 * The screen share when one is live, else the camera of who speaks (or spoke last), else a host's
 * or presenter's camera, else the first camera live. Over a screen, the speaker's camera as a
 * picture in picture.
 */
export function pictureAt(tracks: readonly RecordingTrack[], room: Pick<RoomAt, 'activeSpeaker' | 'lastSpeaker' | 'people'>, t: number): MainPicture {
  const live = tracks.filter((tr) => tr.kind !== 'audio' && trackLiveAt(tr, t));
  const cameras = live.filter((tr) => tr.kind === 'video');
  const speaker = room.activeSpeaker ?? room.lastSpeaker;
  const presenting = (id: string) => ['host', 'cohost', 'presenter'].includes(room.people.get(id)?.role ?? '');
  const camera = cameras.find((c) => c.participantId === speaker)
    ?? cameras.find((c) => presenting(c.participantId))
    ?? cameras[0]
    ?? null;
  const screen = live.find((tr) => tr.kind === 'screen') ?? null;
  if (screen) return { main: screen, pip: camera };
  return { main: camera, pip: null };
}

/** The board's Yjs updates up to `t`: the initial state (when present) and every `doc-update` of the board. */
export function boardUpdatesUntil(entries: readonly TimelineEntry[], t: number): { index: number; update: string }[] {
  const end = entriesUntil(entries, t);
  const out: { index: number; update: string }[] = [];
  for (let i = 0; i < end; i++) {
    const e = entries[i]!;
    if (e.type === 'initial' && e.board) out.push({ index: i, update: e.board });
    else if (e.type === 'doc-update' && e.doc === 'board') out.push({ index: i, update: e.update });
  }
  return out;
}

/** Decodes base64 (the timeline's encoding of Yjs updates). */
export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** "1:05" or "1:02:05" for ms. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The playback speeds offered. */
export const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;

/** How far a media element may drift from the clock before it is seeked back (seconds). */
export const MAX_DRIFT_S = 0.3;
