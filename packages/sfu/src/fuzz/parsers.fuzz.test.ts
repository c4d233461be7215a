import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SendSideBwe } from '../bwe/send-side-bwe';
import { isH264Keyframe } from '../codecs/h264';
import { parseVp8Descriptor, Vp8Descriptor, Vp8PayloadRewriter } from '../codecs/vp8';
import { NackGenerator } from '../nack/nack-generator';
import { RetransmissionBuffer } from '../nack/retransmission-buffer';
import { parseRtcp } from '../rtcp/parse-rtcp';
import { ExtensionMap, RtpExtensionUri } from '../rtp/header-extensions';
import { RtpRewriter } from '../rtp/rewriter';
import { parseRtp, RtpPacket } from '../rtp/rtp-packet';
import { Prng } from '../testing/prng';
import { TwccRecorder } from '../twcc/twcc-recorder';
import { mutate, noise, rtcpSeeds, rtpSeeds, sameWithGarbageTail } from './fuzz-corpus';

const CASES = 20_000;

/** Cheap per-case check; the expect() (with its diff) only runs for a failing case. */
function expectAllEqual(results: [unknown, unknown, unknown], input: Buffer): void {
  if (isDeepStrictEqual(results[0], results[1]) && isDeepStrictEqual(results[0], results[2])) return;
  expect({ input: input.toString('hex'), zeroTail: results[1], onesTail: results[2] }).toEqual({ input: input.toString('hex'), zeroTail: results[0], onesTail: results[0] });
}

/** Inputs: mutations of valid seeds and pure noise, deterministic per seed. */
function* inputs(seed: number, seeds: Buffer[], n = CASES): Generator<Buffer> {
  const rng = new Prng(seed);
  for (let i = 0; i < n; i++) yield rng.next() < 0.85 ? mutate(rng, seeds[rng.int(seeds.length)]) : noise(rng);
}

function snapshotRtp(p: RtpPacket | null): unknown {
  if (!p) return null;
  const n = p.extensionCount;
  return {
    length: p.length, padding: p.paddingLength, marker: p.marker, pt: p.payloadType, seq: p.sequenceNumber, ts: p.timestamp, ssrc: p.ssrc,
    cc: p.csrcCount, profile: p.extensionProfile, extOff: p.extensionOffset, extLen: p.extensionLength, off: p.payloadOffset, len: p.payloadLength,
    ids: [...p.extensionIds.subarray(0, n)], offs: [...p.extensionOffsets.subarray(0, n)], lens: [...p.extensionLengths.subarray(0, n)],
  };
}

describe('fuzz harness', () => {
  it('detects a parser that reads one byte past the end', () => {
    const [exact, zeros, ones] = sameWithGarbageTail(Buffer.from([1, 2, 3]), (buf, len) => buf[len], (r) => r);
    expect(isDeepStrictEqual(exact, zeros) && isDeepStrictEqual(exact, ones)).toBe(false);
  });
});

describe('fuzz: parsers never throw, never read out of bounds, always return consistent views', () => {
  it(`parseRtp() on ${CASES} mutated and random datagrams`, () => {
    const view = new RtpPacket();
    let valid = 0;
    for (const input of inputs(1, rtpSeeds())) {
      expectAllEqual(sameWithGarbageTail(input, (buf, len) => parseRtp(buf, len, view), snapshotRtp), input);
      const p = parseRtp(input, input.length, view);
      if (!p) continue;
      valid++;
      let consistent = p.payloadOffset + p.payloadLength + p.paddingLength === input.length && p.payloadLength >= 0;
      for (let i = 0; i < p.extensionCount; i++) {
        consistent &&= p.extensionOffsets[i] >= p.extensionOffset && p.extensionOffsets[i] + p.extensionLengths[i] <= p.extensionOffset + p.extensionLength;
      }
      if (!consistent) expect(snapshotRtp(p)).toBe(`consistent view of ${input.toString('hex')}`);
    }
    expect(valid).toBeGreaterThan(CASES / 10); // the mutations still reach deep into the parser
  });

  it(`parseRtcp() on ${CASES} mutated and random compound packets`, () => {
    let packets = 0;
    for (const input of inputs(2, rtcpSeeds())) {
      expectAllEqual(sameWithGarbageTail(input, parseRtcp, (r) => r), input);
      const parsed = parseRtcp(input);
      packets += parsed.length;
      for (const p of parsed) {
        if (p.type === 'transport-cc') {
          for (const d of p.deltas) if (d !== null) expect(Number.isInteger(d)).toBe(true);
        }
        if (p.type === 'nack') for (const s of p.sequenceNumbers) expect(s).toBeLessThanOrEqual(0xffff);
      }
    }
    expect(packets).toBeGreaterThan(CASES / 4);
  });

  it('VP8 descriptor and H264 keyframe detection on random payload slices', () => {
    const rng = new Prng(3);
    const d = new Vp8Descriptor();
    for (const input of inputs(3, rtpSeeds(), 10_000)) {
      const offset = rng.int(input.length + 1);
      const length = rng.int(input.length - offset + 1);
      const slice = (buf: Buffer) => buf.subarray(0, offset + length);
      expectAllEqual(sameWithGarbageTail(slice(input), (buf) => (parseVp8Descriptor(buf, offset, length, d) ? { ...d } : null), (r) => r), input);
      expectAllEqual(sameWithGarbageTail(slice(input), (buf) => isH264Keyframe(buf, offset, length), (r) => r), input);
    }
  });
});

describe('fuzz: the per-packet machinery survives hostile input', () => {
  it('RtpRewriter + VP8 rewriter: every output stays inside its buffer and re-parses', () => {
    const ext = new ExtensionMap([
      { id: 1, uri: RtpExtensionUri.audioLevel },
      { id: 3, uri: RtpExtensionUri.transportWideCc },
      { id: 4, uri: RtpExtensionUri.mid },
      { id: 200, uri: RtpExtensionUri.videoOrientation },
    ]);
    const consumer = new ExtensionMap([
      { id: 2, uri: RtpExtensionUri.audioLevel },
      { id: 5, uri: RtpExtensionUri.transportWideCc },
      { id: 6, uri: RtpExtensionUri.mid },
      { id: 7, uri: RtpExtensionUri.videoOrientation },
    ]);
    // Every producer type maps to a dynamic type (96..127): 72..76 with the marker would read as RTCP.
    const pts = new Map(Array.from({ length: 128 }, (_, i) => [i, 96 + (i % 32)] as [number, number]));
    const r = new RtpRewriter({ ssrc: 1, clockRate: 90000, payloadTypes: pts, producerExtensions: ext, consumerExtensions: consumer, mid: 'x', payloadRewriter: new Vp8PayloadRewriter() });
    const view = new RtpPacket();
    let out = 0;
    let t = 0;
    for (const input of inputs(4, rtpSeeds())) {
      const p = parseRtp(input, input.length, view);
      if (!p) continue;
      const w = r.rewrite(p, (t += 7), t & 0xffff);
      if (!w) continue;
      out++;
      expect(w.offset + w.length).toBeLessThanOrEqual(w.buffer.length);
      const q = parseRtp(Buffer.from(w.buffer.subarray(w.offset, w.offset + w.length)));
      expect(q).not.toBeNull();
      expect(q!.payloadLength).toBe(p.payloadLength);
    }
    expect(out).toBeGreaterThan(100);
  });

  it('RetransmissionBuffer stores and retransmits arbitrary datagrams without throwing', () => {
    const rb = new RetransmissionBuffer({ slabSize: 8192, maxPackets: 64, rtx: { ssrc: 9, payloadType: 97 }, transportWideCcId: 3 });
    const rng = new Prng(5);
    let t = 0;
    for (const input of inputs(5, rtpSeeds(), 10_000)) {
      rb.store({ buffer: input, offset: 0, length: input.length }, (t += 1));
      const v = rb.retransmit(rng.int(65536), t, rng.int(65536)) ?? (input.length >= 12 ? rb.retransmit(input.readUInt16BE(2), t, 1) : null);
      if (v) expect(v.offset + v.length).toBeLessThanOrEqual(v.buffer.length);
    }
  });

  it('RetransmissionBuffer never returns bytes other than the ones committed for that sequence number', () => {
    const rng = new Prng(8);
    const rb = new RetransmissionBuffer({ slabSize: 16 * 1024, maxPackets: 256 });
    const committed = new Map<number, Buffer>();
    const seeds = rtpSeeds();
    for (let i = 0; i < 20_000; i++) {
      const pkt = Buffer.concat([seeds[rng.int(seeds.length)], rng.bytes(rng.int(1200))]);
      const seq = i & 0xffff;
      pkt.writeUInt16BE(seq, 2);
      const region = rb.reserve(pkt.length + rng.int(300));
      if (!region) continue;
      const at = region.offset + rng.int(region.end - region.offset - pkt.length + 1);
      pkt.copy(region.buffer, at);
      if (rng.next() < 0.9) {
        rb.commit(at, pkt.length, i);
        committed.set(seq, pkt);
      } else committed.delete(seq);
      for (let k = 0; k < 3; k++) {
        const probe = (i - rng.int(400)) & 0xffff;
        const v = rb.get(probe, i);
        if (!v) continue;
        const got = v.buffer.subarray(v.offset, v.offset + v.length);
        if (!committed.get(probe)?.equals(got)) expect({ probe, got: got.toString('hex') }).toEqual({ probe, got: committed.get(probe)?.toString('hex') });
      }
    }
  });

  it('NackGenerator, TwccRecorder and SendSideBwe stay bounded under random sequence numbers and times', () => {
    const rng = new Prng(6);
    const nack = new NackGenerator({ maxMissing: 300 });
    const twcc = new TwccRecorder({ senderSsrc: 1, historySize: 1024 });
    const bwe = new SendSideBwe({ minBitrate: 30_000, maxBitrate: 10_000_000 });
    let seq = 0;
    for (let i = 0; i < 20_000; i++) {
      const jump = rng.next() < 0.05 ? rng.int(65536) : rng.int(5) - 1;
      seq = (seq + jump) & 0xffff;
      const t = i * 2 + rng.int(50);
      nack.onPacket(seq, t);
      twcc.record(seq, t * 1000 + (rng.next() < 0.01 ? rng.int(20_000_000) - 10_000_000 : 0));
      bwe.onPacketSent(seq, 1 + rng.int(1500), t);
      if (i % 50 === 0) {
        expect(nack.getNackList(t, rng.int(300)).length).toBeLessThanOrEqual(300);
        for (const buf of twcc.buildFeedback()) {
          const [fb] = parseRtcp(buf);
          expect(fb?.type).toBe('transport-cc');
          if (fb?.type === 'transport-cc') bwe.onTransportFeedback(fb, t);
        }
        expect(Number.isFinite(bwe.estimate)).toBe(true);
        expect(bwe.estimate).toBeGreaterThanOrEqual(30_000);
        expect(bwe.estimate).toBeLessThanOrEqual(10_000_000);
      }
    }
    expect(nack.missingCount).toBeLessThanOrEqual(300);
  });

  it('SendSideBwe digests arbitrary parsed transport-cc feedback', () => {
    const bwe = new SendSideBwe();
    for (let s = 0; s < 65536; s += 3) bwe.onPacketSent(s, 1200, s);
    let t = 0;
    for (const input of inputs(7, rtcpSeeds(), 5000)) {
      for (const p of parseRtcp(input)) if (p.type === 'transport-cc') bwe.onTransportFeedback(p, (t += 10));
      expect(Number.isFinite(bwe.estimate)).toBe(true);
    }
  });
});
