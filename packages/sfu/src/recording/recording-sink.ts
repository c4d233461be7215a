/**
 * A recorder tap on a producer: it receives the producer's packets as they are forwarded (already
 * SRTP-unprotected and parsed), puts them back in order over a small jitter window, rebuilds
 * frames (VP8 from its payload descriptor, Opus one per packet) and writes them as WebM through
 * an asynchronous writer. It never blocks forwarding: the hot path only copies the payload and
 * appends bytes to a bounded queue; when the writer falls behind and the queue is full, frames are
 * dropped and counted (video then waits for, and asks for, the next keyframe).
 */
import { parseVp8Descriptor, Vp8Descriptor } from '../codecs/vp8';
import type { SimulcastLayer } from '../simulcast/layer-selector';
import type { RtpPacket } from '../rtp/rtp-packet';
import type { ProducerSink } from '../router/producer';
import { SeqUnwrapper } from '../util/seq';
import { avcDecoderConfig, WebmMuxer, type WebmCodec } from './webm-muxer';

/** Where the WebM bytes go: appends, and writes at a position for the final patches. */
export interface RecordingWriter {
  /** Appends bytes (the sink waits for one write before the next). */
  write(bytes: Buffer): Promise<void>;
  /** Writes bytes at a position of what was appended. */
  writeAt(bytes: Buffer, position: number): Promise<void>;
  /** Flushes and closes. */
  close(): Promise<void>;
}

/** What a recorder did. */
export interface RecordingStats {
  /** Packets the tap received. */
  packets: number;
  /** Frames written. */
  frames: number;
  /** Packets dropped because the writer fell behind (bounded queue full). */
  droppedPackets: number;
  /** Packets that never arrived within the jitter window (their frames are skipped). */
  lostPackets: number;
  /** Bytes of the WebM file. */
  bytes: number;
  /** Duration of the track, ms (first frame to the end of the last). */
  durationMs: number;
  /** Wall-clock time (ms since the epoch) the first written frame arrived; null when none was written. */
  firstFrameAtMs: number | null;
  /** Video frame size (0 for audio). */
  width: number;
  height: number;
  /** The writer failed (disk full…): recording of this track stopped there. */
  writeError: string | null;
}

/** Options of a sink. */
export interface RecordingSinkOptions {
  id: string;
  codec: WebmCodec;
  clockRate: number;
  writer: RecordingWriter;
  /** Simulcast layer to record (the others are ignored). Default: every packet (non-simulcast). */
  layer?: number;
  /** Asks the publisher for a keyframe (through the producer's throttled requester). */
  requestKeyframe: () => void;
  /** Most bytes waiting for the writer before frames are dropped. Default 4 MB. */
  maxQueuedBytes?: number;
  /** Packets held back waiting for a missing one. Default 64. */
  reorderPackets?: number;
  /** Time a missing packet is waited for, ms. Default 150. */
  reorderMs?: number;
  /** The producer closed: the sink finished itself. */
  onEnded?: (stats: RecordingStats) => void;
  /** Wall clock (ms since the epoch) of a performance.now() value; default performance.timeOrigin + t. */
  wallClock?: (nowMs: number) => number;
}

interface Slot {
  ext: number;
  ts: number;
  marker: boolean;
  payload: Buffer | null;
  arrivalMs: number;
}

const RING = 512;

/** A recorder tap (see file comment). */
export class RecordingSink implements ProducerSink {
  readonly id: string;
  private readonly o: RecordingSinkOptions;
  private readonly seq = new SeqUnwrapper();
  private readonly ring: (Slot | undefined)[] = new Array(RING);
  private held = 0;
  private nextExt = -1;
  private highestExt = -1;
  private readonly maxQueued: number;
  private readonly reorderPackets: number;
  private readonly reorderMs: number;
  // Frame assembly.
  private readonly desc = new Vp8Descriptor();
  private frameTs = -1;
  private frameParts: Buffer[] = [];
  private frameBytes = 0;
  private framePackets = 0;
  private frameKey = false;
  private frameStarted = false;
  private frameBroken = false;
  private frameArrivalMs = 0;
  private needKeyframe: boolean;
  private readonly video: boolean;
  // H.264: the fragmented NAL being put together (FU-A), and the latest parameter sets.
  private fuParts: Buffer[] | null = null;
  private sps: Buffer | null = null;
  private pps: Buffer | null = null;
  /** The keyframe is awaited because frames were dropped (the frames skipped meanwhile count as dropped too). */
  private dropWait = false;
  // Timestamps.
  private tsLast = -1;
  private tsExt = 0;
  private tsFirst = -1;
  private lastFrameMs = 0;
  private prevFrameMs = -1;
  // Output.
  private muxer: WebmMuxer | null = null;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private writing = false;
  private drained: (() => void) | null = null;
  private ended = false;
  private finishing: Promise<RecordingStats> | null = null;
  readonly stats: RecordingStats = {
    packets: 0, frames: 0, droppedPackets: 0, lostPackets: 0, bytes: 0, durationMs: 0, firstFrameAtMs: null, width: 0, height: 0, writeError: null,
  };

  /** Creates the tap; the caller adds it to the producer and asks for a keyframe. */
  constructor(options: RecordingSinkOptions) {
    this.o = options;
    this.id = options.id;
    this.maxQueued = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.reorderPackets = Math.min(options.reorderPackets ?? 64, RING - 1);
    this.reorderMs = options.reorderMs ?? 150;
    this.video = options.codec !== 'opus';
    this.needKeyframe = this.video;
  }

  /** Bytes waiting for the writer now. */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  // ---- ProducerSink -------------------------------------------------------------------------------

  /** See ProducerSink: the hot path (copy, reorder, assemble, append to the queue). */
  forward(packet: RtpPacket, _keyframe: boolean, nowMs: number, layer: number): void {
    if (this.ended) return;
    if (this.o.layer !== undefined && layer !== this.o.layer) return;
    this.stats.packets++;
    const ext = this.seq.unwrap(packet.sequenceNumber);
    if (this.nextExt < 0) this.nextExt = ext;
    if (ext < this.nextExt) return; // too late: its place was given up already (or a duplicate)
    const i = ext % RING;
    const existing = this.ring[i];
    if (existing && existing.ext === ext) return; // duplicate (a retransmission that raced the original)
    const payload = packet.payloadLength > 0 ? Buffer.from(packet.buffer.subarray(packet.payloadOffset, packet.payloadOffset + packet.payloadLength)) : null;
    this.ring[i] = { ext, ts: packet.timestamp, marker: packet.marker, payload, arrivalMs: nowMs };
    this.held++;
    if (ext > this.highestExt) this.highestExt = ext;
    this.drain(nowMs, false);
  }

  /** See ProducerSink. */
  onProducerLayers(_layers: SimulcastLayer[], _nowMs: number): void {}

  /** See ProducerSink. */
  onProducerPause(): void {}

  /** See ProducerSink: frames resume at the next keyframe. */
  onProducerResume(): void {
    if (this.video) this.needKeyframe = true;
  }

  /** See ProducerSink: the track ended; the file is finished. */
  onProducerClose(): void {
    void this.finish().then((s) => this.o.onEnded?.(s));
  }

  // ---- finishing ----------------------------------------------------------------------------------

  /** Writes what is held, ends the file (Cues, duration) and closes the writer. Idempotent. */
  finish(): Promise<RecordingStats> {
    this.finishing ??= this.doFinish();
    return this.finishing;
  }

  private async doFinish(): Promise<RecordingStats> {
    this.drain(Number.POSITIVE_INFINITY, true);
    this.flushFrame(true);
    this.ended = true;
    const s = this.stats;
    if (this.muxer) {
      s.durationMs = Math.round(this.lastFrameMs + this.frameDurationMs());
      const { patches } = this.muxer.finish(s.durationMs);
      await this.whenDrained();
      if (!s.writeError) {
        try {
          for (const p of patches) await this.o.writer.writeAt(p.bytes, p.position);
        } catch (err) {
          s.writeError = (err as Error).message;
        }
      }
      s.bytes = this.muxer.size;
    }
    await this.o.writer.close().catch((err: Error) => {
      s.writeError ??= err.message;
    });
    return { ...s };
  }

  private frameDurationMs(): number {
    if (this.o.codec === 'opus') return this.prevFrameMs >= 0 ? Math.min(120, Math.max(2.5, this.lastFrameMs - this.prevFrameMs)) : 20;
    return this.stats.frames > 1 ? Math.min(100, Math.max(10, this.lastFrameMs / (this.stats.frames - 1))) : 33;
  }

  // ---- reordering ---------------------------------------------------------------------------------

  /** Emits packets in order; gives up on a missing one when too many wait behind it or it is too late. */
  private drain(nowMs: number, all: boolean): void {
    while (this.held > 0) {
      const slot = this.ring[this.nextExt % RING];
      if (slot && slot.ext === this.nextExt) {
        this.ring[this.nextExt % RING] = undefined;
        this.held--;
        this.nextExt++;
        this.onOrdered(slot, false);
        continue;
      }
      // nextExt is missing: wait, unless the window says to move on.
      const waiting = this.highestExt - this.nextExt;
      const oldest = this.oldestHeld();
      if (!all && waiting < this.reorderPackets && (!oldest || nowMs - oldest.arrivalMs < this.reorderMs)) return;
      // Skip to the next packet we hold.
      let skip = 1;
      while (skip < RING) {
        const s = this.ring[(this.nextExt + skip) % RING];
        if (s && s.ext === this.nextExt + skip) break;
        skip++;
      }
      this.stats.lostPackets += skip;
      this.nextExt += skip;
      this.frameBroken = true;
    }
  }

  private oldestHeld(): Slot | undefined {
    for (let e = this.nextExt + 1; e <= this.highestExt; e++) {
      const s = this.ring[e % RING];
      if (s && s.ext === e) return s;
    }
    return undefined;
  }

  // ---- frames -------------------------------------------------------------------------------------

  private onOrdered(slot: Slot, _gap: boolean): void {
    if (this.o.codec === 'opus') {
      if (slot.payload) this.writeFrame(slot.ts, true, slot.payload, 1, slot.arrivalMs);
      return;
    }
    const payload = slot.payload;
    if (!payload) return; // padding-only (probing)
    if (slot.ts !== this.frameTs) {
      // A new timestamp: the previous frame ended (its marker packet may have been lost).
      if (this.frameStarted) this.flushFrame(false);
      this.frameTs = slot.ts;
      this.frameParts = [];
      this.frameBytes = 0;
      this.framePackets = 0;
      this.frameStarted = false;
      this.frameBroken = false;
      this.frameKey = false;
      this.frameArrivalMs = slot.arrivalMs;
      this.fuParts = null;
    }
    if (this.o.codec === 'h264') {
      this.onH264(payload);
      if (slot.marker) this.flushFrame(true);
      return;
    }
    const d = this.desc;
    if (!parseVp8Descriptor(payload, 0, payload.length, d)) {
      this.frameBroken = true;
      return;
    }
    if (d.startOfPartition && d.partitionIndex === 0) {
      if (this.framePackets > 0) this.frameBroken = true; // a second start in one frame
      this.frameStarted = true;
      this.frameKey = d.keyframe;
    } else if (!this.frameStarted) {
      this.frameBroken = true;
    }
    this.frameParts.push(payload.subarray(d.length));
    this.frameBytes += payload.length - d.length;
    this.framePackets++;
    if (slot.marker) this.flushFrame(true);
  }

  /** One H.264 payload (RFC 6184): a single NAL unit, a STAP-A aggregate, or a FU-A fragment. */
  private onH264(p: Buffer): void {
    this.frameStarted = true;
    this.framePackets++;
    const type = p[0] & 0x1f;
    if (type >= 1 && type <= 23) this.addNal(p);
    else if (type === 24) {
      let i = 1;
      while (i + 2 <= p.length) {
        const n = p.readUInt16BE(i);
        i += 2;
        if (n === 0 || i + n > p.length) {
          this.frameBroken = true;
          return;
        }
        this.addNal(p.subarray(i, i + n));
        i += n;
      }
    } else if (type === 28 && p.length >= 2) {
      const fu = p[1];
      if (fu & 0x80) this.fuParts = [Buffer.from([(p[0] & 0xe0) | (fu & 0x1f)]), p.subarray(2)];
      else if (this.fuParts) this.fuParts.push(p.subarray(2));
      else this.frameBroken = true; // a fragment whose start we never saw
      if (fu & 0x40 && this.fuParts) {
        this.addNal(Buffer.concat(this.fuParts));
        this.fuParts = null;
      }
    } else this.frameBroken = true; // STAP-B, MTAP, FU-B: not used by WebRTC
  }

  private addNal(nal: Buffer): void {
    const t = nal[0] & 0x1f;
    if (t === 7) this.sps = Buffer.from(nal);
    else if (t === 8) this.pps = Buffer.from(nal);
    else if (t === 5) this.frameKey = true;
    if (t === 9 || nal.length === 0) return; // access-unit delimiters are not stored
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(nal.length);
    this.frameParts.push(len, nal);
    this.frameBytes += 4 + nal.length;
  }

  private flushFrame(complete: boolean): void {
    if (!this.frameStarted || this.framePackets === 0) return;
    const ok = complete && !this.frameBroken;
    const packets = this.framePackets;
    const key = this.frameKey;
    const parts = this.frameParts;
    this.frameStarted = false;
    this.frameParts = [];
    this.framePackets = 0;
    this.frameBytes = 0;
    if (!ok) {
      // A frame with a hole cannot be decoded, nor can what refers to it: wait for a keyframe.
      this.needKeyframe = true;
      this.dropWait = false;
      this.o.requestKeyframe();
      return;
    }
    // H.264 needs its parameter sets before the first frame (they are in the file's header).
    const waitParams = this.o.codec === 'h264' && !this.muxer && (!this.sps || !this.pps);
    if ((this.needKeyframe && !key) || waitParams) {
      if (this.dropWait) this.stats.droppedPackets += packets;
      return;
    }
    const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (this.o.codec === 'vp8' && key && data.length >= 10 && data[3] === 0x9d && data[4] === 0x01 && data[5] === 0x2a) {
      this.stats.width = (data[6] | (data[7] << 8)) & 0x3fff;
      this.stats.height = (data[8] | (data[9] << 8)) & 0x3fff;
    }
    this.writeFrame(this.frameTs, key, data, packets, this.frameArrivalMs);
  }

  private writeFrame(ts: number, key: boolean, data: Buffer, packets: number, arrivalMs: number): void {
    if (this.stats.writeError) return;
    if (this.queuedBytes + data.length > this.maxQueued) {
      // The writer fell behind: drop rather than buffer without bound or stall forwarding.
      this.stats.droppedPackets += packets;
      if (this.video) {
        this.needKeyframe = true;
        this.dropWait = true;
        this.o.requestKeyframe();
      }
      return;
    }
    if (this.video && key) {
      this.needKeyframe = false;
      this.dropWait = false;
    }
    // RTP timestamps are 32-bit and wrap: extend them by the signed difference to the last one.
    if (this.tsLast < 0) {
      this.tsExt = 0;
      this.tsFirst = 0;
    } else this.tsExt += (ts - this.tsLast) | 0;
    this.tsLast = ts;
    const ms = ((this.tsExt - this.tsFirst) * 1000) / this.o.clockRate;
    if (!this.muxer) {
      this.stats.firstFrameAtMs = (this.o.wallClock ?? ((t) => performance.timeOrigin + t))(arrivalMs);
      this.muxer = new WebmMuxer({
        codec: this.o.codec, width: this.stats.width || undefined, height: this.stats.height || undefined, channels: 2,
        ...(this.o.codec === 'h264' && this.sps && this.pps ? { avcConfig: avcDecoderConfig(this.sps, this.pps) } : {}),
        emit: (bytes) => this.enqueue(bytes),
      });
    }
    const t = Math.max(0, ms);
    this.prevFrameMs = this.stats.frames > 0 ? this.lastFrameMs : -1;
    this.lastFrameMs = Math.max(this.lastFrameMs, t);
    this.muxer.writeFrame(t, key, data);
    this.stats.frames++;
  }

  // ---- the writer ---------------------------------------------------------------------------------

  private enqueue(bytes: Buffer): void {
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.pump();
  }

  private pump(): void {
    if (this.writing || this.queue.length === 0 || this.stats.writeError) return;
    const chunk = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue);
    this.queue = [];
    this.writing = true;
    this.o.writer.write(chunk).then(
      () => {
        this.writing = false;
        this.queuedBytes -= chunk.length;
        if (this.queue.length) this.pump();
        else this.drained?.();
      },
      (err: Error) => {
        this.writing = false;
        this.stats.writeError = err.message;
        this.queue = [];
        this.queuedBytes = 0;
        this.drained?.();
      },
    );
  }

  private whenDrained(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = () => {
        if (this.writing || this.queue.length) return;
        this.drained = null;
        resolve();
      };
    });
  }
}
