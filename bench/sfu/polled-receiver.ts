/**
 * Reads the sockets of every connected CountingPeer of a bot process on a timer, in one native call
 * per tick (NativeUdp.receiveBatch: recvmmsg into one arena), instead of node:dgram waking the
 * process for each of the tens of thousands of datagrams a second it receives.
 *
 * Why the benchmark wants it: on one machine, every datagram the SFU sends to a sleeping bot makes
 * the kernel wake that bot inside the SFU's sendto, and the woken bot then competes with the SFU
 * for the two cores. Neither happens to an SFU whose viewers are on other machines. Polling every
 * few milliseconds keeps the bots asleep while the SFU sends and cuts their CPU per packet, so the
 * SFU keeps its cores (issue 3: "keep the bots cheap"). Loss is still measured on every datagram:
 * each socket's receive buffer (1 MiB) holds far more than one tick of its stream.
 */
import { nativeUdp } from '../../packages/sfu/src/transport/native-udp';
import type { CountingPeer } from './counting-peer';

const MAX_PEERS = 4096;
const ROWS = 1024;

/** See file comment. */
export class PolledReceiver {
  private readonly peers: CountingPeer[] = [];
  private readonly fds = new Int32Array(MAX_PEERS);
  private readonly rows: Int32Array;
  private readonly arena: ArrayBuffer;
  private readonly bytes: Buffer;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly addon: NonNullable<typeof nativeUdp>,
    intervalMs: number,
  ) {
    this.rows = new Int32Array(ROWS * addon.RECV_ROW_INTS);
    this.arena = new ArrayBuffer(ROWS * addon.RECV_SLOT);
    this.bytes = Buffer.from(this.arena);
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  /** A receiver polling every `intervalMs`, or null when polling is off (0) or the addon is missing. */
  static start(intervalMs: number): PolledReceiver | null {
    return intervalMs > 0 && nativeUdp ? new PolledReceiver(nativeUdp, intervalMs) : null;
  }

  /** Takes over reading a connected peer's socket; false when it cannot (the peer keeps its events). */
  adopt(peer: CountingPeer): boolean {
    const fd = peer.fd;
    if (fd < 0 || this.peers.length === MAX_PEERS || !peer.stopEventReading()) return false;
    this.fds[this.peers.length] = fd;
    this.peers.push(peer);
    return true;
  }

  /** Peers read by polling. */
  get size(): number {
    return this.peers.length;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const { addon, rows, bytes } = this;
    const stride = addon.RECV_ROW_INTS;
    for (let round = 0; round < 64; round++) {
      const n = addon.receiveBatch(this.fds, this.peers.length, rows, this.arena);
      for (let i = 0; i < n; i++) {
        const r = i * stride;
        (this.peers[rows[r] as number] as CountingPeer).onPolled(bytes, rows[r + 1] as number, rows[r + 2] as number);
      }
      if (n < ROWS) return;
    }
  }
}
