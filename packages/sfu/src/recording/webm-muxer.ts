/**
 * A small WebM (Matroska) muxer for one track: EBML header, a Segment with a reserved SeekHead,
 * Info, Tracks, SimpleBlocks in Clusters (a new one at each video keyframe, or every few seconds),
 * and Cues at the end. It produces bytes in order through `emit`; `finish()` returns the trailing
 * bytes plus the in-place patches (Segment size, Duration, SeekHead) a seekable file receives, so
 * the file plays and seeks like any WebM and ffprobe sees the right duration.
 */
import { float64, Id, idBytes, master, str, uint, UNKNOWN_SIZE, vintFixed, vintSize, voidElement } from './ebml';

/** The codec of the track. */
export type WebmCodec = 'vp8' | 'h264' | 'opus';

/** Options of a muxer. */
export interface WebmMuxerOptions {
  codec: WebmCodec;
  /** Video frame size (from the first keyframe). */
  width?: number;
  height?: number;
  /** Audio channels (Opus in WebRTC: 2). */
  channels?: number;
  /** H.264: the AVCDecoderConfigurationRecord (from the stream's SPS and PPS). */
  avcConfig?: Buffer;
  /** Called with each run of bytes, in file order. */
  emit: (bytes: Buffer) => void;
}

/** The AVCDecoderConfigurationRecord (ISO 14496-15 §5.2.4.1) of one SPS and one PPS, with 4-byte NAL lengths. */
export function avcDecoderConfig(sps: Buffer, pps: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([1, sps[1], sps[2], sps[3], 0xff, 0xe1]), Buffer.from([sps.length >> 8, sps.length & 0xff]), sps,
    Buffer.from([1, pps.length >> 8, pps.length & 0xff]), pps,
  ]);
}

/** An in-place change of bytes already emitted. */
export interface Patch {
  position: number;
  bytes: Buffer;
}

/** Bytes reserved after the Segment header for the SeekHead written at the end. */
export const SEEKHEAD_SPACE = 96;

/** File positions of a segment's header elements (as WebmMuxer writes them). */
export interface SegmentLayout {
  /** First byte of the Segment's data (after its id and 8-byte size). */
  segmentDataStart: number;
  /** The Void reserved for the SeekHead. */
  seekHeadPos: number;
  infoPos: number;
  /** The 8 data bytes of Info's Duration (a float64). */
  durationDataPos: number;
  tracksPos: number;
}

/** A cluster that starts with a keyframe (audio: every cluster), for Cues. */
export interface CuePoint {
  timeMs: number;
  clusterPos: number;
}

/**
 * What ends a segment whose last cluster ends at `end`: the Cues (appended there: `tail`) and the
 * patches of Duration, the Segment size and the SeekHead. Used by WebmMuxer.finish and by
 * salvageWebm (a file left unfinished by a crash).
 */
export function segmentEnd(layout: SegmentLayout, cues: readonly CuePoint[], end: number, durationMs: number): { tail: Buffer; patches: Patch[] } {
  const start = layout.segmentDataStart;
  const tail = cues.length
    ? master(Id.Cues, cues.map((c) => master(Id.CuePoint, [
      uint(Id.CueTime, c.timeMs),
      master(Id.CueTrackPositions, [uint(Id.CueTrack, 1), uint(Id.CueClusterPosition, c.clusterPos - start)]),
    ])))
    : Buffer.alloc(0);
  const patches: Patch[] = [];
  const dur = Buffer.alloc(8);
  dur.writeDoubleBE(Math.max(0, durationMs));
  patches.push({ position: layout.durationDataPos, bytes: dur });
  patches.push({ position: start - 8, bytes: vintFixed(end + tail.length - start, 8) });
  const seek = (id: number, pos: number) => master(Id.Seek, [Buffer.concat([idBytes(Id.SeekID), vintSize(idBytes(id).length), idBytes(id)]), uint(Id.SeekPosition, pos - start)]);
  const seeks = [seek(Id.Info, layout.infoPos), seek(Id.Tracks, layout.tracksPos)];
  if (tail.length) seeks.push(seek(Id.Cues, end));
  const seekHead = master(Id.SeekHead, seeks);
  if (seekHead.length + 2 <= SEEKHEAD_SPACE) patches.push({ position: layout.seekHeadPos, bytes: Buffer.concat([seekHead, voidElement(SEEKHEAD_SPACE - seekHead.length)]) });
  return { tail, patches };
}
// Clusters are started at least this often, and must be: block timecodes are int16 ms relative to the cluster.
const MAX_CLUSTER_MS = 5_000;

/** WebM muxer of one track (see file comment). */
export class WebmMuxer {
  private readonly emitBytes: (bytes: Buffer) => void;
  private position = 0;
  private segmentDataStart = 0;
  private seekHeadPos = 0;
  private infoPos = 0;
  private durationDataPos = 0;
  private tracksPos = 0;
  private clusterStartMs = -1;
  private clusterCount = 0;
  private clusterPos = -1;
  private readonly clusterPatches: Patch[] = [];
  private readonly cues: CuePoint[] = [];
  private lastMs = 0;
  private finished = false;

  /** Writes the header (EBML, Segment, reserved SeekHead, Info, Tracks). */
  constructor(private readonly o: WebmMuxerOptions) {
    this.emitBytes = o.emit;
    const ebml = master(Id.EBML, [
      uint(Id.EBMLVersion, 1), uint(Id.EBMLReadVersion, 1), uint(Id.EBMLMaxIDLength, 4), uint(Id.EBMLMaxSizeLength, 8),
      // H.264 is not a WebM codec: such a track is a Matroska file (players and ffmpeg read both alike).
      str(Id.DocType, o.codec === 'h264' ? 'matroska' : 'webm'), uint(Id.DocTypeVersion, 4), uint(Id.DocTypeReadVersion, 2),
    ]);
    this.out(ebml);
    this.out(Buffer.concat([idBytes(Id.Segment), UNKNOWN_SIZE]));
    this.segmentDataStart = this.position;
    this.seekHeadPos = this.position;
    this.out(voidElement(SEEKHEAD_SPACE));
    this.infoPos = this.position;
    const durationEl = float64(Id.Duration, 0);
    const infoChildren = [uint(Id.TimecodeScale, 1_000_000), str(Id.MuxingApp, 'podium'), str(Id.WritingApp, 'podium-sfu')];
    const infoBody = Buffer.concat([...infoChildren, durationEl]);
    const infoHead = Buffer.concat([idBytes(Id.Info), vintSize(infoBody.length)]);
    this.durationDataPos = this.position + infoHead.length + infoBody.length - 8;
    this.out(Buffer.concat([infoHead, infoBody]));
    this.tracksPos = this.position;
    this.out(master(Id.Tracks, [this.trackEntry()]));
  }

  /** Bytes emitted so far. */
  get size(): number {
    return this.position;
  }

  /** Clusters started so far. */
  get clusters(): number {
    return this.clusterCount;
  }

  /**
   * One frame at `timeMs` (ms from the track's start, non-decreasing). A video keyframe starts a
   * new cluster (so every cluster of a video track opens with a keyframe and can be seeked to).
   */
  writeFrame(timeMs: number, keyframe: boolean, data: Buffer): void {
    if (this.finished) return;
    const t = Math.max(Math.round(timeMs), this.lastMs);
    this.lastMs = t;
    const video = this.o.codec !== 'opus';
    const newCluster = this.clusterStartMs < 0 || t - this.clusterStartMs >= 30_000 || (video ? keyframe && t - this.clusterStartMs >= 1000 : t - this.clusterStartMs >= MAX_CLUSTER_MS);
    if (newCluster) this.startCluster(t, !video || keyframe);
    const rel = t - this.clusterStartMs;
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x81; // track number 1 as a 1-byte vint
    header.writeInt16BE(rel, 1);
    header[3] = keyframe || !video ? 0x80 : 0x00;
    const size = 4 + data.length;
    this.out(Buffer.concat([idBytes(Id.SimpleBlock), vintSize(size), header, data]));
  }

  /**
   * Ends the file: Cues, then the patches (Segment size, Duration `durationMs`, SeekHead) for a
   * writer that can write at positions. Returns both; nothing is emitted after this.
   */
  finish(durationMs: number): { tail: Buffer; patches: Patch[] } {
    this.finished = true;
    this.closeCluster();
    const end = segmentEnd(this.layout(), this.cues, this.position, durationMs);
    this.out(end.tail);
    return { tail: end.tail, patches: [...this.clusterPatches, ...end.patches] };
  }

  /** Where the header elements are (for segmentEnd). */
  private layout(): SegmentLayout {
    return { segmentDataStart: this.segmentDataStart, seekHeadPos: this.seekHeadPos, infoPos: this.infoPos, durationDataPos: this.durationDataPos, tracksPos: this.tracksPos };
  }

  private startCluster(t: number, cue: boolean): void {
    this.closeCluster();
    this.clusterPos = this.position;
    this.clusterStartMs = t;
    this.clusterCount++;
    if (cue) this.cues.push({ timeMs: t, clusterPos: this.position });
    // Written with an unknown size (as live WebM writers do), patched to the real one when the next Cluster starts.
    this.out(Buffer.concat([idBytes(Id.Cluster), UNKNOWN_SIZE, uint(Id.Timecode, t)]));
  }

  private closeCluster(): void {
    if (this.clusterPos < 0) return;
    const dataStart = this.clusterPos + 4 + 8;
    this.clusterPatches.push({ position: this.clusterPos + 4, bytes: vintFixed(this.position - dataStart, 8) });
    this.clusterPos = -1;
  }

  private trackEntry(): Buffer {
    const o = this.o;
    const common = [uint(Id.TrackNumber, 1), uint(Id.TrackUID, 1), uint(Id.FlagLacing, 0)];
    if (o.codec === 'h264') {
      const cfg = o.avcConfig ?? Buffer.alloc(0);
      return master(Id.TrackEntry, [
        ...common, uint(Id.TrackType, 1), str(Id.CodecID, 'V_MPEG4/ISO/AVC'),
        Buffer.concat([idBytes(Id.CodecPrivate), vintSize(cfg.length), cfg]),
        master(Id.Video, [uint(Id.PixelWidth, o.width ?? 640), uint(Id.PixelHeight, o.height ?? 480)]),
      ]);
    }
    if (o.codec === 'vp8') {
      return master(Id.TrackEntry, [
        ...common, uint(Id.TrackType, 1), str(Id.CodecID, 'V_VP8'),
        master(Id.Video, [uint(Id.PixelWidth, o.width ?? 640), uint(Id.PixelHeight, o.height ?? 480)]),
      ]);
    }
    const channels = o.channels ?? 2;
    // OpusHead (RFC 7845 §5.1): version 1, channels, pre-skip 0 (WebRTC streams have none), 48 kHz, gain 0, mapping family 0.
    const head = Buffer.alloc(19);
    head.write('OpusHead', 0, 'ascii');
    head[8] = 1;
    head[9] = channels;
    head.writeUInt16LE(0, 10);
    head.writeUInt32LE(48_000, 12);
    head.writeInt16LE(0, 16);
    head[18] = 0;
    return master(Id.TrackEntry, [
      ...common, uint(Id.TrackType, 2), str(Id.CodecID, 'A_OPUS'),
      Buffer.concat([idBytes(Id.CodecPrivate), vintSize(head.length), head]), uint(Id.SeekPreRoll, 80_000_000),
      master(Id.Audio, [float64(Id.SamplingFrequency, 48_000), uint(Id.Channels, channels)]),
    ]);
  }

  private out(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.position += bytes.length;
    this.emitBytes(bytes);
  }
}
