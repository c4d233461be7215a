import { describe, expect, it } from 'vitest';
import { isH264Keyframe } from './h264';

const check = (bytes: number[]) => isH264Keyframe(Buffer.from(bytes), 0, bytes.length);

describe('isH264Keyframe()', () => {
  it('detects a single IDR or SPS NAL unit', () => {
    expect(check([0x65, 0x88, 0x84])).toBe(true); // IDR (type 5)
    expect(check([0x67, 0x42, 0xe0, 0x1f])).toBe(true); // SPS (type 7)
    expect(check([0x41, 0x9a])).toBe(false); // non-IDR slice (type 1)
    expect(check([0x68, 0xce])).toBe(false); // PPS alone
  });

  it('detects an SPS inside a STAP-A aggregate', () => {
    // STAP-A: [0x18] [size=4][SPS...] [size=2][PPS...]
    expect(check([0x18, 0, 4, 0x67, 0x42, 0xe0, 0x1f, 0, 2, 0x68, 0xce])).toBe(true);
    expect(check([0x18, 0, 2, 0x06, 0x05, 0, 2, 0x41, 0x9a])).toBe(false);
  });

  it('rejects a STAP-A whose NAL sizes overrun the payload', () => {
    expect(check([0x18, 0, 40, 0x67, 0x42])).toBe(false);
  });

  it('detects the first FU-A fragment of an IDR only', () => {
    expect(check([0x7c, 0x85, 0x88])).toBe(true); // FU-A, S bit, type 5
    expect(check([0x7c, 0x05, 0x88])).toBe(false); // middle fragment
    expect(check([0x7c, 0x81, 0x88])).toBe(false); // start of a non-IDR slice
    expect(check([0x7c])).toBe(false); // truncated
  });

  it('is false for an empty payload', () => expect(check([])).toBe(false));
});
