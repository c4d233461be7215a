/**
 * What node:dgram does not expose of a bound socket, read from its libuv handle: the descriptor
 * (the native send step sends from it) and a way to stop event-driven reading (so that
 * NativeUdp.receiveBatch reads it instead). Both degrade to "cannot" when Node's internals differ.
 */
import type { Socket } from 'node:dgram';

interface UdpHandle {
  fd?: number;
  recvStop?(): number;
}

function handleOf(socket: Socket): UdpHandle | undefined {
  const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  return state ? (socket as unknown as Record<symbol, { handle?: UdpHandle }>)[state]?.handle : undefined;
}

/** The descriptor of a bound dgram socket, or -1 (needed to send from it natively). */
export function socketFd(socket: Socket): number {
  const fd = handleOf(socket)?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

/**
 * Stops node:dgram from reading a bound socket (its 'message' events end; the socket still sends),
 * so that its datagrams wait in the kernel for NativeUdp.receiveBatch. False when it cannot.
 */
export function stopEventReading(socket: Socket): boolean {
  const handle = handleOf(socket);
  if (typeof handle?.recvStop !== 'function') return false;
  return handle.recvStop() === 0;
}
