/**
 * Keyframe-request throttling: however many consumers ask (new viewers, layer switches, losses), a
 * producer stream receives at most one PLI/FIR per interval. A request inside the interval is
 * remembered and fires when the interval has passed, unless a keyframe arrived in the meantime.
 */

/** The RTCP message to send to the publisher. */
export type KeyframeRequest = { kind: 'pli' } | { kind: 'fir'; sequenceNumber: number };

/** Options of a KeyframeRequester. */
export interface KeyframeRequesterOptions {
  /** Sends the request for stream `ssrc` (e.g. as RTCP PLI or FIR to the publisher). */
  send: (ssrc: number, request: KeyframeRequest) => void;
  /** Minimum time between two requests for one stream. Default 500 ms. */
  intervalMs?: number;
  /** Use FIR (RFC 5104) instead of PLI. Default false. */
  useFir?: boolean;
}

interface StreamState {
  lastSentMs: number;
  pending: boolean;
  firSeq: number;
}

/** Per-producer (or per-router) keyframe-request throttle, keyed by stream SSRC (see file comment). */
export class KeyframeRequester {
  private readonly send: (ssrc: number, request: KeyframeRequest) => void;
  private readonly intervalMs: number;
  private readonly useFir: boolean;
  private readonly streams = new Map<number, StreamState>();

  /** Creates a throttle with no history. */
  constructor(options: KeyframeRequesterOptions) {
    this.send = options.send;
    this.intervalMs = options.intervalMs ?? 500;
    this.useFir = options.useFir ?? false;
  }

  /** Asks for a keyframe on `ssrc`: sent now when the interval allows, otherwise remembered. Returns true when sent. */
  request(ssrc: number, nowMs: number): boolean {
    let s = this.streams.get(ssrc);
    if (!s) {
      s = { lastSentMs: Number.NEGATIVE_INFINITY, pending: false, firSeq: 0 };
      this.streams.set(ssrc, s);
    }
    if (nowMs - s.lastSentMs >= this.intervalMs) {
      this.fire(ssrc, s, nowMs);
      return true;
    }
    s.pending = true;
    return false;
  }

  /** A keyframe arrived on `ssrc`: a remembered request is satisfied. */
  onKeyframe(ssrc: number): void {
    const s = this.streams.get(ssrc);
    if (s) s.pending = false;
  }

  /** True when a request for `ssrc` waits for the interval to pass. */
  isPending(ssrc: number): boolean {
    return this.streams.get(ssrc)?.pending ?? false;
  }

  /** Fires remembered requests whose interval has passed (call from a timer, e.g. every 50–100 ms). */
  poll(nowMs: number): void {
    for (const [ssrc, s] of this.streams) if (s.pending && nowMs - s.lastSentMs >= this.intervalMs) this.fire(ssrc, s, nowMs);
  }

  /** Forgets a stream that went away. */
  remove(ssrc: number): void {
    this.streams.delete(ssrc);
  }

  private fire(ssrc: number, s: StreamState, nowMs: number): void {
    s.lastSentMs = nowMs;
    s.pending = false;
    if (this.useFir) {
      s.firSeq = (s.firSeq + 1) & 0xff;
      this.send(ssrc, { kind: 'fir', sequenceNumber: s.firSeq });
    } else this.send(ssrc, { kind: 'pli' });
  }
}
