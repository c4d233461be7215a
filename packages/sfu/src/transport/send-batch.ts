/**
 * The batch of RTP datagrams one fan-out produces, protected and sent by ONE native call.
 *
 * A forwarded packet becomes N datagrams, one per subscriber, each on its own transport's socket.
 * Through node:dgram every one costs a request object, argument checks and a C++ call, and their
 * SRTP keystream comes from node:crypto in new buffers; together about half of the SFU's CPU.
 * Here a transport writes one row per packet (socket, SRTP context and rollover counter,
 * destination, where the clear packet is); the batch is flushed in a microtask, right after the
 * incoming datagram that caused the fan-out has been handled (or when 256 rows are queued), and
 * the addon protects each packet into its slot of this thread's arena and sends it with sendto.
 * The clear packet is read straight from a registered source buffer (a consumer's retransmission
 * slab, where the rewriter put it) or, from anywhere else, copied into the slot first.
 *
 * Rows the kernel refused for lack of buffer room (EAGAIN, ENOBUFS) are retried through node:dgram,
 * which queues them like any other send; other failures count as dropped. Only UDP tuples of
 * AES-128-CM-HMAC-SHA1-80 sessions come here: ICE-TCP, AES-GCM and oversized packets take the
 * JavaScript path. One SendBatch per thread (each worker thread has its own addon instance).
 */
import type { Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { type NativeUdp, nativeUdp, Row } from './native-udp';

const SLOT_BYTES = 2048;
const SLOTS = 256;
const EAGAIN = 11;
const ENOBUFS = 105;

/** A destination encoded for a row: family, port and the address words in network order. */
export interface EncodedAddress {
  readonly family: 4 | 6;
  readonly port: number;
  readonly words: Int32Array;
}

/** Encodes an IP literal and port (throws on anything else). */
export function encodeAddress(address: string, port: number): EncodedAddress {
  const words = new Int32Array(4);
  const bytes = new Uint8Array(words.buffer);
  if (isIPv4(address)) {
    const parts = address.split('.');
    for (let i = 0; i < 4; i++) bytes[i] = Number(parts[i]);
    return { family: 4, port, words };
  }
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    const parts = (v4[1] as string).split('.');
    for (let i = 0; i < 4; i++) bytes[12 + i] = Number(parts[i]);
    return { family: 6, port, words };
  }
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) throw new RangeError(`not an IP address: ${address}`);
  for (let i = 0; i < 8; i++) {
    const g = Number.parseInt(groups[i] as string, 16);
    if (!(g >= 0 && g <= 0xffff)) throw new RangeError(`not an IP address: ${address}`);
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  }
  return { family: 6, port, words };
}

/** Counters of one thread's batch (inspection, tests, worker stats). */
export interface SendBatchStats {
  flushes: number;
  sent: number;
  /** Rows retried through node:dgram (kernel buffer full). */
  retried: number;
  /** Rows the kernel refused otherwise (e.g. no route). */
  failed: number;
}

/** This thread's batch (see file comment). */
export class SendBatch {
  readonly stats: SendBatchStats = { flushes: 0, sent: 0, retried: 0, failed: 0 };
  private readonly arena = new ArrayBuffer(SLOTS * SLOT_BYTES);
  private readonly bytes = Buffer.from(this.arena);
  private readonly rows: Int32Array;
  private readonly sockets: (Socket | undefined)[] = new Array(SLOTS).fill(undefined);
  private count = 0;
  private scheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(private readonly addon: NativeUdp) {
    this.rows = new Int32Array(SLOTS * addon.ROW_INTS);
  }

  /** Largest clear packet a slot takes with its SRTP tag (larger ones take the JavaScript path). */
  static readonly maxPacket = SLOT_BYTES - 16;

  /**
   * Queues the clear RTP packet `src[offset..offset+length)` (header of `header` bytes) to be
   * protected with native SRTP context `context` at rollover counter `roc` and sent from `socket`
   * (descriptor `fd`) to `to`. Returns false when it does not fit a slot (send it another way).
   */
  queueRtp(socket: Socket, fd: number, src: Buffer, offset: number, length: number, header: number, context: number, roc: number, to: EncodedAddress, source = -1): boolean {
    if (length > SendBatch.maxPacket) return false;
    if (this.count === SLOTS) this.flush();
    const slot = this.count++;
    const at = slot * SLOT_BYTES;
    const r = slot * this.addon.ROW_INTS;
    const rows = this.rows;
    if (source >= 0) {
      rows[r + Row.source] = source;
      rows[r + Row.sourceOffset] = offset;
    } else {
      src.copy(this.bytes, at, offset, offset + length);
      rows[r + Row.source] = -1;
    }
    rows[r + Row.fd] = fd;
    rows[r + Row.offset] = at;
    rows[r + Row.length] = length;
    rows[r + Row.header] = header;
    rows[r + Row.context] = context;
    rows[r + Row.roc] = roc;
    rows[r + Row.port] = to.port;
    rows[r + Row.family] = to.family;
    const w = to.words;
    rows[r + Row.addr] = w[0] as number;
    rows[r + Row.addr + 1] = w[1] as number;
    rows[r + Row.addr + 2] = w[2] as number;
    rows[r + Row.addr + 3] = w[3] as number;
    this.sockets[slot] = socket;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushNow);
    }
    return true;
  }

  /** Registers `buffer` as a source rows may read from without a copy (queueRtp's `source`). */
  registerSource(buffer: Buffer): number {
    return this.addon.registerSource(buffer);
  }

  /** Sends what is queued (it may read from the source), then releases the source. */
  releaseSource(id: number): void {
    this.flush();
    this.addon.releaseSource(id);
  }

  /** Protects and sends every queued row now (also before a socket of a queued row closes). */
  flush(): void {
    this.scheduled = false;
    const count = this.count;
    if (count === 0) return;
    this.count = 0;
    const sent = this.addon.sendBatch(this.rows, this.arena, count);
    this.stats.flushes++;
    this.stats.sent += sent;
    if (sent !== count) this.retryFailed(count);
    this.sockets.fill(undefined, 0, count);
  }

  private retryFailed(count: number): void {
    const rows = this.rows;
    const stride = this.addon.ROW_INTS;
    for (let slot = 0; slot < count; slot++) {
      const r = slot * stride;
      const status = rows[r + Row.status] as number;
      if (status === 0) continue;
      const socket = this.sockets[slot];
      if ((status === -EAGAIN || status === -ENOBUFS) && socket) {
        // Protected in place already: send a copy (the arena is reused at once) through dgram's queue.
        const at = rows[r + Row.offset] as number;
        const copy = Buffer.from(this.bytes.subarray(at, at + (rows[r + Row.length] as number)));
        try {
          socket.send(copy, rows[r + Row.port] as number, addressOf(rows, r));
          this.stats.retried++;
          continue;
        } catch {
          // closed meanwhile: dropped
        }
      }
      this.stats.failed++;
    }
  }
}

function addressOf(rows: Int32Array, r: number): string {
  const b = new Uint8Array(rows.buffer, rows.byteOffset + (r + Row.addr) * 4, 16);
  if (rows[r + Row.family] === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(':');
}

/** This thread's batch, or null when the native step is unavailable. */
export const sendBatch: SendBatch | null = nativeUdp ? new SendBatch(nativeUdp) : null;
