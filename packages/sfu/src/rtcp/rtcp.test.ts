import { describe, expect, it } from 'vitest';
import { parseRtcp } from './parse-rtcp';
import type { ReportBlock, RtcpPacket } from './rtcp-packets';
import { nackItems, serializeCompound, serializeNack, serializeRemb, serializeRtcp } from './serialize-rtcp';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const block: ReportBlock = {
  ssrc: 0x11223344, fractionLost: 25, packetsLost: -3, highestSequence: 0x0001fffe,
  jitter: 1234, lastSenderReport: 0xaabbccdd, delaySinceLastSenderReport: 65536,
};

describe('RTCP serialize → parse round trips', () => {
  const packets: RtcpPacket[] = [
    { type: 'sr', ssrc: 1, ntpSeconds: 0xe8000000, ntpFraction: 0x80000000, rtpTimestamp: 0xfffffff0, packetCount: 1000, octetCount: 1_000_000, reports: [block] },
    { type: 'sr', ssrc: 2, ntpSeconds: 1, ntpFraction: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5, reports: [] },
    { type: 'rr', ssrc: 3, reports: [block, { ...block, ssrc: 9, packetsLost: 8_000_000 }] },
    { type: 'nack', senderSsrc: 4, mediaSsrc: 5, sequenceNumbers: [100, 101, 116, 117, 200] },
    { type: 'pli', senderSsrc: 6, mediaSsrc: 7 },
    { type: 'fir', senderSsrc: 8, entries: [{ ssrc: 9, sequenceNumber: 3 }, { ssrc: 10, sequenceNumber: 255 }] },
    { type: 'remb', senderSsrc: 11, bitrate: 2_500_000 - (2_500_000 % 16), ssrcs: [12, 13] },
    { type: 'bye', ssrcs: [14, 15] },
    { type: 'transport-cc', senderSsrc: 16, mediaSsrc: 17, baseSequence: 65535, referenceTime: 0xffffff, feedbackPacketCount: 255, deltas: [0, null, 255, 256, -1] },
  ];

  for (const p of packets) {
    it(`${p.type} round-trips`, () => {
      const buf = serializeRtcp(p);
      expect(buf.length % 4).toBe(0);
      expect((buf.readUInt16BE(2) + 1) * 4).toBe(buf.length);
      expect(parseRtcp(buf)).toEqual([p]);
    });
  }

  it('a compound packet parses into all of its parts, in order', () => {
    expect(parseRtcp(serializeCompound(packets))).toEqual(packets);
  });
});

describe('parseRtcp()', () => {
  it('reads a hand-built receiver report', () => {
    const rr = hex('81 c9 0007 00000001  11223344 19 fffffd 0001fffe 000004d2 aabbccdd 00010000');
    expect(parseRtcp(rr)).toEqual([{ type: 'rr', ssrc: 1, reports: [block] }]);
  });

  it('reads a hand-built generic NACK: PID 100 with BLP bits 0 and 15 → 100, 101, 116', () => {
    const nack = hex('81 cd 0003 00000004 00000005 0064 8001');
    expect(parseRtcp(nack)).toEqual([{ type: 'nack', senderSsrc: 4, mediaSsrc: 5, sequenceNumbers: [100, 101, 116] }]);
  });

  it('reads a hand-built REMB: exponent 3, mantissa 0x3d090 = 250000 → 2 Mbps', () => {
    const remb = hex('8f ce 0005 0000000b 00000000 52454d42 01 0f d0 90 0000000c');
    expect(parseRtcp(remb)).toEqual([{ type: 'remb', senderSsrc: 11, bitrate: 2_000_000, ssrcs: [12] }]);
  });

  it('skips SDES and APP packets but keeps what follows', () => {
    const sdes = hex('81 ca 0002 00000001 01 01 41 00');
    const app = hex('80 cc 0002 00000001 41424344');
    const pli = hex('81 ce 0002 00000006 00000007');
    expect(parseRtcp(Buffer.concat([sdes, app, pli]))).toEqual([{ type: 'pli', senderSsrc: 6, mediaSsrc: 7 }]);
  });

  it('reads a BYE with a reason', () => {
    const bye = hex('81 cb 0003 00000001 04 62796521 000000');
    expect(parseRtcp(bye)).toEqual([{ type: 'bye', ssrcs: [1], reason: 'bye!' }]);
  });

  it('honours the padding bit of a packet', () => {
    const pli = hex('a1 ce 0003 00000006 00000007 00000004');
    expect(parseRtcp(pli)).toEqual([{ type: 'pli', senderSsrc: 6, mediaSsrc: 7 }]);
  });

  it('skips a PSFB application packet that is not REMB and unknown feedback formats', () => {
    const afb = hex('8f ce 0003 00000001 00000000 41424344');
    const tmmbr = hex('83 cd 0002 00000001 00000002');
    expect(parseRtcp(Buffer.concat([afb, tmmbr]))).toEqual([]);
  });

  it('stops at a length field that overruns the datagram and returns what came before', () => {
    const pli = hex('81 ce 0002 00000006 00000007');
    const broken = hex('81 c9 00ff 00000001');
    expect(parseRtcp(Buffer.concat([pli, broken]))).toEqual([{ type: 'pli', senderSsrc: 6, mediaSsrc: 7 }]);
  });

  it('skips a report whose count claims more blocks than it holds', () => {
    expect(parseRtcp(hex('83 c9 0001 00000001'))).toEqual([]);
  });

  it('returns nothing for a datagram that is not RTCP', () => {
    expect(parseRtcp(hex('00 00 00 00'))).toEqual([]);
    expect(parseRtcp(Buffer.alloc(0))).toEqual([]);
  });
});

describe('nackItems()', () => {
  it('groups sequence numbers into PID + bitmask items, across the 16-bit wrap', () => {
    expect(nackItems([17, 65535, 0, 1, 15, 16])).toEqual([[65535, 0b1000000000000011], [16, 0b1]]);
  });

  it('serializeNack() writes one item per group', () => {
    expect(serializeNack({ senderSsrc: 1, mediaSsrc: 2, sequenceNumbers: [5, 7, 30] }).length).toBe(12 + 8);
  });
});

describe('serializeRemb()', () => {
  it('rounds a bitrate that needs more than 18 mantissa bits down to what fits', () => {
    const parsed = parseRtcp(serializeRemb({ senderSsrc: 1, bitrate: 123_456_789, ssrcs: [] }))[0];
    expect(parsed.type).toBe('remb');
    if (parsed.type === 'remb') {
      expect(parsed.bitrate).toBeLessThanOrEqual(123_456_789);
      expect(parsed.bitrate).toBeGreaterThan(123_456_789 * 0.9999);
    }
  });
});
