/**
 * Binds a UDP socket on the listen IP at a free port of the configured range. Each transport owns
 * one port (no shared port demux yet), so closing a transport frees its port at once.
 */
import dgram from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import { MediaError } from './media-error';

/** Where transports listen. */
export interface UdpListenOptions {
  /** IP to bind (e.g. '0.0.0.0', '127.0.0.1'). */
  listenIp: string;
  /** Inclusive port range; [0, 0] lets the OS choose. */
  portRange: readonly [number, number];
  /** Kernel receive buffer, bytes (capped by net.core.rmem_max): room for a stalled event loop's backlog. */
  recvBufferSize?: number;
}

/**
 * Every address we send to is an IP literal from a received datagram (ICE tuples, pipe peers), yet
 * dgram resolves it through dns.lookup on each send (a validation and a nextTick per datagram,
 * ~2 µs on our machines). Answering synchronously with the literal skips that. A hostname (never
 * passed by our code) is refused rather than resolved.
 */
function literalLookup(address: string, _family: unknown, callback: (err: Error | null, address: string, family: number) => void): void {
  // Sends go to the same few tuple strings over and over: remember the last one checked.
  if (address !== lastLiteral) {
    const family = isIP(address);
    if (family === 0) {
      callback(new MediaError('BAD_REQUEST', 'UDP destinations must be IP addresses.'), address, 0);
      return;
    }
    lastLiteral = address;
    lastFamily = family;
  }
  callback(null, address, lastFamily);
}
let lastLiteral = '';
let lastFamily = 4;

/** Ports bound by this process, so the range scan skips them without a failed bind. */
const portsInUse = new Set<string>();
/** Where the next scan starts per range, so ports are spread and a just-freed one is not reused at once. */
const nextPort = new Map<string, number>();

/** Binds a socket at a free port of the range; throws MediaError('NO_PORT_AVAILABLE') when none is. */
export async function bindUdpSocket(options: UdpListenOptions): Promise<{ socket: dgram.Socket; port: number; release: () => void }> {
  const [min, max] = options.portRange;
  const type = isIPv6(options.listenIp) ? 'udp6' : 'udp4';
  if (min === 0 && max === 0) {
    const socket = dgram.createSocket({ type, reuseAddr: false, lookup: literalLookup as never });
    const port = await bind(socket, options.listenIp, 0);
    if (port < 0) throw new MediaError('NO_PORT_AVAILABLE');
    setRecvBuffer(socket, options.recvBufferSize);
    return { socket, port, release: () => {} };
  }
  if (!(Number.isInteger(min) && Number.isInteger(max) && min > 0 && max <= 65535 && min <= max)) throw new RangeError('bad UDP port range');
  const rangeKey = `${options.listenIp}:${min}-${max}`;
  const span = max - min + 1;
  let start = nextPort.get(rangeKey) ?? min + Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = min + ((start - min + i) % span);
    const key = `${options.listenIp}:${port}`;
    if (portsInUse.has(key)) continue;
    const socket = dgram.createSocket({ type, reuseAddr: false, lookup: literalLookup as never });
    const bound = await bind(socket, options.listenIp, port);
    if (bound < 0) continue;
    portsInUse.add(key);
    setRecvBuffer(socket, options.recvBufferSize);
    start = port + 1 > max ? min : port + 1;
    nextPort.set(rangeKey, start);
    return { socket, port, release: () => portsInUse.delete(key) };
  }
  throw new MediaError('NO_PORT_AVAILABLE');
}

function bind(socket: dgram.Socket, ip: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    const onError = () => {
      socket.close();
      resolve(-1);
    };
    socket.once('error', onError);
    socket.bind({ address: ip, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

function setRecvBuffer(socket: dgram.Socket, bytes: number | undefined): void {
  if (!bytes) return;
  try {
    socket.setRecvBufferSize(bytes);
  } catch {
    // Not allowed here (e.g. a container's limits): the default buffer still works.
  }
}
