/**
 * The layout of an encrypted object: a 128-byte header, then the content in segments of
 * SEGMENT_SIZE bytes (the last one shorter), each sealed with AES-256-GCM under the object's own
 * data key and followed by its 16-byte tag. A segment's nonce is the object's random 7-byte prefix,
 * the segment's index (32 bits) and a final flag (1 on the last segment only), so a segment moved,
 * dropped or cut off at a boundary fails authentication (the STREAM construction).
 *
 * Header: magic `PDMENC01` (8) · key id length (1) · key id (32, zero padded) · segment size (4, BE)
 * · nonce prefix (7) · wrap IV (12) · wrapped data key (32) · wrap tag (16) · zeros (16). The data
 * key is wrapped with AES-256-GCM under the master key, the first 52 header bytes as associated
 * data, so the key id, segment size and nonce prefix cannot be altered either.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BlobIntegrityError } from '../blob-store';
import type { MasterKeyring } from './master-keys';

/** Plaintext bytes per segment. */
export const SEGMENT_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const HEADER_SIZE = 128;
const MAGIC = Buffer.from('PDMENC01', 'latin1');
const BOUND = 52;
const MAX_SEGMENTS = 2 ** 32;

/** What the header of one object holds once its data key is unwrapped. */
export interface ObjectKey {
  dataKey: Buffer;
  noncePrefix: Buffer;
  segmentSize: number;
}

/** A header for a new object under the keyring's active key, and the object's key. */
export function newHeader(keys: MasterKeyring): { header: Buffer; key: ObjectKey } {
  const { id, key: master } = keys.active;
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header, 0);
  header[8] = Buffer.byteLength(id, 'latin1');
  header.write(id, 9, 'latin1');
  header.writeUInt32BE(SEGMENT_SIZE, 41);
  const noncePrefix = randomBytes(7);
  noncePrefix.copy(header, 45);
  const iv = randomBytes(12);
  iv.copy(header, 52);
  const dataKey = randomBytes(32);
  const wrap = createCipheriv('aes-256-gcm', master, iv);
  wrap.setAAD(header.subarray(0, BOUND));
  Buffer.concat([wrap.update(dataKey), wrap.final()]).copy(header, 64);
  wrap.getAuthTag().copy(header, 96);
  return { header, key: { dataKey, noncePrefix, segmentSize: SEGMENT_SIZE } };
}

/** The key id a header names (for errors and rotation reports). */
export function headerKeyId(header: Buffer): string {
  return header.toString('latin1', 9, 9 + Math.min(header[8], 32));
}

/** Unwraps an object's data key; BlobIntegrityError for a damaged header, MasterKeyMissingError for a key this server lacks. */
export function openHeader(header: Buffer, keys: MasterKeyring, blobKey: string): ObjectKey {
  if (header.length !== HEADER_SIZE || !header.subarray(0, 8).equals(MAGIC) || header[8] < 1 || header[8] > 32) {
    throw new BlobIntegrityError(blobKey, 'the object has no valid encryption header');
  }
  const master = keys.key(headerKeyId(header));
  const segmentSize = header.readUInt32BE(41);
  if (segmentSize !== SEGMENT_SIZE) throw new BlobIntegrityError(blobKey, 'unsupported segment size');
  try {
    const unwrap = createDecipheriv('aes-256-gcm', master, header.subarray(52, 64));
    unwrap.setAAD(header.subarray(0, BOUND));
    unwrap.setAuthTag(header.subarray(96, 112));
    const dataKey = Buffer.concat([unwrap.update(header.subarray(64, 96)), unwrap.final()]);
    return { dataKey, noncePrefix: Buffer.from(header.subarray(45, 52)), segmentSize };
  } catch {
    throw new BlobIntegrityError(blobKey, 'the data key does not authenticate (damaged header or wrong master key)');
  }
}

function nonce(key: ObjectKey, index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  key.noncePrefix.copy(n, 0);
  n.writeUInt32BE(index, 7);
  n[11] = final ? 1 : 0;
  return n;
}

/** Seals segment `index` (ciphertext followed by its tag). */
export function sealSegment(key: ObjectKey, index: number, final: boolean, plain: Uint8Array): Buffer {
  if (index >= MAX_SEGMENTS) throw new RangeError('the object has too many segments');
  const c = createCipheriv('aes-256-gcm', key.dataKey, nonce(key, index, final));
  const out = Buffer.allocUnsafe(plain.length + TAG_SIZE);
  const body = c.update(plain);
  body.copy(out, 0);
  c.final();
  c.getAuthTag().copy(out, plain.length);
  return out;
}

/** Opens segment `index`; BlobIntegrityError when it does not authenticate (altered, moved, cut off). */
export function openSegment(key: ObjectKey, index: number, final: boolean, sealed: Buffer, blobKey: string): Buffer {
  if (sealed.length < TAG_SIZE) throw new BlobIntegrityError(blobKey, 'the object is truncated');
  try {
    const d = createDecipheriv('aes-256-gcm', key.dataKey, nonce(key, index, final));
    d.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
    const plain = d.update(sealed.subarray(0, sealed.length - TAG_SIZE));
    d.final();
    return plain;
  } catch {
    throw new BlobIntegrityError(blobKey, `segment ${index} does not authenticate`);
  }
}

/** Stored size of `plainSize` bytes of content. */
export function storedSize(plainSize: number): number {
  const segments = Math.max(1, Math.ceil(plainSize / SEGMENT_SIZE));
  return HEADER_SIZE + plainSize + segments * TAG_SIZE;
}

/** Segments and content size of a stored object of `stored` bytes; null when no content size gives it. */
export function plainLayout(stored: number): { segments: number; plainSize: number } | null {
  const body = stored - HEADER_SIZE;
  if (body < TAG_SIZE) return null;
  const segments = Math.ceil(body / (SEGMENT_SIZE + TAG_SIZE));
  const plainSize = body - segments * TAG_SIZE;
  if (plainSize < 0 || storedSize(plainSize) !== stored) return null;
  return { segments, plainSize };
}
