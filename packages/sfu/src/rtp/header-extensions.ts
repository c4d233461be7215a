/**
 * RTP header extensions we understand, and the negotiated id ↔ URI map of one direction of one
 * connection (SDP `a=extmap`). Producer and consumer maps differ, so forwarded packets are remapped.
 */
import type { RtpPacket } from './rtp-packet';

/** The header-extension URIs the SFU negotiates. */
export const RtpExtensionUri = {
  /** RFC 6464 client-to-mixer audio level (1 byte: V flag + level in -dBov). */
  audioLevel: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  /** 24-bit 6.18 fixed-point send time (REMB-era congestion control). */
  absSendTime: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  /** 16-bit transport-wide sequence number for TWCC. */
  transportWideCc: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  /** BUNDLE media identification (RFC 8843). */
  mid: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  /** Simulcast stream id, "rid" (RFC 8852). */
  rtpStreamId: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  /** Rid of the stream an RTX stream repairs (RFC 8852). */
  repairedRtpStreamId: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  /** 3GPP coordination of video orientation (CVO). */
  videoOrientation: 'urn:3gpp:video-orientation',
  /** Sender's hint of min/max playout delay. */
  playoutDelay: 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
} as const;

/** One of the URIs in RtpExtensionUri. */
export type KnownExtensionUri = (typeof RtpExtensionUri)[keyof typeof RtpExtensionUri];

/** One negotiated `a=extmap` line. */
export interface ExtensionMapping {
  /** Local id, 1..255 (1..14 fits the one-byte form). */
  id: number;
  /** Extension URI. */
  uri: string;
}

/** Negotiated extension ids of one direction (what the remote sends us, or what we send it). */
export class ExtensionMap {
  private readonly uriById = new Map<number, string>();
  private readonly idByUri = new Map<string, number>();

  /** Ignores invalid ids (outside 1..255) and duplicate ids/URIs after the first. */
  constructor(mappings: Iterable<ExtensionMapping> = []) {
    for (const { id, uri } of mappings) {
      if (!Number.isInteger(id) || id < 1 || id > 255) continue;
      if (this.uriById.has(id) || this.idByUri.has(uri)) continue;
      this.uriById.set(id, uri);
      this.idByUri.set(uri, id);
    }
  }

  /** Local id of `uri`, or 0 when not negotiated (0 is never a valid id). */
  idOf(uri: string): number {
    return this.idByUri.get(uri) ?? 0;
  }

  /** URI of local id `id`, or undefined. */
  uriOf(id: number): string | undefined {
    return this.uriById.get(id);
  }

  /** True when some id is above 14, so packets must use the two-byte form. */
  get needsTwoByte(): boolean {
    for (const id of this.uriById.keys()) if (id > 14) return true;
    return false;
  }

  /** All mappings, by id. */
  entries(): ExtensionMapping[] {
    return [...this.uriById].map(([id, uri]) => ({ id, uri })).sort((a, b) => a.id - b.id);
  }
}

/** Extensions a forwarder must never copy as-is: rewritten per consumer or meaningless after fan-out. */
const NOT_COPIED: ReadonlySet<string> = new Set([
  RtpExtensionUri.transportWideCc, // per outgoing connection
  RtpExtensionUri.absSendTime, // per outgoing connection
  RtpExtensionUri.mid, // the consumer's own mid
  RtpExtensionUri.rtpStreamId, // a consumer receives one plain stream
  RtpExtensionUri.repairedRtpStreamId,
]);

/**
 * Id translation table from a producer's map to a consumer's: `table[producerId]` is the consumer id
 * to write, or 0 to drop the element (not negotiated by the consumer, or rewritten per connection).
 */
export function buildExtensionTranslation(from: ExtensionMap, to: ExtensionMap): Uint8Array {
  const table = new Uint8Array(256);
  for (const { id, uri } of from.entries()) {
    if (NOT_COPIED.has(uri)) continue;
    table[id] = to.idOf(uri);
  }
  return table;
}

/** Mask of the voice-activity flag in an RFC 6464 audio-level byte. */
export const AUDIO_LEVEL_VOICE_FLAG = 0x80;

/** An RFC 6464 audio level. */
export interface AudioLevel {
  /** Sender's voice-activity flag. */
  voice: boolean;
  /** Level in -dBov: 0 is the loudest, 127 silence. */
  levelDbov: number;
}

/** Raw audio-level byte of `packet` for extension id `id`, or -1 when absent (allocation-free). */
export function readAudioLevelByte(packet: RtpPacket, id: number): number {
  const i = packet.findExtension(id);
  if (i < 0 || packet.extensionLengths[i] < 1) return -1;
  return packet.buffer[packet.extensionOffsets[i]];
}

/** Decodes an RFC 6464 byte (V flag in the top bit, level 0..127 -dBov below it). */
export function parseAudioLevel(byte: number): AudioLevel {
  return { voice: (byte & AUDIO_LEVEL_VOICE_FLAG) !== 0, levelDbov: byte & 0x7f };
}

/** Transport-wide sequence number of `packet` (extension id `id`), or -1 when absent. */
export function readTransportSequence(packet: RtpPacket, id: number): number {
  const i = packet.findExtension(id);
  if (i < 0 || packet.extensionLengths[i] < 2) return -1;
  const o = packet.extensionOffsets[i];
  return (packet.buffer[o] << 8) | packet.buffer[o + 1];
}

/** 24-bit abs-send-time (6.18 fixed-point seconds, wrapping every 64 s) for a time in ms. */
export function absSendTime(nowMs: number): number {
  // Reduce modulo the 64 s wrap first so large clocks keep their sub-millisecond precision.
  const ms = ((nowMs % 64000) + 64000) % 64000;
  return Math.floor((ms * 262144) / 1000) & 0xffffff;
}

/** The ASCII value of an SDES-style extension (mid, rid), or undefined when absent. Allocates. */
export function readStringExtension(packet: RtpPacket, id: number): string | undefined {
  const i = packet.findExtension(id);
  if (i < 0) return undefined;
  const o = packet.extensionOffsets[i];
  return packet.buffer.toString('latin1', o, o + packet.extensionLengths[i]);
}
