import { describe, expect, it } from 'vitest';
import { serializeTransportCc } from '../rtcp/transport-cc';
import { parseRtcp } from '../rtcp/parse-rtcp';
import type { TransportCcFeedback } from '../rtcp/rtcp-packets';
import { mean, simulateLink } from '../testing/link-sim';
import { AckedBitrate } from './acked-bitrate';
import { SendHistory } from './send-history';
import { SendSideBwe } from './send-side-bwe';
import { TrendlineEstimator } from './trendline';

describe('SendSideBwe on a simulated bottleneck (TWCC recorder → RTCP → estimator)', () => {
  it('on a steady 2 Mbps link grows from 300 kbps toward the capacity and stays near it', () => {
    const bwe = new SendSideBwe({ initialBitrate: 300_000 });
    const { estimates } = simulateLink({ capacityBps: 2_000_000, propagationMs: 25, durationMs: 60_000, bwe });
    expect(Math.max(...estimates)).toBeGreaterThan(1_800_000);
    const lastTen = mean(estimates, estimates.length - 100);
    expect(lastTen).toBeGreaterThan(1_500_000);
    expect(lastTen).toBeLessThan(2_200_000);
  });

  it('on a congested link (queue delay growing) drops below the capacity', () => {
    const bwe = new SendSideBwe({ initialBitrate: 3_000_000 });
    const { estimates, maxQueueMs } = simulateLink({ capacityBps: 1_000_000, propagationMs: 25, durationMs: 10_000, bwe });
    expect(maxQueueMs).toBeGreaterThan(100); // the delay really grew
    expect(Math.min(...estimates.slice(0, 30))).toBeLessThan(1_000_000);
    expect(mean(estimates, estimates.length - 50)).toBeLessThan(1_150_000);
  });

  it('with 10 % random loss and no queueing drops well below where it started', () => {
    const bwe = new SendSideBwe({ initialBitrate: 2_000_000 });
    const { estimates, maxQueueMs } = simulateLink({ capacityBps: 50_000_000, propagationMs: 25, durationMs: 15_000, bwe, lossRate: 0.1, seed: 7 });
    expect(maxQueueMs).toBe(0);
    expect(bwe.lossRate).toBeGreaterThan(0);
    expect(estimates[estimates.length - 1]).toBeLessThan(1_000_000);
  });

  it('without loss or queueing keeps increasing (capped by what is acknowledged)', () => {
    const bwe = new SendSideBwe({ initialBitrate: 500_000 });
    const { estimates } = simulateLink({ capacityBps: 100_000_000, propagationMs: 10, durationMs: 10_000, bwe });
    expect(estimates[estimates.length - 1]).toBeGreaterThan(800_000);
  });

  it('is capped by the subscriber REMB', () => {
    const bwe = new SendSideBwe({ initialBitrate: 2_000_000 });
    bwe.onRemb(700_000);
    expect(bwe.estimate).toBe(700_000);
  });

  it('counts a packet reported twice (late re-report) only once', () => {
    const bwe = new SendSideBwe({ initialBitrate: 1_000_000 });
    for (let s = 0; s < 30; s++) bwe.onPacketSent(s, 1000, s * 5);
    const fb = parseRtcp(serializeTransportCc({ senderSsrc: 1, mediaSsrc: 2, baseSequence: 0, referenceTime: 1, feedbackPacketCount: 0, deltas: Array<number>(30).fill(20) }))[0] as TransportCcFeedback;
    bwe.onTransportFeedback(fb, 200);
    const acked = bwe.ackedBitrate;
    bwe.onTransportFeedback({ ...fb, feedbackPacketCount: 1 }, 210);
    expect(bwe.ackedBitrate).toBe(acked);
  });

  it('never leaves the configured bounds', () => {
    const bwe = new SendSideBwe({ initialBitrate: 10, minBitrate: 100_000, maxBitrate: 200_000 });
    expect(bwe.estimate).toBe(100_000);
    bwe.onRemb(50_000_000);
    expect(bwe.estimate).toBeLessThanOrEqual(200_000);
  });
});

describe('TrendlineEstimator', () => {
  function feed(growthMsPerPacket: number): TrendlineEstimator {
    const t = new TrendlineEstimator();
    for (let k = 0; k < 200; k++) t.onPacket(k * 10, 50 + k * 10 + Math.max(0, k - 20) * growthMsPerPacket);
    return t;
  }
  it('stays normal when the one-way delay is constant', () => expect(feed(0).state).toBe('normal'));
  it('signals overuse when the delay keeps growing', () => expect(feed(1).state).toBe('overusing'));
  it('signals underuse when the delay keeps shrinking', () => expect(feed(-0.5).state).toBe('underusing'));
});

describe('AckedBitrate', () => {
  it('is 0 until 100 ms of arrivals are known, then bytes over the window', () => {
    const a = new AckedBitrate(500);
    a.add(0, 1000);
    a.add(50, 1000);
    expect(a.bitrate).toBe(0);
    for (let t = 100; t <= 1000; t += 10) a.add(t, 1250);
    expect(a.bitrate).toBeCloseTo(1_000_000, -4);
  });
});

describe('SendHistory', () => {
  it('finds recent packets and forgets overwritten ones', () => {
    const h = new SendHistory(16);
    h.onPacketSent(3, 1200, 10);
    expect(h.lookup(3)).toMatchObject({ sendTimeMs: 10, size: 1200, alreadyAcked: false });
    h.markAcked(3);
    expect(h.lookup(3)!.alreadyAcked).toBe(true);
    h.onPacketSent(19, 100, 20); // same slot
    expect(h.lookup(3)).toBeNull();
    expect(h.lookup(4)).toBeNull();
  });
});
