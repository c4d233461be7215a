/**
 * Reading WebRTC statistics (RTCStatsReport or anything iterable of stats dictionaries) into what
 * the room shows: connection quality from loss and round-trip time, per-track receive counters
 * (frames decoded, packets received, resolution) and audio levels for an active-speaker fallback.
 * Pure functions over plain records, so they are tested without a browser.
 */
import type { ConnectionQuality } from '@podium/protocol';

/** One stats dictionary (RTCStats and its subtypes). */
export type StatsRecord = Record<string, unknown> & { type?: string; id?: string };

/** Anything getStats() resolves with: RTCStatsReport (a Map-like) or a plain array. */
export type StatsLike = Iterable<StatsRecord> | { forEach(cb: (s: StatsRecord) => void): void } | Map<string, StatsRecord>;

/** The records of a stats report as an array. */
export function statsRecords(report: StatsLike | null | undefined): StatsRecord[] {
  if (!report) return [];
  const out: StatsRecord[] = [];
  if (typeof (report as Map<string, StatsRecord>).values === 'function' && report instanceof Map) {
    for (const v of report.values()) out.push(v);
    return out;
  }
  if (typeof (report as { forEach?: unknown }).forEach === 'function') {
    (report as { forEach(cb: (s: StatsRecord) => void): void }).forEach((s) => out.push(s));
    return out;
  }
  for (const s of report as Iterable<StatsRecord>) out.push(s);
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Receive counters of one inbound track (by the id of its receiving track, or its mid). */
export interface InboundTrackStats {
  kind: 'audio' | 'video';
  mid?: string;
  trackIdentifier?: string;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  audioLevel?: number;
}

/** Inbound RTP streams of a report. */
export function inboundStats(report: StatsLike | null | undefined): InboundTrackStats[] {
  return statsRecords(report)
    .filter((s) => s.type === 'inbound-rtp')
    .map((s) => ({
      kind: (s.kind === 'audio' ? 'audio' : 'video') as 'audio' | 'video',
      ...(typeof s.mid === 'string' ? { mid: s.mid } : {}),
      ...(typeof s.trackIdentifier === 'string' ? { trackIdentifier: s.trackIdentifier } : {}),
      packetsReceived: num(s.packetsReceived) ?? 0,
      packetsLost: Math.max(0, num(s.packetsLost) ?? 0),
      bytesReceived: num(s.bytesReceived) ?? 0,
      ...(num(s.framesDecoded) !== undefined ? { framesDecoded: num(s.framesDecoded) } : {}),
      ...(num(s.frameWidth) !== undefined ? { frameWidth: num(s.frameWidth) } : {}),
      ...(num(s.frameHeight) !== undefined ? { frameHeight: num(s.frameHeight) } : {}),
      ...(num(s.audioLevel) !== undefined ? { audioLevel: num(s.audioLevel) } : {}),
    }));
}

/** Round-trip time of the selected candidate pair, seconds (or remote-inbound reports'), if known. */
export function roundTripTime(report: StatsLike | null | undefined): number | undefined {
  const records = statsRecords(report);
  const pair = records.find((s) => s.type === 'candidate-pair' && (s.nominated === true || s.selected === true) && s.state === 'succeeded')
    ?? records.find((s) => s.type === 'candidate-pair' && s.state === 'succeeded');
  const rtt = num(pair?.currentRoundTripTime);
  if (rtt !== undefined) return rtt;
  const remote = records.filter((s) => s.type === 'remote-inbound-rtp').map((s) => num(s.roundTripTime)).filter((x): x is number => x !== undefined);
  return remote.length ? Math.max(...remote) : undefined;
}

/** Packets received and lost so far over all inbound streams (plus what remote reports say of our sending). */
export function packetTotals(report: StatsLike | null | undefined): { received: number; lost: number } {
  let received = 0;
  let lost = 0;
  for (const s of statsRecords(report)) {
    if (s.type === 'inbound-rtp') {
      received += num(s.packetsReceived) ?? 0;
      lost += Math.max(0, num(s.packetsLost) ?? 0);
    }
  }
  return { received, lost };
}

/** The quality a participant sees: from the loss over the last interval and the round-trip time. */
export function qualityFrom(lossFraction: number | undefined, rttSeconds: number | undefined): ConnectionQuality {
  if (lossFraction === undefined && rttSeconds === undefined) return 'unknown';
  const loss = lossFraction ?? 0;
  const rtt = rttSeconds ?? 0;
  if (loss >= 0.08 || rtt >= 0.5) return 'poor';
  if (loss >= 0.02 || rtt >= 0.25) return 'fair';
  return 'good';
}

/**
 * Follows loss between successive reports and turns it into a quality level, changing only when
 * the new level holds for two samples in a row (so one bad second does not flap everyone's list).
 */
export class QualityMeter {
  private last: { received: number; lost: number } | null = null;
  private candidate: ConnectionQuality | null = null;
  private current: ConnectionQuality = 'unknown';

  /** The level now. */
  get quality(): ConnectionQuality {
    return this.current;
  }

  /** Takes a new sample (totals from packetTotals, rtt in seconds); returns the level, maybe changed. */
  sample(totals: { received: number; lost: number } | null, rttSeconds: number | undefined): ConnectionQuality {
    let loss: number | undefined;
    if (totals && this.last) {
      const dr = totals.received - this.last.received;
      const dl = totals.lost - this.last.lost;
      if (dr + dl > 20) loss = Math.max(0, dl) / (dr + Math.max(0, dl));
    }
    if (totals) this.last = totals;
    const level = qualityFrom(loss, rttSeconds);
    if (level === 'unknown') return this.current;
    if (this.current === 'unknown') {
      this.current = level;
    } else if (level !== this.current) {
      if (this.candidate === level) {
        this.current = level;
        this.candidate = null;
      } else this.candidate = level;
    } else this.candidate = null;
    return this.current;
  }
}

/**
 * Picks the loudest of the audio levels (0–1 per participant) above a speaking threshold, or
 * null when nobody speaks: the fallback when the server sends no active-speaker events.
 */
export function loudest(levels: ReadonlyMap<string, number>, threshold = 0.05): string | null {
  let best: string | null = null;
  let level = threshold;
  for (const [id, l] of levels) {
    if (l > level) {
      best = id;
      level = l;
    }
  }
  return best;
}
