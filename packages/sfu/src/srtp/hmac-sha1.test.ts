import { readFileSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1CompressSource } from '../../scripts/generate-sha1-compress';
import { Prng } from '../testing/prng';
import { HmacSha1 } from './hmac-sha1';

const hex = (s: string) => Buffer.from(s, 'hex');

function mac(key: Buffer, data: Buffer, tagLength = 20): string {
  const out = Buffer.alloc(tagLength);
  new HmacSha1(key).sign(data, 0, data.length, out, 0, tagLength);
  return out.toString('hex');
}

describe('HmacSha1 (RFC 2104)', () => {
  it('gives the RFC 2202 test-case digests', () => {
    expect(mac(Buffer.alloc(20, 0x0b), Buffer.from('Hi There'))).toBe('b617318655057264e28bc0b6fb378c8ef146be00');
    expect(mac(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(mac(Buffer.alloc(20, 0xaa), Buffer.alloc(50, 0xdd))).toBe('125d7342b9ac11cd91a39af48aa17b4f63f175d3');
    expect(mac(hex('0102030405060708090a0b0c0d0e0f10111213141516171819'), Buffer.alloc(50, 0xcd))).toBe('4c9007f4026250c6bc8414f9bf50c86c2d7235da');
    expect(mac(Buffer.alloc(20, 0x0c), Buffer.from('Test With Truncation'), 12)).toBe('4c1a03424b55e07fe7f27be1');
    expect(mac(Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'))).toBe('aa4ae5e15272d00e95705637ce8a3b55ed402112');
    expect(mac(Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'))).toBe('e8e99d0f45237d786d6bbaa7965c7808bbff1a91');
  });

  it('equals node:crypto on random keys and messages of every length around the block boundaries', () => {
    const rng = new Prng(7);
    for (let len = 0; len <= 300; len++) {
      const key = rng.bytes(1 + (len % 90));
      const data = rng.bytes(len);
      expect(mac(key, data), `length ${len}`).toBe(createHmac('sha1', key).update(data).digest('hex'));
    }
    for (const len of [1199, 1200, 1210, 1214, 4096, 65535]) {
      const key = randomBytes(20);
      const data = randomBytes(len);
      expect(mac(key, data)).toBe(createHmac('sha1', key).update(data).digest('hex'));
    }
  });

  it('streams: any split of the message into updates gives the same MAC, from unaligned slices of shared buffers too', () => {
    const rng = new Prng(11);
    const key = rng.bytes(20);
    const hmac = new HmacSha1(key);
    for (let round = 0; round < 200; round++) {
      const len = rng.int(1500);
      const slab = rng.bytes(len + 37);
      const start = rng.int(37);
      const data = slab.subarray(start, start + len);
      const expected = createHmac('sha1', key).update(data).digest();
      hmac.begin();
      let at = 0;
      while (at < len) {
        const n = Math.min(len - at, rng.int(130));
        hmac.update(slab, start + at, n);
        at += n;
      }
      const out = Buffer.alloc(26);
      hmac.finish(out, 3, 20);
      expect(out.subarray(3, 23)).toEqual(expected);
      // The same object is reusable and verifies in constant time.
      hmac.begin();
      hmac.update(data, 0, len);
      expect(hmac.verifyFinish(expected, 0, 10)).toBe(true);
      const wrong = Buffer.from(expected);
      wrong[round % 10] ^= 1;
      hmac.begin();
      hmac.update(data, 0, len);
      expect(hmac.verifyFinish(wrong, 0, 10)).toBe(false);
    }
  });

  it('writes its tag over its own input (SRTP puts the ROC where the tag goes)', () => {
    const key = randomBytes(20);
    const packet = Buffer.concat([randomBytes(1000), Buffer.from([0, 0, 0, 7]), Buffer.alloc(6)]);
    const expected = createHmac('sha1', key).update(packet.subarray(0, 1004)).digest().subarray(0, 10);
    new HmacSha1(key).sign(packet, 0, 1004, packet, 1000, 10);
    expect(packet.subarray(1000, 1010)).toEqual(expected);
  });
});

describe('sha1-compress.generated.ts', () => {
  it('is what the generator writes (regenerate with scripts/generate-sha1-compress.ts)', () => {
    const file = readFileSync(new URL('./sha1-compress.generated.ts', import.meta.url), 'utf8');
    expect(file).toBe(sha1CompressSource());
  });
});
