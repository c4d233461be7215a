/**
 * Finishes a track file that WebmMuxer was writing when its process died (a crash, a kill, a lost
 * worker): such a file has its header and the clusters written so far, sizes still "unknown", no
 * Cues and a zero Duration, and may end inside a block. Salvaging it reads it once from the start
 * (block headers only: payloads are skipped), cuts it after the last complete block, and writes
 * what WebmMuxer.finish would have: each cluster's size, the Cues, Duration, the Segment size and
 * the SeekHead. The result plays and seeks like a file that was stopped normally, up to where the
 * writing stopped.
 *
 * Only files of our own layout are salvaged (EBML header, Segment, the reserved SeekHead, Info
 * with Duration, Tracks, then Clusters with a Timecode and SimpleBlocks of track 1); anything
 * else is refused (null) and left as it is.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Id, vintFixed } from './ebml';
import { type CuePoint, type Patch, SEEKHEAD_SPACE, segmentEnd, type SegmentLayout } from './webm-muxer';

/** What a salvaged file holds. */
export interface SalvagedTrack {
  /** Frames (blocks) kept. */
  frames: number;
  /** Duration written into the file, ms (last frame's time plus one frame). */
  durationMs: number;
  /** Video frame size from the track header (0 for audio). */
  width: number;
  height: number;
  /** File size after salvaging. */
  bytes: number;
  /** Bytes cut off the end (an incomplete block or cluster header; 0 for a file that was finished). */
  truncatedBytes: number;
}

const WINDOW = 1 << 20;
const UNKNOWN = -1;

/** Reads a file through a 1 MiB window (sequential scans with small forward jumps). */
class WindowReader {
  private buf = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly fh: FileHandle, readonly size: number) {}

  /** `n` bytes at `pos`, or null past the end of the file. */
  async bytes(pos: number, n: number): Promise<Buffer | null> {
    if (pos + n > this.size) return null;
    if (pos < this.start || pos + n > this.start + this.buf.length) {
      const len = Math.min(Math.max(WINDOW, n), this.size - pos);
      const b = Buffer.allocUnsafe(len);
      const { bytesRead } = await this.fh.read(b, 0, len, pos);
      this.buf = b.subarray(0, bytesRead);
      this.start = pos;
      if (bytesRead < n) return null;
    }
    return this.buf.subarray(pos - this.start, pos - this.start + n);
  }
}

interface OpenCluster {
  pos: number;
  dataStart: number;
  /** End of its last complete block. */
  end: number;
  timeMs: number;
  blocks: number;
}

interface ElementHead {
  id: number;
  /** Data size, or UNKNOWN. */
  size: number;
  /** Bytes of id + size. */
  headLength: number;
}

/** An element's id and size at `pos` (null when the file ends inside them or they are malformed). */
async function readHead(r: WindowReader, pos: number): Promise<ElementHead | null> {
  const first = await r.bytes(pos, 1);
  if (!first) return null;
  const idLen = vintLength(first[0] as number);
  if (idLen < 1 || idLen > 4) return null;
  const idb = await r.bytes(pos, idLen);
  if (!idb) return null;
  let id = 0;
  for (const b of idb) id = id * 256 + b;
  const s0 = await r.bytes(pos + idLen, 1);
  if (!s0) return null;
  const sizeLen = vintLength(s0[0] as number);
  if (sizeLen < 1) return null;
  const sb = await r.bytes(pos + idLen, sizeLen);
  if (!sb) return null;
  let size = (sb[0] as number) & (0xff >> sizeLen);
  let allOnes = size === 0xff >> sizeLen;
  for (let i = 1; i < sizeLen; i++) {
    size = size * 256 + (sb[i] as number);
    if (sb[i] !== 0xff) allOnes = false;
  }
  return { id, size: allOnes ? UNKNOWN : size, headLength: idLen + sizeLen };
}

function vintLength(first: number): number {
  for (let len = 1; len <= 8; len++) if (first & (0x80 >> (len - 1))) return len;
  return 0;
}

function readUint(b: Buffer): number {
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

/** Salvages the unfinished WebM at `path` in place (see file comment); null when it is not one of ours or holds no frame. */
export async function salvageWebm(path: string): Promise<SalvagedTrack | null> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const r = new WindowReader(fh, size);
    const ebml = await readHead(r, 0);
    if (!ebml || ebml.id !== Id.EBML || ebml.size === UNKNOWN) return null;
    const segPos = ebml.headLength + ebml.size;
    const seg = await readHead(r, segPos);
    if (!seg || seg.id !== Id.Segment || seg.headLength !== 12) return null;
    const layout: SegmentLayout = { segmentDataStart: segPos + 12, seekHeadPos: segPos + 12, infoPos: -1, durationDataPos: -1, tracksPos: -1 };
    // Header: the reserved Void (or a SeekHead, if a finish had begun), Info, Tracks.
    let pos = layout.segmentDataStart;
    const reserved = await readHead(r, pos);
    if (!reserved || (reserved.id !== Id.Void && reserved.id !== Id.SeekHead) || reserved.headLength + reserved.size > SEEKHEAD_SPACE) return null;
    pos = layout.segmentDataStart + SEEKHEAD_SPACE;
    const info = await readHead(r, pos);
    if (!info || info.id !== Id.Info || info.size === UNKNOWN) return null;
    layout.infoPos = pos;
    // Duration is Info's last child, a float64: its 8 data bytes end the element.
    const durHead = await r.bytes(pos + info.headLength + info.size - 11, 3);
    if (!durHead || durHead.readUInt16BE(0) !== Id.Duration || durHead[2] !== 0x88) return null;
    layout.durationDataPos = pos + info.headLength + info.size - 8;
    pos += info.headLength + info.size;
    const tracks = await readHead(r, pos);
    if (!tracks || tracks.id !== Id.Tracks || tracks.size === UNKNOWN) return null;
    layout.tracksPos = pos;
    const tracksData = await r.bytes(pos + tracks.headLength, tracks.size);
    if (!tracksData) return null;
    const { width, height, video } = trackInfo(tracksData);
    pos += tracks.headLength + tracks.size;

    // Clusters: [Cluster id][8-byte size][Timecode] then SimpleBlocks, until the file ends.
    const clusterPatches: Patch[] = [];
    const cues: CuePoint[] = [];
    let goodEnd = pos;
    let frames = 0;
    let lastMs = -1;
    let prevMs = -1;
    let cluster: OpenCluster | null = null;
    const closeCluster = (c: OpenCluster | null) => {
      if (c && c.blocks > 0) clusterPatches.push({ position: c.pos + 4, bytes: vintFixed(c.end - c.dataStart, 8) });
    };
    /** Bytes of a complete Cues element after the last cluster (a file that was finished): rewritten, not lost. */
    let oldCues = 0;
    for (;;) {
      const head = await readHead(r, pos);
      if (!head) break;
      if (head.id === Id.Cues && head.size !== UNKNOWN && pos + head.headLength + head.size <= size) {
        oldCues = head.headLength + head.size;
        break;
      }
      if (head.id === Id.Cluster) {
        if (head.headLength !== 12) break;
        const tc = await readHead(r, pos + 12);
        if (!tc || tc.id !== Id.Timecode || tc.size === UNKNOWN || tc.size > 8) break;
        const tcData = await r.bytes(pos + 12 + tc.headLength, tc.size);
        if (!tcData) break;
        closeCluster(cluster);
        cluster = { pos, dataStart: pos + 12, end: pos + 12, timeMs: readUint(tcData), blocks: 0 };
        pos += 12 + tc.headLength + tc.size;
        continue;
      }
      if (head.id !== Id.SimpleBlock || !cluster || head.size === UNKNOWN || head.size < 4) break;
      const block = await r.bytes(pos + head.headLength, 4);
      if (!block || pos + head.headLength + head.size > size || block[0] !== 0x81) break;
      const t = cluster.timeMs + block.readInt16BE(1);
      if (cluster.blocks === 0 && (!video || ((block[3] as number) & 0x80) !== 0)) cues.push({ timeMs: cluster.timeMs, clusterPos: cluster.pos });
      cluster.blocks++;
      frames++;
      if (t !== lastMs) {
        prevMs = lastMs;
        lastMs = t;
      }
      pos += head.headLength + head.size;
      goodEnd = pos;
      cluster.end = pos;
    }
    // A cluster whose header was written but none of whose blocks was is cut with the rest.
    closeCluster(cluster);
    if (frames === 0) return null;
    const frameMs = video ? (frames > 1 ? Math.min(100, Math.max(10, lastMs / (frames - 1))) : 33) : prevMs >= 0 ? Math.min(120, Math.max(2.5, lastMs - prevMs)) : 20;
    const durationMs = Math.round(lastMs + frameMs);
    const end = segmentEnd(layout, cues, goodEnd, durationMs);
    await fh.truncate(goodEnd);
    await fh.write(end.tail, 0, end.tail.length, goodEnd);
    for (const p of [...clusterPatches, ...end.patches]) await fh.write(p.bytes, 0, p.bytes.length, p.position);
    await fh.sync();
    return { frames, durationMs, width, height, bytes: goodEnd + end.tail.length, truncatedBytes: size - goodEnd - oldCues };
  } finally {
    await fh.close();
  }
}

/** The child elements of a master element's data (ids and data), or [] when malformed. */
function children(data: Buffer): { id: number; data: Buffer }[] {
  const out: { id: number; data: Buffer }[] = [];
  let i = 0;
  while (i < data.length) {
    const idLen = vintLength(data[i] as number);
    if (idLen < 1 || idLen > 4 || i + idLen >= data.length) return [];
    const id = readUint(data.subarray(i, i + idLen));
    const sizeLen = vintLength(data[i + idLen] as number);
    if (sizeLen < 1 || i + idLen + sizeLen > data.length) return [];
    const sb = data.subarray(i + idLen, i + idLen + sizeLen);
    let size = (sb[0] as number) & (0xff >> sizeLen);
    for (let k = 1; k < sizeLen; k++) size = size * 256 + (sb[k] as number);
    const at = i + idLen + sizeLen;
    if (at + size > data.length) return [];
    out.push({ id, data: data.subarray(at, at + size) });
    i = at + size;
  }
  return out;
}

/** Video frame size and kind from the Tracks element's data (its first TrackEntry). */
function trackInfo(data: Buffer): { width: number; height: number; video: boolean } {
  const entry = children(data).find((c) => c.id === Id.TrackEntry);
  const fields = entry ? children(entry.data) : [];
  const type = fields.find((c) => c.id === Id.TrackType);
  const videoEl = fields.find((c) => c.id === Id.Video);
  const video = type ? readUint(type.data) === 1 : videoEl !== undefined;
  const size = videoEl ? children(videoEl.data) : [];
  const value = (id: number) => {
    const c = size.find((x) => x.id === id);
    return c ? readUint(c.data) : 0;
  };
  return { width: value(Id.PixelWidth), height: value(Id.PixelHeight), video };
}
