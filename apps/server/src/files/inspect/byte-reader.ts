import { truncated } from './invalid';

/**
 * Sequential reads over a stream of chunks (`bytes(n)`, `u32be()`, `skip(n)`), so a format
 * check reads like the format's specification while only the current chunk is held in memory.
 * Running out of bytes is FILE_INVALID `truncated`, named after `format`.
 */
export class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);
  private offset = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** Bytes consumed so far. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>, private readonly format: string) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Loads the next chunk when the current one is used up; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    while (this.offset >= this.chunk.length) {
      if (this.done) return false;
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      this.chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      this.offset = 0;
    }
    return true;
  }

  /** True when every byte has been read. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** The next `n` bytes (copied only when they span chunks). */
  async bytes(n: number): Promise<Buffer> {
    if (!(await this.fill())) throw truncated(this.format);
    if (this.chunk.length - this.offset >= n) {
      const out = this.chunk.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.position += n;
      return out;
    }
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      if (!(await this.fill())) throw truncated(this.format);
      const take = Math.min(left, this.chunk.length - this.offset);
      parts.push(this.chunk.subarray(this.offset, this.offset + take));
      this.offset += take;
      this.position += take;
      left -= take;
    }
    return Buffer.concat(parts);
  }

  /** Hands the next `n` bytes to `visit` piece by piece, without joining them (awaiting it, for back-pressure). */
  async each(n: number, visit: (piece: Buffer) => void | Promise<void>): Promise<void> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill())) throw truncated(this.format);
      const take = Math.min(left, this.chunk.length - this.offset);
      await visit(this.chunk.subarray(this.offset, this.offset + take));
      this.offset += take;
      this.position += take;
      left -= take;
    }
  }

  /** Skips `n` bytes. */
  async skip(n: number): Promise<void> {
    await this.each(n, () => undefined);
  }

  /** The rest of the current chunk (at least one byte), or null at the end: for scanning. */
  async piece(): Promise<Buffer | null> {
    if (!(await this.fill())) return null;
    const out = this.chunk.subarray(this.offset);
    this.offset = this.chunk.length;
    this.position += out.length;
    return out;
  }

  /** Gives back the last `n` bytes of the piece just returned by `piece()`. */
  unread(n: number): void {
    this.offset -= n;
    this.position -= n;
  }

  /** One unsigned byte. */
  async u8(): Promise<number> {
    return (await this.bytes(1))[0];
  }

  /** An unsigned 16-bit big-endian integer. */
  async u16be(): Promise<number> {
    return (await this.bytes(2)).readUInt16BE(0);
  }

  /** An unsigned 16-bit little-endian integer. */
  async u16le(): Promise<number> {
    return (await this.bytes(2)).readUInt16LE(0);
  }

  /** An unsigned 32-bit big-endian integer. */
  async u32be(): Promise<number> {
    return (await this.bytes(4)).readUInt32BE(0);
  }

  /** An unsigned 32-bit little-endian integer. */
  async u32le(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }
}
