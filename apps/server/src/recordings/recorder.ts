/**
 * The live side of recordings: the RoomRecorder a room calls on recording-start/stop. While a
 * room records, this follows the room's events on the bus — it taps every track (those present at
 * the start and those published later, from when they appear) and writes the timeline — and on
 * stop it finalizes in the background: WebM files and the timeline JSON to the BlobStore under
 * orgs/<org>/recordings/<rec>/, rows updated, the MP4 job queued.
 */
import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  newId, roomSubjects, type EventId, type OrgId, type RecordingId, type RecordingTrackId, type RecordingTrackKind,
  type RoomAudience, type RoomBusEvent, type RoomProducer, type TimelineEntry,
} from '@podium/protocol';
import type { RecordingStats } from '@podium/sfu';
import type { AppContext } from '../context';
import type { RoomRecorder, RoomRecordingStart } from '../rooms/room-core';
import type { Unsubscribe } from '../bus/bus';
import type { RecordingTaps, TapHandle } from './ports';
import { insertRecording, insertTrack, updateRecording, updateTrack } from './store';
import { expiryFor } from './retention';
import { salvageRecording } from './salvage';
import { storeTimeline, storeTrack } from './stored-files';
import { JOURNAL_FILE, TimelineJournal } from './timeline-journal';

/** Most timeline entries one recording keeps (a bound: a pointer-happy presenter cannot fill memory). */
export const MAX_TIMELINE_ENTRIES = 200_000;
const POINTER_EVERY_MS = 100;

interface LiveTrack {
  id: RecordingTrackId;
  producerId: string;
  kind: RecordingTrackKind;
  participantId: string;
  path: string;
  tap: Promise<TapHandle | null>;
  done: Promise<void> | null;
  stats: RecordingStats | null;
}

interface Session {
  id: RecordingId;
  orgId: OrgId;
  eventId: EventId;
  startedAt: Date;
  /** Wall clock of the start (ms since the epoch), the origin of every offset. */
  startWallMs: number;
  dir: string;
  entries: TimelineEntry[];
  /** The entries on disk too, for salvaging after a crash. */
  journal: TimelineJournal;
  truncated: boolean;
  names: Map<string, string>;
  tracks: Map<string, LiveTrack>;
  pointers: Map<string, { at: number; visible: boolean }>;
  unsubscribe: Unsubscribe;
  stopping: boolean;
}

/** The recorder of this server's rooms (see file comment). */
export class RecordingService implements RoomRecorder {
  private readonly sessions = new Map<EventId, Session>();
  private readonly finalizing = new Map<RecordingId, Promise<void>>();
  private readonly spool: string;

  constructor(private readonly ctx: AppContext, private readonly taps: RecordingTaps | undefined) {
    this.spool = resolve(ctx.config.recordingSpoolDir || join(ctx.config.dataDir, 'recording-spool'));
  }

  /**
   * Recordings this server was running when it died (it did not get to stop them): salvaged from
   * their spool folder when it is here — the track files finished up to where they were written,
   * the timeline from its journal — and stored as ready; marked failed otherwise. Their spool
   * folders are removed. Returns how many were salvaged and how many failed.
   */
  async recover(): Promise<{ salvaged: number; failed: number }> {
    const live = new Set([...this.sessions.values()].map((s) => s.id));
    const rows = await this.ctx.sql.query<{ id: RecordingId; org_id: OrgId; event_id: EventId; started_at: Date }>(
      `select id, org_id, event_id, started_at from recordings where status in ('recording', 'processing')`,
    );
    const out = { salvaged: 0, failed: 0 };
    for (const r of rows) {
      if (live.has(r.id) || this.finalizing.has(r.id)) continue;
      const dir = join(this.spool, r.id);
      const salvaged = await salvageRecording(this.ctx, dir, { id: r.id, orgId: r.org_id, eventId: r.event_id, startedAt: new Date(r.started_at) }).catch((err: Error) => {
        this.ctx.log.error({ recordingId: r.id, err: { name: err.name, message: err.message } }, 'recording: salvaging failed');
        return null;
      });
      if (salvaged) {
        out.salvaged++;
        this.ctx.log.warn({ recordingId: r.id, tracks: salvaged.tracks, durationMs: salvaged.durationMs }, 'recording: salvaged after the server stopped without finishing it');
      } else {
        out.failed++;
        await updateRecording(this.ctx.sql, r.id, { status: 'failed', error: 'The server stopped while this recording ran; it could not be finished.', ended_at: this.ctx.now() });
      }
      await rm(dir, { recursive: true, force: true });
    }
    return out;
  }

  /** See RoomRecorder. */
  async start(input: RoomRecordingStart): Promise<{ recordingId: string; startedAt: string }> {
    const id = newId('recording');
    const startedAt = this.ctx.now();
    const expiresAt = await expiryFor(this.ctx, input.orgId, startedAt);
    await insertRecording(this.ctx.sql, { id, orgId: input.orgId, eventId: input.eventId, startedAt, startedBy: input.startedBy, expiresAt });
    // The spool folder: the timeline's journal (made at once) and each track's file (made by the SFU worker).
    const dir = join(this.spool, id);
    const s: Session = {
      id, orgId: input.orgId, eventId: input.eventId, startedAt, startWallMs: Date.now(), dir, entries: [], journal: new TimelineJournal(join(dir, JOURNAL_FILE)), truncated: false,
      names: new Map(input.participants.map((p) => [p.participantId as string, p.displayName])), tracks: new Map(), pointers: new Map(), stopping: false,
      unsubscribe: () => undefined,
    };
    this.add(s, {
      at: 0, type: 'initial', stage: input.stage, participants: input.participants.map((p) => ({ ...p })), activeSpeaker: input.activeSpeaker,
      ...(input.board ? { board: input.board } : {}),
    });
    const previous = this.sessions.get(input.eventId);
    previous?.unsubscribe();
    void previous?.journal.close();
    this.sessions.set(input.eventId, s);
    // Subscribed before the room applies its next command: nothing after the start is missed.
    s.unsubscribe = this.ctx.bus.subscribe<RoomBusEvent>(roomSubjects(input.eventId).events, (ev) => this.onRoomEvent(s, ev));
    for (const p of input.producers) this.startTrack(s, p);
    this.ctx.log.info({ eventId: input.eventId, recordingId: id, tracks: input.producers.length }, 'recording: started');
    return { recordingId: id, startedAt: startedAt.toISOString() };
  }

  /** See RoomRecorder: taps stop now; the files are finalized in the background (see `finalized`). */
  async stop(eventId: EventId, recordingId: string): Promise<void> {
    const s = this.sessions.get(eventId);
    if (!s || s.id !== recordingId || s.stopping) return;
    s.stopping = true;
    s.unsubscribe();
    this.sessions.delete(eventId);
    const endedAt = this.ctx.now();
    const durationMs = Math.max(0, Date.now() - s.startWallMs);
    await Promise.all([...s.tracks.values()].map((t) => this.stopTrack(s, t)));
    await s.journal.close();
    await updateRecording(this.ctx.sql, s.id, { status: 'processing', ended_at: endedAt, duration_ms: durationMs });
    const done = this.finalize(s, durationMs).finally(() => this.finalizing.delete(s.id));
    this.finalizing.set(s.id, done);
  }

  /** Resolves once the recording's files are in the BlobStore (at once when nothing is pending). */
  async finalized(recordingId: string): Promise<void> {
    await this.finalizing.get(recordingId as RecordingId);
  }

  /** The recording running in a room now, if any. */
  active(eventId: EventId): { recordingId: RecordingId; tracks: number } | undefined {
    const s = this.sessions.get(eventId);
    return s ? { recordingId: s.id, tracks: s.tracks.size } : undefined;
  }

  /** Stops every recording (server shutdown) and waits for their files. */
  async close(): Promise<void> {
    for (const s of [...this.sessions.values()]) await this.stop(s.eventId, s.id).catch(() => undefined);
    await Promise.all([...this.finalizing.values()].map((p) => p.catch(() => undefined)));
  }

  // ---- the room's events --------------------------------------------------------------------------

  private onRoomEvent(s: Session, ev: RoomBusEvent): void {
    if (s.stopping) return;
    const m = ev.message;
    const at = this.offset(s);
    switch (m.type) {
      case 'participant-joined':
        s.names.set(m.participant.id, m.participant.displayName);
        this.add(s, { at, type: 'participant-joined', participantId: m.participant.id, displayName: m.participant.displayName, role: m.participant.role });
        return;
      case 'participant-left':
        this.add(s, { at, type: 'participant-left', participantId: m.participantId });
        return;
      case 'participant-updated':
        s.names.set(m.participant.id, m.participant.displayName);
        return;
      case 'active-speaker':
        this.add(s, { at, type: 'active-speaker', participantId: m.participantId });
        return;
      case 'stage':
        this.add(s, { at, type: 'stage', stage: m.stage });
        return;
      case 'doc-update':
        if (m.doc === 'board') this.add(s, { at, type: 'doc-update', doc: m.doc, update: m.update });
        return;
      case 'pointer': {
        // At most 10 positions a second per presenter (showing and hiding always): enough to follow, bounded.
        const last = s.pointers.get(m.participantId);
        if (last && last.visible === m.visible && at - last.at < POINTER_EVERY_MS) return;
        s.pointers.set(m.participantId, { at, visible: m.visible });
        this.add(s, { at, type: 'pointer', participantId: m.participantId, x: m.x, y: m.y, visible: m.visible });
        return;
      }
      case 'chat':
        // Public chat only: private messages never go into a recording.
        if (m.message.to === 'everyone' && seenByAttendees(ev.audience)) this.add(s, { at, type: 'chat', message: m.message });
        return;
      case 'chat-deleted':
        this.add(s, { at, type: 'chat-deleted', messageId: m.messageId });
        return;
      case 'question':
        // The attendees' copy: anonymous askers stay anonymous, dismissed questions lose their text.
        if (seenByAttendees(ev.audience)) this.add(s, { at, type: 'question', question: m.question });
        return;
      case 'poll':
        if (seenByAttendees(ev.audience) && m.poll.status !== 'draft') this.add(s, { at, type: 'poll', poll: m.poll });
        return;
      case 'producer-added':
        this.startTrack(s, { producerId: m.producerId, participantId: m.participantId, kind: m.kind, simulcast: m.simulcast, paused: m.paused });
        return;
      case 'producer-removed': {
        const t = s.tracks.get(m.producerId);
        if (t) void this.stopTrack(s, t);
        return;
      }
      default:
        return;
    }
  }

  private offset(s: Session): number {
    return Math.max(0, Date.now() - s.startWallMs);
  }

  private add(s: Session, e: TimelineEntry): void {
    if (s.entries.length >= MAX_TIMELINE_ENTRIES) {
      s.truncated = true;
      return;
    }
    s.entries.push(e);
    s.journal.push(e);
  }

  // ---- tracks -------------------------------------------------------------------------------------

  private startTrack(s: Session, p: RoomProducer): void {
    if (s.tracks.has(p.producerId) || !this.taps) return;
    const id = newId('recordingTrack');
    const path = join(s.dir, `${id}.webm`);
    const track: LiveTrack = { id, producerId: p.producerId, kind: p.kind, participantId: p.participantId, path, tap: Promise.resolve(null), done: null, stats: null };
    s.tracks.set(p.producerId, track);
    const displayName = s.names.get(p.participantId) ?? 'Participant';
    const taps = this.taps;
    track.tap = (async () => {
      await insertTrack(this.ctx.sql, { id, recordingId: s.id, kind: p.kind, participantId: p.participantId, displayName, producerId: p.producerId, codec: p.kind === 'audio' ? 'audio/opus' : 'video/VP8', at: this.ctx.now() });
      try {
        const tap = await taps.startTap(p.producerId, path);
        if (tap.codec !== (p.kind === 'audio' ? 'audio/opus' : 'video/VP8')) await this.ctx.sql.query('update recording_tracks set codec = $2 where id = $1', [id, tap.codec]);
        this.add(s, { at: this.offset(s), type: 'track-started', trackId: id, kind: p.kind, participantId: p.participantId as never });
        // The publisher left or stopped the track: its file is finished already.
        void tap.ended.then((stats) => {
          track.stats ??= stats;
          void this.stopTrack(s, track);
        });
        return tap;
      } catch (err) {
        this.ctx.log.warn({ recordingId: s.id, err: { name: (err as Error).name, message: (err as Error).message } }, 'recording: a track could not be tapped');
        await updateTrack(this.ctx.sql, id, { status: 'failed' });
        return null;
      }
    })().catch((err: Error) => {
      this.ctx.log.warn({ recordingId: s.id, err: { name: err.name } }, 'recording: a track could not start');
      return null;
    });
  }

  private stopTrack(s: Session, t: LiveTrack): Promise<void> {
    t.done ??= (async () => {
      const tap = await t.tap;
      if (!tap) return;
      try {
        // Also after the producer ended by itself: the worker then answers with the finished file's stats and forgets the recorder.
        t.stats = await tap.stop();
      } catch (err) {
        // The worker died: what it wrote is not a finished file (unless the track had ended before).
        this.ctx.log.warn({ recordingId: s.id, err: { name: (err as Error).name } }, 'recording: a track did not stop cleanly');
        t.stats = t.stats ?? null;
      }
      if (!s.stopping) this.add(s, { at: this.offset(s), type: 'track-ended', trackId: t.id });
    })();
    return t.done;
  }

  // ---- finalizing ---------------------------------------------------------------------------------

  private async finalize(s: Session, durationMs: number): Promise<void> {
    try {
      for (const t of s.tracks.values()) {
        const st = t.stats;
        const size = await stat(t.path).then((x) => x.size, () => 0);
        if (!st || st.frames === 0 || st.firstFrameAtMs === null || st.writeError || size === 0) {
          await updateTrack(this.ctx.sql, t.id, { status: 'failed', droppedPackets: st?.droppedPackets ?? 0 });
          continue;
        }
        await storeTrack(this.ctx, s.orgId, s.id, t.id, t.path, {
          offsetMs: Math.max(0, Math.round(st.firstFrameAtMs - s.startWallMs)), durationMs: st.durationMs,
          width: st.width || null, height: st.height || null, droppedPackets: st.droppedPackets,
        });
      }
      await storeTimeline(this.ctx, s, durationMs, s.entries, s.truncated);
      this.ctx.log.info({ recordingId: s.id, tracks: s.tracks.size, durationMs }, 'recording: finalized');
    } catch (err) {
      this.ctx.log.error({ recordingId: s.id, err: { name: (err as Error).name, message: (err as Error).message } }, 'recording: finalizing failed');
      await updateRecording(this.ctx.sql, s.id, { status: 'failed', error: 'The recording could not be stored.' }).catch(() => undefined);
    } finally {
      await rm(s.dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** True when attendees receive an event with this audience (what a recording may show). */
function seenByAttendees(a: RoomAudience | undefined): boolean {
  if (!a) return true;
  if (a.roles?.includes('attendee')) return true;
  return !a.roles && !a.participants;
}
