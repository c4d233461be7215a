/**
 * Datagram channels a pipe between routers runs over. The pipe does not care what carries its
 * frames: an in-memory pair between two routers of one thread, loopback UDP between workers, and
 * (for the cluster) an encrypted link between machines all implement PacketChannel.
 */
import type { Socket } from 'node:dgram';
import { bindUdpSocket, type UdpListenOptions } from './udp-port';

/** A bidirectional, unreliable, message-preserving channel. */
export interface PacketChannel {
  /** Sends one frame (may be dropped, never split or merged). */
  send(frame: Buffer): void;
  /** Sets the receiver of incoming frames. */
  onFrame(handler: (frame: Buffer) => void): void;
  /** Releases the channel (idempotent). */
  close(): void;
}

/** Two connected in-memory channel ends (synchronous delivery, same thread). */
export function memoryChannelPair(): [PacketChannel, PacketChannel] {
  const handlers: Array<(frame: Buffer) => void> = [() => {}, () => {}];
  const open = [true, true];
  const end = (self: 0 | 1): PacketChannel => ({
    send: (frame) => {
      const peer = self === 0 ? 1 : 0;
      if (open[self] && open[peer]) handlers[peer](frame);
    },
    onFrame: (h) => {
      handlers[self] = h;
    },
    close: () => {
      open[self] = false;
    },
  });
  return [end(0), end(1)];
}

/** A channel over one UDP socket to one remote address (loopback between workers, or a LAN). */
export class UdpPacketChannel implements PacketChannel {
  private remote: { ip: string; port: number } | undefined;
  private handler: (frame: Buffer) => void = () => {};
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    /** Local port. */
    readonly port: number,
    private readonly release: () => void,
  ) {
    socket.on('message', (msg, rinfo) => {
      // Only the connected peer may feed the pipe.
      if (this.remote && rinfo.port === this.remote.port && rinfo.address === this.remote.ip) this.handler(msg);
    });
    socket.on('error', () => {});
  }

  /** Binds a socket on the listen IP (port from the range). */
  static async bind(options: UdpListenOptions): Promise<UdpPacketChannel> {
    // A pipe carries every producer of an event to another worker: a large buffer rides out stalls.
    const bound = await bindUdpSocket({ recvBufferSize: 4 << 20, ...options });
    return new UdpPacketChannel(bound.socket, bound.port, bound.release);
  }

  /** Sets the remote end. */
  connect(ip: string, port: number): void {
    this.remote = { ip, port };
  }

  /** See PacketChannel. */
  send(frame: Buffer): void {
    if (this.closed || !this.remote) return;
    this.socket.send(frame, this.remote.port, this.remote.ip);
  }

  /** See PacketChannel. */
  onFrame(handler: (frame: Buffer) => void): void {
    this.handler = handler;
  }

  /** See PacketChannel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    this.release();
  }
}
