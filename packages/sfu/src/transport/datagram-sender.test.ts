import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SrtpProfile } from '../srtp/srtp-profile';
import { SrtpSession } from '../srtp/srtp-session';
import { buildRtp } from '../testing/rtp-builder';
import { DatagramSender } from './datagram-sender';
import { bindUdpSocket } from './udp-port';

/**
 * A socket that behaves like libuv's UDP send path: a send goes to the "kernel" at once (bytes
 * copied) while the kernel has room and nothing is queued; otherwise it is queued with a REFERENCE
 * to the caller's buffer, and its bytes are read only when the queue drains (drain()).
 */
class LibuvLikeSocket {
  delivered: Buffer[] = [];
  private queued: Array<{ buf: Buffer; offset: number; length: number }> = [];
  private kernelRoom: number;

  constructor(private readonly kernelCapacity: number) {
    this.kernelRoom = kernelCapacity;
  }

  send(buf: Buffer, offset: number, length: number): void {
    if (this.queued.length === 0 && this.kernelRoom > 0) {
      this.kernelRoom--;
      this.delivered.push(Buffer.from(buf.subarray(offset, offset + length)));
    } else this.queued.push({ buf, offset, length });
  }

  getSendQueueCount(): number {
    return this.queued.length;
  }

  /** The kernel sent everything it had: its room is back, and the queue goes out in order. */
  drain(): void {
    this.kernelRoom = this.kernelCapacity;
    for (const q of this.queued) this.delivered.push(Buffer.from(q.buf.subarray(q.offset, q.offset + q.length)));
    this.queued = [];
  }
}

/** A datagram whose every byte follows from its index, so a datagram overwritten by a later one is seen. */
function fill(buf: Buffer, i: number, length: number): void {
  buf.writeUInt32BE(i, 0);
  for (let k = 4; k < length; k++) buf[k] = (i * 31 + k) & 0xff;
}

function check(d: Buffer): number {
  const i = d.readUInt32BE(0);
  for (let k = 4; k < d.length; k++) if (d[k] !== ((i * 31 + k) & 0xff)) return -1;
  return i;
}

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

describe('DatagramSender', () => {
  it('reuses one buffer while sends complete at once and takes a fresh one when a send stays queued', () => {
    const socket = new LibuvLikeSocket(2);
    const sender = new DatagramSender(socket as unknown as Socket, 64);
    const first = sender.buffer(10);
    fill(first, 0, 10);
    sender.send(10, 1, '127.0.0.1');
    expect(sender.buffer(10)).toBe(first); // copied by the kernel: free again
    fill(first, 1, 10);
    sender.send(10, 1, '127.0.0.1');
    expect(sender.renewed).toBe(0);
    // The kernel is full: this send is queued and keeps `first`; the next datagram goes elsewhere.
    fill(first, 2, 10);
    sender.send(10, 1, '127.0.0.1');
    expect(sender.renewed).toBe(1);
    const second = sender.buffer(10);
    expect(second).not.toBe(first);
    fill(second, 3, 10);
    sender.send(10, 1, '127.0.0.1');
    socket.drain();
    expect(socket.delivered.map(check)).toEqual([0, 1, 2, 3]);
    // A larger datagram than the buffer grows it.
    expect(sender.buffer(100).length).toBeGreaterThanOrEqual(100);
  });

  it('a burst that fills the send queue: every SRTP datagram arrives intact, and the retransmission source is untouched', () => {
    const key = randomBytes(16);
    const salt = randomBytes(14);
    const out = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
    const socket = new LibuvLikeSocket(8);
    const sender = new DatagramSender(socket as unknown as Socket);
    // Packets back to back in one slab, as the retransmission buffer keeps them.
    const packets = Array.from({ length: 300 }, (_, i) =>
      buildRtp({ payloadType: 96, sequenceNumber: (65_400 + i) & 0xffff, timestamp: i * 3000, ssrc: 0x1234, payload: randomBytes(200 + ((i * 37) % 1000)) }),
    );
    const slab = Buffer.concat(packets);
    const before = Buffer.from(slab);
    const send = (i: number) => {
      const offset = packets.slice(0, i).reduce((n, p) => n + p.length, 0);
      const dst = sender.buffer(packets[i].length + out.rtpOverhead);
      const n = out.protectRtpInto(slab, offset, packets[i].length, dst, 0);
      expect(n).toBe(packets[i].length + out.rtpOverhead);
      sender.send(n, 5004, '127.0.0.1');
    };
    for (let i = 0; i < packets.length; i++) {
      send(i);
      if (i % 50 === 49) socket.drain(); // the socket becomes writable now and then
    }
    // Retransmissions of early packets (seq before the wrap) from the same slab.
    send(3);
    send(10);
    socket.drain();
    expect(sender.renewed).toBeGreaterThan(0);
    expect(slab.equals(before)).toBe(true);

    const receiver = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
    const plain = socket.delivered.map((d) => {
      const n = receiver.unprotectRtp(d);
      return n < 0 ? null : d.subarray(0, n);
    });
    expect(plain.length).toBe(packets.length + 2);
    // Each datagram decrypts and authenticates to its own packet, in order; the two
    // retransmissions are replays of packets already received, so the receiver drops them.
    packets.forEach((p, i) => expect(plain[i]?.equals(p)).toBe(true));
    expect(plain.slice(packets.length)).toEqual([null, null]);
    const fresh = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
    const rtx = socket.delivered[packets.length];
    expect(fresh.unprotectRtp(Buffer.from(rtx))).toBe(packets[3].length);
  });

  it('over a real UDP socket, a burst of datagrams from the reused buffer arrives once each and intact', async () => {
    const rx = dgram.createSocket('udp4');
    sockets.push(rx);
    await new Promise<void>((resolve) => rx.bind(0, '127.0.0.1', () => resolve()));
    try {
      rx.setRecvBufferSize(4 << 20);
    } catch {
      // capped by the container: the burst below is sent in parts
    }
    const { socket: tx } = await bindUdpSocket({ listenIp: '127.0.0.1', portRange: [0, 0] });
    sockets.push(tx);
    tx.setSendBufferSize(4096);
    const seen = new Map<number, number>();
    let corrupt = 0;
    rx.on('message', (m) => {
      const i = check(m);
      if (i < 0) corrupt++;
      else seen.set(i, (seen.get(i) ?? 0) + 1);
    });
    const sender = new DatagramSender(tx);
    const port = rx.address().port;
    const total = 1200;
    for (let i = 0; i < total; i++) {
      const buf = sender.buffer(1200);
      fill(buf, i, 1200);
      sender.send(1200, port, '127.0.0.1');
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5));
    }
    const deadline = Date.now() + 5000;
    while (seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(corrupt).toBe(0);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    expect(seen.size).toBe(total);
  });
});
