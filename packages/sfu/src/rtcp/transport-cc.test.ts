import { describe, expect, it } from 'vitest';
import { Prng } from '../testing/prng';
import { parseRtcp } from './parse-rtcp';
import type { TransportCcFeedback } from './rtcp-packets';
import { parseTransportCc, serializeTransportCc, twccArrivalTimesUs } from './transport-cc';

const common = { senderSsrc: 0x01020304, mediaSsrc: 0x0a0b0c0d, referenceTime: 0x123456, feedbackPacketCount: 7 };
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const fixedHeader = (byte0: string, words: string, base: string, count: string) =>
  `${byte0} cd ${words} 01020304 0a0b0c0d ${base} ${count} 123456 07`;

describe('transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)', () => {
  it('encodes mixed statuses with a large negative delta as a 2-bit status vector and pads to 32 bits', () => {
    // seq 10 small 4, 11 lost, 12 small 16, 13 large -4 → one 2-bit chunk 01 00 01 10 (0xD180),
    // deltas 04 10 fffc: 26 bytes + 2 padding bytes, P bit set, last byte = 2, length 28/4-1 = 6.
    const expected = hex(`${fixedHeader('af', '0006', '000a', '0004')} d180 04 10 fffc 00 02`);
    const buf = serializeTransportCc({ ...common, baseSequence: 10, deltas: [4, null, 16, -4] });
    expect(buf.toString('hex')).toBe(expected.toString('hex'));
    expect(parseRtcp(expected)).toEqual([{ type: 'transport-cc', ...common, baseSequence: 10, deltas: [4, null, 16, -4] }]);
  });

  it('encodes the spec 1-bit status vector example (0x9F1C)', () => {
    // 1x not received, 5x received, 3x not received, 3x received, 2x not received.
    const deltas = [null, 1, 2, 3, 4, 5, null, null, null, 6, 7, 8, null, null];
    const expected = hex(`${fixedHeader('af', '0007', 'fffe', '000e')} 9f1c 0102030405060708 0002`);
    const buf = serializeTransportCc({ ...common, baseSequence: 0xfffe, deltas });
    expect(buf.toString('hex')).toBe(expected.toString('hex'));
    expect(parseRtcp(expected)[0]).toEqual({ type: 'transport-cc', ...common, baseSequence: 0xfffe, deltas });
  });

  it('encodes runs with run-length chunks, including the spec example of 24 lost packets (0x0018)', () => {
    const deltas = [...Array<number>(20).fill(2), ...Array<null>(24).fill(null), 9];
    // chunks: 20 received-small (0x2014), 24 lost (0x0018), 1 received-small (0x2001); 21 deltas; 47 + 1 padding.
    const expected = hex(`${fixedHeader('af', '000b', '0064', '002d')} 2014 0018 2001 ${'02'.repeat(20)} 09 01`);
    const buf = serializeTransportCc({ ...common, baseSequence: 100, deltas });
    expect(buf.toString('hex')).toBe(expected.toString('hex'));
    expect(parseRtcp(buf)[0]).toEqual({ type: 'transport-cc', ...common, baseSequence: 100, deltas });
  });

  it('needs no padding when the packet already ends on a 32-bit boundary', () => {
    const buf = serializeTransportCc({ ...common, baseSequence: 1, deltas: [1, 2] }); // 20 + 2 + 2
    expect(buf.length).toBe(24);
    expect(buf[0] & 0x20).toBe(0);
    expect(buf.readUInt16BE(2)).toBe(5);
  });

  it('always produces a whole number of words with the length field counting the padding', () => {
    for (let n = 1; n < 40; n++) {
      const buf = serializeTransportCc({ ...common, baseSequence: 0, deltas: Array.from({ length: n }, (_, k) => (k % 3 === 0 ? 300 : k)) });
      expect(buf.length % 4).toBe(0);
      expect((buf.readUInt16BE(2) + 1) * 4).toBe(buf.length);
    }
  });

  it('round-trips random feedback (losses, small, large and negative deltas)', () => {
    const rng = new Prng(42);
    for (let iter = 0; iter < 300; iter++) {
      const n = 1 + rng.int(iter < 250 ? 60 : 3000);
      const deltas: Array<number | null> = [];
      for (let k = 0; k < n; k++) {
        const r = rng.next();
        deltas.push(r < 0.2 ? null : r < 0.85 ? rng.int(256) : rng.int(65536) - 32768);
      }
      if (!deltas.some((d) => d !== null)) deltas[0] = 0;
      const fb: TransportCcFeedback = { type: 'transport-cc', ...common, baseSequence: rng.int(65536), deltas };
      const buf = serializeTransportCc(fb);
      expect(parseRtcp(buf)).toEqual([fb]);
    }
  });

  it('refuses to encode a delta that does not fit 16 bits', () => {
    expect(() => serializeTransportCc({ ...common, baseSequence: 0, deltas: [40000] })).toThrow(RangeError);
  });

  it('reconstructs arrival times from the reference time (64 ms units) and 250 µs deltas', () => {
    const fb = parseRtcp(serializeTransportCc({ ...common, referenceTime: 10, baseSequence: 5, deltas: [4, null, 8, -2] }))[0] as TransportCcFeedback;
    expect([...twccArrivalTimesUs(fb)]).toEqual([640_000 + 1000, Number.NaN, 640_000 + 3000, 640_000 + 2500]);
  });

  describe('parsing rejects', () => {
    const good = serializeTransportCc({ ...common, baseSequence: 10, deltas: [4, null, 16, -4] });
    it('a packet cut inside its deltas', () => expect(parseTransportCc(good, 0, 24)).toBeNull());
    it('a packet cut inside its chunks', () => expect(parseTransportCc(good, 0, 21)).toBeNull());
    it('a zero status count', () => {
      const b = Buffer.from(good);
      b.writeUInt16BE(0, 14);
      expect(parseTransportCc(b, 0, b.length)).toBeNull();
    });
    it('a status count far larger than the packet could describe', () => {
      const b = Buffer.from(good);
      b.writeUInt16BE(0xffff, 14);
      expect(parseTransportCc(b, 0, b.length)).toBeNull();
    });
    it('the reserved 2-bit symbol 11', () => {
      const b = Buffer.from(good);
      b.writeUInt16BE(0xf000, 20);
      expect(parseTransportCc(b, 0, b.length)).toBeNull();
    });
  });
});
