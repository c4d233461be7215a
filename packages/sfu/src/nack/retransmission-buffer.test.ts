import { describe, expect, it } from 'vitest';
import { buildRtp } from '../testing/rtp-builder';
import { parseRtp } from '../rtp/rtp-packet';
import { RetransmissionBuffer } from './retransmission-buffer';

const packet = (seq: number, size = 100, padding = 0) =>
  buildRtp({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 10, ssrc: 0xaaaa, marker: true, extensions: [{ id: 3, data: Buffer.from([0, 0]) }], payload: Buffer.alloc(size, seq & 0xff), padding });

const view = (buffer: Buffer) => ({ buffer, offset: 0, length: buffer.length });
const bytesOf = (v: { buffer: Buffer; offset: number; length: number }) => Buffer.from(v.buffer.subarray(v.offset, v.offset + v.length));

describe('RetransmissionBuffer', () => {
  it('returns exactly the bytes stored for a NACKed sequence number', () => {
    const rb = new RetransmissionBuffer();
    const p = packet(500);
    rb.store(view(p), 0);
    expect(bytesOf(rb.get(500, 10)!)).toEqual(p);
  });

  it('copies into its slab: later changes to the caller buffer do not matter', () => {
    const rb = new RetransmissionBuffer();
    const p = packet(1);
    rb.store(view(p), 0);
    const copy = Buffer.from(p);
    p.fill(0);
    expect(bytesOf(rb.get(1, 0)!)).toEqual(copy);
  });

  it('returns null for unknown and too-old packets', () => {
    const rb = new RetransmissionBuffer({ maxAgeMs: 500 });
    const p = packet(7);
    rb.store(view(p), 0);
    expect(rb.get(8, 0)).toBeNull();
    expect(rb.get(7, 501)).toBeNull();
  });

  it('returns null for packets whose bytes the slab has since overwritten', () => {
    const rb = new RetransmissionBuffer({ slabSize: 4096, maxPackets: 1024 });
    for (let s = 0; s < 100; s++) {
      const p = packet(s, 200);
      rb.store(view(p), 0);
    }
    expect(rb.get(0, 0)).toBeNull();
    expect(bytesOf(rb.get(99, 0)!)).toEqual(packet(99, 200));
    let available = 0;
    for (let s = 0; s < 100; s++) if (rb.get(s, 0)) available++;
    expect(available).toBeGreaterThan(10);
    expect(available).toBeLessThan(4096 / 200 + 1);
  });

  it('returns null once the index slot is reused by a newer sequence number', () => {
    const rb = new RetransmissionBuffer({ maxPackets: 16 });
    const a = packet(1);
    const b = packet(17);
    rb.store(view(a), 0);
    rb.store(view(b), 0);
    expect(rb.get(1, 0)).toBeNull();
    expect(rb.get(17, 0)).not.toBeNull();
  });

  it('writes a fresh transport-wide sequence number into a plain retransmission', () => {
    const rb = new RetransmissionBuffer({ transportWideCcId: 3 });
    const p = packet(9);
    rb.store(view(p), 0);
    const out = parseRtp(bytesOf(rb.retransmit(9, 0, 0x4321)!))!;
    const o = out.extensionDataOffset(3);
    expect((out.buffer[o] << 8) | out.buffer[o + 1]).toBe(0x4321);
    expect(out.sequenceNumber).toBe(9);
  });

  it('wraps as RTX: RTX ssrc, pt and own sequence, original seq first in the payload, no padding', () => {
    const rb = new RetransmissionBuffer({ rtx: { ssrc: 0xbbbb, payloadType: 97, initialSequenceNumber: 65535 }, transportWideCcId: 3 });
    const p = packet(1234, 50, 4);
    rb.store(view(p), 0);
    const first = parseRtp(bytesOf(rb.retransmit(1234, 0, 77)!))!;
    expect(first.ssrc).toBe(0xbbbb);
    expect(first.payloadType).toBe(97);
    expect(first.marker).toBe(true);
    expect(first.sequenceNumber).toBe(65535);
    expect(first.timestamp).toBe(12340);
    expect(first.padding).toBe(false);
    expect(first.payloadLength).toBe(52);
    expect(first.buffer.readUInt16BE(first.payloadOffset)).toBe(1234);
    expect(first.buffer.subarray(first.payloadOffset + 2, first.payloadOffset + 52)).toEqual(Buffer.alloc(50, 1234 & 0xff));
    const o = first.extensionDataOffset(3);
    expect((first.buffer[o] << 8) | first.buffer[o + 1]).toBe(77);
    const second = parseRtp(bytesOf(rb.retransmit(1234, 0)!))!;
    expect(second.sequenceNumber).toBe(0);
  });

  it('stores a sub-range of a larger buffer', () => {
    const rb = new RetransmissionBuffer();
    const p = packet(42);
    rb.store({ buffer: Buffer.concat([Buffer.alloc(7, 9), p, Buffer.alloc(5, 9)]), offset: 7, length: p.length }, 0);
    expect(bytesOf(rb.get(42, 0)!)).toEqual(p);
  });

  it('zero-copy: the rewriter writes into a reserved region which commit() indexes', () => {
    const rb = new RetransmissionBuffer({ slabSize: 4096 });
    for (let s = 0; s < 40; s++) {
      const p = packet(s, 150 + s * 7);
      const r = rb.reserve(p.length + 64)!;
      const at = r.offset + 10; // a writer may start anywhere inside the region
      p.copy(r.buffer, at);
      rb.commit(at, p.length, 0);
      expect(bytesOf(rb.get(s, 0)!)).toEqual(p);
    }
  });

  it('a reservation that is never committed forgets the packets it overwrote', () => {
    const rb = new RetransmissionBuffer({ slabSize: 2048 });
    for (let s = 0; s < 8; s++) rb.store(view(packet(s, 200)), 0);
    expect(rb.get(0, 0)).not.toBeNull();
    rb.reserve(1500); // wraps onto the oldest packets; the writer then drops its packet
    expect(rb.get(0, 0)).toBeNull();
    expect(rb.get(7, 0)).not.toBeNull();
  });

  it('never splits a packet across the end of the slab', () => {
    const rb = new RetransmissionBuffer({ slabSize: 2048 });
    for (let s = 0; s < 50; s++) {
      const p = packet(s, 300 + (s % 5) * 37);
      rb.store(view(p), 0);
      expect(bytesOf(rb.get(s, 0)!)).toEqual(p);
    }
  });
});
