import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesCmKeystream } from './aes-cm';
import { KeystreamWindow, writeRtpIv } from './keystream-window';

/** The keystream of one packet computed alone, the reference the window must equal. */
function alone(ctr: AesCmKeystream, salt: Buffer, ssrc: number, index: number, bytes: number): Buffer {
  const iv = Buffer.alloc(16);
  writeRtpIv(iv, 0, salt, ssrc, index);
  return ctr.keystream(iv, bytes).subarray(0, bytes);
}

describe('KeystreamWindow', () => {
  const key = randomBytes(16);
  const salt = randomBytes(14);
  const ssrc = 0xdeadbeef;

  it('serves consecutive packets the same keystream as encrypting each alone, across a rollover', () => {
    const ctr = new AesCmKeystream(key);
    const window = new KeystreamWindow(ctr, 8);
    const sizes = [1000, 1180, 200, 1200, 90, 1200];
    for (let i = 0; i < 60; i++) {
      const index = 0xfff0 + i; // crosses seq 65535 → ROC 1
      const bytes = sizes[i % sizes.length];
      const at = window.offsetFor(salt, ssrc, index, bytes);
      expect(at, `index ${index}`).toBeGreaterThanOrEqual(0);
      expect(window.data.subarray(at, at + bytes), `index ${index}`).toEqual(alone(ctr, salt, ssrc, index, bytes));
    }
  });

  it('sends older packets (retransmissions) and oversized ones to the one-packet path', () => {
    const window = new KeystreamWindow(new AesCmKeystream(key), 8);
    expect(window.offsetFor(salt, ssrc, 500, 100)).toBe(0);
    expect(window.offsetFor(salt, ssrc, 499, 100)).toBe(-1);
    expect(window.offsetFor(salt, ssrc, 501, 5000)).toBe(-1);
    // A forward jump (a resumed consumer) refills from the new index.
    expect(window.offsetFor(salt, ssrc, 900, 100)).toBe(0);
    expect(window.offsetFor(salt, ssrc, 901, 100)).toBe(((100 + 15) >> 4) * 16); // second packet of the window: one 7-block stride in
  });

  it('writes the RFC 3711 IV: salt XOR SSRC << 64 XOR index << 16', () => {
    const iv = Buffer.alloc(16);
    writeRtpIv(iv, 0, Buffer.alloc(14), 0x01020304, 0x0a0b0c0d0e0f);
    expect(iv.toString('hex')).toBe('00000000010203040a0b0c0d0e0f0000');
  });
});
