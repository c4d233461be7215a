/**
 * Loads the optional native send step (packages/sfu/native: SRTP protect + sendto of a whole batch
 * in one call; see podium_udp.c). It is built by `npm install` (scripts/build-native.mjs); when it
 * is missing (no compiler on the machine, another OS) or PODIUM_NATIVE_UDP=0, the SFU sends through
 * node:dgram and protects in JavaScript, with the same bytes on the wire.
 */
import { createRequire } from 'node:module';

/** The addon's functions (podium_udp.c). */
export interface NativeUdp {
  /** Ints per row of sendBatch's table. */
  readonly ROW_INTS: number;
  /** Session keys of one outbound AES-128-CM-HMAC-SHA1-80 SRTP session → context index. */
  createContext(rtpKey: Buffer, rtpSalt: Buffer, authKey: Buffer): number;
  releaseContext(index: number): void;
  /** Contexts alive in this thread (leak checks). */
  liveContexts(): number;
  /** Protects (rows with a context) and sends every row; writes each row's status; returns rows sent. */
  sendBatch(rows: Int32Array, arena: ArrayBuffer, count: number): number;
  /** Ints per row of receiveBatch's table: index into fds, offset in the arena, length, 0. */
  readonly RECV_ROW_INTS: number;
  /** Bytes of arena per received datagram. */
  readonly RECV_SLOT: number;
  /**
   * Reads, without waiting, what is queued on the first fdCount sockets (recvmmsg) into RECV_SLOT
   * slots of the arena, one row per datagram; stops when rows or arena are full. Returns rows filled.
   */
  receiveBatch(fds: Int32Array, fdCount: number, rows: Int32Array, arena: ArrayBuffer): number;
  /** Lets rows read their clear packet from `buffer` (Row.source = the id) until releaseSource. */
  registerSource(buffer: Buffer): number;
  releaseSource(id: number): void;
  /** Sources registered in this thread (leak checks). */
  liveSources(): number;
}

/** Row fields of sendBatch's table (podium_udp.c, enum R_*). */
export const Row = { fd: 0, offset: 1, length: 2, header: 3, context: 4, roc: 5, port: 6, family: 7, addr: 8, status: 12, source: 13, sourceOffset: 14 } as const;

/** Why the native step is not in use, or null when it is. */
export let nativeUdpUnavailable: string | null = null;

function load(): NativeUdp | null {
  if (process.env.PODIUM_NATIVE_UDP === '0') {
    nativeUdpUnavailable = 'turned off (PODIUM_NATIVE_UDP=0)';
    return null;
  }
  if (process.platform !== 'linux') {
    nativeUdpUnavailable = `not built for ${process.platform}`;
    return null;
  }
  try {
    const addon = createRequire(import.meta.url)('../../native/build/Release/podium_udp.node') as NativeUdp;
    if (addon.ROW_INTS !== 16 || addon.RECV_ROW_INTS !== 4 || typeof addon.registerSource !== 'function') throw new Error('unexpected row layout (rebuild it: node scripts/build-native.mjs)');
    return addon;
  } catch (err) {
    nativeUdpUnavailable = `not loaded (${(err as Error).message.split('\n')[0]}); run npm install to build it`;
    return null;
  }
}

/** The addon, or null (see nativeUdpUnavailable). */
export const nativeUdp: NativeUdp | null = load();
