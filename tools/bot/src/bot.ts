/**
 * A synthetic participant: joins through signaling with a join token (@podium/client), publishes
 * generated Opus and VP8 RTP through werift tracks, and/or subscribes to every producer of the
 * room and counts what arrives per track (packets, frames, keyframes, sequence gaps).
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { MediaStreamTrack, RtpHeader, RtpPacket } from 'werift';
import { MediaSession, SignalingClient, type LocalPublication, type WebSocketConstructor } from '@podium/client';
import type { JoinedMessage, MediaKind, RoomProducer } from '@podium/protocol';
import { weriftPeer } from './werift-peer';
import { packetizeVp8, type EncodedMedia } from './encoded-media';

/** What a subscriber received on one track. */
export interface TrackStats {
  producerId: string;
  consumerId: string;
  kind: MediaKind | undefined;
  /** Distinct RTP packets (retransmissions counted once). */
  packets: number;
  /** Packets received more than once (RTX repairs or duplicates). */
  duplicates: number;
  /** Sequence numbers missing between the lowest and highest received. */
  lost: number;
  /** Video frames completed (marker bit). */
  frames: number;
  /** VP8 keyframes. */
  keyframes: number;
  /** Every distinct sequence number, unwrapped, in arrival order (for continuity checks). */
  seqs: number[];
}

/** What a publisher sent. */
export interface SentStats {
  audioPackets: number;
  videoPackets: number;
  videoFrames: number;
}

/** Options of a bot. */
export interface BotOptions {
  /** Base URL of Podium (http://host:port). */
  url: string;
  /** Personal join token. */
  token: string;
  /** Client name in hello. */
  name?: string;
  /** Signaling request timeout, ms. */
  requestTimeoutMs?: number;
}

class TrackCounter implements TrackStats {
  packets = 0;
  duplicates = 0;
  frames = 0;
  keyframes = 0;
  readonly seqs: number[] = [];
  private readonly seen = new Set<number>();
  private last = -1;
  private min = Infinity;
  private max = -Infinity;

  constructor(readonly producerId: string, readonly consumerId: string, readonly kind: MediaKind | undefined) {}

  get lost(): number {
    return this.packets === 0 ? 0 : this.max - this.min + 1 - this.packets;
  }

  onRtp(seq16: number, marker: boolean, payload: Buffer): void {
    // Unwrap the 16-bit sequence number around the last one seen.
    let seq = seq16;
    if (this.last >= 0) {
      const base = this.last & ~0xffff;
      seq = base | seq16;
      if (seq - this.last > 0x8000) seq -= 0x10000;
      else if (this.last - seq > 0x8000) seq += 0x10000;
    }
    if (this.seen.has(seq)) {
      this.duplicates++;
      return;
    }
    this.seen.add(seq);
    this.seqs.push(seq);
    this.last = Math.max(this.last, seq);
    this.packets++;
    this.min = Math.min(this.min, seq);
    this.max = Math.max(this.max, seq);
    if (this.kind !== 'audio') {
      if (marker) this.frames++;
      // VP8 payload descriptor (4 bytes here) then the frame tag: S bit set and P bit clear = keyframe start.
      const start = payload.length > 4 && (payload[0] & 0x10) !== 0;
      if (start && (payload[4] & 0x01) === 0) this.keyframes++;
    }
  }
}

/** A synthetic participant (see file comment). */
export class Bot {
  /** The room as joined. */
  joined!: JoinedMessage;
  /** Per subscribed producer. */
  readonly received = new Map<string, TrackCounter>();
  readonly sent: SentStats = { audioPackets: 0, videoPackets: 0, videoFrames: 0 };
  /** Published tracks. */
  readonly publications: LocalPublication[] = [];
  private media!: MediaSession;
  private audioTrack: MediaStreamTrack | undefined;
  private videoTrack: MediaStreamTrack | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly seq = { audio: randomBytes(2).readUInt16BE(0), video: randomBytes(2).readUInt16BE(0) };
  private readonly ts = { audio: randomBytes(4).readUInt32BE(0), video: randomBytes(4).readUInt32BE(0) };
  private pictureId = 0;
  private autoSubscribe = false;
  private readonly subscribing = new Set<string>();
  private readonly stopAuto: (() => void)[] = [];

  private constructor(readonly signal: SignalingClient) {}

  /** Connects, says hello and joins the room of the token. */
  static async join(opts: BotOptions): Promise<Bot> {
    const signal = await SignalingClient.connect(opts.url, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      client: opts.name ?? 'podium-bot',
      requestTimeoutMs: opts.requestTimeoutMs ?? 20_000,
    });
    const bot = new Bot(signal);
    bot.media = new MediaSession(signal, () => weriftPeer());
    bot.joined = await signal.join(opts.token);
    return bot;
  }

  /** The media session (publish/subscribe primitives). */
  get session(): MediaSession {
    return this.media;
  }

  /** Producers of the room known now (snapshot, then producer-added/removed). */
  producers(): RoomProducer[] {
    return [...this.known.values()];
  }

  private readonly known = new Map<string, RoomProducer>();

  /** Publishes an Opus and/or a VP8 track (media flows once `startSending` is called). */
  async publish(kinds: { audio?: boolean; video?: boolean } = { audio: true, video: true }): Promise<LocalPublication[]> {
    const out: LocalPublication[] = [];
    if (kinds.audio) {
      this.audioTrack = new MediaStreamTrack({ kind: 'audio' });
      out.push(await this.media.publish(this.audioTrack, 'audio'));
    }
    if (kinds.video) {
      this.videoTrack = new MediaStreamTrack({ kind: 'video' });
      out.push(await this.media.publish(this.videoTrack, 'video'));
    }
    this.publications.push(...out);
    return out;
  }

  /** Waits until the sending connection is up. */
  async sendingConnected(timeoutMs = 20_000): Promise<void> {
    await waitUntil('sending connection', () => this.media.sending?.connectionState === 'connected', timeoutMs);
  }

  /** Sends 50 audio packets and `fps` VP8 frames (3 packets each, a keyframe every second) per second. */
  startSending(fps = 25): void {
    if (this.timer) return;
    let tick = 0;
    const audioEvery = 20;
    const videoEvery = Math.round(1000 / fps);
    this.timer = setInterval(() => {
      tick += audioEvery;
      this.sendAudio();
      if (tick % videoEvery < audioEvery) this.sendVideoFrame(this.sent.videoFrames % fps === 0);
    }, audioEvery);
  }

  /**
   * Sends real encoded media in real time (decodable, unlike startSending's): one Opus packet
   * every 20 ms and the VP8 frames at their rate, looping at the end of the clip.
   */
  startSendingEncoded(media: EncodedMedia): void {
    if (this.timer) return;
    let tick = 0;
    let a = 0;
    let v = 0;
    const videoEvery = Math.round(1000 / media.fps);
    const send = () => {
      if (this.audioTrack && media.audio.length) {
        this.ts.audio = (this.ts.audio + 960) >>> 0;
        const payload = media.audio[a++ % media.audio.length];
        this.audioTrack.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: this.seq.audio, timestamp: this.ts.audio, marker: false }), payload));
        this.seq.audio = (this.seq.audio + 1) & 0xffff;
        this.sent.audioPackets++;
      }
      if (this.videoTrack && media.video.length && tick % videoEvery < 20) {
        const frame = media.video[v++ % media.video.length];
        this.ts.video = (this.ts.video + 90_000 / media.fps) >>> 0;
        const parts = packetizeVp8(frame.data, this.pictureId++ & 0x7fff);
        parts.forEach((payload, i) => {
          const header = new RtpHeader({ payloadType: 96, sequenceNumber: this.seq.video, timestamp: this.ts.video, marker: i === parts.length - 1 });
          this.videoTrack!.writeRtp(new RtpPacket(header, payload));
          this.seq.video = (this.seq.video + 1) & 0xffff;
          this.sent.videoPackets++;
        });
        this.sent.videoFrames++;
      }
      tick += 20;
    };
    // Paced by the clock, not by the timer's count: a late timer sends what is due, so the rate stays real.
    const started = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor((performance.now() - started) / 20) + 1;
      while (tick / 20 < due) send();
    }, 10);
  }

  /** Stops sending. */
  stopSending(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Sends one Opus-shaped packet (TOC byte + random body). */
  sendAudio(): void {
    if (!this.audioTrack) return;
    const payload = randomBytes(80);
    payload[0] = 0x78; // TOC: config 15 (CELT FB 20 ms), mono, one frame
    this.ts.audio = (this.ts.audio + 960) >>> 0;
    this.audioTrack.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: this.seq.audio, timestamp: this.ts.audio, marker: false }), payload));
    this.seq.audio = (this.seq.audio + 1) & 0xffff;
    this.sent.audioPackets++;
  }

  /** Sends one VP8 frame of 3 packets (descriptor with PictureID; a keyframe header announcing 640×360 when asked). */
  sendVideoFrame(keyframe: boolean): void {
    if (!this.videoTrack) return;
    const pictureId = this.pictureId++ & 0x7fff;
    this.ts.video = (this.ts.video + 3600) >>> 0;
    for (let i = 0; i < 3; i++) {
      const desc = Buffer.from([0x80 | (i === 0 ? 0x10 : 0), 0x80, 0x80 | ((pictureId >> 8) & 0x7f), pictureId & 0xff]);
      const body = randomBytes(500);
      if (i === 0) {
        body[0] = keyframe ? 0x10 : 0x11;
        if (keyframe) {
          body[3] = 0x9d;
          body[4] = 0x01;
          body[5] = 0x2a;
          body.writeUInt16LE(640, 6);
          body.writeUInt16LE(360, 8);
        }
      }
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: this.seq.video, timestamp: this.ts.video, marker: i === 2 });
      this.videoTrack.writeRtp(new RtpPacket(header, Buffer.concat([desc, body])));
      this.seq.video = (this.seq.video + 1) & 0xffff;
      this.sent.videoPackets++;
    }
    this.sent.videoFrames++;
  }

  /** Subscribes to one producer and counts what arrives. */
  async subscribe(producerId: string): Promise<TrackStats> {
    const sub = await this.media.subscribe(producerId);
    const counter = new TrackCounter(producerId, sub.consumerId, sub.kind);
    this.received.set(producerId, counter);
    void sub.track.then((track) => {
      (track as MediaStreamTrack).onReceiveRtp.subscribe((rtp) => counter.onRtp(rtp.header.sequenceNumber, rtp.header.marker, rtp.payload));
    });
    return counter;
  }

  /** Subscribes to every producer of others now and whenever one is added. */
  async subscribeAll(): Promise<void> {
    this.autoSubscribe = true;
    for (const p of this.joined.room.producers ?? []) this.known.set(p.producerId, p);
    this.stopAuto.push(this.signal.on('producer-added', (m) => {
      this.known.set(m.producerId, { producerId: m.producerId, participantId: m.participantId, kind: m.kind, simulcast: m.simulcast, paused: m.paused });
      if (this.autoSubscribe) void this.subscribeOnce(m.producerId, m.participantId);
    }));
    this.stopAuto.push(this.signal.on('producer-removed', (m) => {
      this.known.delete(m.producerId);
    }));
    await Promise.all([...this.known.values()].map((p) => this.subscribeOnce(p.producerId, p.participantId)));
  }

  /** Waits until the receiving connection is up and every offer is answered. */
  async receivingConnected(timeoutMs = 20_000): Promise<void> {
    await waitUntil('receiving connection', () => this.media.receiving?.connectionState === 'connected', timeoutMs);
    await this.media.settled();
  }

  /** A summary per received track and of what was sent. */
  summary(): { sent: SentStats; received: Omit<TrackStats, 'seqs'>[] } {
    return {
      sent: { ...this.sent },
      received: [...this.received.values()].map((c) => ({
        producerId: c.producerId, consumerId: c.consumerId, kind: c.kind, packets: c.packets, duplicates: c.duplicates, lost: c.lost, frames: c.frames, keyframes: c.keyframes,
      })),
    };
  }

  /** Leaves the room cleanly and closes everything. */
  async leave(): Promise<void> {
    this.stopSending();
    for (const s of this.stopAuto.splice(0)) s();
    if (this.signal.open) await this.signal.leave().catch(() => undefined);
    await this.media.close();
    await this.signal.close();
  }

  /** Drops the connection without leaving (what a crashed client looks like) and closes the peers. */
  async crash(): Promise<void> {
    this.stopSending();
    for (const s of this.stopAuto.splice(0)) s();
    this.signal.terminate();
    await this.media.close();
  }

  private async subscribeOnce(producerId: string, participantId: string): Promise<void> {
    if (participantId === this.joined.room.self.id || this.subscribing.has(producerId)) return;
    this.subscribing.add(producerId);
    await this.subscribe(producerId);
  }
}

/** Polls `cond` every 20 ms; throws naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
