import { describe, expect, it } from 'vitest';
import { Prng } from '../testing/prng';
import { frameRfc4571, Rfc4571Reader } from './rfc4571-framer';

describe('RFC 4571 framing', () => {
  it('gives back exactly the packets sent, however the TCP stream is cut into reads', () => {
    const rng = new Prng(3);
    for (let round = 0; round < 50; round++) {
      const packets = Array.from({ length: 1 + rng.int(20) }, () => rng.bytes(1 + rng.int(1500)));
      if (round === 0) packets.push(rng.bytes(0xffff));
      const stream = Buffer.concat(packets.map(frameRfc4571));
      const reader = new Rfc4571Reader();
      const got: Buffer[] = [];
      for (let at = 0; at < stream.length; ) {
        const n = Math.min(stream.length - at, 1 + rng.int(round % 2 ? 3 : 3000));
        reader.push(stream.subarray(at, at + n), (f) => got.push(Buffer.from(f)));
        at += n;
      }
      expect(got).toEqual(packets);
    }
  });

  it('skips empty frames and refuses to frame more than 65535 bytes', () => {
    const got: Buffer[] = [];
    new Rfc4571Reader().push(Buffer.from([0, 0, 0, 1, 7, 0, 0]), (f) => got.push(Buffer.from(f)));
    expect(got).toEqual([Buffer.from([7])]);
    expect(() => frameRfc4571(Buffer.alloc(0x10000))).toThrow(RangeError);
  });
});
