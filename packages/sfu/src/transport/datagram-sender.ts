/**
 * Sends datagrams of one UDP socket from ONE reused output buffer instead of a new buffer per packet
 * (a new 1.2 KB buffer per forwarded packet was a large share of the SFU's garbage collection).
 *
 * When may a buffer passed to dgram's send() be written again? Node first tries a synchronous
 * send (uv_udp_try_send): when that succeeds the kernel has copied the datagram before send()
 * returns and nothing refers to the buffer any more. When it cannot (the socket's send queue is
 * not empty, EAGAIN), the send is queued and libuv reads the buffer later, when the socket is
 * writable. So after each send we look at the socket's send queue: empty means the datagram is
 * already in the kernel and the buffer is free; otherwise that buffer now belongs to the queued
 * send (which keeps it referenced until it completes) and we take a fresh one for the next packet.
 * Our lookup answers synchronously (udp-port.ts: IP literals only) and our sockets are bound before
 * use, so dgram never defers a send for DNS or binding, the other two ways it could hold on to it.
 * Use it only with sockets from bindUdpSocket: with dgram's default lookup (a nextTick even for an
 * IP literal) every send is deferred past the next write into the buffer.
 */
import type { Socket } from 'node:dgram';

/** Room for any datagram we build (MTU-sized RTP + SRTP tag); grown on demand. */
const DEFAULT_BYTES = 2048;

/** One socket's reused output buffer (see file comment). */
export class DatagramSender {
  /** Sends after which the buffer was still queued, so a fresh one was taken (inspection, tests). */
  renewed = 0;
  private buf: Buffer;

  constructor(
    private readonly socket: Socket,
    bytes = DEFAULT_BYTES,
  ) {
    // Its own ArrayBuffer (not a slice of Node's pool): 4-byte aligned, and never shared.
    this.buf = Buffer.allocUnsafeSlow(bytes);
  }

  /** The buffer to write the next datagram into, at least `bytes` long; valid until send(). */
  buffer(bytes: number): Buffer {
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafeSlow(Math.max(bytes, this.buf.length * 2));
    return this.buf;
  }

  /** Sends `buffer()[0..length)` to `address:port` (an IP literal). */
  send(length: number, port: number, address: string): void {
    this.socket.send(this.buf, 0, length, port, address);
    // Still queued: that send owns the buffer now (see file comment).
    if (this.socket.getSendQueueCount() > 0) {
      this.buf = Buffer.allocUnsafeSlow(this.buf.length);
      this.renewed++;
    }
  }
}
