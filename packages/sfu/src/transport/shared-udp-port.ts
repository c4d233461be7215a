/**
 * One UDP port shared by every WebRtcTransport of a thread (like mediasoup's WebRtcServer), for
 * deployments whose firewall should open a port per worker rather than a range. Datagrams are
 * demultiplexed the way ICE allows:
 *
 * - a STUN binding request goes to the transport whose ufrag is the first half of its USERNAME
 *   (that transport checks the integrity, as on a port of its own);
 * - anything else (DTLS, SRTP, SRTCP, STUN without USERNAME) goes to the transport that last
 *   proved the sender's address with a valid check (`bindAddress`); from an unknown address it is
 *   dropped and counted.
 *
 * A remote address belongs to one transport at a time: a valid check from another transport's
 * credentials moves it (a client's port reused by a new client). Each transport keeps at most
 * MAX_ADDRESSES addresses (candidate pairs, ICE restarts); the oldest go first. Reference-counted
 * per thread and address: the last transport to release it closes the socket.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { MediaError } from './media-error';
import { stunLocalUfrag } from './stun-username';
import { bindUdpSocket } from './udp-port';

/** A transport on a shared port. */
export interface UdpMuxTarget {
  /** A datagram for this transport (by its ufrag or a proved address). */
  onMuxPacket(msg: Buffer, address: string, port: number): void;
}

/** Remote addresses remembered per transport. */
const MAX_ADDRESSES = 8;
/** Kernel receive buffer of a shared port (every publisher of the thread arrives on it). */
const RECV_BUFFER_BYTES = 4 << 20;

/** The thread's shared port on one address (see file comment). */
export class SharedUdpPort {
  /** Datagrams from addresses no transport proved (and not a request naming one of ours). */
  dropped = 0;
  private readonly byUfrag = new Map<string, UdpMuxTarget>();
  private readonly byAddress = new Map<string, UdpMuxTarget>();
  private readonly addressesOf = new Map<UdpMuxTarget, string[]>();
  private users = 0;
  private closed = false;

  private constructor(
    /** The shared socket (transports send from it). */
    readonly socket: Socket,
    /** Its port. */
    readonly port: number,
    private readonly key: string,
    private readonly releasePort: () => void,
  ) {
    socket.on('message', this.onMessage);
    socket.on('error', () => {
      // ICMP errors on an unconnected socket are not fatal; each transport's consent finds a dead peer.
    });
  }

  /** The shared port `port` on `listenIp` of this thread, bound on first use. Throws MediaError('NO_PORT_AVAILABLE'). */
  static async acquire(listenIp: string, port: number): Promise<SharedUdpPort> {
    if (!(Number.isInteger(port) && port > 0 && port <= 65535)) throw new RangeError('bad shared UDP port');
    const key = `${listenIp}|${port}`;
    let opening = ports.get(key);
    if (!opening) {
      opening = bindUdpSocket({ listenIp, portRange: [port, port], recvBufferSize: RECV_BUFFER_BYTES }).then(
        (bound) => new SharedUdpPort(bound.socket, bound.port, key, bound.release),
        () => {
          throw new MediaError('NO_PORT_AVAILABLE', `UDP port ${port} for media cannot be bound.`);
        },
      );
      ports.set(key, opening);
      opening.catch(() => ports.delete(key));
    }
    const shared = await opening;
    // Its last user released it while we waited for it: bind it again.
    if (shared.closed) return SharedUdpPort.acquire(listenIp, port);
    shared.users++;
    return shared;
  }

  /** Binding requests with `ufrag` as our half of their USERNAME go to `target`. */
  register(ufrag: string, target: UdpMuxTarget): void {
    this.byUfrag.set(ufrag, target);
  }

  /** `target` proved `address:port` (a valid ICE check): that address's other datagrams go to it. */
  bindAddress(address: string, port: number, target: UdpMuxTarget): void {
    const key = `${address}|${port}`;
    const owner = this.byAddress.get(key);
    if (owner === target) return;
    if (owner) this.dropAddress(owner, key);
    this.byAddress.set(key, target);
    const list = this.addressesOf.get(target) ?? [];
    list.push(key);
    if (list.length > MAX_ADDRESSES) {
      const oldest = list.shift() as string;
      if (this.byAddress.get(oldest) === target) this.byAddress.delete(oldest);
    }
    this.addressesOf.set(target, list);
  }

  /** Forgets every ufrag and address of `target` (it closed). */
  forget(target: UdpMuxTarget): void {
    for (const [ufrag, t] of this.byUfrag) if (t === target) this.byUfrag.delete(ufrag);
    for (const key of this.addressesOf.get(target) ?? []) if (this.byAddress.get(key) === target) this.byAddress.delete(key);
    this.addressesOf.delete(target);
  }

  /** Counts for tests and leak checks. */
  counts(): { ufrags: number; addresses: number; users: number; dropped: number } {
    return { ufrags: this.byUfrag.size, addresses: this.byAddress.size, users: this.users, dropped: this.dropped };
  }

  /** One user less; the last one closes the socket. */
  release(): void {
    if (this.closed || --this.users > 0) return;
    this.closed = true;
    ports.delete(this.key);
    this.socket.off('message', this.onMessage);
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    this.releasePort();
  }

  private dropAddress(target: UdpMuxTarget, key: string): void {
    const list = this.addressesOf.get(target);
    const i = list ? list.indexOf(key) : -1;
    if (list && i >= 0) list.splice(i, 1);
    this.byAddress.delete(key);
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (msg.length === 0) return;
    if (msg[0] <= 3) {
      const ufrag = stunLocalUfrag(msg);
      const named = ufrag === undefined ? undefined : this.byUfrag.get(ufrag);
      if (named) {
        named.onMuxPacket(msg, rinfo.address, rinfo.port);
        return;
      }
    }
    const target = this.byAddress.get(`${rinfo.address}|${rinfo.port}`);
    if (target) target.onMuxPacket(msg, rinfo.address, rinfo.port);
    else this.dropped++;
  };
}

/** Shared ports of this thread by address (a worker thread has its own). */
const ports = new Map<string, Promise<SharedUdpPort>>();
