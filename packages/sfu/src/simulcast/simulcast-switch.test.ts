import { describe, expect, it } from 'vitest';
import { isVp8Keyframe, parseVp8Descriptor, Vp8Descriptor, Vp8PayloadRewriter } from '../codecs/vp8';
import { KeyframeRequester } from '../keyframe/keyframe-requester';
import { ExtensionMap } from '../rtp/header-extensions';
import { RtpRewriter } from '../rtp/rewriter';
import { parseRtp, RtpPacket } from '../rtp/rtp-packet';
import { buildRtp, vp8Payload } from '../testing/rtp-builder';
import { seqDiff } from '../util/seq';
import { LayerSelector, type SimulcastLayer } from './layer-selector';

const layers: SimulcastLayer[] = [0, 1, 2].map((i) => ({ index: i, ssrc: 1000 + i, active: true, bitrateBps: [150e3, 500e3, 1500e3][i], width: 0, height: 0 }));

describe('simulcast switch through LayerSelector + RtpRewriter', () => {
  it('the consumer sees one stream: continuous seq, advancing timestamps and PictureIDs, switch on keyframes only', () => {
    const requested: number[] = [];
    const requester = new KeyframeRequester({ send: (ssrc) => requested.push(ssrc) });
    const selector = new LayerSelector({ keyframeRequester: requester, upHoldMs: 0 });
    const rewriter = new RtpRewriter({
      ssrc: 42, clockRate: 90000, payloadTypes: new Map([[96, 96]]), producerExtensions: new ExtensionMap(), consumerExtensions: new ExtensionMap(),
      payloadRewriter: new Vp8PayloadRewriter(), initialSequenceNumber: 65500, initialTimestamp: 0,
    });
    selector.setAvailableBitrate(600_000, 0);
    selector.setLayers(layers, 0);

    const view = new RtpPacket();
    const desc = new Vp8Descriptor();
    const out: Array<{ seq: number; ts: number; pid: number; key: boolean }> = [];
    // 3 layers, 30 fps, 2 packets per frame; each layer has its own seq/ts/pictureId bases.
    for (let frame = 0; frame < 300; frame++) {
      const now = frame * 33;
      if (frame === 100) selector.setAvailableBitrate(5_000_000, now); // up to h
      if (frame === 200) selector.setAvailableBitrate(200_000, now); // down to l
      selector.tick(now);
      for (const l of layers) {
        const key = frame % 90 === l.index * 30 + 15; // keyframes at different times per layer
        for (let part = 0; part < 2; part++) {
          const buf = buildRtp({
            payloadType: 96, ssrc: l.ssrc, sequenceNumber: (l.index * 20000 + frame * 2 + part) & 0xffff,
            timestamp: (l.index * 1e6 + frame * 3000) >>> 0, marker: part === 1,
            payload: vp8Payload({ pictureId: (l.index * 5000 + frame) & 0x7fff, start: part === 0, keyframe: key && part === 0 }),
          });
          const p = parseRtp(buf, buf.length, view)!;
          const keyframe = isVp8Keyframe(buf, p.payloadOffset, p.payloadLength);
          if (!selector.shouldForward(p.ssrc, keyframe)) continue;
          const r = rewriter.rewrite(p, now)!;
          const q = parseRtp(Buffer.from(r.buffer.subarray(r.offset, r.offset + r.length)))!;
          parseVp8Descriptor(q.buffer, q.payloadOffset, q.payloadLength, desc);
          out.push({ seq: q.sequenceNumber, ts: q.timestamp, pid: desc.pictureId, key: keyframe });
        }
      }
    }
    expect(requested.filter((r, i) => r !== requested[i - 1])).toEqual([1001, 1002, 1000]);
    expect(out[0].key).toBe(true);
    for (let i = 1; i < out.length; i++) {
      expect(seqDiff(out[i].seq, out[i - 1].seq)).toBe(1);
      expect(out[i].ts - out[i - 1].ts).toBeGreaterThanOrEqual(0);
      const dp = (out[i].pid - out[i - 1].pid) & 0x7fff;
      expect(dp === 0 || dp === 1).toBe(true);
    }
    // Every change of layer happened on a keyframe (3 layers seen: m → h → l).
    expect(out.filter((o) => o.key).length).toBeGreaterThanOrEqual(3);
  });
});
