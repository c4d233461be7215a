import { describe, expect, it } from 'vitest';
import { parseRtcp } from '../rtcp/parse-rtcp';
import type { TransportCcFeedback } from '../rtcp/rtcp-packets';
import { TWCC_DELTA_TICK_US, twccArrivalTimesUs } from '../rtcp/transport-cc';
import { TwccRecorder } from './twcc-recorder';

function feedbacks(r: TwccRecorder): TransportCcFeedback[] {
  return r.buildFeedback().map((buf) => {
    expect(buf.length % 4).toBe(0);
    expect((buf.readUInt16BE(2) + 1) * 4).toBe(buf.length);
    const parsed = parseRtcp(buf);
    expect(parsed).toHaveLength(1);
    return parsed[0] as TransportCcFeedback;
  });
}

/** seq → arrival µs (NaN when reported lost), from a list of feedback packets. */
function reported(fbs: TransportCcFeedback[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const fb of fbs) twccArrivalTimesUs(fb).forEach((t, k) => m.set((fb.baseSequence + k) & 0xffff, t));
  return m;
}

const rounded = (us: number) => Math.round(us / TWCC_DELTA_TICK_US) * TWCC_DELTA_TICK_US;

describe('TwccRecorder', () => {
  it('reports every packet with its arrival time to 250 µs, relative to a 64 ms reference time', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    const t0 = 1_000_123_457;
    for (let k = 0; k < 20; k++) r.record(100 + k, t0 + k * 5_111, 0xabc);
    const [fb, ...rest] = feedbacks(r);
    expect(rest).toHaveLength(0);
    expect(fb.baseSequence).toBe(100);
    expect(fb.deltas).toHaveLength(20);
    expect(fb.referenceTime).toBe(Math.floor(t0 / 64_000));
    expect(fb.mediaSsrc).toBe(0xabc);
    const times = twccArrivalTimesUs(fb);
    // Each time is the arrival rounded to a tick: no drift, no 0–64 ms shift.
    for (let k = 0; k < 20; k++) expect(times[k]).toBe(rounded(t0 + k * 5_111));
  });

  it('produces nothing when nothing arrived since the last feedback', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    expect(r.buildFeedback()).toEqual([]);
    r.record(1, 1000);
    expect(r.buildFeedback()).toHaveLength(1);
    expect(r.buildFeedback()).toEqual([]);
  });

  it('reports lost packets as not received', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    [1, 2, 5, 6].forEach((s) => r.record(s, s * 1000));
    const [fb] = feedbacks(r);
    expect(fb.deltas.map((d) => d !== null)).toEqual([true, true, false, false, true, true]);
  });

  it('continues where the previous feedback ended, and counts feedback packets modulo 256', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    const counts: number[] = [];
    for (let k = 0; k < 260; k++) {
      r.record(k, k * 1000);
      const [fb] = feedbacks(r);
      expect(fb.baseSequence).toBe(k);
      expect(fb.deltas).toHaveLength(1);
      counts.push(fb.feedbackPacketCount);
    }
    expect(counts.slice(254, 258)).toEqual([254, 255, 0, 1]);
  });

  it('handles the wrap of the transport sequence number', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    for (let k = 0; k < 12; k++) r.record((65530 + k) & 0xffff, k * 1000);
    const [fb] = feedbacks(r);
    expect(fb.baseSequence).toBe(65530);
    expect(fb.deltas).toHaveLength(12);
    expect(reported([fb]).get(5)).toBe(11_000);
  });

  it('reports reordered packets with negative deltas', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    r.record(10, 100_000);
    r.record(12, 101_000);
    r.record(11, 102_000);
    const m = reported(feedbacks(r));
    expect([m.get(10), m.get(11), m.get(12)]).toEqual([100_000, 102_000, 101_000]);
  });

  it('re-reports a late packet that arrives after the feedback that called it lost', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    r.record(1, 1000);
    r.record(3, 3000);
    expect(reported(feedbacks(r)).get(2)).toBeNaN();
    r.record(2, 9000);
    r.record(4, 10_000);
    const [fb] = feedbacks(r);
    expect(fb.baseSequence).toBe(2);
    const m = reported([fb]);
    expect(m.get(2)).toBe(9000);
    expect(m.get(4)).toBe(10_000);
  });

  it('starts a new feedback packet when a delta does not fit 16 bits (a pause over 8 s)', () => {
    const r = new TwccRecorder({ senderSsrc: 1 });
    r.record(1, 0);
    r.record(2, 10_000_000);
    const fbs = feedbacks(r);
    expect(fbs).toHaveLength(2);
    const m = reported(fbs);
    expect(m.get(1)).toBe(0);
    expect(m.get(2)).toBe(10_000_000);
  });

  it('splits a large backlog into packets under the size limit, reporting each packet once', () => {
    const r = new TwccRecorder({ senderSsrc: 1, maxFeedbackBytes: 300 });
    for (let k = 0; k < 3000; k++) if (k % 10 !== 3) r.record(k, k * 400 + (k % 7) * 900);
    const bufs = r.buildFeedback();
    expect(bufs.length).toBeGreaterThan(5);
    for (const b of bufs) expect(b.length).toBeLessThanOrEqual(300);
    const fbs = bufs.map((b) => parseRtcp(b)[0] as TransportCcFeedback);
    const seen = fbs.flatMap((fb) => fb.deltas.map((_, k) => fb.baseSequence + k));
    expect(new Set(seen).size).toBe(seen.length);
    const m = reported(fbs);
    for (let k = 0; k < 3000; k++) {
      if (k % 10 === 3) expect(m.get(k)).toBeNaN();
      else expect(m.get(k)).toBe(rounded(k * 400 + (k % 7) * 900));
    }
  });

  it('keeps bounded memory: packets older than the history are ignored', () => {
    const r = new TwccRecorder({ senderSsrc: 1, historySize: 64 });
    for (let k = 0; k < 200; k++) r.record(k, k * 1000);
    const fbs = feedbacks(r);
    const seqs = fbs.flatMap((fb) => fb.deltas.map((_, k) => fb.baseSequence + k));
    expect(Math.min(...seqs)).toBe(200 - 64);
    r.record(10, 1); // far too old
    expect(r.buildFeedback()).toEqual([]);
  });
});
