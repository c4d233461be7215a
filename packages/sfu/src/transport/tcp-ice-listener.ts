/**
 * ICE over TCP, server side (RFC 6544 passive candidates, RFC 4571 framing): ONE listening TCP
 * port per thread and listen address, shared by every WebRtcTransport of the thread. A client
 * connects and its first frame must be a STUN binding request; the USERNAME's first half is our
 * ufrag, which names the transport that takes the connection over. From then on every frame (STUN
 * consent, DTLS, SRTP) goes to that transport, which answers through the same connection.
 *
 * Bounds, because anyone can connect: connections waiting for their first STUN frame are capped
 * and closed after a few seconds; each connection's unsent bytes are capped (media over a slow
 * TCP path is dropped rather than queued); the frame reader holds at most one packet.
 */
import net from 'node:net';
import { MediaError } from './media-error';
import { frameRfc4571, Rfc4571Reader } from './rfc4571-framer';
import { stunLocalUfrag } from './stun-username';

/** What a transport sees of one ICE-TCP connection. */
export interface StreamConnection {
  /** Remote address. */
  readonly address: string;
  /** Remote port. */
  readonly port: number;
  /** True once closed. */
  readonly closed: boolean;
  /** Sends one packet (framed into a copy: the caller may reuse `packet` at once); dropped when the connection is closed or too far behind. */
  send(packet: Buffer): void;
  /** Closes the connection. */
  close(): void;
}

/** A transport that accepts ICE-TCP connections for its ufrags. */
export interface TcpIceTarget {
  /** Takes over `conn`; `first` is its first frame (a binding request naming this transport). */
  adoptTcp(conn: StreamConnection, first: Buffer): void;
  /** A frame on an adopted connection. */
  onTcpFrame(conn: StreamConnection, frame: Buffer): void;
  /** An adopted connection closed. */
  onTcpClosed(conn: StreamConnection): void;
}

/** Tuning of a listener (defaults suit production; tests shorten them). */
export interface TcpIceListenerOptions {
  /** Connections that have not yet sent a valid first frame. Default 256. */
  maxPending?: number;
  /** Time a new connection has to send its first binding request, ms. Default 5000. */
  firstFrameTimeoutMs?: number;
  /** Unsent bytes per connection past which packets are dropped. Default 1 MiB. */
  maxQueuedBytes?: number;
}

/** One ICE-TCP connection (see file comment). */
class TcpIceConnection implements StreamConnection {
  readonly address: string;
  readonly port: number;
  closed = false;
  target: TcpIceTarget | undefined;
  private readonly reader = new Rfc4571Reader();

  constructor(
    private readonly socket: net.Socket,
    private readonly maxQueuedBytes: number,
    private readonly onFirstFrame: (conn: TcpIceConnection, frame: Buffer) => void,
    private readonly onGone: (conn: TcpIceConnection) => void,
  ) {
    this.address = normalizeAddress(socket.remoteAddress ?? '');
    this.port = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk, (frame) => {
        if (this.closed) return;
        if (this.target) this.target.onTcpFrame(this, frame);
        else this.onFirstFrame(this, frame);
      });
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  send(packet: Buffer): void {
    if (this.closed || packet.length > 0xffff) return;
    if (this.socket.writableLength > this.maxQueuedBytes) return;
    this.socket.write(frameRfc4571(packet));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onGone(this);
    this.target?.onTcpClosed(this);
  }
}

/** The shared ICE-TCP port of this thread for one listen address (see file comment). */
export class TcpIceListener {
  /** The bound port. */
  readonly port: number;
  private readonly targets = new Map<string, TcpIceTarget>();
  private readonly pending = new Set<TcpIceConnection>();
  private readonly adopted = new Set<TcpIceConnection>();
  private users = 0;
  private closed = false;

  private constructor(
    private readonly server: net.Server,
    private readonly key: string,
    private readonly options: Required<TcpIceListenerOptions>,
  ) {
    this.port = (server.address() as net.AddressInfo).port;
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', () => {
      // Accept errors (e.g. EMFILE) are per connection; the listener keeps serving.
    });
  }

  /**
   * The listener of this thread on `listenIp:port` (port 0: any free port, a listener of its own),
   * opened on first use and shared afterwards; every acquire() is paired with a release().
   * Throws MediaError NO_PORT_AVAILABLE when the port cannot be bound.
   */
  static async acquire(listenIp: string, port: number, options: TcpIceListenerOptions = {}): Promise<TcpIceListener> {
    const key = `${listenIp}|${port}`;
    let opening = port === 0 ? undefined : listeners.get(key);
    if (!opening) {
      opening = TcpIceListener.open(listenIp, port, key, options);
      if (port !== 0) {
        listeners.set(key, opening);
        opening.catch(() => listeners.delete(key));
      }
    }
    const listener = await opening;
    // Its last user released it while we waited for it: listen again.
    if (listener.closed) return TcpIceListener.acquire(listenIp, port, options);
    listener.users++;
    return listener;
  }

  private static async open(listenIp: string, port: number, key: string, options: TcpIceListenerOptions): Promise<TcpIceListener> {
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', () => reject(new MediaError('NO_PORT_AVAILABLE', `TCP port ${port} for ICE-TCP cannot be bound.`)));
      server.listen({ host: listenIp, port, exclusive: true }, () => resolve());
    });
    return new TcpIceListener(server, key, {
      maxPending: options.maxPending ?? 256,
      firstFrameTimeoutMs: options.firstFrameTimeoutMs ?? 5000,
      maxQueuedBytes: options.maxQueuedBytes ?? 1 << 20,
    });
  }

  /** Connections with `ufrag` as the server half of their USERNAME go to `target`. */
  register(ufrag: string, target: TcpIceTarget): void {
    this.targets.set(ufrag, target);
  }

  /** Forgets `ufrag` (transport closed, or its credentials retired). */
  unregister(ufrag: string, target: TcpIceTarget): void {
    if (this.targets.get(ufrag) === target) this.targets.delete(ufrag);
  }

  /** Counts for tests and leak checks. */
  counts(): { pending: number; adopted: number; ufrags: number; users: number } {
    return { pending: this.pending.size, adopted: this.adopted.size, ufrags: this.targets.size, users: this.users };
  }

  /** One user less; the last one closes the port and every connection. */
  release(): void {
    if (this.closed || --this.users > 0) return;
    this.closed = true;
    if (listeners.get(this.key) !== undefined) listeners.delete(this.key);
    this.server.close();
    for (const c of [...this.pending, ...this.adopted]) c.close();
  }

  private accept(socket: net.Socket): void {
    if (this.closed || this.pending.size >= this.options.maxPending) {
      socket.destroy();
      return;
    }
    const conn = new TcpIceConnection(
      socket,
      this.options.maxQueuedBytes,
      (c, frame) => this.onFirstFrame(c, frame),
      (c) => {
        this.pending.delete(c);
        this.adopted.delete(c);
      },
    );
    this.pending.add(conn);
    const timer = setTimeout(() => {
      if (this.pending.has(conn)) conn.close();
    }, this.options.firstFrameTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  private onFirstFrame(conn: TcpIceConnection, frame: Buffer): void {
    const target = this.targetOf(frame);
    if (!target) {
      conn.close();
      return;
    }
    this.pending.delete(conn);
    this.adopted.add(conn);
    conn.target = target;
    target.adoptTcp(conn, frame);
  }

  /** The transport named by a binding request's USERNAME (integrity is the transport's check). */
  private targetOf(frame: Buffer): TcpIceTarget | undefined {
    const ufrag = stunLocalUfrag(frame);
    return ufrag === undefined ? undefined : this.targets.get(ufrag);
  }
}

/** Listeners of this thread by listen address and port (a worker thread has its own). */
const listeners = new Map<string, Promise<TcpIceListener>>();

/** '::ffff:1.2.3.4' (an IPv4 peer on a dual-stack socket) → '1.2.3.4'. */
function normalizeAddress(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
