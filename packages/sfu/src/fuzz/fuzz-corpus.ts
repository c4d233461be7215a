/**
 * Seeded fuzz-input generation: valid RTP/RTCP seeds and mutations (truncation, bit flips, byte
 * overwrites, insertions, splices) plus pure noise. Deterministic: the same seed gives the same cases.
 */
import { serializeCompound } from '../rtcp/serialize-rtcp';
import { serializeTransportCc } from '../rtcp/transport-cc';
import type { Prng } from '../testing/prng';
import { buildRtp, vp8Payload } from '../testing/rtp-builder';

/** A handful of valid RTP packets covering CSRCs, both extension forms, padding and VP8 payloads. */
export function rtpSeeds(): Buffer[] {
  return [
    buildRtp({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: vp8Payload({ pictureId: 1234, tl0PicIdx: 5, temporalId: 1, start: true, keyframe: true }) }),
    buildRtp({ payloadType: 111, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 0xffffffff, marker: true, csrcs: [1, 2], payload: Buffer.alloc(40, 7) }),
    buildRtp({ payloadType: 96, sequenceNumber: 9, timestamp: 9, ssrc: 9, extensions: [{ id: 1, data: Buffer.from([0x90]) }, { id: 3, data: Buffer.from([1, 2]) }, { id: 4, data: Buffer.from('abc') }], payload: Buffer.alloc(100, 1) }),
    buildRtp({ payloadType: 97, sequenceNumber: 9, timestamp: 9, ssrc: 9, extensions: [{ id: 200, data: Buffer.alloc(20, 2) }, { id: 2, data: Buffer.alloc(0) }], payload: Buffer.from([0x7c, 0x85, 1, 2]), padding: 9 }),
    buildRtp({ payloadType: 102, sequenceNumber: 5, timestamp: 5, ssrc: 5, payload: Buffer.from([0x18, 0, 2, 0x67, 0x42, 0, 1, 0x65]) }),
  ];
}

/** Valid RTCP datagrams of every type we parse, single and compound. */
export function rtcpSeeds(): Buffer[] {
  const block = { ssrc: 1, fractionLost: 2, packetsLost: -3, highestSequence: 4, jitter: 5, lastSenderReport: 6, delaySinceLastSenderReport: 7 };
  return [
    serializeCompound([
      { type: 'sr', ssrc: 1, ntpSeconds: 2, ntpFraction: 3, rtpTimestamp: 4, packetCount: 5, octetCount: 6, reports: [block] },
      { type: 'nack', senderSsrc: 1, mediaSsrc: 2, sequenceNumbers: [1, 2, 3, 40, 65535] },
      { type: 'pli', senderSsrc: 1, mediaSsrc: 2 },
    ]),
    serializeCompound([
      { type: 'rr', ssrc: 1, reports: [block, block] },
      { type: 'remb', senderSsrc: 1, bitrate: 1_234_567, ssrcs: [1, 2, 3] },
      { type: 'fir', senderSsrc: 1, entries: [{ ssrc: 5, sequenceNumber: 6 }] },
      { type: 'bye', ssrcs: [1] },
    ]),
    serializeTransportCc({ senderSsrc: 1, mediaSsrc: 2, baseSequence: 65530, referenceTime: 77, feedbackPacketCount: 3, deltas: [1, null, 300, -5, null, null, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 255] }),
    serializeTransportCc({ senderSsrc: 1, mediaSsrc: 2, baseSequence: 0, referenceTime: 1, feedbackPacketCount: 0, deltas: [...Array<number>(30).fill(4), ...Array<null>(100).fill(null), 1] }),
  ];
}

/** One mutated copy of `seed`. */
export function mutate(rng: Prng, seed: Buffer): Buffer {
  let b = Buffer.from(seed);
  const ops = 1 + rng.int(4);
  for (let k = 0; k < ops; k++) {
    switch (rng.int(6)) {
      case 0: // truncate
        b = b.subarray(0, rng.int(b.length + 1));
        break;
      case 1: // bit flips
        for (let f = 1 + rng.int(8); f > 0 && b.length > 0; f--) b[rng.int(b.length)] ^= 1 << rng.int(8);
        break;
      case 2: // overwrite a byte with a boundary value
        if (b.length > 0) b[rng.int(b.length)] = [0, 1, 0x7f, 0x80, 0xfe, 0xff][rng.int(6)];
        break;
      case 3: // insert random bytes
        {
          const at = rng.int(b.length + 1);
          b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(16)), b.subarray(at)]);
        }
        break;
      case 4: // splice two halves of itself
        {
          const at = rng.int(b.length + 1);
          b = Buffer.concat([b.subarray(at), b.subarray(0, at)]);
        }
        break;
      default: // append garbage
        b = Buffer.concat([b, rng.bytes(rng.int(32))]);
    }
  }
  return Buffer.from(b);
}

/** Random bytes, often with an RTP/RTCP-looking first byte so parsing goes deeper than the version check. */
export function noise(rng: Prng): Buffer {
  const b = rng.bytes(rng.int(200));
  if (b.length > 0 && rng.next() < 0.8) b[0] = 0x80 | (b[0] & 0x3f);
  if (b.length > 1 && rng.next() < 0.5) b[1] = 200 + rng.int(7);
  return b;
}

/**
 * Runs `parse` on the exact-size input and on copies followed by 0x00 and 0xFF tails, with the
 * same logical length: any read at or past the end would see different bytes and change the result.
 */
export function sameWithGarbageTail<T>(input: Buffer, parse: (buf: Buffer, length: number) => T, snapshot: (r: T) => unknown): [unknown, unknown, unknown] {
  const exact = snapshot(parse(Buffer.from(input), input.length));
  const zeros = Buffer.concat([input, Buffer.alloc(64, 0x00)]);
  const ones = Buffer.concat([input, Buffer.alloc(64, 0xff)]);
  return [exact, snapshot(parse(zeros, input.length)), snapshot(parse(ones, input.length))];
}
