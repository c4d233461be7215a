import { describe, expect, it } from 'vitest';
import { buildRtp } from '../testing/rtp-builder';
import {
  looksLikeRtcp,
  parseRtp,
  RtpPacket,
  rtpMarker,
  rtpPayloadType,
  rtpSequenceNumber,
  rtpSsrc,
  rtpTimestamp,
} from './rtp-packet';

const payload = Buffer.from('hello vp8 payload');

describe('parseRtp()', () => {
  it('reads the fixed header fields and finds the payload', () => {
    const buf = buildRtp({ payloadType: 96, sequenceNumber: 0xabcd, timestamp: 0xfedcba98, ssrc: 0x89abcdef, marker: true, payload });
    const p = parseRtp(buf)!;
    expect(p).not.toBeNull();
    expect(p.payloadType).toBe(96);
    expect(p.marker).toBe(true);
    expect(p.sequenceNumber).toBe(0xabcd);
    expect(p.timestamp).toBe(0xfedcba98);
    expect(p.ssrc).toBe(0x89abcdef);
    expect(p.payloadOffset).toBe(12);
    expect(buf.subarray(p.payloadOffset, p.payloadOffset + p.payloadLength)).toEqual(payload);
    expect(p.extensionProfile).toBe(-1);
  });

  it('skips CSRCs before the payload', () => {
    const buf = buildRtp({ payloadType: 111, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [7, 8, 9], payload });
    const p = parseRtp(buf)!;
    expect(p.csrcCount).toBe(3);
    expect(p.payloadOffset).toBe(24);
    expect(p.payloadLength).toBe(payload.length);
  });

  it('excludes padding from the payload and reports its length', () => {
    const buf = buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload, padding: 7 });
    const p = parseRtp(buf)!;
    expect(p.padding).toBe(true);
    expect(p.paddingLength).toBe(7);
    expect(p.payloadLength).toBe(payload.length);
  });

  it('indexes one-byte (0xBEDE) extension elements', () => {
    const buf = buildRtp({
      payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload,
      extensions: [{ id: 1, data: Buffer.from([0x85]) }, { id: 3, data: Buffer.from([0x12, 0x34]) }, { id: 4, data: Buffer.from('video0') }],
    });
    const p = parseRtp(buf)!;
    expect(p.extensionProfile).toBe(0xbede);
    expect(p.extensionCount).toBe(3);
    expect(p.findExtension(3)).toBe(1);
    expect(buf.subarray(p.extensionDataOffset(3), p.extensionDataOffset(3) + p.extensionDataLength(3))).toEqual(Buffer.from([0x12, 0x34]));
    expect(buf.toString('latin1', p.extensionDataOffset(4), p.extensionDataOffset(4) + 6)).toBe('video0');
    expect(p.findExtension(2)).toBe(-1);
    expect(p.payloadLength).toBe(payload.length);
  });

  it('indexes two-byte (0x100X) extension elements, including ids above 14 and empty elements', () => {
    const buf = buildRtp({
      payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload,
      extensions: [{ id: 200, data: Buffer.alloc(20, 1) }, { id: 5, data: Buffer.alloc(0) }, { id: 2, data: Buffer.from([9]) }],
    });
    const p = parseRtp(buf)!;
    expect(p.extensionProfile).toBe(0x1000);
    expect(p.extensionCount).toBe(3);
    expect(p.extensionDataLength(200)).toBe(20);
    expect(p.extensionDataLength(5)).toBe(0);
    expect(buf[p.extensionDataOffset(2)]).toBe(9);
  });

  it('skips padding bytes between one-byte elements and stops at id 15', () => {
    // ext block: [id1 len1: 0x10 0xaa] [pad 0x00] [id2 len1: 0x20 0xbb] [id15 → stop] ...
    const buf = Buffer.concat([
      Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]),
      Buffer.from([0xbe, 0xde, 0, 2, 0x10, 0xaa, 0x00, 0x20, 0xbb, 0xf0, 0x30, 0xcc]),
      payload,
    ]);
    const p = parseRtp(buf)!;
    expect(p.extensionCount).toBe(2);
    expect(buf[p.extensionDataOffset(2)]).toBe(0xbb);
    expect(p.findExtension(3)).toBe(-1);
    expect(p.payloadOffset).toBe(24);
  });

  it('keeps an unknown extension profile as an opaque block', () => {
    const buf = Buffer.concat([Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), Buffer.from([0x12, 0x34, 0, 1, 1, 2, 3, 4]), payload]);
    const p = parseRtp(buf)!;
    expect(p.extensionProfile).toBe(0x1234);
    expect(p.extensionCount).toBe(0);
    expect(p.payloadOffset).toBe(20);
  });

  it('reuses the view it is given instead of allocating', () => {
    const view = new RtpPacket();
    const a = buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, extensions: [{ id: 1, data: Buffer.from([1]) }] });
    const b = buildRtp({ payloadType: 97, sequenceNumber: 4, timestamp: 5, ssrc: 6 });
    expect(parseRtp(a, a.length, view)).toBe(view);
    expect(parseRtp(b, b.length, view)).toBe(view);
    expect(view.payloadType).toBe(97);
    expect(view.extensionCount).toBe(0);
  });

  it('only looks at the first `length` bytes', () => {
    const pkt = buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload });
    const big = Buffer.concat([pkt, Buffer.alloc(100, 0xff)]);
    expect(parseRtp(big, pkt.length)!.payloadLength).toBe(payload.length);
  });

  describe('returns null for malformed input', () => {
    const good = buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload, extensions: [{ id: 1, data: Buffer.from([1, 2]) }] });
    it('shorter than the fixed header', () => expect(parseRtp(good.subarray(0, 11))).toBeNull());
    it('version other than 2', () => {
      const b = Buffer.from(good);
      b[0] = (b[0] & 0x3f) | 0x40;
      expect(parseRtp(b)).toBeNull();
    });
    it('CSRC list overrunning the packet', () => {
      const b = Buffer.from(good.subarray(0, 16));
      b[0] = 0x8f;
      expect(parseRtp(b)).toBeNull();
    });
    it('extension block overrunning the packet', () => {
      const b = Buffer.from(good);
      b[15] = 200;
      expect(parseRtp(b)).toBeNull();
    });
    it('extension header cut off', () => expect(parseRtp(good.subarray(0, 14))).toBeNull());
    it('zero padding count', () => {
      const b = Buffer.from(good);
      b[0] |= 0x20;
      b[b.length - 1] = 0;
      expect(parseRtp(b)).toBeNull();
    });
    it('padding longer than the payload', () => {
      const b = Buffer.from(good);
      b[0] |= 0x20;
      b[b.length - 1] = 250;
      expect(parseRtp(b)).toBeNull();
    });
    it('an RTCP sender report', () => {
      const sr = Buffer.alloc(28);
      sr[0] = 0x80;
      sr[1] = 200;
      expect(parseRtp(sr)).toBeNull();
    });
  });
});

describe('direct field readers', () => {
  it('read sequence, timestamp, ssrc, marker and payload type straight from the buffer', () => {
    const buf = buildRtp({ payloadType: 100, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 0x80000001, marker: true });
    expect(rtpSequenceNumber(buf)).toBe(65535);
    expect(rtpTimestamp(buf)).toBe(0xffffffff);
    expect(rtpSsrc(buf)).toBe(0x80000001);
    expect(rtpMarker(buf)).toBe(true);
    expect(rtpPayloadType(buf)).toBe(100);
  });

  it('looksLikeRtcp() tells RTCP from RTP on a muxed port', () => {
    const rtp = buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, marker: true });
    const rr = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
    expect(looksLikeRtcp(rtp)).toBe(false);
    expect(looksLikeRtcp(rr)).toBe(true);
  });
});
