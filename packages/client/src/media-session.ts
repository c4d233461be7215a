/**
 * Publish and subscribe over signaling, independent of the WebRTC implementation. The session
 * drives two peer connections like the server expects: a sending one (we offer with each new
 * track inside `publish`, the server answers) and a receiving one (the server offers after each
 * subscribe or unsubscribe, we answer). The peer connection itself comes from a factory: the
 * browser's RTCPeerConnection (browserPeer) or werift's in Node (tools/bot).
 */
import type { MediaKind, SimulcastEncoding, ServerMessageOf } from '@podium/protocol';
import type { SignalingClient } from './signaling-client';

/** A sending transceiver, as far as the session uses it (optional: adapters may return nothing). */
export interface RtcSendHandle {
  /** Swaps the track sent (another camera, a re-acquired microphone) without renegotiating. */
  replaceTrack(track: unknown | null): Promise<void>;
  /** Stops the transceiver: its m-section is rejected (port 0) in the next offer. */
  stop(): void;
}

/** What the session needs of a peer connection; adapters wrap browser or werift connections. */
export interface RtcPeer {
  /**
   * Adds a sending transceiver for `track` (simulcast encodings if the implementation can).
   * Returns a handle for replacing or stopping it where the implementation supports that.
   */
  addSendTrack(track: unknown, kind: 'audio' | 'video', encodings?: SimulcastEncoding[]): RtcSendHandle | void;
  /** createOffer + setLocalDescription; resolves with the offer's SDP. */
  createOffer(): Promise<string>;
  /** Applies the remote answer to our offer. */
  applyAnswer(sdp: string): Promise<void>;
  /** Applies a remote offer and resolves with our answer's SDP (set as local description). */
  answer(offer: string): Promise<string>;
  /** Marks the next offer or answer as an ICE restart (new local credentials and candidates). */
  restartIce?(): void;
  /** Registers the listener for remote tracks (by the mid of their m-section). */
  onTrack(listener: (mid: string, track: unknown) => void): void;
  /** 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed'. */
  readonly connectionState: string;
  /** The connection's statistics (RTCStatsReport in browsers), where the implementation has them. */
  getStats?(): Promise<Map<string, Record<string, unknown>> | { forEach(cb: (s: Record<string, unknown>) => void): void }>;
  /** Closes the connection. */
  close(): Promise<void> | void;
}

/** Creates a peer connection (called at most twice per session: for sending, and for receiving). */
export type RtcPeerFactory = (role: 'send' | 'recv') => RtcPeer;

/** One published track. */
export interface LocalPublication {
  producerId: string;
  transportId: string;
  kind: MediaKind;
  /** The m-section of the sending connection that carries it. */
  mid?: string;
}

/** One subscribed track: resolves `track` once the receiving peer connection has it. */
export interface RemoteSubscription {
  producerId: string;
  consumerId: string;
  kind: MediaKind | undefined;
  mid: string | undefined;
  /** The implementation's remote track object (MediaStreamTrack in browsers, werift's in Node). */
  track: Promise<unknown>;
}

/** Publish/subscribe over one signaling client (see file comment). */
export class MediaSession {
  private sendPeer: RtcPeer | undefined;
  private recvPeer: RtcPeer | undefined;
  private recvTransportId: string | undefined;
  private sendTransportId: string | undefined;
  private readonly tracksByMid = new Map<string, unknown>();
  private readonly waitingByMid = new Map<string, (track: unknown) => void>();
  private offers: Promise<void> = Promise.resolve();
  private publishing: Promise<unknown> = Promise.resolve();
  private readonly stop: (() => void)[] = [];
  private readonly sendHandles = new Map<string, RtcSendHandle>();
  /** Failures of server-offer handling and of renegotiations (a test or UI can surface them). */
  readonly errors: Error[] = [];
  /** Server offers of the receiving connection that could not be applied (the receiving side is stuck after one). */
  readonly offerErrors: Error[] = [];

  constructor(private readonly signal: SignalingClient, private readonly makePeer: RtcPeerFactory) {
    this.stop.push(signal.on('sdp-offer', (m) => {
      this.offers = this.offers.then(() => this.onServerOffer(m)).catch((e: Error) => {
        this.errors.push(e);
        this.offerErrors.push(e);
      });
    }));
  }

  /** The receiving peer connection (once something was subscribed). */
  get receiving(): RtcPeer | undefined {
    return this.recvPeer;
  }

  /** The sending peer connection (once something was published). */
  get sending(): RtcPeer | undefined {
    return this.sendPeer;
  }

  /** Publishes a track; one at a time (each publish carries the offer with its new m-section). */
  publish(track: unknown, kind: MediaKind, opts: { encodings?: SimulcastEncoding[]; paused?: boolean } = {}): Promise<LocalPublication> {
    const run = this.publishing.then(async () => {
      this.sendPeer ??= this.makePeer('send');
      const peer = this.sendPeer;
      const handle = peer.addSendTrack(track, kind === 'audio' ? 'audio' : 'video', opts.encodings);
      const sdp = await peer.createOffer();
      let reply: ServerMessageOf<'published'>;
      try {
        reply = (await this.signal.request({
          type: 'publish', kind, sdp, ...(opts.encodings ? { encodings: opts.encodings } : {}), ...(opts.paused ? { paused: true } : {}),
        })) as ServerMessageOf<'published'>;
      } catch (err) {
        // Refused (no right to publish, camera limit…): take the track back out, so the offer
        // state stays as the server knows it.
        if (handle) {
          handle.stop();
          await this.renegotiateAfterStop(peer).catch(() => undefined);
        }
        throw err;
      }
      if (!reply.sdp) throw new Error('the server sent no SDP answer');
      await peer.applyAnswer(reply.sdp);
      this.sendTransportId = reply.transportId;
      if (handle) this.sendHandles.set(reply.producerId, handle);
      return { producerId: reply.producerId, transportId: reply.transportId, kind, ...(reply.mid ? { mid: reply.mid } : {}) };
    });
    this.publishing = run.catch(() => undefined);
    return run;
  }

  /** Subscribes to a producer of the room; the track arrives once the server's offer is answered. */
  async subscribe(producerId: string): Promise<RemoteSubscription> {
    const reply = (await this.signal.request({ type: 'subscribe', producerId })) as ServerMessageOf<'subscribed'>;
    this.recvTransportId ??= reply.transportId;
    const mid = reply.mid;
    const track = new Promise<unknown>((resolve) => {
      if (mid === undefined) return;
      const known = this.tracksByMid.get(mid);
      if (known) resolve(known);
      else this.waitingByMid.set(mid, resolve);
    });
    return { producerId, consumerId: reply.consumerId, kind: reply.kind, mid, track };
  }

  /** Stops receiving a producer. */
  async unsubscribe(producerId: string): Promise<void> {
    await this.signal.request({ type: 'unsubscribe', producerId });
  }

  /**
   * Stops publishing a track. Where the peer gave a handle, its transceiver is stopped and the
   * sending connection renegotiated (the m-section is rejected; a later publish may reuse it).
   */
  async unpublish(producerId: string): Promise<void> {
    await this.signal.request({ type: 'unpublish', producerId });
    this.forgetPublication(producerId);
  }

  /**
   * The server closed one of my producers (a host stopped my camera, my speaker grant was taken
   * away): stop its transceiver too. Safe to call for unknown ids.
   */
  forgetPublication(producerId: string): void {
    const handle = this.sendHandles.get(producerId);
    if (!handle) return;
    this.sendHandles.delete(producerId);
    handle.stop();
    const peer = this.sendPeer;
    if (!peer) return;
    const run = this.publishing.then(() => this.renegotiateAfterStop(peer));
    this.publishing = run.catch((e: Error) => {
      this.errors.push(e);
    });
  }

  /** Sends another track on a published producer (e.g. another camera) without renegotiating. */
  async replaceTrack(producerId: string, track: unknown | null): Promise<void> {
    const handle = this.sendHandles.get(producerId);
    if (!handle) throw new Error('this peer connection cannot replace tracks');
    await handle.replaceTrack(track);
  }

  private async renegotiateAfterStop(peer: RtcPeer): Promise<void> {
    const transportId = this.sendTransportId;
    if (!transportId || !this.signal.open) return;
    const sdp = await peer.createOffer();
    const reply = (await this.signal.request({ type: 'sdp-offer', transportId, sdp })) as ServerMessageOf<'sdp-answer'>;
    await peer.applyAnswer(reply.sdp);
  }

  /** Caps the simulcast layer of a consumer by the size it is shown at (or a layer index). */
  async setLayerPreference(consumerId: string, pref: { maxWidth?: number; maxHeight?: number; spatialLayer?: number }): Promise<void> {
    await this.signal.request({ type: 'set-layer-preference', consumerId, ...pref });
  }

  /** Pauses (mutes) one of my producers, or one of my consumers. */
  async pause(target: 'producer' | 'consumer', id: string): Promise<void> {
    await this.signal.request({ type: 'pause', target, id });
  }

  /** Resumes a paused producer or consumer. */
  async resume(target: 'producer' | 'consumer', id: string): Promise<void> {
    await this.signal.request({ type: 'resume', target, id });
  }

  /**
   * ICE restart of both connections after a network change (new address or port): new ICE
   * credentials on each side, DTLS and SRTP continue. The sending connection re-offers; the
   * receiving one answers the server's new offer (sent with the ice-restarted reply).
   */
  async restartIce(): Promise<void> {
    const work: Promise<void>[] = [];
    const sendPeer = this.sendPeer;
    const sendTransportId = this.sendTransportId;
    if (sendPeer && sendTransportId) {
      const run = this.publishing.then(async () => {
        await this.signal.request({ type: 'ice-restart', transportId: sendTransportId });
        sendPeer.restartIce?.();
        const sdp = await sendPeer.createOffer();
        const reply = (await this.signal.request({ type: 'sdp-offer', transportId: sendTransportId, sdp })) as ServerMessageOf<'sdp-answer'>;
        await sendPeer.applyAnswer(reply.sdp);
      });
      this.publishing = run.catch(() => undefined);
      work.push(run);
    }
    const recvPeer = this.recvPeer;
    const recvTransportId = this.recvTransportId;
    if (recvPeer && recvTransportId) {
      work.push((async () => {
        recvPeer.restartIce?.();
        const reply = (await this.signal.request({ type: 'ice-restart', transportId: recvTransportId })) as ServerMessageOf<'ice-restarted'>;
        const sdp = reply.sdp;
        // Without an offer in the reply, one is pending already; the next sdp-offer carries the restart.
        if (sdp) {
          const run = this.offers.then(() => this.onServerOffer({ type: 'sdp-offer', transportId: recvTransportId, sdp }));
          this.offers = run.catch((e: Error) => {
            this.errors.push(e);
            this.offerErrors.push(e);
          });
          await run;
        }
      })());
    }
    await Promise.all(work);
  }

  /** Waits until the server's offers so far are answered. */
  async settled(): Promise<void> {
    let last: Promise<void>;
    do {
      last = this.offers;
      await last;
    } while (last !== this.offers);
  }

  /** Closes both peer connections (the server frees the transports when we leave or disconnect). */
  async close(): Promise<void> {
    for (const s of this.stop.splice(0)) s();
    await Promise.all([this.sendPeer?.close(), this.recvPeer?.close()]);
  }

  private async onServerOffer(m: ServerMessageOf<'sdp-offer'>): Promise<void> {
    if (this.recvTransportId && m.transportId !== this.recvTransportId) return;
    this.recvTransportId = m.transportId;
    if (!this.recvPeer) {
      this.recvPeer = this.makePeer('recv');
      this.recvPeer.onTrack((mid, track) => {
        this.tracksByMid.set(mid, track);
        const w = this.waitingByMid.get(mid);
        if (w) {
          this.waitingByMid.delete(mid);
          w(track);
        }
      });
    }
    const answer = await this.recvPeer.answer(m.sdp);
    await this.signal.request({ type: 'sdp-answer', transportId: m.transportId, sdp: answer });
  }
}
