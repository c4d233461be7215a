import { describe, expect, it } from 'vitest';
import { QualityMeter, inboundStats, loudest, packetTotals, qualityFrom, roundTripTime } from './media-stats';

const report = new Map<string, Record<string, unknown>>([
  ['a', { id: 'a', type: 'inbound-rtp', kind: 'video', mid: '1', packetsReceived: 900, packetsLost: 10, bytesReceived: 5000, framesDecoded: 120, frameWidth: 320, frameHeight: 180 }],
  ['b', { id: 'b', type: 'inbound-rtp', kind: 'audio', mid: '2', packetsReceived: 100, packetsLost: -1, bytesReceived: 900, audioLevel: 0.3 }],
  ['c', { id: 'c', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.04 }],
]);

describe('media-stats', () => {
  it('reads inbound streams, totals and the round-trip time from a stats report', () => {
    const s = inboundStats(report);
    expect(s[0]).toMatchObject({ kind: 'video', mid: '1', framesDecoded: 120, frameWidth: 320 });
    expect(s[1]).toMatchObject({ kind: 'audio', packetsLost: 0, audioLevel: 0.3 });
    expect(packetTotals(report)).toEqual({ received: 1000, lost: 10 });
    expect(roundTripTime(report)).toBe(0.04);
    expect(roundTripTime([{ type: 'remote-inbound-rtp', roundTripTime: 0.3 }])).toBe(0.3);
    expect(inboundStats(null)).toEqual([]);
  });

  it('quality: good, fair and poor by loss and RTT; unknown without data', () => {
    expect(qualityFrom(undefined, undefined)).toBe('unknown');
    expect(qualityFrom(0.001, 0.05)).toBe('good');
    expect(qualityFrom(0.03, 0.05)).toBe('fair');
    expect(qualityFrom(0, 0.3)).toBe('fair');
    expect(qualityFrom(0.1, 0.05)).toBe('poor');
    expect(qualityFrom(0, 0.8)).toBe('poor');
  });

  it('the meter changes level only when the new one holds for two samples', () => {
    const m = new QualityMeter();
    expect(m.sample({ received: 0, lost: 0 }, 0.02)).toBe('good');
    expect(m.sample({ received: 100, lost: 20 }, 0.02)).toBe('good'); // one bad interval
    expect(m.sample({ received: 200, lost: 40 }, 0.02)).toBe('poor');
    expect(m.sample({ received: 400, lost: 40 }, 0.02)).toBe('poor');
    expect(m.sample({ received: 600, lost: 40 }, 0.02)).toBe('good');
  });

  it('loudest picks the participant above the threshold', () => {
    expect(loudest(new Map([['a', 0.01], ['b', 0.2], ['c', 0.1]]))).toBe('b');
    expect(loudest(new Map([['a', 0.01]]))).toBeNull();
  });
});
