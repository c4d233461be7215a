/**
 * RFC 4571 framing: over a TCP connection each STUN / DTLS / SRTP packet is preceded by its length
 * as a 16-bit big-endian number (ICE-TCP, RFC 6544 §3). The reader turns a byte stream back into
 * packets; it never holds more than one packet's worth of bytes (≤ 65 537), so a peer cannot make
 * it buffer without bound.
 */

/** Largest packet a frame can carry. */
export const MAX_FRAME_PAYLOAD = 0xffff;

/** Splits a TCP byte stream into RFC 4571 frames. */
export class Rfc4571Reader {
  private partial: Buffer | undefined;
  private partialLength = 0;
  /** Length of the packet being read, or -1 while reading a length. */
  private header = -1;
  private readonly lengthBytes = Buffer.alloc(2);
  private lengthHave = 0;

  /** Feeds received bytes; calls `onFrame` for every complete packet (a view into `chunk` when it holds the whole packet). */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.header < 0) {
        // The 2-byte length itself may be split over reads.
        if (this.lengthHave === 0 && chunk.length - at >= 2) {
          this.header = chunk.readUInt16BE(at);
          at += 2;
        } else {
          this.lengthBytes[this.lengthHave++] = chunk[at++];
          if (this.lengthHave < 2) continue;
          this.header = this.lengthBytes.readUInt16BE(0);
          this.lengthHave = 0;
        }
        if (this.header === 0) {
          this.header = -1; // an empty frame carries nothing
          continue;
        }
      }
      const need = this.header - (this.partial ? this.partialLength : 0);
      const available = chunk.length - at;
      if (!this.partial && available >= this.header) {
        // The common case: the whole packet is in this read; hand out a view, no copy.
        onFrame(chunk.subarray(at, at + this.header));
        at += this.header;
        this.header = -1;
        continue;
      }
      if (!this.partial) {
        this.partial = Buffer.allocUnsafe(this.header);
        this.partialLength = 0;
      }
      const take = Math.min(need, available);
      chunk.copy(this.partial, this.partialLength, at, at + take);
      this.partialLength += take;
      at += take;
      if (this.partialLength === this.header) {
        const frame = this.partial;
        this.partial = undefined;
        this.header = -1;
        onFrame(frame);
      }
    }
  }
}

/** `packet` with its RFC 4571 length prefix, in one new buffer (one write per packet). */
export function frameRfc4571(packet: Buffer): Buffer {
  if (packet.length > MAX_FRAME_PAYLOAD) throw new RangeError('packet too large for RFC 4571 framing');
  const out = Buffer.allocUnsafe(packet.length + 2);
  out.writeUInt16BE(packet.length, 0);
  packet.copy(out, 2);
  return out;
}
