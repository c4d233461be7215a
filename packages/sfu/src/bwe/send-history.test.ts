import { describe, expect, it } from 'vitest';
import { SendHistory } from './send-history';

describe('SendHistory', () => {
  it('finds what was sent by sequence number, with size, time, cluster and acked flag', () => {
    const h = new SendHistory(16);
    expect(h.lookup(0)).toBeNull(); // an empty record is not sequence number 0
    h.onPacketSent(0, 1200, 10.5);
    h.onPacketSent(1, 70_000, 11.25, 7); // size clamped to 16 bits
    h.onPacketSent(2, 300, 12, 0);
    expect(h.lookup(0)).toEqual({ sendTimeMs: 10.5, size: 1200, alreadyAcked: false, cluster: -1 });
    expect(h.lookup(1)).toEqual({ sendTimeMs: 11.25, size: 0xffff, alreadyAcked: false, cluster: 7 });
    h.markAcked(2);
    expect(h.lookup(2)).toEqual({ sendTimeMs: 12, size: 300, alreadyAcked: true, cluster: 0 });
    expect(h.lookup(3)).toBeNull();
  });

  it('forgets a record once its slot is reused, and keys by the 16-bit number across the wrap', () => {
    const h = new SendHistory(16);
    h.onPacketSent(65535, 100, 1);
    h.onPacketSent(65535 + 16, 200, 2); // same slot, sequence number 15 after the wrap
    expect(h.lookup(65535)).toBeNull();
    expect(h.lookup(15)?.size).toBe(200);
    h.markAcked(65535); // stale: must not mark the newer packet
    expect(h.lookup(15)?.alreadyAcked).toBe(false);
    h.onPacketSent(15, 50, 3);
    expect(h.lookup(15)).toMatchObject({ size: 50, alreadyAcked: false });
  });
});
