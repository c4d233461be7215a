import { describe, expect, it } from 'vitest';
import { Vp8Descriptor, Vp8PayloadRewriter, parseVp8Descriptor } from '../codecs/vp8';
import { buildRtp, vp8Payload, type BuiltExtension } from '../testing/rtp-builder';
import { absSendTime, ExtensionMap, RtpExtensionUri } from './header-extensions';
import { RtpRewriter, type RtpRewriterOptions } from './rewriter';
import { parseRtp, RtpPacket } from './rtp-packet';

const producerExt = new ExtensionMap([
  { id: 1, uri: RtpExtensionUri.mid },
  { id: 2, uri: RtpExtensionUri.rtpStreamId },
  { id: 3, uri: RtpExtensionUri.transportWideCc },
  { id: 4, uri: RtpExtensionUri.videoOrientation },
  { id: 5, uri: RtpExtensionUri.playoutDelay },
]);
const consumerExt = new ExtensionMap([
  { id: 7, uri: RtpExtensionUri.videoOrientation },
  { id: 9, uri: RtpExtensionUri.transportWideCc },
  { id: 10, uri: RtpExtensionUri.mid },
]);

function rewriter(over: Partial<RtpRewriterOptions> = {}): RtpRewriter {
  return new RtpRewriter({
    ssrc: 0xc0ffee,
    clockRate: 90000,
    payloadTypes: new Map([[96, 100]]),
    producerExtensions: producerExt,
    consumerExtensions: consumerExt,
    mid: '3',
    initialSequenceNumber: 1000,
    initialTimestamp: 5000,
    ...over,
  });
}

const producerExtensions = (tseq: number): BuiltExtension[] => [
  { id: 1, data: Buffer.from('0') },
  { id: 2, data: Buffer.from('h') },
  { id: 3, data: Buffer.from([tseq >> 8, tseq & 0xff]) },
  { id: 4, data: Buffer.from([0x01]) },
  { id: 5, data: Buffer.from([0, 0, 0]) },
];

function source(ssrc: number, seq: number, ts: number, extra: { payload?: Buffer; marker?: boolean; padding?: number } = {}): RtpPacket {
  const buf = buildRtp({ payloadType: 96, sequenceNumber: seq, timestamp: ts, ssrc, extensions: producerExtensions(seq), payload: extra.payload ?? Buffer.from('payload-bytes'), marker: extra.marker, padding: extra.padding });
  return parseRtp(buf)!;
}

/** Copies the rewriter's output (it is only valid until the next call) and parses it. */
function sent(r: RtpRewriter, p: RtpPacket, nowMs: number, tseq = -1): RtpPacket | null {
  const out = r.rewrite(p, nowMs, tseq);
  if (!out) return null;
  return parseRtp(Buffer.from(out.buffer.subarray(out.offset, out.offset + out.length)));
}

describe('RtpRewriter', () => {
  it('rewrites SSRC, payload type, sequence number and timestamp, and keeps marker and payload', () => {
    const r = rewriter();
    const p = sent(r, source(111, 40000, 123456, { marker: true }), 0)!;
    expect(p.ssrc).toBe(0xc0ffee);
    expect(p.payloadType).toBe(100);
    expect(p.sequenceNumber).toBe(1000);
    expect(p.timestamp).toBe(5000);
    expect(p.marker).toBe(true);
    expect(p.buffer.toString('latin1', p.payloadOffset, p.payloadOffset + p.payloadLength)).toBe('payload-bytes');
  });

  it('keeps gaps and order within one source so the consumer can NACK', () => {
    const r = rewriter();
    expect(sent(r, source(111, 100, 0), 0)!.sequenceNumber).toBe(1000);
    expect(sent(r, source(111, 103, 3000), 10)!.sequenceNumber).toBe(1003);
    expect(sent(r, source(111, 101, 1000), 11)!.sequenceNumber).toBe(1001);
  });

  it('handles the 16-bit wrap of incoming and outgoing sequence numbers', () => {
    const r = rewriter({ initialSequenceNumber: 65534 });
    expect(sent(r, source(111, 65535, 0), 0)!.sequenceNumber).toBe(65534);
    expect(sent(r, source(111, 0, 0), 1)!.sequenceNumber).toBe(65535);
    expect(sent(r, source(111, 1, 0), 2)!.sequenceNumber).toBe(0);
  });

  it('wraps the timestamp modulo 2^32', () => {
    const r = rewriter({ initialTimestamp: 0xffffff00 });
    sent(r, source(111, 1, 1000), 0);
    expect(sent(r, source(111, 2, 1000 + 0x200), 0)!.timestamp).toBe(0x100);
  });

  it('continues sequence numbers and advances timestamps in real time across a source switch', () => {
    const r = rewriter();
    sent(r, source(111, 100, 90000), 0);
    sent(r, source(111, 101, 93000), 33);
    const first = sent(r, source(222, 50000, 7_000_000), 133)!; // 100 ms after the last packet
    expect(first.sequenceNumber).toBe(1002);
    expect(first.timestamp).toBe(5000 + 3000 + 9000);
    const next = sent(r, source(222, 50001, 7_003_000), 166)!;
    expect(next.sequenceNumber).toBe(1003);
    expect(next.timestamp).toBe(5000 + 3000 + 9000 + 3000);
  });

  it('drops packets of the new source older than the switch point (they would reuse sent numbers)', () => {
    const r = rewriter();
    sent(r, source(111, 100, 0), 0);
    sent(r, source(222, 500, 0), 10);
    expect(r.rewrite(source(222, 499, 0), 11)).toBeNull();
    expect(sent(r, source(222, 501, 0), 12)!.sequenceNumber).toBe(1002);
  });

  it('drops packets whose payload type the consumer did not negotiate', () => {
    const r = rewriter();
    const buf = buildRtp({ payloadType: 97, sequenceNumber: 1, timestamp: 1, ssrc: 111 });
    expect(r.rewrite(parseRtp(buf)!, 0)).toBeNull();
  });

  it('remaps copied extensions, drops the ones not negotiated, writes its own mid and transport-wide seq', () => {
    const r = rewriter();
    const p = sent(r, source(111, 1, 0), 0, 0x1234)!;
    expect(p.extensionProfile).toBe(0xbede);
    expect(p.buffer[p.extensionDataOffset(7)]).toBe(0x01); // video orientation moved from id 4 to 7
    expect(p.buffer.toString('latin1', p.extensionDataOffset(10), p.extensionDataOffset(10) + 1)).toBe('3'); // consumer's mid
    const t = p.extensionDataOffset(9);
    expect((p.buffer[t] << 8) | p.buffer[t + 1]).toBe(0x1234);
    expect([...p.extensionIds.subarray(0, p.extensionCount)].sort((a, b) => a - b)).toEqual([7, 9, 10]);
  });

  it('omits the transport-wide seq when none is given, and the whole block when nothing is left', () => {
    const r = rewriter({ consumerExtensions: new ExtensionMap([{ id: 9, uri: RtpExtensionUri.transportWideCc }]), mid: undefined });
    const p = sent(r, source(111, 1, 0), 0)!;
    expect(p.extensionProfile).toBe(-1);
    expect(p.payloadOffset).toBe(12);
  });

  it('writes abs-send-time when the consumer negotiated it', () => {
    const r = rewriter({ consumerExtensions: new ExtensionMap([{ id: 2, uri: RtpExtensionUri.absSendTime }]) });
    const p = sent(r, source(111, 1, 0), 1500)!;
    const o = p.extensionDataOffset(2);
    expect((p.buffer[o] << 16) | (p.buffer[o + 1] << 8) | p.buffer[o + 2]).toBe(absSendTime(1500));
  });

  it('switches to the two-byte form when a consumer id is above 14', () => {
    const r = rewriter({ consumerExtensions: new ExtensionMap([{ id: 20, uri: RtpExtensionUri.videoOrientation }]) });
    const p = sent(r, source(111, 1, 0), 0)!;
    expect(p.extensionProfile).toBe(0x1000);
    expect(p.buffer[p.extensionDataOffset(20)]).toBe(0x01);
  });

  it('keeps CSRCs and padding', () => {
    const r = rewriter();
    const buf = buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 111, csrcs: [42], payload: Buffer.from('abc'), padding: 5 });
    const p = sent(r, parseRtp(buf)!, 0)!;
    expect(p.csrcCount).toBe(1);
    expect(p.buffer.readUInt32BE(12)).toBe(42);
    expect(p.paddingLength).toBe(5);
    expect(p.buffer.toString('latin1', p.payloadOffset, p.payloadOffset + p.payloadLength)).toBe('abc');
  });

  it('reuses one preallocated output buffer for every packet', () => {
    const r = rewriter();
    const a = r.rewrite(source(111, 1, 0), 0)!.buffer;
    const b = r.rewrite(source(111, 2, 0), 0)!.buffer;
    expect(a).toBe(b);
  });

  it('drops a packet that would not fit the output region', () => {
    const r = rewriter();
    const region = { buffer: Buffer.alloc(200), offset: 50, end: 150 };
    expect(r.rewrite(source(111, 1, 0, { payload: Buffer.alloc(100) }), 0, -1, region)).toBeNull();
  });

  it('writes into a caller-given region (e.g. a retransmission-buffer reservation)', () => {
    const r = rewriter();
    const region = { buffer: Buffer.alloc(400, 0xee), offset: 100, end: 400 };
    const out = r.rewrite(source(111, 7, 0), 0, 5, region)!;
    expect(out.buffer).toBe(region.buffer);
    expect(out.offset).toBeGreaterThanOrEqual(100);
    expect(out.offset + out.length).toBeLessThanOrEqual(400);
    expect(region.buffer.subarray(0, 100).every((b) => b === 0xee)).toBe(true);
    const p = parseRtp(Buffer.from(out.buffer.subarray(out.offset, out.offset + out.length)))!;
    expect(p.sequenceNumber).toBe(1000);
    expect(p.buffer.toString('latin1', p.payloadOffset, p.payloadOffset + p.payloadLength)).toBe('payload-bytes');
  });

  it('gives the same bytes whether the source is a whole datagram or a slice of a larger buffer', () => {
    const a = rewriter();
    const b = rewriter();
    const pkt = buildRtp({ payloadType: 96, sequenceNumber: 3, timestamp: 4, ssrc: 111, extensions: producerExtensions(3), payload: Buffer.from('xyz') });
    const big = Buffer.concat([pkt, Buffer.alloc(30, 1)]);
    const x = a.rewrite(parseRtp(pkt)!, 0, 9)!;
    const bx = Buffer.from(x.buffer.subarray(x.offset, x.offset + x.length));
    const y = b.rewrite(parseRtp(big, pkt.length)!, 0, 9)!;
    expect(Buffer.from(y.buffer.subarray(y.offset, y.offset + y.length))).toEqual(bx);
  });

  it('keeps VP8 PictureID continuous across a simulcast switch', () => {
    const r = rewriter({ payloadRewriter: new Vp8PayloadRewriter() });
    const vp8 = (ssrc: number, seq: number, pid: number, key = false) =>
      sent(r, source(ssrc, seq, seq * 3000, { payload: vp8Payload({ pictureId: pid, tl0PicIdx: pid & 0xff, temporalId: 0, start: true, keyframe: key }) }), seq)!;
    const d = new Vp8Descriptor();
    const pid = (p: RtpPacket) => (parseVp8Descriptor(p.buffer, p.payloadOffset, p.payloadLength, d), d.pictureId);
    expect(pid(vp8(111, 10, 300))).toBe(300);
    expect(pid(vp8(111, 11, 301))).toBe(301);
    expect(pid(vp8(222, 900, 9000, true))).toBe(302);
    expect(pid(vp8(222, 901, 9001))).toBe(303);
  });
});
