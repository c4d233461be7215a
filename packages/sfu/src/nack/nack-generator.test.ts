import { describe, expect, it } from 'vitest';
import { NackGenerator } from './nack-generator';

describe('NackGenerator', () => {
  it('asks for the packets missing in a gap', () => {
    const g = new NackGenerator();
    g.onPacket(10, 0);
    g.onPacket(14, 1);
    expect(g.getNackList(2)).toEqual([11, 12, 13]);
  });

  it('stops asking for a packet once it arrives (retransmitted or reordered)', () => {
    const g = new NackGenerator();
    g.onPacket(10, 0);
    g.onPacket(13, 1);
    g.onPacket(11, 2);
    expect(g.getNackList(3)).toEqual([12]);
    g.onPacket(12, 4);
    expect(g.getNackList(500)).toEqual([]);
    expect(g.missingCount).toBe(0);
  });

  it('re-asks no sooner than one RTT later', () => {
    const g = new NackGenerator();
    g.onPacket(1, 0);
    g.onPacket(3, 0);
    expect(g.getNackList(0, 80)).toEqual([2]);
    expect(g.getNackList(50, 80)).toEqual([]);
    expect(g.getNackList(80, 80)).toEqual([2]);
  });

  it('gives up after maxRetries requests and asks for a keyframe', () => {
    let keyframes = 0;
    const g = new NackGenerator({ maxRetries: 3, onKeyframeRequired: () => keyframes++ });
    g.onPacket(1, 0);
    g.onPacket(3, 0);
    const sent = [0, 100, 200, 300, 400].map((t) => g.getNackList(t, 50).length);
    expect(sent).toEqual([1, 1, 1, 0, 0]);
    expect(keyframes).toBe(1);
  });

  it('forgets packets older than maxAgeMs', () => {
    const g = new NackGenerator({ maxAgeMs: 500 });
    g.onPacket(1, 0);
    g.onPacket(3, 0);
    expect(g.getNackList(600)).toEqual([]);
    expect(g.missingCount).toBe(0);
  });

  it('waits reorderDelayMs before the first request', () => {
    const g = new NackGenerator({ reorderDelayMs: 10 });
    g.onPacket(1, 0);
    g.onPacket(3, 0);
    expect(g.getNackList(5)).toEqual([]);
    expect(g.getNackList(10)).toEqual([2]);
  });

  it('handles the 16-bit wrap', () => {
    const g = new NackGenerator();
    g.onPacket(65534, 0);
    g.onPacket(2, 1);
    expect(g.getNackList(2)).toEqual([65535, 0, 1]);
  });

  it('clears the list and asks for a keyframe when a gap is larger than it can track', () => {
    let keyframes = 0;
    const g = new NackGenerator({ maxMissing: 100, onKeyframeRequired: () => keyframes++ });
    g.onPacket(1, 0);
    g.onPacket(500, 1);
    expect(g.getNackList(2)).toEqual([]);
    expect(keyframes).toBe(1);
  });

  it('keeps the newest losses when the list overflows', () => {
    let keyframes = 0;
    const g = new NackGenerator({ maxMissing: 5, onKeyframeRequired: () => keyframes++ });
    g.onPacket(0, 0);
    g.onPacket(4, 0); // 1, 2, 3 missing
    g.onPacket(8, 0); // 5, 6, 7 missing → 6 > 5
    expect(g.getNackList(1)).toEqual([2, 3, 5, 6, 7]);
    expect(keyframes).toBe(1);
  });

  it('ignores duplicates and old packets without creating gaps', () => {
    const g = new NackGenerator();
    g.onPacket(100, 0);
    g.onPacket(100, 0);
    g.onPacket(90, 0);
    g.onPacket(101, 0);
    expect(g.getNackList(1)).toEqual([]);
  });
});
