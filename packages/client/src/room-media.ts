/**
 * Media of one participant's stay in a room, across reconnects: the tracks this participant
 * publishes (microphone, camera with simulcast, screen) and a subscription to every track of
 * the others. It follows the RoomConnection: each new connection gets a new MediaSession, local
 * tracks are published again and everything is subscribed anew; while the signaling connection
 * holds but a peer connection fails (a network change), it restarts ICE.
 *
 * It also applies what the server decides about our own tracks: a producer of ours removed by
 * the server (a host stopped the camera, the speaker grant was taken away) is stopped locally,
 * and a producer paused by a host (mute) shows as muted until we unmute.
 */
import type { IceServer, JoinedMessage, MediaKind, RoomProducer, SimulcastEncoding } from '@podium/protocol';
import { MediaSession, type RtcPeer } from './media-session';
import type { RoomConnection } from './room-connection';
import { mayPublish, type RoomModel } from './room-store';
import type { SignalingClient } from './signaling-client';

/**
 * The simulcast encodings Podium publishes cameras with: low, medium, high (rids l/m/h), a quarter,
 * half and full size (for a 960×540 camera: 240×135, 480×270, 960×540).
 */
export const CAMERA_SIMULCAST: SimulcastEncoding[] = [
  { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 450_000 },
  { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/** A track this participant publishes (or wants to: it is published again after a reconnect). */
export interface LocalTrack {
  kind: MediaKind;
  /** The implementation's track (MediaStreamTrack in browsers). */
  track: unknown;
  /** The producer on the server, once published. */
  producerId: string | null;
  /** Muted: the producer is paused (by us, or by a host for the microphone). */
  paused: boolean;
  /** A host paused it (their mute), until we resume it. */
  pausedByHost: boolean;
  /** Publishing is in flight. */
  pending: boolean;
}

/** A track of someone else this participant receives. */
export interface RemoteTrack {
  producerId: string;
  participantId: string;
  kind: MediaKind;
  consumerId: string | null;
  /** The m-section of the receiving connection that carries it (statistics name it). */
  mid: string | null;
  /** The received track once the receiving connection has it. */
  track: unknown | null;
  /** The publisher muted it. */
  paused: boolean;
  /** We paused forwarding (not visible). */
  consumerPaused: boolean;
}

/** Why one of our tracks stopped without us asking. */
export interface LocalTrackEnded {
  kind: MediaKind;
  /** removed: the server closed the producer (grant taken away, a host stopped it). */
  reason: 'removed';
  track: unknown;
}

/** What the UI reads. */
export interface RoomMediaSnapshot {
  local: Partial<Record<MediaKind, LocalTrack>>;
  remote: readonly RemoteTrack[];
  /** Connection states of the sending and receiving peers ('none' before there is one). */
  sending: string;
  receiving: string;
  /** ICE restarts done. */
  iceRestarts: number;
  /** The last error publishing or subscribing (registry code when the server refused). */
  lastError: { kind?: MediaKind; code: string; message: string } | null;
}

/** Options of RoomMedia. */
export interface RoomMediaOptions {
  /**
   * Makes a peer connection for sending or receiving, with the STUN/TURN servers the server handed
   * out at the join (if any).
   */
  makePeer: (iceServers: IceServer[] | undefined, role: 'send' | 'recv') => RtcPeer;
  /** Simulcast encodings per kind (default: CAMERA_SIMULCAST for cameras, none otherwise). */
  encodingsFor?: (kind: MediaKind) => SimulcastEncoding[] | undefined;
  /** Subscribe to every producer of the others automatically (default true). */
  autoSubscribe?: boolean;
  /** How often peer connection states are checked for an ICE restart, ms (default 2000; 0: never). */
  watchMs?: number;
  /** Called when a track of ours ended without us asking. */
  onLocalEnded?: (e: LocalTrackEnded) => void;
  /** Least time between two reconnects after offers that could not be applied, ms (default 10 000). */
  renewAfterOfferErrorMs?: number;
  /** Stops a local track (default: calls its stop() if it has one). */
  stopTrack?: (track: unknown) => void;
  /** Enables or disables a local track while paused (default: sets `enabled`). */
  enableTrack?: (track: unknown, enabled: boolean) => void;
}

const KINDS: MediaKind[] = ['audio', 'video', 'screen'];

function errorInfo(err: unknown, kind?: MediaKind): RoomMediaSnapshot['lastError'] {
  const code = (err as { code?: string }).code ?? 'MEDIA_FAILED';
  const message = err instanceof Error ? err.message : String(err);
  return { ...(kind ? { kind } : {}), code, message };
}

/** Media of a stay in a room (see file comment). */
export class RoomMedia {
  private session: MediaSession | null = null;
  private signal: SignalingClient | null = null;
  private readonly local = new Map<MediaKind, LocalTrack>();
  private readonly remote = new Map<string, RemoteTrack>();
  private state: RoomMediaSnapshot = { local: {}, remote: [], sending: 'none', receiving: 'none', iceRestarts: 0, lastError: null };
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private badChecks = 0;
  private offerErrorsSeen = 0;
  private lastRenewMs = Number.NEGATIVE_INFINITY;
  private restarting = false;
  private closed = false;
  private generation = 0;
  /** Layer preferences and pauses asked for, by producer (applied once subscribed). */
  private readonly layerPrefs = new Map<string, { maxWidth?: number; maxHeight?: number; spatialLayer?: number }>();
  private readonly pausedWanted = new Set<string>();
  /** Our producers the room has announced (a producer is only "gone" once it was there). */
  private readonly seenOwn = new Set<string>();

  constructor(private readonly conn: RoomConnection, private readonly opts: RoomMediaOptions) {
    this.stops.push(conn.onSession((signal, joined, reconnect) => this.onSession(signal, joined, reconnect)));
    this.stops.push(conn.subscribe(() => this.onModel()));
    const every = opts.watchMs ?? 2000;
    if (every > 0) this.watchTimer = setInterval(() => this.watch(), every);
    const signal = conn.signal;
    if (signal && conn.snapshot().phase === 'joined') this.onSession(signal, null, false);
  }

  /** What the UI shows now (a new object after every change). */
  snapshot(): RoomMediaSnapshot {
    return this.state;
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Failures answering the server's offers on the current connection (diagnostics). */
  get offerErrors(): string[] {
    return (this.session?.errors ?? []).map((e) => e.message);
  }

  /** The current peer connections (statistics). */
  get peers(): { sending: RtcPeer | undefined; receiving: RtcPeer | undefined } {
    return { sending: this.session?.sending, receiving: this.session?.receiving };
  }

  /**
   * Publishes a track of this kind (replacing the one published before, if any). Rejects with the
   * server's error (FORBIDDEN, CAMERA_LIMIT…); the track is then not kept.
   */
  async publish(kind: MediaKind, track: unknown, opts: { paused?: boolean } = {}): Promise<void> {
    const existing = this.local.get(kind);
    if (existing?.producerId && this.session) {
      if (existing.track === track) return;
      try {
        this.enableTrack(track, !existing.paused);
        await this.session.replaceTrack(existing.producerId, track);
        if (existing.track !== track) this.stopTrack(existing.track);
        this.putLocal({ ...existing, track });
        return;
      } catch {
        await this.unpublish(kind);
      }
    }
    const entry: LocalTrack = { kind, track, producerId: null, paused: opts.paused ?? false, pausedByHost: false, pending: true };
    this.putLocal(entry);
    try {
      await this.publishNow(entry);
    } catch (err) {
      this.local.delete(kind);
      this.set({ lastError: errorInfo(err, kind) });
      this.emitLocal();
      throw err;
    }
  }

  /** Stops publishing a kind and stops its track. */
  async unpublish(kind: MediaKind): Promise<void> {
    const entry = this.local.get(kind);
    if (!entry) return;
    this.local.delete(kind);
    this.emitLocal();
    this.stopTrack(entry.track);
    if (entry.producerId && this.session) await this.session.unpublish(entry.producerId).catch(() => undefined);
  }

  /** Mutes or unmutes a published kind (the producer is paused; everyone sees it muted). */
  async setPaused(kind: MediaKind, paused: boolean): Promise<void> {
    const entry = this.local.get(kind);
    if (!entry) return;
    this.enableTrack(entry.track, !paused);
    if (entry.producerId && this.session) {
      try {
        await this.session[paused ? 'pause' : 'resume']('producer', entry.producerId);
      } catch (err) {
        this.enableTrack(entry.track, !entry.paused);
        throw err;
      }
    }
    const now = this.local.get(kind);
    if (now) this.putLocal({ ...now, paused, pausedByHost: false });
  }

  /**
   * Caps the simulcast layer of a received video by the size it is shown at. Remembered per
   * producer: applied as soon as the subscription exists, and again after a reconnect.
   */
  async setLayerPreference(producerId: string, pref: { maxWidth?: number; maxHeight?: number; spatialLayer?: number }): Promise<void> {
    this.layerPrefs.set(producerId, pref);
    const r = this.remote.get(producerId);
    if (!r?.consumerId || !this.session) return;
    await this.session.setLayerPreference(r.consumerId, pref).catch(() => undefined);
  }

  /** The layer preference last asked for a producer (what its video is shown at), if any. */
  layerPreference(producerId: string): { maxWidth?: number; maxHeight?: number; spatialLayer?: number } | undefined {
    return this.layerPrefs.get(producerId);
  }

  /** Pauses (not visible) or resumes forwarding of a received track; remembered like the layer preference. */
  async setConsumerPaused(producerId: string, paused: boolean): Promise<void> {
    if (paused) this.pausedWanted.add(producerId);
    else this.pausedWanted.delete(producerId);
    const r = this.remote.get(producerId);
    if (!r?.consumerId || !this.session || r.consumerPaused === paused) return;
    this.putRemote({ ...r, consumerPaused: paused });
    await this.session[paused ? 'pause' : 'resume']('consumer', r.consumerId).catch(() => {
      const now = this.remote.get(producerId);
      if (now) this.putRemote({ ...now, consumerPaused: !paused });
    });
  }

  /** Restarts ICE on both peer connections now (after a network change). */
  async restartIce(): Promise<void> {
    if (!this.session || this.restarting) return;
    this.restarting = true;
    try {
      await this.session.restartIce();
      this.set({ iceRestarts: this.state.iceRestarts + 1 });
    } catch (err) {
      this.set({ lastError: errorInfo(err) });
    } finally {
      this.restarting = false;
    }
  }

  /** Stops every local track and closes the peer connections. */
  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.stops.splice(0)) s();
    if (this.watchTimer) clearInterval(this.watchTimer);
    for (const e of this.local.values()) this.stopTrack(e.track);
    this.local.clear();
    this.remote.clear();
    const session = this.session;
    this.session = null;
    await session?.close();
  }

  // ---- internals ----------------------------------------------------------------------------

  private set(patch: Partial<RoomMediaSnapshot>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }

  private emitLocal(): void {
    const local: Partial<Record<MediaKind, LocalTrack>> = {};
    for (const [k, v] of this.local) local[k] = v;
    this.set({ local });
  }

  private putLocal(entry: LocalTrack): void {
    this.local.set(entry.kind, entry);
    this.emitLocal();
  }

  private emitRemote(): void {
    this.set({ remote: [...this.remote.values()] });
  }

  private putRemote(entry: RemoteTrack): void {
    this.remote.set(entry.producerId, entry);
    this.emitRemote();
  }

  private stopTrack(track: unknown): void {
    if (this.opts.stopTrack) this.opts.stopTrack(track);
    else (track as { stop?: () => void } | null)?.stop?.();
  }

  private enableTrack(track: unknown, enabled: boolean): void {
    if (this.opts.enableTrack) this.opts.enableTrack(track, enabled);
    else if (track && typeof track === 'object' && 'enabled' in track) (track as { enabled: boolean }).enabled = enabled;
  }

  private async publishNow(entry: LocalTrack): Promise<void> {
    const session = this.session;
    if (!session) return; // published once joined (onSession)
    const gen = this.generation;
    const encodings = this.opts.encodingsFor ? this.opts.encodingsFor(entry.kind) : entry.kind === 'video' ? CAMERA_SIMULCAST : undefined;
    this.enableTrack(entry.track, !entry.paused);
    const pub = await session.publish(entry.track, entry.kind, { ...(encodings ? { encodings } : {}), ...(entry.paused ? { paused: true } : {}) });
    if (gen !== this.generation) return; // a reconnect happened meanwhile: onSession publishes again
    const now = this.local.get(entry.kind);
    if (now && now.track === entry.track) this.putLocal({ ...now, producerId: pub.producerId, pending: false });
    else await session.unpublish(pub.producerId).catch(() => undefined); // unpublished while in flight
  }

  private onSession(signal: SignalingClient, joined: JoinedMessage | null, reconnect: boolean): void {
    if (this.closed) return;
    this.generation += 1;
    const old = this.session;
    const iceServers = joined?.iceServers && joined.iceServers.length > 0 ? joined.iceServers : undefined;
    this.session = new MediaSession(signal, (role) => this.opts.makePeer(iceServers, role));
    this.signal = signal;
    if (old) void old.close();
    this.remote.clear();
    this.seenOwn.clear();
    this.badChecks = 0;
    this.offerErrorsSeen = 0;
    // Publish again what we had (after a reconnect the server knows none of it).
    const model = this.conn.snapshot().model;
    for (const kind of KINDS) {
      const entry = this.local.get(kind);
      if (!entry) continue;
      if (model && !mayPublish(model, kind)) {
        this.local.delete(kind);
        this.stopTrack(entry.track);
        this.opts.onLocalEnded?.({ kind, reason: 'removed', track: entry.track });
        continue;
      }
      const fresh: LocalTrack = { ...entry, producerId: null, pending: true, pausedByHost: false };
      this.local.set(kind, fresh);
      void this.publishNow(fresh).catch((err) => {
        if (this.local.get(kind) === fresh) this.local.delete(kind);
        this.set({ lastError: errorInfo(err, kind) });
        this.emitLocal();
      });
    }
    this.emitLocal();
    this.emitRemote();
    void reconnect;
    this.onModel();
  }

  /** Follows the room's producers: subscribe to new ones, forget removed ones, apply server decisions about ours. */
  private onModel(): void {
    const model = this.conn.snapshot().model;
    if (!model || !this.session || this.conn.snapshot().phase !== 'joined') return;
    // A new connection's first model arrives before onSession: until then our session (and the
    // producers it knows) belong to the old connection.
    if (this.conn.signal !== this.signal) return;
    this.followOwn(model);
    if (this.opts.autoSubscribe === false) return;
    const present = new Map<string, RoomProducer>();
    for (const p of model.producers) if (p.participantId !== model.self.id) present.set(p.producerId, p);
    let changed = false;
    for (const [id, r] of this.remote) {
      const p = present.get(id);
      if (!p) {
        this.remote.delete(id);
        this.layerPrefs.delete(id);
        this.pausedWanted.delete(id);
        changed = true;
      } else if (p.paused !== r.paused) {
        this.remote.set(id, { ...r, paused: p.paused });
        changed = true;
      }
    }
    for (const p of present.values()) {
      if (this.remote.has(p.producerId)) continue;
      this.remote.set(p.producerId, { producerId: p.producerId, participantId: p.participantId, kind: p.kind, consumerId: null, mid: null, track: null, paused: p.paused, consumerPaused: false });
      changed = true;
      void this.subscribeTo(p.producerId);
    }
    if (changed) this.emitRemote();
  }

  private followOwn(model: RoomModel): void {
    const mine = new Map(model.producers.filter((p) => p.participantId === model.self.id).map((p) => [p.producerId, p]));
    for (const entry of [...this.local.values()]) {
      if (!entry.producerId) continue;
      const p = mine.get(entry.producerId);
      if (p) this.seenOwn.add(entry.producerId);
      if (!p && !this.seenOwn.has(entry.producerId)) continue;
      if (!p) {
        // Gone on the server without us asking.
        this.local.delete(entry.kind);
        this.session?.forgetPublication(entry.producerId);
        this.stopTrack(entry.track);
        this.emitLocal();
        this.opts.onLocalEnded?.({ kind: entry.kind, reason: 'removed', track: entry.track });
      } else if (p.paused && !entry.paused) {
        this.enableTrack(entry.track, false);
        this.putLocal({ ...entry, paused: true, pausedByHost: true });
      } else if (!p.paused && entry.paused && entry.pausedByHost) {
        this.enableTrack(entry.track, true);
        this.putLocal({ ...entry, paused: false, pausedByHost: false });
      }
    }
  }

  private async subscribeTo(producerId: string, attempt = 0): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const sub = await session.subscribe(producerId);
      const r = this.remote.get(producerId);
      if (!r || this.session !== session) {
        if (this.session === session) await session.unsubscribe(producerId).catch(() => undefined);
        return;
      }
      this.putRemote({ ...r, consumerId: sub.consumerId, mid: sub.mid ?? null });
      const pref = this.layerPrefs.get(producerId);
      if (pref) void session.setLayerPreference(sub.consumerId, pref).catch(() => undefined);
      if (this.pausedWanted.has(producerId)) void this.setConsumerPaused(producerId, true);
      const track = await sub.track;
      const now = this.remote.get(producerId);
      if (now && this.session === session) this.putRemote({ ...now, track });
    } catch (err) {
      // The producer may have gone meanwhile (NOT_FOUND); anything else is worth showing.
      const code = (err as { code?: string }).code;
      if (code === 'NOT_FOUND' || this.session !== session) return;
      this.set({ lastError: errorInfo(err) });
      // The media plane busy or starting (MEDIA_UNAVAILABLE, SERVER_BUSY, a timeout): try again later.
      if (code === 'FORBIDDEN' || code === 'VALIDATION_FAILED' || attempt >= 8) return;
      const delay = Math.min(30_000, 1000 * 2 ** attempt);
      setTimeout(() => {
        const r = this.remote.get(producerId);
        if (!this.closed && this.session === session && r && !r.consumerId) void this.subscribeTo(producerId, attempt + 1);
      }, delay);
    }
  }

  private watch(): void {
    const session = this.session;
    // A server offer this browser could not apply leaves the receiving connection stuck (the server
    // waits for its answer). Once seen when every received track closed at once (the offer had no
    // BUNDLE group; the SFU now keeps one, sdp-negotiation.ts). Kept as a safety net for any other
    // refused offer: a fresh connection (join again) gets fresh transports.
    if (session && session.offerErrors.length > this.offerErrorsSeen) {
      this.offerErrorsSeen = session.offerErrors.length;
      const now = Date.now();
      if (now - this.lastRenewMs > (this.opts.renewAfterOfferErrorMs ?? 10_000) && this.signal?.open) {
        this.lastRenewMs = now;
        this.conn.dropConnection();
        return;
      }
    }
    const send = session?.sending?.connectionState ?? 'none';
    const recv = session?.receiving?.connectionState ?? 'none';
    if (send !== this.state.sending || recv !== this.state.receiving) this.set({ sending: send, receiving: recv });
    const bad = (s: string) => s === 'failed' || s === 'disconnected';
    if (!session || !this.signal?.open || !(bad(send) || bad(recv))) {
      this.badChecks = 0;
      return;
    }
    this.badChecks += 1;
    // Two checks in a row (a few seconds): the network changed under us.
    if (this.badChecks === 2 || (this.badChecks > 2 && this.badChecks % 5 === 0)) void this.restartIce();
  }
}
